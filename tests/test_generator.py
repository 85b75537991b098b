"""The sample-report generator: reproducible output, truth consistent with its numbers, and files
that the libraries the readers use can open (pdfplumber, python-docx, the declared HTML charset)."""
from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import need_module

from samples import content, generate, main

pytestmark = pytest.mark.unit


def _read_csv(path: Path) -> list:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Two reports (南京市玄武区人民政府 2021 and 2022) in every form."""
    out = tmp_path_factory.mktemp("out")
    truth = tmp_path_factory.mktemp("truth")
    paths = generate(out, truth, count=2, seed=0)
    return out, truth, paths


@pytest.fixture(scope="module")
def all_txt(tmp_path_factory):
    """The whole fixed set, as text and Markdown only (fast), for the truth checks."""
    out = tmp_path_factory.mktemp("out_all")
    truth = tmp_path_factory.mktemp("truth_all")
    paths = generate(out, truth, forms=("txt", "md"), seed=0)
    return out, truth, paths


def test_same_seed_same_bytes(small, tmp_path):
    out, truth, paths = small
    paths2 = generate(tmp_path / "out", tmp_path / "truth", count=2, seed=0)
    assert [p.name for p in paths] == [p.name for p in paths2]
    for a, b in zip(paths, paths2):
        assert a.read_bytes() == b.read_bytes(), a.name
    for a in sorted(truth.rglob("*.csv")):
        b = tmp_path / "truth" / a.relative_to(truth)
        assert a.read_bytes() == b.read_bytes(), a.name


def test_file_names_and_forms(small):
    _, _, paths = small
    names = {p.name for p in paths}
    for ext in (".pdf", ".txt", ".docx", ".html", "_word.html", ".md"):
        assert f"南京市玄武区人民政府_2021{ext}" in names


# --- truth -----------------------------------------------------------------------------------

def _num(v: str):
    return None if v == "" else Decimal(v)


def _flags(cells: dict) -> list:
    """SCHEMA.md's within-report rules, written again independently of the generator."""
    def val(t, r, c):
        return cells.get((t, r, c))

    def broken(lhs, rhs):
        ops = lhs + rhs
        return all(x is not None for x in ops) and sum(lhs) != sum(rhs)

    rows = []
    for (t, r, c) in cells:
        if t == "requests" and r not in rows:
            rows.append(r)
    cols = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
    outcome = [r for r in rows if r not in ("new", "carried_over", "total", "carried_forward")]
    out = []
    for c in cols:
        if broken([val("requests", "new", c), val("requests", "carried_over", c)],
                  [val("requests", "total", c), val("requests", "carried_forward", c)]):
            out.append(f"requests.balance@{c}")
    for c in cols:
        if broken([val("requests", "total", c)], [val("requests", r, c) for r in outcome]):
            out.append(f"requests.outcome_sum@{c}")
    for r in rows:
        if broken([val("requests", r, "total")], [val("requests", r, c) for c in cols[:-1]]):
            out.append(f"requests.row_sum@{r}")
    for r in ("review", "litigation_direct", "litigation_after_review"):
        if broken([val("review_litigation", r, "total")],
                  [val("review_litigation", r, c) for c in ("upheld", "corrected", "other", "pending")]):
            out.append(f"review_litigation.row_sum@{r}")
    for (t, r, c), v in cells.items():
        if v is not None and v < 0 and c != "change":
            out.append(f"values.non_negative@{t}.{r}.{c}")
    for (t, r, c), v in cells.items():
        if v is not None and c != "amount" and v != v.to_integral_value():
            out.append(f"values.integer@{t}.{r}.{c}")
    return out


def _cells(truth: Path, file: str) -> dict:
    return {(x["table"], x["row"], x["col"]): _num(x["value"]) for x in _read_csv(truth / "cells" / f"{file}.csv")}


