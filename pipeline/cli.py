"""The `ogi` command: the whole pipeline (`ogi run`) or one stage at a time."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import __version__
from .options import MB, Options
from .version import pipeline_version

DESCRIPTION = """\
Turn annual reports on open government information (政府信息公开工作年度报告) into a
validated dataset: reports.parquet, sections.parquet, cells.parquet, flags.parquet,
panel.parquet (one row per office and year) and ogi.duckdb (views over them).

  ogi run REPORTS_DIR... -o extracted/  all stages on every file under REPORTS_DIR (the dataset
                                        in extracted/ grows: earlier runs' reports are kept)
  ogi ingest REPORTS_DIR -o OUT         catalogue: hash and sniff every file
  ogi parse|segment|extract|check OUT   one stage over the catalogue in OUT
  ogi publish OUT                       write the Parquet datasets from the stage results
  ogi query OUT "SQL" [--csv]           SQL over the datasets (DuckDB views: reports, cells, panel …)
  ogi score OUT --truth DIR             accuracy against hand-keyed truth
  ogi generate OUT --truth DIR          sample reports with known numbers
"""


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .executors import ClusterError
    from .run import Interrupted
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
        s.set_defaults(func=cmd_stage, stage=stage)

    pb = sub.add_parser("publish", help="write the Parquet datasets from the stage results")
    pb.add_argument("out", type=Path, metavar="OUT", nargs="?", default=Path("extracted"))
    pb.set_defaults(func=cmd_publish)

    q = sub.add_parser("query", help="SQL over the datasets, printed as a table",
                       description="Run SQL over the datasets in OUT with DuckDB. Views: reports, sections, cells, "
                                   "flags, panel, and one wide view per standard table (active, requests, "
                                   "review_litigation). See docs/outputs.md.")
    q.add_argument("out", type=Path, metavar="OUT")
    q.add_argument("sql", metavar="SQL")
    q.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    q.set_defaults(func=cmd_query)

    sc = sub.add_parser("score", help="accuracy against hand-keyed truth",
                        description="Compare OUT's datasets with a truth folder (reports.csv and cells/<file>.csv, "
                                    "the format of shared/corpus/README.md). Exit 1 unless every document is exact.")
    sc.add_argument("out", type=Path, metavar="OUT")
    sc.add_argument("--truth", type=Path, required=True, metavar="DIR")
    sc.add_argument("--quiet", action="store_true", help="only the per-document and total lines")
    sc.add_argument("--min-cells", type=float, default=100.0, metavar="PCT",
                    help="lowest share of truth cells right that still passes (default 100)")
    sc.set_defaults(func=cmd_score)

    g = sub.add_parser("generate", help="write sample reports with known numbers, and their truth")
    g.add_argument("out", type=Path, metavar="OUT")
    g.add_argument("rest", nargs=argparse.REMAINDER, help="options of python -m samples (--truth DIR …)")
    g.set_defaults(func=cmd_generate)
    return p


def _out_option(p):
    p.add_argument("-o", "--out", type=Path, default=Path("extracted"), metavar="OUT",
                   help="output folder (default: extracted/)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="leave out files whose name or relative path matches (repeatable), e.g. --exclude '*_scan.pdf'")
    p.add_argument("--follow-external-links", action="store_true",
                   help="read symbolic links that lead outside REPORTS_DIR (by default they are not opened: "
                        "each gets a failed row saying where it leads)")


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
    g.add_argument("--converter-timeout", type=float, default=d.converter_timeout, metavar="SECONDS",
                   help=f"time LibreOffice may take to convert one .doc/.wps (default {d.converter_timeout:g})")
    lim = p.add_argument_group("limits", "a file over one fails alone, with a sentence naming the limit; 0 = no limit")
    lim.add_argument("--max-memory", type=int, default=d.max_memory, metavar="MB",
                     help=f"memory one worker process may allocate (default {d.max_memory})")
    lim.add_argument("--max-pages", type=int, default=d.max_pages, metavar="N",
                     help=f"pages of a PDF or OFD, images of a TIFF, zip or page folder (default {d.max_pages})")
    lim.add_argument("--max-pixels", type=int, default=d.max_pixels, metavar="N",
                     help=f"pixels of one image, or of a PDF page rendered for OCR (default {d.max_pixels:,})")
    lim.add_argument("--max-decompressed", type=_megabytes, default=d.max_decompressed, metavar="MB",
                     help=f"what a DOCX, OFD or zip may unpack to (default {d.max_decompressed // MB})")
    lim.add_argument("--max-depth", type=int, default=d.max_depth, metavar="N",
                     help=f"nesting of HTML elements and of DOCX/OFD XML (default {d.max_depth})")
    lim.add_argument("--max-line", type=int, default=d.max_line, metavar="CHARS",
                     help=f"characters of one line of a text or Markdown file (default {d.max_line:,})")
    lim.add_argument("--max-text", type=_megabytes, default=d.max_text, metavar="MB",
                     help=f"size of a text, Markdown or HTML file (default {d.max_text // MB})")


def _megabytes(value: str) -> int:
    return int(float(value) * MB)


def options_from(args) -> Options:
    """The run's one options object, from the command line."""
    return Options(workers=args.workers, timeout=args.timeout, force=args.force,
                   exclude=tuple(getattr(args, "exclude", ()) or ()),
                   progress=not getattr(args, "quiet", False), ocr_threads=args.ocr_threads,
                   ocr_dpi=args.ocr_dpi, ocr_low_confidence=args.low_confidence,
                   converter_timeout=args.converter_timeout,
                   follow_external_links=getattr(args, "follow_external_links", False),
                   max_memory=args.max_memory, max_pages=args.max_pages, max_pixels=args.max_pixels,
                   max_decompressed=args.max_decompressed, max_depth=args.max_depth,
                   max_line=args.max_line, max_text=args.max_text, dask=args.dask)


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")     # s3://…, gs://… (a Path keeps one slash)


def cmd_run(args) -> int:
    from .run import run, summary
    for d in (*args.input, args.out):
        if _URL.match(str(d)):
            raise FileNotFoundError(f"{d} is a URL: ogi reads and writes local paths only (mount the storage "
                                    "on every machine at the same path; docs/deployment.md)")
    for d in args.input:
        if not d.exists():
            raise FileNotFoundError(f"{d} does not exist")
    result = run(args.input, args.out, options_from(args))
    if not result["entries"]:
        left_out = " (or every file was left out by --exclude)" if args.exclude else ""
        where = ", ".join(str(d) for d in args.input)
        print(f"ogi: no files found in {where}{left_out}; the datasets in {args.out} are empty",
              file=sys.stderr)
        return 1
    text, failed = summary(args.out)
    if not args.quiet:
        print(text)
    if failed:
        print(f"ogi: {failed} file(s) failed; their rows in reports.parquet say why", file=sys.stderr)
        return 1
    return 0


def cmd_ingest(args) -> int:
    from .run import catalogue
    from .store import Workspace
    entries = catalogue(args.input, Workspace(args.out), tuple(args.exclude), args.follow_external_links)
    formats = {}
    for e in entries:
        formats[e["detected_format"]] = formats.get(e["detected_format"], 0) + 1
    print(f"{len(entries)} files catalogued in {args.out / 'work' / 'ingest.json'}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())))
    return 0


def cmd_stage(args) -> int:
    from .run import cross_year, run_stages
    from .store import Workspace
    ws = Workspace(args.out, options_from(args))
    entries = ws.catalogue()
    results = run_stages(ws, entries, (args.stage,))
    if args.stage == "check":
        cross_year(ws)
    errors = [r for r in results if r.get("error")]
    print(f"{args.stage}: {len(results)} file(s) processed, {len(entries) - len(results)} up to date, "
          f"{len(errors)} with errors")
    for r in errors:
        print(f"  {r['source']}: {r['error']}")
    return 1 if errors else 0


def cmd_publish(args) -> int:
    from .run import summary
    from .store import Workspace
    from .publish import publish
    publish(Workspace(args.out))
    text, failed = summary(args.out)
    print(text)
    return 1 if failed else 0


def cmd_query(args) -> int:
    import pandas as pd
    from .duck import query
    if not (args.out / "reports.parquet").exists():
        raise FileNotFoundError(f"{args.out} holds no datasets: run `ogi run REPORTS_DIR -o {args.out}` first")
    try:
        result = query(args.out, args.sql)
    except Exception as e:           # duckdb's errors: a sentence for the person who typed the SQL
        print(f"ogi: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if args.csv:
        result.to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 0,
                               "display.max_colwidth", 60):
            print(result.to_string(index=False) if len(result.columns) else "(no columns)")
    return 0


def cmd_score(args) -> int:
    from .score import report, score
    scores = score(args.out, args.truth)
    print(report(scores, verbose=not args.quiet))
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    pct = 100.0 * right / total if total else 0.0
    exact = all(s.format_ok and s.office_ok and s.year_ok and s.flags_ok for s in scores)
    return 0 if scores and pct >= args.min_cells and exact else 1


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
