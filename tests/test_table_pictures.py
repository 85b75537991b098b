"""Web pages whose tables are pictures: a saved page (`.html` and its `_files/` folder) and a
single-file page (`.mht`). The pictures are OCR'd in place, only from inside the page's folder or
the file itself, never fetched; the report says which tables came from pictures."""
from __future__ import annotations

import base64
import shutil
import socket
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pandas as pd
import pytest
from conftest import ROOT, need_engine, need_font

from pipeline.ingest.files import ingest
from pipeline.ingest.sniff import sniff
from pipeline.readers import read
from pipeline.readers.html_images import FolderSource, Refused

RAW = ROOT / "raw"
STEM = "苏州市交通运输局_2021"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")


def mht(html: str, parts: dict, base: str = "http://www.example.gov.cn/art/1.html") -> bytes:
    """A single-file page: the HTML at `base` and `parts` {address: bytes} as pictures."""
    msg = MIMEMultipart("related", type="text/html")
    msg["Snapshot-Content-Location"] = base
    page = MIMEText(html, "html", "utf-8")
    page["Content-Location"] = base
    msg.attach(page)
    for loc, data in parts.items():
        img = MIMEImage(data, "png")
        img["Content-Location"] = loc
        msg.attach(img)
    return msg.as_bytes()


# ---------------------------------------------------------------- where pictures come from


@pytest.mark.unit
def test_pictures_only_from_inside_the_pages_folder(tmp_path):
    site = tmp_path / "site"
    (site / "p_files").mkdir(parents=True)
    (site / "p_files" / "t1.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    (site / "p_files" / "link.png").symlink_to(tmp_path / "secret.png")
    page = site / "p.html"
    page.write_text("<p>x</p>")
    src = FolderSource(page)
    assert src.get("./p_files/t1.png") == ("t1.png", PNG)
    assert src.get("p_files%2Ft1.png".replace("%2F", "/"))[1] == PNG
    assert src.get("p%5Ffiles/t1.png")[1] == PNG                       # percent-encoded
    assert src.get("data:image/png;base64," + base64.b64encode(PNG).decode())[1] == PNG
    for bad, why in [("http://www.example.gov.cn/t1.png", "remote"), ("//cdn.example.cn/t1.png", "remote"),
                     ("HTTPS://x.cn/a.png", "remote"), ("/images/t1.png", "site address"),
                     ("../secret.png", "outside"), ("p_files/../../secret.png", "outside"),
                     ("p_files/link.png", "outside"), (f"file://{tmp_path}/secret.png", "outside"),
                     ("p_files/none.png", "no such file"), ("javascript:void(0)", "javascript")]:
        with pytest.raises(Refused, match=why):
            src.get(bad)


@pytest.mark.unit
def test_remote_and_outside_pictures_are_findings_never_fetches(tmp_path, monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda *a: attempts.append(a) or (_ for _ in ()).throw(OSError("blocked")))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or (_ for _ in ()).throw(OSError("blocked")))
    html = (RAW / f"{STEM}.html").read_text(encoding="utf-8")
    html = html.replace("</h1>", '</h1><p><img src="http://www.example.gov.cn/pic/t.png"></p>'
                                 '<p><img src="../outside.png"></p>', 1)
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "page.html"
    page.write_text(html, encoding="utf-8")
    (tmp_path / "outside.png").write_bytes(PNG)
    doc = read(page, "html")
    refused = [f for f in doc.findings if f.rule == "html.image_not_read"]
    assert [f.found for f in refused] == ["http://www.example.gov.cn/pic/t.png", "../outside.png"]
    assert "offline" in refused[0].message_en and "outside" in refused[1].message_en
    assert attempts == [] and doc.ocr_pages == [] and len(doc.tables) == 3


@pytest.mark.unit
def test_a_saved_pages_folder_is_not_a_report(tmp_path):
    (tmp_path / "a_files").mkdir()
    (tmp_path / "b_files").mkdir()
    for d in ("a_files", "b_files"):
        for k in (1, 2):
            (tmp_path / d / f"t{k}.png").write_bytes(PNG)
    shutil.copy(RAW / f"{STEM}.html", tmp_path / "a.html")           # a_files/ is its folder
    sources = sorted(e["source"] for e in ingest(tmp_path))
    assert sources == ["a.html", "b_files"]                          # b_files/: a folder of page images


