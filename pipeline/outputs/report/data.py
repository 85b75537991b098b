"""Loading a published dataset for the audit report, and the few joins every view needs.

The report reads only the published Parquet files (reports, cells, flags, panel), never the
stage results in work/: what the auditor sees is what a researcher gets. Every table is sorted
here, once, so that every view built from it comes out in the same order on every machine (the
report must be byte-for-byte the same for the same dataset).

One report, one count. A report is often published in several forms (its PDF, web page, Word
file, a scan …): the dataset reads each, and each form carries the report's findings. The
auditor counts reports, so a finding is counted once per report: the findings of a report's
forms with the same flag (rule and location) are one finding, shown as the canonical form's
(the one the panel takes) — or, when only other forms have it, the first of them — and it says
which other forms have it too. `Audit.counted` are those findings; `Audit.findings` all.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.outputs.counting import per_report
from pipeline.outputs.select import UNKNOWN_REGION, Selection, mask, region_of, with_region  # noqa: F401

HERE = Path(__file__).parent
DATASETS = ("reports", "cells", "flags", "panel")
UNKNOWN_OFFICE = "(未识别机关 office not identified)"


class NoDataset(FileNotFoundError):
    """The folder given holds no published dataset: the message says which command makes one."""


@dataclass
class Audit:
    """The dataset as the report uses it; `findings` is flags.parquet joined with each file's
    office, year, region, level and group of forms (filters and grouping need them on every
    finding), `counted` one finding per report (see the module's docstring)."""
    folder: Path
    reports: pd.DataFrame
    cells: pd.DataFrame
    findings: pd.DataFrame
    panel: pd.DataFrame

    @property
    def counted(self) -> pd.DataFrame:
        return self.findings[self.findings["shown"]]

    @property
    def documents(self) -> pd.DataFrame:
        """One row per report (office-year, or a file of its own): its canonical form."""
        r = self.reports
        return r[r["canonical"] == True]  # noqa: E712 (nullable bool)


@lru_cache(maxsize=None)
def table(name: str) -> tuple:
    """The rows of one of the report's own data tables (figures.csv, evidence.csv …) as dicts."""
    with open(HERE / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def load(folder) -> Audit:
    """Read the four datasets of `folder`; NoDataset when one is missing."""
    folder = Path(folder)
    missing = [n for n in DATASETS if not (folder / f"{n}.parquet").exists()]
    if missing:
        hint = (f"`ogi publish {folder}` writes them from the stage results in {folder / 'work'}"
                if (folder / "work").is_dir() else f"run `ogi run REPORTS_DIR -o {folder}` first")
        raise NoDataset(f"{folder} holds no dataset (no {', '.join(m + '.parquet' for m in missing)}): {hint}")
    reports = with_region(_read(folder, "reports", ["source", "input", "report_id"]))
    # the input folder as a path from here: relative to the dataset's folder (an absolute one stays)
    reports["input"] = reports["input"].map(lambda i: str(folder / i) if isinstance(i, str) else i)
    reports["office_key"] = reports["office_id"].fillna("")
    reports["group_key"] = reports["group_id"].fillna(reports["report_id"])
    reports["canonical"] = reports["canonical"].fillna(False).astype(bool)
    cells = _read(folder, "cells", ["report_id", "table_code", "row_code", "col_code"])
    flags = _read(folder, "flags", ["report_id", "flag"])
    panel = _read(folder, "panel", ["office_id", "year"])
    return Audit(folder, reports, cells, _findings(flags, reports), panel)


def subset(audit: Audit, sel: Selection) -> Audit:
    """Only the reports a selection names (pipeline.outputs.select): a report small enough to
    mail to the people who audit them. Findings about no document (a line of corrections.csv)
    stay only when nothing is selected."""
    if not sel:
        return audit
    reports = audit.reports[mask(audit.reports, sel)].reset_index(drop=True)
    ids = set(reports["report_id"])
    return Audit(audit.folder, reports, audit.cells[audit.cells["report_id"].isin(ids)].reset_index(drop=True),
                 audit.findings[audit.findings["report_id"].isin(ids)].reset_index(drop=True),
                 audit.panel[audit.panel["report_id"].isin(ids)].reset_index(drop=True))


def _read(folder: Path, name: str, order: list) -> pd.DataFrame:
    frame = pd.read_parquet(folder / f"{name}.parquet")
    return frame.sort_values(order, kind="mergesort", na_position="last").reset_index(drop=True)


def _findings(flags: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Flags with the office, year, region, level, format and group of their file, sorted by
    office, year, file and flag (the order the auditor reads them in); `shown` marks the one
    finding counted per report and flag, `forms` the sources of the report's other forms that
    have it too (pipeline.outputs.counting)."""
    cols = ["report_id", "office_key", "office", "year", "region", "level", "detected_format", "input",
            "format_version"]
    out = flags.merge(reports.drop_duplicates("report_id")[cols], on="report_id", how="left")
    out["office_key"] = out["office_key"].fillna("")
    out = out.sort_values(["office_key", "year", "source", "severity", "flag", "location"], kind="mergesort",
                          na_position="last").reset_index(drop=True)
    out["finding_id"] = [f"f{i}" for i in range(len(out))]
    return per_report(out, reports)


def source_path(report) -> Path:
    """The file a report was read from: its input folder (reports.input) and its path in it
    (reports.source)."""
    return Path(str(report["input"] or "")) / str(report["source"])


def offices(audit: Audit) -> list:
    """(office_key, display name, region) of every office, by office_id; files whose office was not
    identified are one group under an empty key, last."""
    rows = {}
    for r in audit.reports.itertuples():
        if r.office_key not in rows:
            name = r.office if isinstance(r.office, str) and r.office else UNKNOWN_OFFICE
            rows[r.office_key] = (r.office_key, name, r.region)
    return sorted(rows.values(), key=lambda t: (t[0] == "", t[0]))


def format_value(v) -> str:
    """A number as an auditor writes it: 3632, 383.895, -1; empty for a missing value."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return f"{float(v):.10g}"
