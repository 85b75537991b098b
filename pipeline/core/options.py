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
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace

DEFAULT_TIMEOUT = 600.0     # seconds per file: generous for long scans that need OCR
MB = 1024 * 1024


def _frozen(d: dict) -> tuple:
    return tuple(sorted(d.items()))


def _score(default: float, meaning: str):
    """A setting that is a match score: above 0, at most 1 (1 = an exact match)."""
    return field(default=default, metadata={"kind": "score", "meaning": meaning})


def _bound(default: int, least: int, meaning: str):
    """A setting that bounds a search: a whole number, at least `least`."""
    return field(default=default, metadata={"kind": "bound", "least": least, "meaning": meaning})


@dataclass(frozen=True)
class ExtractSettings:
    """The thresholds and search bounds of the extract stage (pipeline/extract/), as pdfplumber's
    TableSettings are its table finder's: each field says what it means and which values it
    takes, and a value outside them raises a ValueError naming the field. It is the `Options`
    field `extract_settings`, part of the extract stage's cache key: a change re-extracts every
    report and reads none again. The extractor gets it as an argument, never from a module."""
    # A printed label is taken for a code when it matches one of the code's labels this well
    # (pipeline/formats/labels.match; 1 = the same after normalisation). A label of six or more
    # characters with one or two wrong (an OCR slip, a typo) scores 0.75–0.85 and is taken; a
    # phrase that is no label of the table (政府网站管理平台, 合计) stays below.
    label_accept: float = _score(0.70, "the lowest label-match score taken as a match")
    # The score of a cell placed by the row or column order and confirmed by the table's
    # arithmetic (pipeline/extract/align.py), not by its labels: below label_accept, so no cell
    # placed by order scores like one whose labels matched.
    aligned_score: float = _score(0.6, "the match score of a cell placed by order, confirmed by arithmetic")
    # The score of a requests column whose header could not be read, named by its place in the
    # national order between columns whose headers were read: below aligned_score, as no
    # arithmetic confirms it.
    inferred_column_score: float = _score(0.5, "the match score of a column inferred between read headers")
    # The score of the columns taken in the national order when a table's header was not read
    # at all but the row's label matched and its values are exactly as many as the layout's
    # columns (requests; 复议诉讼 printed tall): only the header is missing, so it stands above
    # label_accept, under an exact match.
    order_score: float = _score(0.8, "the match score of columns taken in the national order")
    # A run of digits is cut into at most this many numbers: the widest row read so is table 四
    # printed as one line of 15 numbers (3 kinds × 5 columns).
    max_parts: int = _bound(16, 2, "the most numbers one run of digits is split into")
    # Ways to split one row that are kept: the search stops beyond them (a row of nine columns of
    # one to three digits can split thousands of ways), and a row with more takes no part in the
    # table-wide solve, since the true split may be among those left out.
    max_splits: int = _bound(64, 1, "the splits of one row's run-together digits that are kept")
    # Combinations of the rows' splits tried in full once the arithmetic has struck what it can;
    # beyond this every split left counts as allowed (4096: twelve undecided rows of two splits).
    max_combinations: int = _bound(4096, 1, "the combinations of splits tried in full")
    # Distinct partial sums kept while striking the splits no choice of the other rows lets add
    # up; beyond this a relation strikes nothing (a bound on memory and time, not on what is found).
    max_sums: int = _bound(20000, 1, "the partial sums kept when striking splits")

    def __post_init__(self):
        for f in fields(self):
            _check(f.name, getattr(self, f.name), f.metadata)
        if self.aligned_score >= self.label_accept:
            raise ValueError(f"ExtractSettings.aligned_score ({self.aligned_score}) must be below "
                             f"label_accept ({self.label_accept}): a cell placed by order must not score "
                             "like one whose labels matched")
        if self.inferred_column_score > self.aligned_score:
            raise ValueError(f"ExtractSettings.inferred_column_score ({self.inferred_column_score}) must not "
                             f"be above aligned_score ({self.aligned_score}): no arithmetic confirms an "
                             "inferred column")


def _check(name: str, value, meta: dict) -> None:
    """Raise a ValueError naming the setting when `value` is not what its kind allows."""
    if meta["kind"] == "score":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1
        allowed = "a score above 0 and at most 1"
    else:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= meta["least"]
        allowed = f"a whole number of at least {meta['least']}"
    if not ok:
        raise ValueError(f"ExtractSettings.{name} ({meta['meaning']}) must be {allowed}, not {value!r}")


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
    # the extractor's thresholds and search bounds (ExtractSettings above)
    extract_settings: ExtractSettings = field(default_factory=ExtractSettings,
                                              metadata={"affects": "extract"})
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
        blob = json.dumps(chosen, sort_keys=True, default=_plain).encode()
        return hashlib.sha256(blob).hexdigest()[:8]

    def to_dict(self) -> dict:
        return asdict(self)


def _plain(value):
    """What JSON cannot write itself, as it can: settings as a dict, other values as a list."""
    return asdict(value) if is_dataclass(value) else list(value)
