"""The `ogi` command: the whole pipeline (`ogi run`) or one stage at a time."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.core.options import MB, Options
from pipeline.core.version import pipeline_version

DESCRIPTION = """\
Turn annual reports on open government information (政府信息公开工作年度报告) into a
validated dataset: reports.parquet, sections.parquet, cells.parquet, flags.parquet,
panel.parquet (one row per office and year), panel_balance.parquet, datapackage.json (a
Frictionless descriptor) and ogi.duckdb (views over them).

  ogi run REPORTS_DIR... -o extracted/  all stages on every file under REPORTS_DIR (the dataset
                                        in extracted/ grows: earlier runs' reports are kept)
  ogi ingest REPORTS_DIR -o OUT         catalogue: hash and sniff every file
  ogi parse|segment|extract|check OUT   one stage over the catalogue in OUT
  ogi publish OUT                       write the Parquet datasets from the stage results
  ogi query OUT "SQL" [--csv]           SQL over the datasets (DuckDB views: reports, cells, panel …)
  ogi export OUT --xlsx ogi.xlsx        the dataset as an Excel workbook (--csv DIR: as CSV files;
                                        --stata FILE.dta: the panel for Stata)
  ogi compare OUT A B --year Y          offices side by side in one year (one office: across its years)
  ogi score OUT --truth DIR             accuracy against hand-keyed truth
  ogi report OUT -o audit.html          one self-contained HTML file for an auditor
  ogi generate OUT --truth DIR          sample reports with known numbers
"""


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from pipeline.runtime.executors import ClusterError
    from pipeline.runtime.run import Interrupted
    try:
        return args.func(args) or 0
    except (FileNotFoundError, ClusterError) as e:
        print(f"ogi: {e}", file=sys.stderr)
        return 2
    except Interrupted as e:
        _say(f"ogi: {e.sentence()}")
        return 130
    except KeyboardInterrupt:
        _say("ogi: interrupted; finished files are kept and will be skipped next time")
        return 130
    except BrokenPipeError:
        _silence_stdout()       # the reader of our output went away (ogi … | head): say nothing
        return 141


def _say(text: str) -> None:
    try:
        print(text, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ogi", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"ogi {__version__} (pipeline {pipeline_version()})")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    r = sub.add_parser("run", help="all stages on a folder of reports, then publish",
                       description="Process every file under each REPORTS_DIR (recursively) and write the datasets to -o. "
                                   "The dataset in -o grows: reports of earlier runs are kept, a file changed since is "
                                   "updated. Files whose content and pipeline version did not change are skipped.")
    r.add_argument("input", type=Path, metavar="REPORTS_DIR", nargs="+")
    _out_option(r)
    _pool_options(r)
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    _json_option(r)
    _corrections_option(r)
    r.set_defaults(func=cmd_run)

    i = sub.add_parser("ingest", help="catalogue the files: hash, sniff the real format")
    i.add_argument("input", type=Path, metavar="REPORTS_DIR", nargs="+")
    _out_option(i)
    i.set_defaults(func=cmd_ingest)

    for stage, text in (("parse", "read each file into the document model"),
                        ("segment", "find the six sections by their headings"),
                        ("extract", "the three standard tables → canonical cells; office, year, format"),
                        ("check", "reconciliation rules, within each report and across years")):
        s = sub.add_parser(stage, help=text, description=f"{text}. Reads the previous stage's results in OUT.")
        s.add_argument("out", type=Path, metavar="OUT", nargs="?", default=Path("extracted"))
        _pool_options(s)
        _json_option(s)
        s.set_defaults(func=cmd_stage, stage=stage)

    pb = sub.add_parser("publish", help="write the Parquet datasets from the stage results")
    pb.add_argument("out", type=Path, metavar="OUT", nargs="?", default=Path("extracted"))
    _json_option(pb)
    _corrections_option(pb)
    pb.set_defaults(func=cmd_publish)

    q = sub.add_parser("query", help="SQL over the datasets, printed as a table",
                       description="Run SQL over the datasets in OUT with DuckDB. Views: reports, sections, cells, "
                                   "flags, panel, and one wide view per standard table (active, requests, "
                                   "review_litigation). See docs/outputs.md.")
    q.add_argument("out", type=Path, metavar="OUT")
    q.add_argument("sql", metavar="SQL")
    q.add_argument("--csv", action="store_true",
                   help="print CSV instead of a table (UTF-8 with a byte-order mark, so that Excel shows the Chinese)")
    q.set_defaults(func=cmd_query)

    from pipeline.outputs.export import add_command as add_export
    add_export(sub)
    from pipeline.outputs.compare import add_command as add_compare
    add_compare(sub)

    sc = sub.add_parser("score", help="accuracy against hand-keyed truth",
                        description="Compare OUT's datasets with a truth folder (reports.csv and cells/<file>.csv, "
                                    "the format of shared/corpus/README.md). Exit 1 unless every document is exact.")
    sc.add_argument("out", type=Path, metavar="OUT")
    sc.add_argument("--truth", type=Path, required=True, metavar="DIR")
    sc.add_argument("--quiet", action="store_true", help="only the per-document and total lines")
    sc.add_argument("--min-cells", type=float, default=100.0, metavar="PCT",
                    help="lowest share of truth cells right that still passes (default 100)")
    sc.set_defaults(func=cmd_score)

    rp = sub.add_parser("report", help="one self-contained HTML audit report of a dataset",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description=REPORT_DESCRIPTION)
    rp.add_argument("out", type=Path, metavar="EXTRACTED", help="a dataset folder made by ogi run")
    rp.add_argument("-o", "--output", type=Path, default=Path("audit.html"), metavar="FILE",
                    help="the HTML file to write (default: audit.html)")
    from pipeline.outputs.select import add_arguments as add_selection
    add_selection(rp, "reports")
    rp.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    rp.set_defaults(func=cmd_report)

    g = sub.add_parser("generate", help="write sample reports with known numbers, and their truth")
    g.add_argument("out", type=Path, metavar="OUT")
    g.add_argument("rest", nargs=argparse.REMAINDER, help="options of python -m samples (--truth DIR …)")
    g.set_defaults(func=cmd_generate)
    return p


def _json_option(p):
    p.add_argument("--json", action="store_true",
                   help="print the summary as JSON on stdout (the progress bar stays on stderr)")


def _out_option(p):
    p.add_argument("-o", "--out", type=Path, default=Path("extracted"), metavar="OUT",
                   help="output folder (default: extracted/)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="leave out files whose name or relative path matches (repeatable), e.g. --exclude '*_scan.pdf'")
    p.add_argument("--follow-external-links", action="store_true",
                   help="read symbolic links that lead outside REPORTS_DIR (by default they are not opened: "
                        "each gets a failed row saying where it leads)")


def _corrections_option(p):
    p.add_argument("--corrections", type=Path, metavar="FILE",
                   help="reviewed fixes of cells to apply at publish (default: OUT/corrections.csv when it exists; "
                        "columns report_id,office_id,year,table_code,row_code,col_code,value,note,who)")


def _pool_options(p):
    d = Options()
    g = p.add_argument_group("processing")
    g.add_argument("--workers", type=int, default=d.workers, metavar="N",
                   help=f"worker processes (default: every core, {d.worker_count} here)")
    g.add_argument("--timeout", type=float, default=d.timeout, metavar="SECONDS",
                   help=f"per-file time limit; a file that takes longer fails alone (default {d.timeout:g})")
    g.add_argument("--force", action="store_true", help="redo files even when their results are up to date")
    g.add_argument("--dask", default=d.dask, metavar="ADDRESS",
                   help="run the files on a Dask cluster: 'local' (a LocalCluster of --workers processes) or a "
                        "scheduler's address, tcp://host:8786; the input and output folders must be on a "
                        "filesystem every worker mounts at the same path (docs/deployment.md)")
    g.add_argument("--ocr-dpi", type=float, default=d.ocr_dpi, metavar="DPI",
                   help=f"resolution scanned PDF pages are rendered at for OCR (default {d.ocr_dpi:g})")
    g.add_argument("--ocr-threads", type=int, default=d.ocr_threads, metavar="N",
                   help="threads per OCR engine (default: cores ÷ workers)")
    g.add_argument("--low-confidence", type=float, default=d.ocr_low_confidence, metavar="SCORE",
                   help=f"OCR'd numbers read below this are flagged ocr.low_confidence (default {d.ocr_low_confidence:g})")
    g.add_argument("--pdf-engine", choices=("fast", "pdfplumber"), default=d.pdf_engine,
                   help="how text PDFs are read: fast (pdfium reads the page objects) or pdfplumber (pdfminer "
                        "reads them: the reference); both give the same cells (default fast)")
    g.add_argument("--converter-timeout", type=float, default=d.converter_timeout, metavar="SECONDS",
                   help=f"time LibreOffice may take to convert one .doc/.wps (default {d.converter_timeout:g})")
    lim = p.add_argument_group("limits", "a file over one fails alone, with a sentence naming the limit; 0 = no limit")
    for flag, kind, metavar, text in LIMITS:
        default = getattr(d, _field(flag))
        shown = default // MB if kind is _megabytes else f"{default:,}"
        lim.add_argument(flag, type=kind, default=default, metavar=metavar, help=f"{text} (default {shown})")


def _megabytes(value: str) -> int:
    return int(float(value) * MB)


# the resource limits (Options.max_*, pipeline/readers/limits.py): flag, type, metavar, what it bounds
LIMITS = (("--max-memory", int, "MB", "memory one worker process may allocate"),
          ("--max-pages", int, "N", "pages of a PDF or OFD, images of a TIFF, zip or page folder"),
          ("--max-pixels", int, "N", "pixels of one image, or of a PDF page rendered for OCR"),
          ("--max-decompressed", _megabytes, "MB", "what a DOCX, OFD or zip may unpack to"),
          ("--max-depth", int, "N", "nesting of HTML elements and of DOCX/OFD XML"),
          ("--max-line", int, "CHARS", "characters of one line of a text or Markdown file"),
          ("--max-text", _megabytes, "MB", "size of a text, Markdown or HTML file"))


def _field(flag: str) -> str:
    """The Options field a flag sets: --max-pages → max_pages."""
    return flag[2:].replace("-", "_")


def options_from(args) -> Options:
    """The run's one options object, from the command line."""
    return Options(workers=args.workers, timeout=args.timeout, force=args.force,
                   exclude=tuple(getattr(args, "exclude", ()) or ()),
                   progress=not getattr(args, "quiet", False), ocr_threads=args.ocr_threads,
                   ocr_dpi=args.ocr_dpi, ocr_low_confidence=args.low_confidence,
                   converter_timeout=args.converter_timeout, pdf_engine=args.pdf_engine,
                   follow_external_links=getattr(args, "follow_external_links", False),
                   **{_field(flag): getattr(args, _field(flag)) for flag, *_ in LIMITS},
                   corrections=str(getattr(args, "corrections", None) or ""), dask=getattr(args, "dask", ""))


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")     # s3://…, gs://… (a Path keeps one slash)


def cmd_run(args) -> int:
    from pipeline.runtime.run import run
    from pipeline.runtime.summary import facts
    for d in (*args.input, args.out):
        if _URL.match(str(d)):
            raise FileNotFoundError(f"{d} is a URL: ogi reads and writes local paths only (mount the storage "
                                    "on every machine at the same path; docs/deployment.md)")
    for d in args.input + ([args.corrections] if args.corrections else []):
        if not d.exists():
            raise FileNotFoundError(f"{d} does not exist")
    result = run(args.input, args.out, options_from(args))
    if not result["entries"]:
        left_out = " (or every file was left out by --exclude)" if args.exclude else ""
        where = ", ".join(str(d) for d in args.input)
        print(f"ogi: no files found in {where}{left_out}; the datasets in {args.out} are empty",
              file=sys.stderr)
        return 1
    return _print_summary(facts(args.out, result["tally"]), args)


def _print_summary(f: dict, args) -> int:
    """Print a run's or publish's summary (text, or JSON with --json); 1 when a file failed."""
    from pipeline.runtime.summary import text
    if getattr(args, "json", False):
        print(json.dumps(f, ensure_ascii=False, indent=2))
    elif not getattr(args, "quiet", False):
        print(text(f))
    failed = f["status"]["failed"]
    if failed:
        _say(f"ogi: {failed} file(s) failed; their rows in reports.parquet say why")
        return 1
    return 0


def cmd_ingest(args) -> int:
    from pipeline.core.store import Workspace
    from pipeline.runtime.run import catalogue
    entries = catalogue(args.input, Workspace(args.out), tuple(args.exclude), args.follow_external_links)
    formats = {}
    for e in entries:
        formats[e["detected_format"]] = formats.get(e["detected_format"], 0) + 1
    print(f"{len(entries)} files catalogued in {args.out / 'work' / 'ingest.json'}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())))
    return 0


def cmd_stage(args) -> int:
    from pipeline.core.store import Workspace
    from pipeline.runtime.run import dataset_level, run_stages
    from pipeline.runtime.summary import stage_facts, stage_text
    ws = Workspace(args.out, options_from(args))
    entries = ws.catalogue()
    results = run_stages(ws, entries, (args.stage,))
    docs = dataset_level(ws) if args.stage == "check" else None
    f = stage_facts(ws, args.stage, entries, results, docs)
    print(json.dumps(f, ensure_ascii=False, indent=2) if args.json else stage_text(f))
    return 1 if f["failed"] else 0


def cmd_publish(args) -> int:
    from pipeline.core.store import Workspace
    from pipeline.publish.datasets import publish
    from pipeline.runtime.summary import facts
    if args.corrections and not args.corrections.exists():
        raise FileNotFoundError(f"{args.corrections} does not exist")
    publish(Workspace(args.out, Options(corrections=str(args.corrections or ""))))
    return _print_summary(facts(args.out), args)


def cmd_query(args) -> int:
    from pipeline.outputs.terminal import frame_text, whole_numbers
    from pipeline.publish.duck import query
    if not (args.out / "reports.parquet").exists():
        raise FileNotFoundError(f"{args.out} holds no datasets: run `ogi run REPORTS_DIR -o {args.out}` first")
    try:
        result = whole_numbers(query(args.out, args.sql))
    except Exception as e:           # duckdb's errors: a sentence for the person who typed the SQL
        print(f"ogi: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if args.csv:                     # a BOM first: Excel reads the file as UTF-8 only with one
        sys.stdout.write("\ufeff" + result.to_csv(index=False, lineterminator="\r\n"))
    else:
        print(frame_text(result))
    return 0


def cmd_score(args) -> int:
    from pipeline.outputs.score import report, score
    scores = score(args.out, args.truth)
    print(report(scores, verbose=not args.quiet))
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    pct = 100.0 * right / total if total else 0.0
    exact = all(s.format_ok and s.office_ok and s.year_ok and s.flags_ok for s in scores)
    return 0 if scores and pct >= args.min_cells and exact else 1


REPORT_DESCRIPTION = """\
Write one HTML file that an auditor opens in a browser, from disk or sent by mail: everything is
inline (no network). In Chinese, with English where useful. A report published in several forms
(PDF, web page, Word …) counts once, as its canonical form:
  - overview: reports and files read, complete / partial / failed, errors by rule and by region,
    the offices with most errors — all following the filters;
  - every error and warning with its evidence: expected and found, the full labels, a crop of
    the page holding its cells under the table's header (PDFs and scans; the rows as printed for
    web pages, Word, text), the other forms that have it and their values where they differ, and
    a corrections editor: type the right value, copy the changed lines into corrections.csv
    (keyed by office and year: every form of the report is corrected);
  - the cells corrected (value now, value read, why, who); offices side by side in one year;
  - a section per office: its key figures, its files and their completeness, its findings, and
    its years side by side with Δ and % (the years before 2019 too);
  - filters by region, year, level, rule and severity; unverifiable and info findings apart.
Reads on a phone; prints without its controls. --region (江苏 or 江苏省), --year, --office,
--level keep only some reports; a value that matches nothing lists the valid ones. The same
dataset gives the same file, byte for byte. Crops are read from the source files (reports.input /
reports.source): a file moved since the run gets a note instead of a crop."""


def cmd_report(args) -> int:
    from pipeline.outputs.report import build_report
    from pipeline.outputs.report.render import main_progress
    from pipeline.outputs.select import NoMatch, from_args
    try:
        out = build_report(args.out, args.output, None if args.quiet else main_progress, selection=from_args(args))
    except (NoMatch, ValueError) as e:
        print(f"ogi: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"wrote {out} ({out.stat().st_size // 1024} kB); open it in a browser")
    return 0


def cmd_generate(args) -> int:
    """The sample generator is the separate `samples` package, and its PDFs need the optional
    reportlab: when either is missing, say how to install them instead of a traceback."""
    try:
        import reportlab  # noqa: F401

        from samples import main as generate_main
    except ImportError as e:
        print(f"ogi generate needs the optional sample generator ({e.name or e} is not installed); "
              "install it with: pip install 'ogi[samples]'", file=sys.stderr)
        return 2
    return generate_main([str(args.out), *args.rest]) or 0
