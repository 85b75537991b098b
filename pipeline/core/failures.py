"""Why a file could not be read, as a kind the run decides by and a sentence the user reads.

Every failure of a file — a reader refusing it, a limit, a timeout, a worker that died, a bug —
becomes one `Failure`: its `kind` decides what happens next (whether the next run reads the file
again, what the summary calls it), its `message` is the sentence in the report's row. Nothing
downstream looks at the wording of a message to tell failures apart.

    not_opened     ingest did not open it: a link that loops or leads outside the input folder,
                   a named pipe or a device
    empty          a file of 0 bytes
    unsupported    no reader for what the file is (an unknown format, a zip of no pages, a web
                   page that only links to an attachment)
    damaged        a file of a known format whose content cannot be parsed (truncated, corrupt,
                   hostile: an XML entity bomb, a structure nested past what can be followed)
    encrypted      it needs a password
    limit          over a resource limit of the options (--max-pages, --max-pixels …)
    out_of_memory  it needs more memory than a worker may have (--max-memory)
    timeout        it took longer than the time per file (--timeout)
    worker_died    the process reading it ended (killed by a signal, or exited)
    missing_tool   reading it needs a tool or engine this machine lacks (LibreOffice, the OCR engine)
    not_run        an earlier stage left no result for it
    bug            an exception nobody expected: a defect of the pipeline (its traceback is kept)

A failure that depends on the machine or the options rather than on the file (`RETRIED`) is read
again by the next run; any other is kept as the file's up-to-date result.
"""
from __future__ import annotations

import re
import traceback as tb
from dataclasses import dataclass
from enum import Enum
from typing import Optional


class Kind(str, Enum):
    NOT_OPENED = "not_opened"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    LIMIT = "limit"
    OUT_OF_MEMORY = "out_of_memory"
    TIMEOUT = "timeout"
    WORKER_DIED = "worker_died"
    MISSING_TOOL = "missing_tool"
    NOT_RUN = "not_run"
    BUG = "bug"


# read again by the next run: the file may well be read then (a higher limit, more memory, the tool
# installed); a timeout is not among them (a file that hung once hangs again: --force retries it)
RETRIED = frozenset({Kind.LIMIT, Kind.OUT_OF_MEMORY, Kind.WORKER_DIED, Kind.MISSING_TOOL})


@dataclass(frozen=True)
class Failure:
    """A file's failure: its kind, the sentence for its row, and for a bug the traceback."""
    kind: Kind
    message: str
    traceback: Optional[str] = None

    @property
    def retry(self) -> bool:
        return self.kind in RETRIED

    def to_dict(self) -> dict:
        return {"kind": self.kind.value, "message": self.message, "traceback": self.traceback}

    @classmethod
    def from_dict(cls, d: dict) -> "Failure":
        return cls(Kind(d["kind"]), d["message"], d.get("traceback"))


class FileError(Exception):
    """A file that cannot be read, raised by a reader (pipeline.readers.ReaderError) with the kind
    of the failure and a sentence saying why."""
    kind = Kind.DAMAGED

    def __init__(self, message: str, kind: Optional[Kind] = None):
        super().__init__(message)
        if kind is not None:
            self.kind = kind

    def failure(self) -> Failure:
        return Failure(self.kind, str(self))


# What C and C++ libraries (onnxruntime, OpenCV, libxml2 …) raise when an allocation fails: they
# raise RuntimeError or their own types, and their message is all there is to go by. Python's own
# MemoryError is recognised by its type. This is the one place the wording of an exception decides.
_ALLOCATION_FAILED = re.compile(r"bad_alloc|failed to allocate|unable to allocate|insufficient memory|"
                                r"out of memory|cannot allocate memory", re.I)


def is_out_of_memory(e: BaseException) -> bool:
    """Whether an exception says an allocation failed (Python's MemoryError, or a C library's)."""
    return isinstance(e, MemoryError) or bool(_ALLOCATION_FAILED.search(f"{type(e).__name__}: {e}"))


def memory_sentence(what: str, max_memory: int) -> str:
    limit = f" (a worker may use {max_memory:,} MB, --max-memory)" if max_memory else ""
    return f"{what} needs more memory than the worker could get{limit}"


def unexpected(e: Exception, stage: str, max_memory: int = 0, max_depth: int = 0) -> Failure:
    """An exception no reader expected, as a Failure: running out of memory or of stack depth are
    limits of the file, not bugs; anything else is a bug, named by its type and message, with its
    traceback kept."""
    if is_out_of_memory(e):
        return Failure(Kind.OUT_OF_MEMORY, f"{stage} failed: {memory_sentence('the file', max_memory)}")
    if isinstance(e, RecursionError):
        return Failure(Kind.DAMAGED, f"{stage} failed: the file nests its structures deeper than the reader "
                                     f"can follow (the nesting limit is {max_depth:,}, --max-depth)")
    detail = "".join(tb.format_exception_only(type(e), e)).strip()
    if "Traceback (most recent call last)" in detail:   # a library that puts a traceback in its message
        detail = f"{type(e).__name__}: {detail.strip().splitlines()[-1]}"
    return Failure(Kind.BUG, f"{stage} failed: {' '.join(detail.split())}", tb.format_exc(limit=8))
