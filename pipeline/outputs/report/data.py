"""Loading a published dataset for the audit report, and the few joins every view needs.

The report reads only the published Parquet files (reports, cells, flags, panel), never the
stage results in work/: what the auditor sees is what a researcher gets. Every table is sorted
here, once, so that every view built from it comes out in the same order on every machine (the
report must be byte-for-byte the same for the same dataset).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
DATASETS = ("reports", "cells", "flags", "panel")
UNKNOWN_REGION = "未知地区"
UNKNOWN_OFFICE = "(未识别机关 office not identified)"


class NoDataset(FileNotFoundError):
    """The folder given holds no published dataset: the message says which command makes one."""


@dataclass
class Audit:
    """The dataset as the report uses it; `findings` is flags.parquet joined with each file's
    office, year and region (filters and grouping need them on every finding)."""
    folder: Path
    reports: pd.DataFrame
    cells: pd.DataFrame
    findings: pd.DataFrame
    panel: pd.DataFrame


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
    reports = _read(folder, "reports", ["source", "input", "report_id"])
    reports["input"] = reports["input"].map(lambda i: str(folder / i) if isinstance(i, str) else i)  # relative to it
    reports["region"] = reports.apply(region_of, axis=1)
    reports["office_key"] = reports["office_id"].fillna("")
    cells = _read(folder, "cells", ["report_id", "table_code", "row_code", "col_code"])
    flags = _read(folder, "flags", ["report_id", "flag"])
    panel = _read(folder, "panel", ["office_id", "year"])
    return Audit(folder, reports, cells, _findings(flags, reports), panel)


def subset(audit: Audit, regions=(), office_ids=()) -> Audit:
    """Only the files of some regions (provinces) and/or offices: a report small enough to mail to
    the people who audit them. Empty selections keep everything."""
    keep = pd.Series(True, index=audit.reports.index)
    if regions:
        keep &= audit.reports["region"].isin(set(regions))
    if office_ids:
        keep &= audit.reports["office_key"].isin(set(office_ids))
    reports = audit.reports[keep].reset_index(drop=True)
    ids = set(reports["report_id"])
    return Audit(audit.folder, reports, audit.cells[audit.cells["report_id"].isin(ids)].reset_index(drop=True),
                 audit.findings[audit.findings["report_id"].isin(ids)].reset_index(drop=True),
                 audit.panel[audit.panel["report_id"].isin(ids)].reset_index(drop=True))


def _read(folder: Path, name: str, order: list) -> pd.DataFrame:
    frame = pd.read_parquet(folder / f"{name}.parquet")
    return frame.sort_values(order, kind="mergesort", na_position="last").reset_index(drop=True)


def region_of(report) -> str:
    """The report's province: reports.province, else the province of its division_code (its first
    two digits, GB/T 2260); a placeholder when neither is known, so that such reports stay
    visible under a filter value."""
    province = report.get("province")
    if isinstance(province, str) and province:
        return province
    code = report.get("division_code")
    if isinstance(code, str) and len(code) == 6 and code.isdigit() and code != "000000":
        from pipeline.extract.gazetteer import by_code
        place = by_code(code[:2] + "0000")
        if place is not None:
            return place.name
    return UNKNOWN_REGION


def _findings(flags: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Flags with the office, year, region and format of their file, sorted by office, year,
    file and flag: the order the auditor reads them in."""
    cols = ["report_id", "office_key", "office", "year", "region", "detected_format", "canonical", "input"]
    out = flags.merge(reports[cols], on="report_id", how="left")
    out["office_key"] = out["office_key"].fillna("")
    out = out.sort_values(["office_key", "year", "source", "severity", "flag", "location"], kind="mergesort",
                          na_position="last").reset_index(drop=True)
    out["finding_id"] = [f"f{i}" for i in range(len(out))]
    return out


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


def cell_rows(cells: pd.DataFrame, report_id: str) -> pd.DataFrame:
    """The cells of one report."""
    return cells[cells["report_id"] == report_id]


def format_value(v) -> str:
    """A number as an auditor writes it: 3632, 383.895, -1; empty for a missing value."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return f"{float(v):.10g}"
