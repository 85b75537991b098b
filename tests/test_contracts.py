"""The contracts between the stages and with the people who read the datasets: fixed Parquet
schemas, SQL-safe column names, documentation generated from the declarations, the findings
catalogue, the options that reach the cache key."""
from __future__ import annotations

import re
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, need_module

from pipeline.core.findings import Finding, UnknownRule, catalogue
from pipeline.core.options import Options
from pipeline.core.store import STAGES, Workspace
from pipeline.formats import layout
from pipeline.outputs import docs
from pipeline.publish import schema
from pipeline.runtime.run import run

RAW = ROOT / "raw"
SAMPLE = "苏州市交通运输局_2021.txt"     # 予以公开 总计 off by a few: two relations break


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    """An empty run, a run where the only file failed, and a normal run."""
    base = tmp_path_factory.mktemp("runs")
    empty, failed, normal = (base / n for n in ("empty_in", "failed_in", "normal_in"))
    for d in (empty, failed, normal):
        d.mkdir()
    (failed / "broken.pdf").write_bytes(b"%PDF-1.4\n%garbage that is no PDF at all\n")
    shutil.copy(RAW / SAMPLE, normal / SAMPLE)
    outs = {}
    for name, d in (("empty", empty), ("failed", failed), ("normal", normal)):
        outs[name] = base / f"{name}_out"
        run(d, outs[name], workers=1, progress=False)
    return outs


@pytest.mark.parametrize("dataset", list(schema.DATASETS))
@pytest.mark.e2e
def test_the_same_schema_whatever_the_run(three_runs, dataset):
    want = schema.arrow_schema(dataset)
    for name, out in three_runs.items():
        got = pq.read_schema(out / f"{dataset}.parquet")
        assert got.equals(want, check_metadata=False), (name, got)
        assert got.metadata[schema.METADATA_KEY] == schema.SCHEMA_VERSION.encode()
    assert pq.read_table(three_runs["empty"] / f"{dataset}.parquet").num_rows == 0


@pytest.mark.e2e
def test_the_failed_run_says_why(three_runs):
    reports = pq.read_table(three_runs["failed"] / "reports.parquet").to_pylist()
    assert [r["status"] for r in reports] == ["failed"] and "PDF" in reports[0]["error"]


@pytest.mark.parametrize("dataset", list(schema.DATASETS))
@pytest.mark.e2e
def test_duckdb_reads_several_runs_together_with_every_column_unquoted(three_runs, dataset):
    duckdb = need_module("duckdb", "the DuckDB views")
    files = [str(out / f"{dataset}.parquet") for out in three_runs.values()]
    columns = schema.column_names(dataset)
    con = duckdb.connect()
    rows = con.execute(f"SELECT {', '.join(columns)} FROM read_parquet({files!r})").fetchall()
    assert len(rows) == sum(pq.read_table(f).num_rows for f in files)
    for c in columns:      # each name alone, unquoted, in SELECT and WHERE
        con.execute(f"SELECT {c} FROM read_parquet({files!r}) WHERE {c} IS NOT NULL LIMIT 1").fetchall()


@pytest.mark.e2e
def test_normal_run_findings_carry_evidence(three_runs):
    flags = pq.read_table(three_runs["normal"] / "flags.parquet").to_pylist()
    relations = [f for f in flags if f["rule"].startswith(("requests.", "review_litigation."))]
    assert relations and all(f["cells"] and f["page"] == 1 for f in relations)
    assert all(f["flag"] == f"{f['rule']}@{f['location']}" for f in flags)


@pytest.mark.unit
def test_generated_docs_are_in_step_with_the_code():
    stale = [str(p) for p, text in docs.targets().items() if p.read_text(encoding="utf-8") != text]
    assert not stale, f"run python -m pipeline.outputs.docs: {stale}"


@pytest.mark.unit
def test_docs_list_exactly_the_declared_columns():
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    book = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    for dataset in schema.DATASETS:
        part = text.split(f"<!-- generated: columns:{dataset} -->")[1].split("<!-- end generated -->")[0]
        documented = re.findall(r"^\| `(\w+)` \|", part, re.M)
        if dataset == "panel":      # the one column per cell code is listed in the codebook
            documented += re.findall(r"\| `(\w+__\w+__\w+)` \|$", book, re.M)
        assert documented == schema.column_names(dataset)


def _rule_ids_in_code() -> set:
    """Rule ids written as literals where findings are made (Finding(...), collector.flag(...))."""
    ids = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        ids |= set(re.findall(r'(?:Finding|\.flag)\(\s*"([a-z_]+\.[a-z_]+)"', src))
    return ids


@pytest.mark.unit
def test_every_rule_id_the_code_can_emit_is_catalogued_and_documented():
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    in_code = _rule_ids_in_code()
    assert len(in_code) >= 12
    assert in_code <= set(catalogue()), in_code - set(catalogue())
    for rid in catalogue():
        assert f"`{rid}`" in text, rid


@pytest.mark.unit
def test_a_finding_outside_the_catalogue_is_refused():
    with pytest.raises(UnknownRule):
        Finding("extract.something_new", "requests", "warning")


@pytest.mark.unit
def test_codebook_covers_every_truth_code():
    import csv
    codes = set(layout.all_cells())
    for f in (RAW / "truth" / "cells").glob("*.csv"):
        with open(f, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                assert (r["table"], r["row"], r["col"]) in codes, (f.name, r)
    book = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert all(f"`{t}.{r}.{c}`" in book for t, r, c in codes)


@pytest.mark.unit
def test_format_detection_and_orders_come_from_the_layout_data():
    assert layout.cols_of("requests", optional=False) == (
        "natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
    assert ("active", "rules", "in_force") in layout.only_in("2021")
    assert ("active", "procurement", "amount") in layout.only_in("2019")
    assert layout.rows_of("requests").index("other_misc") == layout.rows_of("requests").index("total") - 1


@pytest.mark.unit
def test_options_that_change_outputs_are_in_the_cache_key(tmp_path):
    a, b = Workspace(tmp_path, Options()), Workspace(tmp_path, Options(ocr_low_confidence=0.5))
    assert a.stamp("parse") == b.stamp("parse")          # the threshold is judged at check
    assert a.stamp("check") != b.stamp("check")
    c = Workspace(tmp_path, Options(ocr_dpi=300))
    assert all(a.stamp(s) != c.stamp(s) for s in STAGES)  # a parse option makes every stage stale
    assert Workspace(tmp_path, Options(workers=7)).stamp("check") == a.stamp("check")


@pytest.mark.unit
def test_the_confidence_threshold_is_an_option_of_the_check_stage():
    from pipeline.checks import check_report
    from pipeline.core.results import CellRecord
    cell = CellRecord.at("requests", "new", "total", "number", 3.0, "3", page=2, bbox=(1, 2, 3, 4), ocr_confidence=0.8)
    assert check_report([cell], options=Options()).low_confidence == ["requests.new.total"]
    assert check_report([cell], options=Options(ocr_low_confidence=0.7)).low_confidence == []
    [f] = [f for f in check_report([cell]).findings if f.rule == "ocr.low_confidence"]
    assert f.page == 2 and f.bbox == (1, 2, 3, 4) and f.cells == ("requests.new.total",)
