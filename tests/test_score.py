"""The scorer itself (pipeline/outputs/score.py), which every accuracy test relies on: each way a
document can differ from its truth changes its score, and what is not scored changes nothing.

Each test writes a tiny dataset (reports, cells and flags Parquet files, as `ogi run` publishes
them) and a truth folder in the shared corpus's format into tmp_path."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from pipeline.outputs.score import score

pytestmark = pytest.mark.unit

FILE = "某区人民政府_2021.pdf"
TRUTH_REPORT = {"file": FILE, "office": "南京市某区人民政府", "year": "2021", "format": "2021",
                "province": "江苏省", "city": "南京市", "county": "某区",
                "sections": "overview active requests review_litigation problems other",
                "flags": "requests.balance@total"}
TRUTH_CELLS = [  # table, row, col, kind, value
    ("requests", "new", "total", "number", "12"),
    ("requests", "carried_over", "total", "number", "3"),
    ("requests", "new", "natural_person", "blank", ""),
    ("active", "rules", "in_force", "na", ""),
    ("active", "fees", "amount", "number", "25.1"),
]
# the dataset's side: the same cells as read, and the same flag
CELLS = [("requests", "new", "total", "number", 12.0, "12"),
         ("requests", "carried_over", "total", "number", 3.0, "3"),
         ("requests", "new", "natural_person", "blank", None, ""),
         ("active", "rules", "in_force", "na", None, "/"),
         ("active", "fees", "amount", "number", 25.1, "251000元")]
REPORT = {"source": FILE, "report_id": "r1", "format_version": "2021", "office": "南京市某区人民政府", "year": 2021}
FLAGS = [("requests.balance", "requests.balance@total", "error")]


def write(tmp_path, report=None, cells=None, flags=None, name="out"):
    """A dataset of one report in tmp_path/name, the truth in tmp_path/truth; returns both."""
    out, truth = tmp_path / name, tmp_path / "truth"
    out.mkdir()
    pd.DataFrame([report if report is not None else REPORT]).to_parquet(out / "reports.parquet")
    rid = (report or REPORT)["report_id"]
    pd.DataFrame([{"report_id": rid, "table_code": t, "row_code": r, "col_code": c, "kind": k,
                   "value": v, "raw": raw} for t, r, c, k, v, raw in (CELLS if cells is None else cells)],
                 columns=["report_id", "table_code", "row_code", "col_code", "kind", "value", "raw"]
                 ).astype({"value": "float64"}).to_parquet(out / "cells.parquet")
    pd.DataFrame([{"report_id": rid, "rule": rule, "flag": flag, "severity": sev}
                  for rule, flag, sev in (FLAGS if flags is None else flags)],
                 columns=["report_id", "rule", "flag", "severity"]).to_parquet(out / "flags.parquet")
    if not truth.exists():
        (truth / "cells").mkdir(parents=True)
        with open(truth / "reports.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(TRUTH_REPORT))
            w.writeheader()
            w.writerow(TRUTH_REPORT)
        with open(truth / "cells" / f"{FILE}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(("table", "row", "col", "kind", "value"))
            w.writerows(TRUTH_CELLS)
    return out, truth


def one(tmp_path, **changed):
    out, truth = write(tmp_path, **changed)
    [s] = score(out, truth, only={FILE})
    return s


def with_cell(code, **change):
    """CELLS with the cell `code` changed (kind, value, raw) or, with change None, left out."""
    out = []
    for t, r, c, k, v, raw in CELLS:
        if (t, r, c) == code:
            if change is None:
                continue
            k, v, raw = change.get("kind", k), change.get("value", v), change.get("raw", raw)
        out.append((t, r, c, k, v, raw))
    return out


def test_the_dataset_that_is_the_truth_is_perfect(tmp_path):
    s = one(tmp_path)
    assert s.perfect and s.problems == []
    assert (s.cells_right, s.cells_total) == (5, 5)
    assert s.found and s.format_ok and s.office_ok and s.year_ok and s.flags_ok


@pytest.mark.parametrize("code,change,says", [
    (("requests", "new", "total"), {"value": 13.0}, "13.0 ≠ 12"),                  # a wrong value
    (("active", "fees", "amount"), {"value": 25.2}, "25.2 ≠ 25.1"),                # a wrong fraction
    (("requests", "new", "total"), {"value": None, "kind": "number"}, "≠ 12"),     # a number without value
    (("requests", "new", "natural_person"), {"kind": "number", "value": 0.0}, "kind number ≠ blank"),  # blank read as 0
    (("requests", "new", "total"), {"kind": "blank", "value": None}, "kind blank ≠ number"),
    (("active", "rules", "in_force"), {"kind": "blank"}, "kind blank ≠ na"),        # na is not blank
], ids=["value", "fraction", "number_without_value", "blank_as_zero", "number_as_blank", "na_as_blank"])
def test_a_wrong_cell_costs_that_cell(tmp_path, code, change, says):
    s = one(tmp_path, cells=with_cell(code, **change))
    assert (s.cells_right, s.cells_total) == (4, 5) and not s.perfect
    assert [p for p in s.problems if ".".join(code) in p and says in p], s.problems


def test_a_missing_cell_costs_that_cell(tmp_path):
    s = one(tmp_path, cells=[c for c in CELLS if c[:3] != ("active", "rules", "in_force")])
    assert (s.cells_right, s.cells_total) == (4, 5) and not s.perfect
    assert "active.rules.in_force missing" in s.problems


def test_a_value_within_the_tolerance_is_right(tmp_path):
    s = one(tmp_path, cells=with_cell(("active", "fees", "amount"), value=25.1 + 1e-9))
    assert s.perfect, s.problems


def test_a_cell_the_truth_does_not_list_costs_nothing(tmp_path):
    s = one(tmp_path, cells=CELLS + [("requests", "new", "research", "number", 1.0, "1")])
    assert s.perfect, s.problems


@pytest.mark.parametrize("field,value,attr", [
    ("office", "南京市某区政府", "office_ok"),
    ("office", "北京市某区人民政府", "office_ok"),
    ("year", 2020, "year_ok"),
    ("format_version", "2019", "format_ok"),
    ("format_version", None, "format_ok"),
])
def test_a_wrong_office_year_or_format(tmp_path, field, value, attr):
    s = one(tmp_path, report={**REPORT, field: value})
    assert not getattr(s, attr) and not s.perfect
    assert s.cells_right == s.cells_total                # the cells are still right
    assert [p for p in s.problems if p.startswith(attr.split("_")[0])], s.problems
    assert all(getattr(s, a) for a in ("office_ok", "year_ok", "format_ok") if a != attr)


def test_spacing_in_the_office_name_is_not_a_difference(tmp_path):
    assert one(tmp_path, report={**REPORT, "office": "南京市 某区人民政府"}).office_ok


@pytest.mark.parametrize("flags", [
    [],                                                                            # the listed flag missing
    FLAGS + [("requests.row_sum", "requests.row_sum@new", "error")],             # an extra one
    FLAGS + [("values.non_negative", "values.non_negative@requests.new.total", "error")],
    [("requests.balance", "requests.balance@natural_person", "error")],          # at another place
    [("requests.balance", "requests.balance@total", "warning")],                 # not at error
], ids=["missing", "extra", "extra_values", "elsewhere", "not_error"])
def test_a_missing_or_extra_flag(tmp_path, flags):
    s = one(tmp_path, flags=flags)
    assert not s.flags_ok and not s.perfect
    assert s.cells_right == s.cells_total
    assert [p for p in s.problems if p.startswith("flags")], s.problems


@pytest.mark.parametrize("extra", [
    ("cross_year.carry_over", "cross_year.carry_over@total", "error"),      # scored by the cross-year tests
    ("narrative.new_requests", "requests.new.total", "warning"),
    ("requests.row_sum", "requests.row_sum@new", "unverifiable"),
], ids=["cross_year", "narrative", "unverifiable"])
def test_findings_outside_the_scored_families_or_below_error_do_not_count(tmp_path, extra):
    assert one(tmp_path, flags=FLAGS + [extra]).perfect


def test_a_document_not_in_the_dataset_is_not_found(tmp_path):
    s = one(tmp_path, report={**REPORT, "source": "其他_2021.pdf"})
    assert not s.found and not s.perfect and s.cells_right == 0


def test_score_lists_the_documents_of_the_dataset(tmp_path):
    out, truth = write(tmp_path)
    assert [s.file for s in score(out, truth)] == [FILE]
    out2, _ = write(tmp_path, report={**REPORT, "source": "其他_2021.pdf"}, name="out2")
    assert score(out2, truth) == []                      # only documents the dataset holds
    assert [s.found for s in score(out2, truth, only={FILE})] == [False]
