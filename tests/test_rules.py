"""Reconciliation rules on hand-made cells: what breaks, what cannot be verified, what it says."""
from __future__ import annotations

from pipeline.checks import check_report
from pipeline.checks.narrative import check_narrative
from pipeline.core.results import CellRecord
from pipeline.dataset.cross_year import YearReport, check_cross_year


def cell(table, row, col, value, kind="number"):
    return CellRecord.at(table, row, col, kind, value)


def year(rid, office, y, cells):
    return YearReport(rid, f"{rid}.pdf", office, y, None, cells)


def flags_of(findings, severity="error"):
    return {f.flag for f in findings if f.severity == severity}


def test_prev_items_across_years():
    y2019 = year("a", "某局", 2019,
                 [cell("active", "licensing", "prev_items", 10), cell("active", "licensing", "change", 2),
                  cell("active", "penalty", "prev_items", 5), cell("active", "penalty", "change", None, "blank")])
    y2020 = year("b", "某局", 2020,
                 [cell("active", "licensing", "prev_items", 13), cell("active", "licensing", "change", 0),
                  cell("active", "penalty", "prev_items", 5), cell("active", "penalty", "change", 0)])
    out = check_cross_year([y2019, y2020])
    assert flags_of(out["b"]) == {"cross_year.prev_items@licensing"}          # 10 + 2 ≠ 13
    assert "cross_year.prev_items@penalty" in flags_of(out["b"], "unverifiable")  # last year's change blank
    assert "a" not in out                                                       # nothing before 2019


def test_other_office_or_gap_year_is_not_compared():
    a = year("a", "甲", 2020, [cell("requests", "carried_forward", "total", 3)])
    b = year("b", "乙", 2021, [cell("requests", "carried_over", "total", 9)])
    c = year("c", "甲", 2022, [cell("requests", "carried_over", "total", 9)])
    found = check_cross_year([a, b, c])        # nothing compared; the missing 2021 is said
    assert list(found) == ["c"] and [f.flag for f in found["c"]] == ["cross_year.gap@report"]
    assert found["c"][0].severity == "info" and "2021" in found["c"][0].message_en


def test_values_rules_and_signed_change():
    cells = [cell("requests", "new", "natural_person", -1), cell("active", "licensing", "change", -3),
             cell("active", "fees", "amount", 12.5), cell("active", "penalty", "decisions", 2.5)]
    assert flags_of(check_report(cells).findings) == {"values.non_negative@requests.new.natural_person",
                                             "values.integer@active.penalty.decisions"}


def test_narrative_numbers_against_the_table():
    cells = [cell("requests", "new", "total", 21)]
    assert check_narrative("2023年全区受理政府信息公开申请 21 件，均在法定期限答复。", cells) == []
    [f] = check_narrative("2023年共收到政府信息公开申请30件。", cells)
    assert f.rule == "narrative.new_requests" and f.severity == "warning"
    assert (f.expected, f.found) == ("30", "21")
    assert f.cells == ("requests.new.total",)
