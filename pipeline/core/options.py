"""One options object for a run, built by the CLI and passed explicitly to every stage and worker.

Nothing travels by environment variables or module constants: a worker on another machine (the
Dask executor) gets exactly the options the run was started with, because they are part of the
task. Options that change what a stage writes are part of that stage's cache key, so changing
one redoes the stages it affects (and the ones after them), and nothing else.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields, replace

DEFAULT_TIMEOUT = 600.0     # seconds per file: generous for long scans that need OCR
MB = 1024 * 1024


def _frozen(d: dict) -> tuple:
    return tuple(sorted(d.items()))


@dataclass(frozen=True)
class Options:
    """Every setting of a run. Fields marked `affects=<stage>` change that stage's output."""
    workers: int = 0                      # worker processes; 0 = one per core
    timeout: float = DEFAULT_TIMEOUT      # seconds per file; 0 = no limit (and no pool when workers=1)
    force: bool = False                   # redo files whose results are up to date
    exclude: tuple = ()                   # glob patterns of input files to leave out
    progress: bool = True                 # show a progress bar
    ocr_threads: int = 0                  # threads per OCR engine; 0 = cores ÷ workers
    ocr_dpi: float = field(default=200.0, metadata={"affects": "parse"})
    # Below this an OCR'd cell's reading is doubtful. On the real scan every number reads ≥ 0.99,
    # and with heavy added noise (σ = 60 grey levels) right digits still score ≥ 0.97.
    ocr_low_confidence: float = field(default=0.9, metadata={"affects": "check"})
    pdf_table_settings: tuple = field(default=_frozen({"vertical_strategy": "lines",
                                                       "horizontal_strategy": "lines"}),
                                      metadata={"affects": "parse"})
    converter_timeout: float = 180.0      # seconds for LibreOffice to convert one .doc/.wps
    # how text PDFs are read: "fast" (pdfium for the page objects) or "pdfplumber" (the reference);
    # both give the same documents (tests/test_pdf_parity.py)
    pdf_engine: str = field(default="fast", metadata={"affects": "parse"})
    follow_external_links: bool = False   # read links that lead outside the input folder
    # Resource limits (pipeline/readers/limits.py): each far above what a real report needs (< 100
    # pages, < 5 MB of text, scans of up to ~300 dpi A4 = 8.7 megapixels, XML/HTML < 30 deep).
    # A file over one fails alone, with a sentence naming the limit and its flag. They are not
    # part of the cache key: a file that failed on a limit is read again by the next run (its
    # result is marked `retry`), and a file read within the limits reads the same under others.
    max_pages: int = 1000
    max_pixels: int = 100_000_000
    max_decompressed: int = 1024 * MB
    max_depth: int = 256
    max_line: int = 1_000_000
    max_text: int = 20 * MB
    # Memory a worker process may allocate (RLIMIT_DATA, beyond what it inherits from the process
    # that forked it), in MB; 0 = no limit; not applied when the files run in the calling process
    # (workers=1 with timeout=0). An OCR worker peaks at ~1.2 GB of data on a 4-page A4 scan at
    # 200 or 300 dpi (the models, mapped read-only, are not counted).
    max_memory: int = 4096
    # reviewed fixes of cells (pipeline.dataset.corrections); "" = OUT/corrections.csv. Applied at publish
    # only, so it is in no stage's cache key
    corrections: str = ""
    # Where the files run: "" = a local pool of `workers` processes; "local" = a Dask LocalCluster
    # of `workers` processes; "tcp://host:8786" = an existing Dask scheduler (docs/deployment.md).
    # Not part of any cache key: every executor writes the same results.
    dask: str = ""

    def with_(self, **changes) -> "Options":
        return replace(self, **changes)

    @property
    def worker_count(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)

    @property
    def ocr_thread_count(self) -> int:
        """Threads for each process's OCR engine: workers that OCR at once share the cores
        instead of each taking them all (the output is the same either way)."""
        if self.ocr_threads:
            return self.ocr_threads
        return max(1, (os.cpu_count() or 1) // self.worker_count)

    def pdf_settings(self) -> dict:
        return dict(self.pdf_table_settings)

    def cache_key(self, stage: str, stages: tuple) -> str:
        """A digest of the options that affect `stage` or any stage before it in `stages`."""
        upto = stages[: stages.index(stage) + 1]
        chosen = {f.name: getattr(self, f.name) for f in fields(self)
                  if f.metadata.get("affects") in upto}
        blob = json.dumps(chosen, sort_keys=True, default=list).encode()
        return hashlib.sha256(blob).hexdigest()[:8]

    def to_dict(self) -> dict:
        return asdict(self)
