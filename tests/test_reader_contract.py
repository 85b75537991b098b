"""Every reader keeps the promises of the document model (docs/extending.md, "What a reader must
promise"): after parse, nothing may depend on which reader made the document."""
from __future__ import annotations

import json
import math
import subprocess

import pytest
from conftest import ROOT, need_engine, need_soffice

from pipeline.core.findings import Finding
from pipeline.core.model import Cell, Document, Table, TextBlock
from pipeline.ingest.sniff import sniff
from pipeline.readers import REGISTRY, read

RAW = ROOT / "raw"
STEM = "苏州市交通运输局_2021"
CONTROL = {chr(c) for c in range(32)} - {"\n", "\t"}


def check_document(doc: Document, fmt: str) -> None:
    """The promises, one assertion each."""
    assert isinstance(doc, Document) and doc.format == fmt
    assert isinstance(doc.source, str) and doc.source
    assert isinstance(doc.pages, int) and doc.pages >= 1
    assert doc.items, "a readable report has items"
    assert doc.ocr_pages == sorted(set(doc.ocr_pages)) and all(1 <= p <= doc.pages for p in doc.ocr_pages)
    assert all(isinstance(f, Finding) for f in doc.findings)
    assert all(isinstance(v, str) for v in doc.meta.values())
    last_page = 1
    for item in doc.items:
        assert isinstance(item, (TextBlock, Table))
        assert 1 <= item.page <= doc.pages
        assert item.page >= last_page, "items come in page order"
        last_page = item.page
        _check_box(item.bbox)
        if isinstance(item, TextBlock):
            assert item.text == item.text.strip() and item.text, repr(item.text)
            assert not CONTROL & set(item.text), repr(item.text)
        else:
            _check_table(item, doc.pages)
    as_json = json.dumps(doc.to_dict(), ensure_ascii=False, default=list)      # what the work folder stores
    assert json.dumps(Document.from_dict(json.loads(as_json)).to_dict(), ensure_ascii=False, default=list) == as_json


def _check_table(table: Table, pages: int) -> None:
    assert table.cells and all(isinstance(c, Cell) for c in table.cells)
    covered = set()
    for c in table.cells:
        assert c.row >= 0 and c.col >= 0 and c.rowspan >= 1 and c.colspan >= 1
        assert isinstance(c.text, str) and not CONTROL & set(c.text), repr(c.text)
        assert 1 <= c.page <= pages
        assert c.confidence is None or 0.0 <= c.confidence <= 1.0
        _check_box(c.bbox)
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                assert (r, k) not in covered, f"two cells cover grid position {(r, k)}"
                covered.add((r, k))


def _check_box(bbox) -> None:
    if bbox is None:
        return
    x0, top, x1, bottom = bbox
    assert all(math.isfinite(v) for v in bbox)
    assert x0 <= x1 and top <= bottom, bbox


def _sample(tmp_path, fmt: str):
    """A file of format `fmt` made from the raw/ samples (or skip when the tool to make it is missing)."""
    suffixes = {"pdf": ".pdf", "txt": ".txt", "md": ".md", "html": ".html", "docx": ".docx"}
    if fmt in suffixes:
        return RAW / f"{STEM}{suffixes[fmt]}"
    if fmt == "ofd":
        from pdf_to_ofd import pdf_to_ofd
        return pdf_to_ofd(RAW / f"{STEM}.pdf", tmp_path / f"{STEM}.ofd", title=STEM)
    if fmt in ("doc", "wps"):
        exe = need_soffice()
        subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(RAW / f"{STEM}.docx")],
                       check=True, capture_output=True, timeout=180)
        doc = tmp_path / f"{STEM}.doc"
        if fmt == "wps":
            doc = doc.rename(tmp_path / f"{STEM}.wps")
        return doc
    if fmt == "mht":
        from test_table_pictures import mht
        path = tmp_path / f"{STEM}.mht"
        path.write_bytes(mht((RAW / f"{STEM}.html").read_text(encoding="utf-8"), {}))
        return path
    if fmt == "image":
        need_engine()
        import cv2

        from pipeline.readers.ocr import render
        with render.open_pdf(RAW / "南京市玄武区人民政府_2022_scan.pdf") as pdf:
            img, _, _ = render.render_page(pdf, 3, 150)
        path = tmp_path / "page3.png"
        cv2.imwrite(str(path), img)
        return path
    raise AssertionError(f"no sample for {fmt}")


# a legacy Word file is made by LibreOffice (a subprocess), an image is read by OCR
MARKS = {"doc": pytest.mark.e2e, "wps": pytest.mark.e2e, "image": pytest.mark.ocr}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=MARKS.get(f, pytest.mark.unit)) for f in sorted(REGISTRY)])
def test_every_reader_keeps_the_document_promises(tmp_path, fmt):
    path = _sample(tmp_path, fmt)
    assert sniff(path) == fmt
    check_document(read(path, fmt), fmt)


@pytest.mark.unit
def test_the_promises_catch_a_broken_document():
    """The checker itself: overlapping cells and out-of-range pages are caught."""
    bad = Document("x.pdf", "pdf", pages=1, items=[Table(cells=[Cell("a", 0, 0, colspan=2), Cell("b", 0, 1)])])
    with pytest.raises(AssertionError, match="two cells cover"):
        check_document(bad, "pdf")
    with pytest.raises(AssertionError):
        check_document(Document("x.pdf", "pdf", pages=1, items=[TextBlock("t", page=2)]), "pdf")
