"""Readers: one module per input format, each with `read(path, options) -> Document`.

The registry maps the format that `pipeline.ingest.sniff` detects to the reader module that parses it.
A reader raises `ReaderError` with the kind of the failure (pipeline.core.failures) and a clear
sentence when a file cannot be read; the run records it in the report's row and goes on.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from pipeline.core.failures import FileError, Kind
from pipeline.core.model import Document
from pipeline.core.options import Options


class ReaderError(FileError):
    """A file that cannot be read: the kind of the failure (damaged unless said) and a sentence
    saying why."""


class LimitExceeded(ReaderError):
    """A file over one of the options' resource limits (pipeline/readers/limits.py). Its failure
    is not kept as an up-to-date result: the next run reads it again with the limits it has."""
    kind = Kind.LIMIT


# detected format -> module under pipeline.readers
REGISTRY = {
    "pdf": "pdf",
    "txt": "text",
    "md": "markdown",
    "html": "html",
    "mht": "mht",
    "docx": "docx",
    "doc": "legacy_word",
    "wps": "legacy_word",
    "ofd": "ofd",
    "image": "image",
}


def read(path: Path, fmt: str, options: Options = Options()) -> Document:
    name = REGISTRY.get(fmt)
    if name is None:
        raise ReaderError(f"no reader for format {fmt!r}", Kind.UNSUPPORTED)
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ImportError as e:
        raise ReaderError(f"the reader for {fmt} is not available: {e}", Kind.MISSING_TOOL) from e
    return module.read(Path(path), options)
