"""The output folder: stage results per report under `work/`, datasets at the top.

    OUT/work/ingest.json             the catalogue (ingest)
    OUT/work/<stage>/<report_id>.json  one file per report and stage (parse, segment, extract, check)
    OUT/work/cross_year.json         cross-year flags (check)
    OUT/*.parquet                    the published datasets (publish)

Every write goes to a temporary file first and is renamed into place, so an interrupted run
never leaves a half-written result behind.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pipeline.core.failures import Failure, Kind
from pipeline.core.options import Options
from pipeline.core.results import RESULTS
from pipeline.core.version import STAGES, stage_digest

HEAD = 64 * 1024       # bytes of a stage result read to find its error


def umask() -> int:
    """The process's umask: from /proc (Linux), else by setting it and setting it back (the only
    portable way to read it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temp_file(folder: Path, name: str) -> tuple:
    """(fd, path) of a new temporary file in `folder` for the file `name`, with the mode any file
    the user creates gets (0666 less the umask). mkstemp makes it 0600 for privacy, which a file
    renamed into place would keep: a colleague could not open the datasets."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    os.fchmod(fd, 0o666 & ~umask())
    return fd, tmp


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temp_file(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path: Path, obj) -> None:
    try:
        data = json.dumps(obj, ensure_ascii=False, default=_jsonable).encode("utf-8")
    except UnicodeEncodeError:     # a file name that is not UTF-8 (kept as surrogates): \u escapes
        data = json.dumps(obj, ensure_ascii=True, default=_jsonable).encode("ascii")
    write_atomic(path, data)


def read_json(path: Path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _jsonable(o):
    if isinstance(o, tuple):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


class Workspace:
    """The output folder of a run, and the options its stage results are stamped with."""

    def __init__(self, out: Path, options: Options = Options()):
        self.out = Path(out)
        self.work = self.out / "work"
        self.options = options

    def stamp(self, stage: str) -> str:
        """What a stage result must carry to be reused: the digest of the stage's code, data and
        engines (pipeline.core.version) and of the options that affect it or an earlier stage."""
        return f"{stage_digest(stage)}/{self.options.cache_key(stage, STAGES)}"

    @property
    def catalogue_path(self) -> Path:
        return self.work / "ingest.json"

    def catalogue(self) -> list:
        if not self.catalogue_path.exists():
            raise FileNotFoundError(f"{self.catalogue_path} not found: run `ogi ingest DIR -o {self.out}` first")
        return read_json(self.catalogue_path)["files"]

    def path(self, stage: str, report_id: str) -> Path:
        return self.work / stage / f"{report_id}.json"

    def save(self, stage: str, entry: dict, result) -> None:
        """Write one file's result of `stage` (its typed result, or a Failure). The head — version,
        sha256, report_id, retry, kind, error — comes first, so `fresh` and `failure` read only it."""
        head = {"version": self.stamp(stage), "sha256": entry["sha256"], "report_id": entry["report_id"]}
        if isinstance(result, Failure):
            payload = {**head, "retry": result.retry, "kind": result.kind.value, "error": result.message,
                       "traceback": result.traceback}
        else:
            payload = {**head, "retry": False, "kind": None, "error": None, "result": result.to_dict()}
        write_json(self.path(stage, entry["report_id"]), payload)

    def load(self, stage: str, report_id: str):
        """The typed result of `stage` for the file (pipeline.core.results.RESULTS), its Failure, or
        None when the stage has no result for it."""
        p = self.path(stage, report_id)
        if not p.exists():
            return None
        d = read_json(p)
        if d.get("kind"):
            return Failure(Kind(d["kind"]), d["error"], d.get("traceback"))
        return RESULTS[stage].from_dict(d["result"])

    def failure(self, stage: str, report_id: str):
        """The Failure of a stage result (None: no result, or no failure) without reading the rest:
        a parse result holds the whole document."""
        try:
            with open(self.path(stage, report_id), encoding="utf-8") as f:
                head = f.read(HEAD)
        except OSError:
            return None
        decoder = json.JSONDecoder()
        at = head.find('"kind": ', 0, 1024)
        if at < 0:
            return None
        kind = decoder.raw_decode(head, at + len('"kind": '))[0]
        if kind is None:
            return None
        at = head.find('"error": ', at)
        try:
            message = decoder.raw_decode(head, at + len('"error": '))[0]
        except ValueError:       # an error longer than the head
            return self.load(stage, report_id)
        return Failure(Kind(kind), message)

    def fresh(self, stage: str, entry: dict) -> bool:
        """Whether this stage's result for the file is from the same content and pipeline.

        Only the head of the file is read: `save` writes version and sha256 first, then `retry`
        for a failure that depends on a limit or the machine (pipeline.core.failures.RETRIED)."""
        p = self.path(stage, entry["report_id"])
        try:
            with open(p, encoding="utf-8") as f:
                head = f.read(512)
        except OSError:
            return False
        return head.startswith(f'{{"version": "{self.stamp(stage)}", "sha256": "{entry["sha256"]}"') \
            and '"retry": true' not in head        # a failure that depends on a limit is tried again
