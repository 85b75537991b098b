"""The per-file stages, each reading the previous stage's result from the workspace.

    parse    file → Document (pipeline.readers)
    segment  Document → the six sections (pipeline.segment.sections)
    extract  Document + sections → office, year, format, canonical cells (pipeline.extract, .meta)
    check    cells → within-report findings (pipeline.checks)

Every stage's findings are `Finding`s and travel on to flags.parquet: the reader's notices
through the extract result, the check stage's in its own. A stage that fails records its error
in its result, and the later stages pass it on: one bad file never stops the others.
"""
from __future__ import annotations

import re
import traceback
from pathlib import Path

from pipeline.checks import check_report
from pipeline.core.findings import Finding
from pipeline.core.model import Document
from pipeline.core.options import Options
from pipeline.core.store import STAGES, Workspace
from pipeline.extract import extract
from pipeline.extract.formats import outline
from pipeline.extract.inventory import inventory
from pipeline.extract.meta import report_meta
from pipeline.formats.headings import NATIONAL
from pipeline.ingest.sniff import unknown_reason
from pipeline.readers import LimitExceeded, ReaderError, read
from pipeline.segment.sections import CODES, segment

UNSUPPORTED = {"empty": "the file is empty (0 bytes): there is nothing to read", "unknown": "the file's format was not recognised",
               "zip": "a zip archive that holds no report pages"}


def parse_stage(ws: Workspace, entry: dict, options: Options) -> None:
    fmt = entry["detected_format"]
    if entry.get("error"):                 # not opened at ingest (a link, a pipe)
        ws.save("parse", entry, {"error": entry["error"]})
        return
    if fmt in UNSUPPORTED:
        why = unknown_reason(Path(entry["path"])) if fmt == "unknown" else UNSUPPORTED[fmt]
        ws.save("parse", entry, {"error": why})
        return
    try:
        doc = read(Path(entry["path"]), fmt, options)
    except ReaderError as e:       # over a limit: read again next run, with the limits it has
        ws.save("parse", entry, {**({"retry": True} if isinstance(e, LimitExceeded) else {}), "error": str(e)})
        return
    doc.source = entry["source"]
    ws.save("parse", entry, {"error": None, "document": doc.to_dict()})


def segment_stage(ws: Workspace, entry: dict, options: Options) -> None:
    parsed = ws.load("parse", entry["report_id"])
    if _failed(ws, "segment", entry, parsed):
        return
    doc = Document.from_dict(parsed["document"])
    ws.save("segment", entry, {"error": None, **segment(doc, outline(doc))})


def extract_stage(ws: Workspace, entry: dict, options: Options) -> None:
    parsed = ws.load("parse", entry["report_id"])
    seg = ws.load("segment", entry["report_id"])
    if _failed(ws, "extract", entry, parsed) or _failed(ws, "extract", entry, seg):
        return
    doc = Document.from_dict(parsed["document"])
    meta = report_meta(doc, seg["item_sections"])
    result = extract(doc, seg["item_sections"], seg.get("outline"))
    findings = doc.findings + meta.pop("findings") + result["findings"] + _missing_sections(seg)
    headed = [s for s in seg["sections"] if s.get("found_by", "heading") == "heading"]
    found = inventory(doc, headed, result["tables"])
    ws.save("extract", entry, {"error": None, "meta": meta, "format_version": result["format_version"],
                               "cells": result["cells"], "findings": [f.to_dict() for f in findings],
                               "completeness": result["completeness"], "found": found,
                               "pages": doc.pages, "ocr_pages": doc.ocr_pages})


def _missing_sections(seg: dict) -> list:
    """A warning for each of the six sections of the national outline without a heading (the
    legacy outline was a recommendation: offices left out parts of it freely)."""
    if seg.get("outline", NATIONAL) != NATIONAL:
        return []
    found = {s["code"] for s in seg["sections"]}
    return [Finding("structure.missing_section", code, "warning", expected=code,
                    message_zh=f"未找到“{code}”部分的标题", message_en=f"no heading found for the {code} section")
            for code in CODES if code not in found]


def check_stage(ws: Workspace, entry: dict, options: Options) -> None:
    ex = ws.load("extract", entry["report_id"])
    seg = ws.load("segment", entry["report_id"])
    if _failed(ws, "check", entry, ex):
        return
    overview = " ".join(s["text"] for s in (seg or {}).get("sections", []) if s["code"] == "overview")
    result = check_report(ex["cells"], overview, options, ex.get("format_version"))
    ws.save("check", entry, {"error": None, "findings": [f.to_dict() for f in result["findings"]],
                             "low_confidence": result["low_confidence"]})


def _why(e: Exception, options: Options) -> str:
    """An unexpected exception as a sentence: running out of memory or of stack depth are limits
    of the file, not bugs; anything else is named by its type and message."""
    detail = "".join(traceback.format_exception_only(type(e), e)).strip()
    if isinstance(e, MemoryError) or _OUT_OF_MEMORY.search(detail):   # Python's, or a C++ library's
        limit = f" (a worker may use {options.max_memory:,} MB, --max-memory)" if options.max_memory else ""
        return f"{OUT_OF_MEMORY}{limit}"
    if isinstance(e, RecursionError):
        return ("the file nests its structures deeper than the reader can follow "
                f"(the nesting limit is {options.max_depth:,}, --max-depth)")
    if "Traceback (most recent call last)" in detail:   # a library that puts a traceback in its message
        detail = f"{type(e).__name__}: {detail.strip().splitlines()[-1]}"
    return " ".join(detail.split())


OUT_OF_MEMORY = "the file needs more memory than the worker could get"
_OUT_OF_MEMORY = re.compile(r"bad_alloc|failed to allocate|unable to allocate|insufficient memory|"
                            r"out of memory|cannot allocate memory", re.I)


FUNCTIONS = {"parse": parse_stage, "segment": segment_stage, "extract": extract_stage, "check": check_stage}


def _failed(ws: Workspace, stage: str, entry: dict, previous) -> bool:
    """Pass an earlier stage's error on (or note that it never ran)."""
    if previous is None:
        ws.save(stage, entry, {"error": f"the previous stage has no result for {entry['source']}: run it first"})
        return True
    if previous.get("error"):
        ws.save(stage, entry, {"error": previous["error"]})
        return True
    return False


def process(out: str, entry: dict, stages: tuple = STAGES, options: Options = Options()) -> dict:
    """Run `stages` on one file (in a worker process); returns what the progress line needs."""
    ws = Workspace(Path(out), options)
    done, redo = [], options.force
    for stage in stages:
        if not redo and ws.fresh(stage, entry):
            continue
        redo = True          # a stage redone makes every later one stale
        try:
            FUNCTIONS[stage](ws, entry, options)
        except Exception as e:  # a bug or a file no reader expected: record it, go on
            retry = {"retry": True} if _why(e, options).startswith(OUT_OF_MEMORY) else {}
            ws.save(stage, entry, {**retry, "error": f"{stage} failed: {_why(e, options)}",
                                   "traceback": traceback.format_exc(limit=8)})
        done.append(stage)
    last = ws.load(stages[-1], entry["report_id"]) or {}
    return {"report_id": entry["report_id"], "source": entry["source"], "ran": done,
            "error": last.get("error")}
