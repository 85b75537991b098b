"""DuckDB over the published datasets: `extracted/ogi.duckdb`, and `ogi query`.

The database holds views, not copies: `reports`, `sections`, `cells`, `flags`, `panel`,
`panel_balance` over the Parquet files beside it — `sections`, `cells` and `flags` with a
`canonical` column (whether the row's document is its report's canonical form: a report published
as a PDF and a web page is one report, `WHERE canonical` counts it once) — and one wide view per
table (`active`, `requests`, `review_litigation`, and `legacy` for the reports before 2019): a row
per report and row code, a column per column code (`year_value` for the legacy table's figure of
the year), as the table is printed (the value as in cells.parquet), with the report's office_id,
office, year and format_version — of the canonical documents only, so that a report-year is one
row per row code.

    duckdb extracted/ogi.duckdb "SELECT office, year, total FROM requests WHERE row_code = 'new'"
    ogi query extracted "SELECT office, year, share_granted FROM panel" [--csv]

The views name the Parquet files by absolute path (DuckDB reads a relative path from the
current directory, not from the database's); the database is rewritten only when its views
would change (a new column, the folder moved), so a run that changes nothing leaves it as it is.
`ogi query` makes the same views in memory, wherever the folder is.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.core.store import umask
from pipeline.formats import layout

DATABASE = "ogi.duckdb"
DATASET_VIEWS = ("reports", "sections", "cells", "flags", "panel", "panel_balance")


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


WITH_CANONICAL = ("sections", "cells", "flags")


def view_statements(folder: Path) -> list:
    """CREATE VIEW statements over the Parquet files of `folder` (those it has)."""
    folder = Path(folder).resolve()
    have = [name for name in DATASET_VIEWS if (folder / f"{name}.parquet").exists()]
    reports = f"read_parquet({_quote(str(folder / 'reports.parquet'))})"
    out = []
    for name in have:
        files = f"read_parquet({_quote(str(folder / f'{name}.parquet'))})"
        if name in WITH_CANONICAL and "reports" in have:
            out.append(f"CREATE OR REPLACE VIEW {name} AS SELECT d.*, coalesce(r.canonical, false) AS canonical\n"
                       f"FROM {files} d LEFT JOIN (SELECT report_id, source, canonical FROM {reports}) r\n"
                       f"  ON r.report_id = d.report_id AND r.source = d.source")
        else:
            out.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {files}")
    tables = [(t, None) for t in layout.tables()] + [(layout.LEGACY, layout.LEGACY)]
    for table, fmt in tables if {"cells", "reports"} <= set(have) else ():
        cols = ",\n  ".join(f"max(c.value) FILTER (WHERE c.col_code = {_quote(col)}) AS {column_name(col)}"
                            for col in layout.cols_of(table, fmt))
        rows = layout.rows_of(table, fmt)
        order = " ".join(f"WHEN {_quote(r)} THEN {i}" for i, r in enumerate(rows))
        out.append(
            f"CREATE OR REPLACE VIEW {table} AS\n"
            f"SELECT c.report_id, c.source, r.office_id, r.office, r.year, r.format_version, c.row_code,\n"
            f"  CASE c.row_code {order} END AS row_order,\n  {cols}\n"
            f"FROM cells c JOIN reports r ON r.report_id = c.report_id AND r.source = c.source\n"
            f"WHERE c.table_code = {_quote(table)} AND r.canonical\n"
            f"GROUP BY c.report_id, c.source, r.office_id, r.office, r.year, r.format_version, c.row_code")
    return out


ROW_COLUMNS = ("report_id", "source", "office_id", "office", "year", "format_version", "row_code", "row_order")


def column_name(col: str) -> str:
    """A wide view's column for a column code: the code, or `<code>_value` where it would be a
    column the view already has (the legacy table's `year`, the figure of the reporting year)."""
    return f"{col}_value" if col in ROW_COLUMNS else col


def connect(folder: Path, database: str = ":memory:", strict: bool = True):
    """A DuckDB connection with the views over `folder`. Not `strict`: a view its files cannot
    hold (an output folder of an older schema) is left out rather than refused."""
    import duckdb
    con = duckdb.connect(database)
    for sql in view_statements(folder):
        try:
            con.execute(sql)
        except duckdb.Error:
            if strict:
                raise
    return con


def write_database(folder: Path) -> Path:
    """`folder/ogi.duckdb` with the views, unless it already has exactly these."""
    import duckdb
    folder = Path(folder)
    path = folder / DATABASE
    statements = view_statements(folder)
    signature = "\n;\n".join(statements)
    if path.exists():
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                [(have,)] = con.execute("SELECT value FROM ogi_meta WHERE key = 'views'").fetchall()
            if have == signature:
                return path
        except Exception:      # an older or damaged file: make it again
            pass
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{DATABASE}.", suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)             # DuckDB makes the file itself
    try:
        con = connect(folder, tmp)
        con.execute("CREATE TABLE ogi_meta (key VARCHAR, value VARCHAR)")
        con.execute("INSERT INTO ogi_meta VALUES ('views', ?)", [signature])
        con.close()
        os.chmod(tmp, 0o666 & ~umask())     # as any file the user makes, whatever DuckDB chose
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return path


def query(folder: Path, sql: str):
    """The result of `sql` over the datasets of `folder`, as a pandas DataFrame."""
    with connect(folder, strict=False) as con:
        return con.execute(sql).fetchdf()