def test_truth_format_matches_shared_corpus(all_txt):
    _, truth, _ = all_txt
    rows = _read_csv(truth / "reports.csv")
    assert list(rows[0]) == ["file", "office", "year", "format", "province", "city", "county", "sections", "flags"]
    for row in rows:
        cells = _read_csv(truth / "cells" / f"{row['file']}.csv")
        assert list(cells[0]) == ["table", "row", "col", "kind", "value"]
        assert {c["kind"] for c in cells} <= {"number", "blank", "na", "text"}
        for c in cells:
            if c["kind"] in ("blank", "na"):
                assert c["value"] == ""
            if c["kind"] == "number":
                Decimal(c["value"])
        n_active = {"2019": 22, "2021": 10}[row["format"]]
        assert sum(c["table"] == "active" for c in cells) == n_active
        assert sum(c["table"] == "review_litigation" for c in cells) == 15
        assert row["sections"] == "overview active requests review_litigation problems other"


def test_truth_flags_follow_from_the_cells(all_txt):
    _, truth, _ = all_txt
    rows = _read_csv(truth / "reports.csv")
    flagged = 0
    for row in rows:
        expected = _flags(_cells(truth, row["file"]))
        assert row["flags"] == ";".join(expected), row["file"]
        flagged += bool(expected)
    assert flagged >= 6 * 2               # six of the twelve reports carry a deliberate defect, in both forms


def test_every_form_of_a_report_has_the_same_truth(all_txt):
    _, truth, _ = all_txt
    by_report = {}
    for row in _read_csv(truth / "reports.csv"):
        key = (row["office"], row["year"])
        text = (truth / "cells" / f"{row['file']}.csv").read_text(encoding="utf-8")
        meta = {k: v for k, v in row.items() if k != "file"}
        by_report.setdefault(key, set()).add((text, tuple(sorted(meta.items()))))
    assert all(len(v) == 1 for v in by_report.values())


def test_deliberate_defects_and_clean_reports():
    reports = {r.stem: r for r in content.build_reports(0)}
    from samples.truth import within_report_flags
    assert within_report_flags(reports["南京市玄武区人民政府_2021"].cells) == []
    assert within_report_flags(reports["泗阳县市场监督管理局_2022"].cells) == ["review_litigation.row_sum@review"]
    assert within_report_flags(reports["重庆市渝中区人民政府_2023"].cells) == [
        "requests.balance@commercial", "requests.outcome_sum@commercial", "requests.row_sum@total"]
    assert within_report_flags(reports["浙江省生态环境厅_2022"].cells) == ["values.integer@active.coercion.decisions"]


def test_cross_year_truth(all_txt):
    _, truth, _ = all_txt
    rows = {(r["office"], int(r["year"])): r["flags"] for r in _read_csv(truth / "cross_year.csv")}
    assert rows[("南京市玄武区人民政府", 2022)] == ""
    assert rows[("合肥市包河区人民政府", 2020)] == "cross_year.carry_over@natural_person;cross_year.carry_over@total"
    assert rows[("南京市玄武区人民政府", 2023)] == "cross_year.in_force@normative_docs"
    # and the consistent pair really is consistent in the cells
    a = _cells(truth, "南京市玄武区人民政府_2021.txt")
    b = _cells(truth, "南京市玄武区人民政府_2022.txt")
    for col in ("natural_person", "commercial", "total"):
        assert b[("requests", "carried_over", col)] == a[("requests", "carried_forward", col)]
    for row in ("rules", "normative_docs"):
        assert b[("active", row, "in_force")] == (a[("active", row, "in_force")] + b[("active", row, "issued")]
                                                  - b[("active", row, "repealed")])


def test_written_forms_of_numbers():
    reports = content.build_reports(0)
    seen = {}
    for r in reports:
        for w in r.cells.values():
            if w.text.endswith("万元") and "wan" not in seen:
                seen["wan"] = w
                assert Decimal(w.text[:-2]) == w.value
            elif w.text.endswith("元") and not w.text.endswith("万元"):
                seen["yuan"] = w
                assert Decimal(w.text[:-1]) / 10000 == w.value
            elif re.fullmatch(r"\d{1,3}(,\d{3})+", w.text):
                seen["comma"] = w
                assert int(w.text.replace(",", "")) == w.value
            elif re.search("[０-９]", w.text):
                seen["fullwidth"] = w
            elif w.text.startswith("+"):
                seen["signed"] = w
            elif w.kind == "na":
                seen.setdefault("na", set()).add(w.text)
            elif w.kind == "blank":
                seen["blank"] = w
            elif w.kind == "text":
                seen["text"] = w
    assert {"wan", "yuan", "comma", "fullwidth", "signed", "na", "blank", "text"} <= set(seen)
    assert {"/", "—", "无"} <= seen["na"]


