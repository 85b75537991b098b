"""Generated reports from before 2019 (samples.legacy, samples.legacy_plan) read by one pipeline run
and scored against their truth: the generator's fixed set of twelve legacy reports — provincial
statistics tables, the State Council's form, text-only reports, every deliberate inconsistency
(channels or replies that do not add up, a year above its 历年累计) and both breaks of the 历年累计
series (a restart, a jump) — with the later reports (2019 and 2021 formats) of the offices that go
on after 2019 (a zone's 管委会, a county become a district, a department that abbreviates its
name), in every form the generator writes, and two of them as scans.

The figures per form are those of benchmarks/legacy_forms_report.py (which runs more reports).
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from conftest import absent, need_module

from pipeline.outputs.score import score
from pipeline.runtime.run import run

need_module("reportlab")
from samples import _writers, generate, legacy, legacy_plan, truth  # noqa: E402

SEED = 0
LEGACY = 12
FORMS = ("pdf", "docx", "html", "html_word", "txt", "md", "txt_crawl", "md_converted")
TARGET = 0.995                # share of the legacy truth cells right, per form
# A crawler's copy runs a row's cells together: where its digits cut several ways the table's
# arithmetic and the text's figures cannot tell apart, the row is left unread and reported. The
# floor guards the share against a regression; every missing cell must be a reported one.
CRAWL_FLOOR = 0.85


def _read_csv(path: Path) -> list:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _scanned(reports: list) -> list:
    """The reports also written as scans: the first table report with a deliberate inconsistency
    and the first text-only report."""
    legacy_ones = [r for r in reports if r.format == "legacy"]
    table = next(r for r in legacy_ones if r.legacy.table is not None and legacy.within_flags(r.cells))
    text = next(r for r in legacy_ones if r.legacy.table is None)
    return [table, text]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """One run over every generated file: (out folder, [truth folders], reports.parquet by file)."""
    base = tmp_path_factory.mktemp("legacy_generated")
    generate(base / "in", base / "truth", forms=FORMS, count=0, legacy=LEGACY, seed=SEED, workers=1)
    truths = [base / "truth"]
    from samples import scan
    if scan.cjk_font_available():
        rows = []
        (base / "truth_scan" / "cells").mkdir(parents=True)
        for r in _scanned(legacy_plan.build(SEED, LEGACY)):
            r.flags = legacy.within_flags(r.cells)
            name = f"{r.stem}_scan.pdf"
            scan.write(r, base / "in" / name)
            rows.append(truth.report_row(name, r))
            truth.write_cells(base / "truth_scan" / "cells" / f"{name}.csv", r)
        truth.write_reports(base / "truth_scan" / "reports.csv", rows)
        truths.append(base / "truth_scan")
    run(base / "in", base / "out", progress=False)
    reports = pd.read_parquet(base / "out" / "reports.parquet")
    reports = reports.set_index(reports["source"].map(lambda s: Path(s).name))
    return base / "out", truths, reports


@pytest.fixture(scope="module")
def scored(generated):
    """{form: [(DocScore, truth row, reports.parquet row)]}, legacy and later reports alike."""
    out, truths, reports = generated
    suffixes = {f: _writers()[f][0] for f in FORMS + ("scan",)}
    by_form = defaultdict(list)
    for t in truths:
        rows = {r["file"]: r for r in _read_csv(t / "reports.csv")}
        for s in score(out, t):
            form = max((f for f, x in suffixes.items() if s.file.endswith(x)), key=lambda f: len(suffixes[f]))
            by_form[form].append((s, rows[s.file], reports.loc[s.file]))
    return by_form


def _wrong(s) -> list:
    return [p for p in s.problems if "≠" in p and not p.startswith(("flags", "office", "year", "format"))]


def _legacy(entries: list) -> list:
    return [e for e in entries if e[1]["format"] == "legacy"]


@pytest.mark.unit
def test_the_fixed_set_holds_every_kind_and_inconsistency(generated):
    _, truths, _ = generated
    rows = _read_csv(truths[0] / "reports.csv")
    txt = [r for r in rows if r["file"].endswith(".txt") and not r["file"].endswith("_crawl.txt")]
    assert sum(r["format"] == "legacy" for r in txt) == LEGACY
    flags = {f.split("@")[0] for r in txt for f in r["flags"].split(";") if f}
    assert {"legacy.requests_sum", "legacy.responses_sum", "legacy.year_le_cumulative"} <= flags
    sections = [r["sections"].split() for r in txt if r["format"] == "legacy"]
    assert any("statistics" not in s for s in sections) and any("statistics" in s for s in sections)
    breaks = [f for r in _read_csv(truths[0] / "cross_year.csv") for f in r["flags"].split(";") if f]
    assert len({f for f in breaks if f.startswith("cross_year.cumulative")}) >= 2


@pytest.mark.ocr
@pytest.mark.parametrize("form", FORMS + ("scan",))
def test_every_report_of_the_form_is_found_with_its_office_year_and_format(scored, form):
    entries = scored[form]
    if form == "scan" and not entries:
        absent("no CJK font for the scans (Debian: fonts-wqy-microhei)")
    assert len(_legacy(entries)) == (2 if form == "scan" else LEGACY)
    for s, _, _ in entries:
        assert s.found and s.format_ok and s.office_ok and s.year_ok, (s.file, s.problems[:4])


@pytest.mark.ocr
@pytest.mark.parametrize("form", FORMS + ("scan",))
def test_legacy_cells_right_and_none_wrong(scored, form):
    entries = _legacy(scored[form])
    if not entries:
        absent("no CJK font for the scans (Debian: fonts-wqy-microhei)")
    wrong = {s.file: _wrong(s) for s, _, _ in scored[form] if _wrong(s)}
    assert wrong == {}
    right = sum(s.cells_right for s, _, _ in entries)
    total = sum(s.cells_total for s, _, _ in entries)
    assert right / total >= (CRAWL_FLOOR if form == "txt_crawl" else TARGET), f"{form}: {right}/{total}"


@pytest.mark.ocr
@pytest.mark.parametrize("form", FORMS + ("scan",))
def test_a_report_is_ok_only_when_complete(scored, form):
    for s, _, rep in scored[form]:
        complete = s.cells_right == s.cells_total
        assert (rep["status"] == "ok") == complete, (s.file, rep["status"], s.problems[:5])


@pytest.mark.ocr
def test_every_cell_a_crawler_copy_leaves_unread_is_reported(generated, scored):
    out, _, reports = generated
    flags = pd.read_parquet(out / "flags.parquet")
    for s, _, rep in _legacy(scored["txt_crawl"]):
        mine = flags[flags["report_id"] == rep["report_id"]]
        said = " ".join(mine["location"].astype(str)) + " " + " ".join(mine["expected"].astype(str))
        for p in s.problems:
            if p.endswith(" missing"):
                row = p.split(".")[1]
                assert row in said, (s.file, p, mine["flag"].tolist())


@pytest.mark.ocr
@pytest.mark.parametrize("form", FORMS + ("scan",))
def test_every_deliberate_inconsistency_is_flagged_and_nothing_else(generated, scored, form):
    out, _, _ = generated
    flags = pd.read_parquet(out / "flags.parquet")
    for s, t, rep in _legacy(scored[form]):
        want = {f for f in t["flags"].split(";") if f}
        mine = flags[(flags["report_id"] == rep["report_id"]) & (flags["severity"] == "error")]
        have = {f for f in mine["flag"] if f.split(".")[0] in ("legacy", "values")}
        if rep["status"] == "ok":
            assert have == want, (s.file, sorted(want), sorted(have))
        else:                    # a row left unread cannot break a relation: none may be invented
            assert have <= want, (s.file, sorted(want), sorted(have))


def _office_years(reports: pd.DataFrame, truth_rows: list) -> dict:
    """{(office, year): office_id of its documents} (one id each, or the set where they differ)."""
    ids = defaultdict(set)
    for r in truth_rows:
        ids[(r["office"], int(r["year"]))].add(reports.loc[r["file"], "office_id"])
    return ids


@pytest.mark.ocr
def test_cross_year_cumulative_raised_exactly_where_consecutive_reports_disagree(generated):
    out, truths, reports = generated
    rows = _read_csv(truths[0] / "reports.csv")
    ids = _office_years(reports, rows)
    flags = pd.read_parquet(out / "flags.parquet").merge(reports.reset_index(drop=True)[["report_id", "office_id", "year"]],
                                                         on="report_id")
    raised = flags[(flags["rule"] == "cross_year.cumulative") & (flags["severity"] == "error")]
    pairs = _read_csv(truths[0] / "cross_year.csv")
    assert pairs
    for p in pairs:
        [office_id] = ids[(p["office"], int(p["year"]))]
        have = set(raised[(raised["office_id"] == office_id) & (raised["year"] == int(p["year"]))]["flag"])
        want = {f for f in p["flags"].split(";") if f.startswith("cross_year.cumulative")}
        assert have == want, (p, sorted(have))
    assert len(raised) == sum(len([f for f in p["flags"].split(";") if f.startswith("cross_year.cumulative")])
                              for p in pairs)


@pytest.mark.ocr
def test_an_office_spanning_2019_is_one_office_whatever_it_calls_itself(generated):
    _, truths, reports = generated
    by_series = defaultdict(list)
    for r in _read_csv(truths[0] / "offices.csv"):
        by_series[r["series"]].append(r["file"])
    spanning = {k: files for k, files in by_series.items()
                if {reports.loc[f, "format_version"] == "legacy" for f in files} == {True, False}}
    assert len(spanning) >= 3          # the zone, the renamed county, the abbreviated department
    printed, names = set(), set()
    for files in spanning.values():
        assert reports.loc[files, "office_id"].nunique() == 1, reports.loc[files, ["office", "office_id"]]
        assert reports.loc[files, "year"].min() < 2019 <= reports.loc[files, "year"].max()
        printed |= {tuple(sorted(set(reports.loc[files, "office_as_printed"])))}
        names |= {tuple(sorted(set(reports.loc[files, "office"])))}
    # the names the reports print vary (管委会 / 管理委员会 / the zone; 人社局 / 人力资源和社会保障局) and
    # the renamed county's name is another before and after its rename
    assert any(len(p) > 1 for p in printed) and any(len(n) > 1 for n in names)


@pytest.mark.ocr
def test_the_later_reports_of_those_offices_are_read_too(scored):
    later = [(s, rep) for form in FORMS for s, t, rep in scored[form] if t["format"] != "legacy"]
    assert later
    for s, rep in later:
        assert not _wrong(s), (s.file, _wrong(s))
        assert (rep["status"] == "ok") == (s.cells_right == s.cells_total), (s.file, s.problems[:3])
