"""A text PDF's page footer (— 3 —) is a line of the page, not of the report: under table 四 it
was read as a row of three numbers that cannot be the table's fifteen, an `extract.unplaced`
warning on a table read completely. The sample generator's fixed set with seed 1 puts such a
footer inside table 四's section in two of its twelve text PDFs."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import need_module

from pipeline.core.model import TextBlock
from pipeline.core.store import Workspace
from pipeline.formats.pages import page_marks
from pipeline.outputs.score import score
from pipeline.runtime.run import run

pytestmark = pytest.mark.e2e
need_module("reportlab")
from samples import generate  # noqa: E402


@pytest.fixture(scope="module")
def footers_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("footers")
    generate(base / "in", base / "truth", forms=("pdf",), seed=1, workers=1)
    run(base / "in", base / "out", workers=2, progress=False)
    return base


def _footers_in_table_sections(out) -> int:
    """Page footers the segmenter put in the section of table 四 (the case this is about)."""
    ws, n = Workspace(out), 0
    for rid in pd.read_parquet(out / "reports.parquet").report_id:
        doc, seg = ws.load("parse", rid), ws.load("segment", rid)
        n += sum(isinstance(item, TextBlock) and code == "review_litigation" and bool(page_marks().footer.match(item.text))
                 for item, code in zip(doc.items, seg.item_sections))
    return n


def test_a_page_footer_in_a_tables_region_is_no_row_of_it(footers_run):
    out = footers_run / "out"
    assert _footers_in_table_sections(out) >= 2
    flags, reports = pd.read_parquet(out / "flags.parquet"), pd.read_parquet(out / "reports.parquet")
    assert (reports.status == "ok").all() and (reports.cells_found == reports.cells_expected).all()
    assert not flags.rule.eq("extract.unplaced").any(), flags[flags.rule == "extract.unplaced"].message_zh.tolist()
    scores = score(out, footers_run / "truth")
    assert all(s.cells_right == s.cells_total for s in scores)
