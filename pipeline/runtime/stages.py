"""The per-file stages, each a function of the typed results of the stages before it.

    parse    file → Document (pipeline.readers)
    segment  Document → Segmented: the six sections (pipeline.segment)
    extract  Document + Segmented → Extracted: office, year, format, canonical cells (pipeline.extract)
    check    Extracted + Segmented → Checked: within-report findings (pipeline.checks)

Every stage's findings are `Finding`s and travel on to flags.parquet: the reader's notices
through the extract result, the check stage's in its own. A stage that cannot do its work
returns a `Failure` (pipeline.core.failures), and the later stages pass it on: one bad file never
stops the others. `process` runs the stages a file needs, each on the results the one before it
just made (read from the work folder only where an earlier run made them), and writes each result.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.checks import check_report
from pipeline.core.failures import Failure, Kind, unexpected
from pipeline.core.model import Document
from pipeline.core.options import Options
from pipeline.core.results import Extracted, Segmented
from pipeline.core.store import STAGES, Workspace
from pipeline.extract import extract_report
from pipeline.ingest.sniff import unknown_reason
from pipeline.readers import ReaderError, read
from pipeline.segment import segment_document

NOT_READ = {"empty": (Kind.EMPTY, "the file is empty (0 bytes): there is nothing to read"),
            "unknown": (Kind.UNSUPPORTED, "the file's format was not recognised"),
            "zip": (Kind.UNSUPPORTED, "a zip archive that holds no report pages")}


def parse_stage(entry: dict, options: Options):
    """The file read into the document model, or why it could not be."""
    fmt = entry["detected_format"]
    if entry.get("error"):                 # not opened at ingest (a link, a pipe)
        return Failure(Kind.NOT_OPENED, entry["error"])
    if fmt in NOT_READ:
        kind, why = NOT_READ[fmt]
        return Failure(kind, unknown_reason(Path(entry["path"])) if fmt == "unknown" else why)
    try:
        doc = read(Path(entry["path"]), fmt, options)
    except ReaderError as e:
        return e.failure()
    doc.source = entry["source"]
    return doc


def segment_stage(entry: dict, options: Options, doc: Document) -> Segmented:
    return segment_document(doc)


def extract_stage(entry: dict, options: Options, doc: Document, segmented: Segmented) -> Extracted:
    return extract_report(doc, segmented, options.extract_settings)


def check_stage(entry: dict, options: Options, extracted: Extracted, segmented: Segmented):
    return check_report(extracted.cells, segmented.overview, options, extracted.format_version)


FUNCTIONS = {"parse": parse_stage, "segment": segment_stage, "extract": extract_stage, "check": check_stage}
INPUTS = {"parse": (), "segment": ("parse",), "extract": ("parse", "segment"), "check": ("extract", "segment")}


def process(out: str, entry: dict, stages: tuple = STAGES, options: Options = Options()) -> dict:
    """Run `stages` on one file (in a worker process); returns what the progress line needs.

    A stage whose result is up to date is skipped; once one is redone, every later one is too.
    Each stage gets its inputs from this call's results, or from the work folder where an earlier
    run left them."""
    ws = Workspace(Path(out), options)
    results, done, redo = {}, [], options.force

    def result_of(stage: str):
        if stage not in results:
            results[stage] = ws.load(stage, entry["report_id"])
        return results[stage]

    for stage in stages:
        if not redo and ws.fresh(stage, entry):
            continue
        redo = True          # a stage redone makes every later one stale
        results[stage] = result = run_stage(stage, entry, options, [result_of(s) for s in INPUTS[stage]])
        ws.save(stage, entry, result)
        done.append(stage)
    last = result_of(stages[-1])
    return {"report_id": entry["report_id"], "source": entry["source"], "ran": done,
            "error": last.message if isinstance(last, Failure) else None}


def run_stage(stage: str, entry: dict, options: Options, inputs: list):
    """One stage on its inputs: its result, the Failure an input carries on, or the Failure of an
    exception nobody expected (a bug, or a file that exhausts memory or stack)."""
    for given in inputs:
        if given is None:
            return Failure(Kind.NOT_RUN, f"the previous stage has no result for {entry['source']}: run it first")
        if isinstance(given, Failure):
            return given
    try:
        return FUNCTIONS[stage](entry, options, *inputs)
    except Exception as e:  # a bug or a file no reader expected: record it, go on
        return unexpected(e, stage, options.max_memory, options.max_depth)