@pytest.mark.unit
def test_mht_is_sniffed_by_its_content_and_read_as_a_web_page(tmp_path):
    html = (RAW / f"{STEM}.html").read_text(encoding="utf-8")
    path = tmp_path / "page.txt"                                     # the extension does not decide
    path.write_bytes(mht(html, {}))
    assert sniff(path) == "mht"
    doc, ref = read(path, "mht"), read(RAW / f"{STEM}.html", "html")
    assert doc.format == "mht"
    assert [[c.text for c in t.cells] for t in doc.tables] == [[c.text for c in t.cells] for t in ref.tables]
    assert doc.meta == ref.meta
    page = tmp_path / "mentions.html"       # a page that only talks about MIME headers stays a page
    page.write_text("<html><body><p>MIME-Version: 1.0</p>\nContent-Type: multipart/related</body></html>")
    assert sniff(page) == "html"


@pytest.mark.unit
def test_mht_pictures_come_from_its_parts(tmp_path):
    import email

    from pipeline.readers.mht import PartsSource
    raw = mht("<p>x</p>", {"http://www.example.gov.cn/art/pic/t1.png": PNG})
    msg = email.message_from_bytes(raw)
    parts = [p for p in msg.walk() if not p.is_multipart()]
    src = PartsSource(parts, parts[0], "http://www.example.gov.cn/art/1.html")
    assert src.get("pic/t1.png")[1] == PNG                           # relative to the page's address
    assert src.get("http://www.example.gov.cn/art/pic/t1.png") == ("t1.png", PNG)
    with pytest.raises(Refused, match="offline"):
        src.get("http://elsewhere.cn/t2.png")


# ---------------------------------------------------------------- end to end, with OCR


@pytest.fixture(scope="module")
def picture_pages(tmp_path_factory):
    need_engine()
    need_font()
    from samples import content, html_images
    from samples import truth as T
    report = next(r for r in content.build_reports(0) if r.stem == "成都市武侯区民政局_2021")
    report.flags = T.within_report_flags(report.cells)
    inp, truth = tmp_path_factory.mktemp("pictures_in"), tmp_path_factory.mktemp("pictures_truth")
    (truth / "cells").mkdir()
    paths = [html_images.write_saved_page(report, inp / f"{report.stem}_img.html"),
             html_images.write_mht(report, inp / f"{report.stem}.mht")]
    T.write_reports(truth / "reports.csv", [T.report_row(p.name, report) for p in paths])
    for p in paths:
        T.write_cells(truth / "cells" / f"{p.name}.csv", report)
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("pictures_out")
    run(inp, out, workers=2, progress=False)
    return out, truth, paths


@pytest.mark.ocr
@pytest.mark.e2e
def test_table_pictures_are_read_in_place_and_reported(picture_pages):
    from test_scans import unflagged_wrong_numbers

    from pipeline.outputs.score import score
    out, truth, paths = picture_pages
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    assert sorted(reports.index) == sorted(p.name for p in paths)      # the _files/ folder is no report
    assert set(reports["detected_format"]) == {"html", "mht"}
    assert all(list(p) == [1] for p in reports["ocr_pages"])
    for s in score(out, truth):
        assert s.cells_right / s.cells_total >= 0.995, (s.file, s.problems[:5])
        assert s.format_ok and s.office_ok and s.year_ok and s.flags_ok, (s.file, s.problems)
        assert unflagged_wrong_numbers(out, truth, s.file) == []
    flags = pd.read_parquet(out / "flags.parquet")
    assert not (flags["rule"] == "html.image_not_read").any()        # the portal's logo is outside the article
    pictures = flags[flags["rule"] == "ocr.table_image"]
    for p in paths:
        mine = pictures[pictures["report_id"] == reports.loc[p.name, "report_id"]]
        assert len(mine) == 3 and mine["severity"].eq("info").all()
        assert mine["found"].str.match(r"W0\d+\.(png|jpg)$").all()
        assert any("收到和处理政府信息公开申请" in e for e in mine["expected"])
    cells = pd.read_parquet(out / "cells.parquet")
    assert cells["ocr_confidence"].notna().all()