# --- the files -------------------------------------------------------------------------------

def test_pdf_text_and_tables(small):
    pdfplumber = need_module("pdfplumber", "reading the generated PDF")
    out, truth, _ = small
    cells = _cells(truth, "南京市玄武区人民政府_2022.pdf")
    with pdfplumber.open(out / "南京市玄武区人民政府_2022.pdf") as pdf:
        texts = [p.extract_text() for p in pdf.pages]
        full = "".join(texts).replace("\n", "")          # phrases may break across lines
        assert "2022年政府信息公开工作年度报告" in full
        assert "南京市玄武区人民政府办公室" in full
        assert re.search(r"收到政府信息公开申请\s*%d\s*件" % cells[("requests", "new", "total")], full)
        assert "- 2 -" in texts[1]
        head = [i for i, t in enumerate(texts) if "一、本年新收政府信息公开申请数量" in t]
        tail = [i for i, t in enumerate(texts) if "四、结转下年度继续办理" in t]
        assert head and tail and tail[0] == head[0] + 1          # the requests table breaks across a page
        tables = [t.extract() for p in pdf.pages for t in p.find_tables()]
        flat = [[(c or "").replace("\n", "") for c in row] for t in tables for row in t]
        header = [c for row in flat for c in row]
        for label in ("申请人情况", "自然人", "法人或其他组织", "商业企业", "总计", "行政复议", "行政诉讼"):
            assert label in header, label
        assert any(row[0].startswith("第二十条第（一）项") for row in flat)


def test_docx_opens_with_merged_cells(small):
    docx = need_module("docx", "reading the generated DOCX")
    out, _, _ = small
    d = docx.Document(str(out / "南京市玄武区人民政府_2021.docx"))
    assert len(d.tables) == 3
    active, requests, review = d.tables
    assert len(requests.rows) == 28 and len(requests.columns) == 10
    assert len(review.rows) == 4 and len(review.columns) == 15
    xml = requests._tbl.xml
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    assert requests.cell(0, 3).text == "申请人情况"
    assert any("2021年政府信息公开工作年度报告" in p.text for p in d.paragraphs)


def test_word_html_decodes_in_declared_charset(small):
    out, _, _ = small
    charsets = set()
    for p in sorted(out.glob("*_word.html")):
        data = p.read_bytes()
        m = re.search(rb"charset=([\w-]+)", data[:2000])
        assert m, p.name
        cs = m.group(1).decode()
        charsets.add(cs.lower())
        text = data.decode(cs)                       # strict: must not fail
        assert "行政复议" in re.sub(r"<[^>]+>", "", text)
        assert "<font face=" in text and "<br>" in text
    assert charsets - {"utf-8"}                      # at least one gb2312/GBK file


def test_clean_html_markup(small):
    out, _, _ = small
    text = (out / "南京市玄武区人民政府_2021.html").read_text(encoding="utf-8")
    assert 'rowspan="' in text and 'colspan="' in text and "索引号" in text and "<script" in text


def test_markdown_and_text(small):
    out, _, _ = small
    md = (out / "南京市玄武区人民政府_2021.md").read_text(encoding="utf-8")
    assert md.startswith("# ") and "## 三、收到和处理政府信息公开申请情况" in md
    assert re.search(r"^\| — \d —", md, re.M)
    txt = (out / "南京市玄武区人民政府_2021.txt").read_text(encoding="utf-8")
    assert "\t" in txt and "申请人情况" in txt


def test_cli(tmp_path):
    assert main([str(tmp_path / "o"), "--truth", str(tmp_path / "t"), "--forms", "txt", "--count", "1"]) == 0
    assert (tmp_path / "o" / "南京市玄武区人民政府_2021.txt").exists()
    assert len(_read_csv(tmp_path / "t" / "reports.csv")) == 1


def test_ogi_generate_without_reportlab_says_how_to_install(tmp_path, monkeypatch, capsys):
    """reportlab is an optional extra: `ogi generate` without it is one sentence and exit 2."""
    import sys

    from pipeline.cli import main as ogi
    monkeypatch.setitem(sys.modules, "reportlab", None)       # import reportlab now fails
    assert ogi(["generate", str(tmp_path / "o"), "--truth", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert "pip install 'ogi[samples]'" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
