"""What a run (or one stage) did, said the same way by every command: the files new, updated and
up to date; what the published datasets hold; the reports that are incomplete, not reports or
failed, as a short table. `facts()` is the summary as data (`--json`), `text()` the same for a
person.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.publish.status import sentence
from pipeline.runtime.progress import pad, shorten, width

SHOWN = 20          # reports listed by name per status in the summary
RULES_SHOWN = 6     # rules named per severity line
SEVERITIES = ("error", "warning", "unverifiable", "info")
OUTPUTS = ("reports", "sections", "cells", "flags", "panel", "panel_balance")


@dataclass
class Tally:
    """The files of this run's input folders, by what the run had to do with them."""
    files: int = 0          # files found in the input folders (duplicates and unreadable ones included)
    new: int = 0            # not in the dataset before
    updated: int = 0        # in it before, and read again: the content changed, or the pipeline
    up_to_date: int = 0     # in it before, same content, nothing to do
    kept: int = 0           # of earlier runs, gone from their folder: their results are kept

    @classmethod
    def of(cls, entries: list, previous: dict, processed: set, roots: set) -> "Tally":
        """`entries`: the catalogue after ingest; `previous`: {(input, source): sha256} before it;
        `processed`: report_ids this run read; `roots`: this run's input folders."""
        t = cls()
        for e in entries:
            if e.get("input", "") not in roots:
                continue
            if not e.get("error") and not Path(e["path"]).exists():
                t.kept += 1
                continue
            t.files += 1
            before = previous.get((e.get("input", ""), e["source"]))
            if before is None:
                t.new += 1
            elif before != e.get("sha256") or e["report_id"] in processed:
                t.updated += 1
            else:
                t.up_to_date += 1
        return t

    def sentence(self) -> str:
        kept = f" · {self.kept:,} of earlier runs kept (gone from their folder)" if self.kept else ""
        return (f"files: {self.files:,} · new {self.new:,}, updated {self.updated:,}, "
                f"up to date {self.up_to_date:,}{kept}")


def previous_contents(catalogue: list) -> dict:
    """{(input, source): sha256} of a catalogue, to tell new and changed files apart."""
    return {(e.get("input", ""), e["source"]): e.get("sha256") for e in catalogue}


def facts(out: Path, tally: Tally = None) -> dict:
    """The summary of the published datasets in `out` (and of the run, given its tally)."""
    import pandas as pd
    out = Path(out)
    reports = pd.read_parquet(out / "reports.parquet")
    kinds = Counter(pd.read_parquet(out / "cells.parquet", columns=["kind"])["kind"])
    flags = pd.read_parquet(out / "flags.parquet", columns=["severity", "rule"])
    status = Counter(reports["status"])
    listed = {name: [_listed(r) for r in reports[reports["status"] == name].itertuples()]
              for name in ("partial", "not_a_report", "failed")}
    return {
        "files": asdict(tally) if tally else None,
        "reports": int(len(reports)),
        "status": {s: int(status.get(s, 0)) for s in ("ok", "partial", "not_a_report", "failed")},
        "cells": {"total": int(sum(kinds.values())),
                  **{k: int(kinds.get(k, 0)) for k in ("number", "blank", "na", "text")}},
        "flags": {sev: {"count": int((flags["severity"] == sev).sum()),
                        "by_rule": dict(Counter(flags.loc[flags["severity"] == sev, "rule"]).most_common())}
                  for sev in SEVERITIES},
        "incomplete": listed["partial"], "not_a_report": listed["not_a_report"], "failed": listed["failed"],
        "outputs": ([str(out / f"{n}.parquet") for n in OUTPUTS]
                    + [str(out / "datapackage.json"), str(out / "ogi.duckdb")]),
    }


def _listed(r) -> dict:
    import pandas as pd
    if r.status == "partial":
        why = ("its format and tables could not be read" if pd.isna(r.cells_expected)
               else f"{int(r.cells_found)} of {int(r.cells_expected)} cells read")
    else:
        why = r.error
    return {"source": sentence(r.source), "why": why}


def text(f: dict) -> str:
    """The summary for a person: counts first, then the table of reports that need a look."""
    st, cells = f["status"], f["cells"]
    lines = [f["files"] and Tally(**f["files"]).sentence()]
    lines.append(f"reports: {f['reports']:,} · ok {st['ok']:,}, partial {st['partial']:,}, "
                 f"not a report {st['not_a_report']:,} · failed {st['failed']:,}")
    lines.append(f"cells extracted: {cells['total']:,} (number {cells['number']:,}, blank {cells['blank']:,}, "
                 f"na {cells['na']:,}, text {cells['text']:,})")
    lines += _flag_lines(f["flags"])
    lines += _table(f)
    lines.append("outputs: " + ", ".join(f["outputs"]))
    return "\n".join(line for line in lines if line)


def _table(f: dict) -> list:
    """Incomplete, not-a-report and failed files as a table: status, file, why."""
    rows = []
    for label, key, value in (("partial", "incomplete", "partial"), ("not a report", "not_a_report", "not_a_report"),
                              ("FAILED", "failed", "failed")):
        items = f[key]
        rows += [(label, shorten(i["source"], 60), i["why"] or "") for i in items[:SHOWN]]
        if len(items) > SHOWN:
            rows.append((label, f"… and {len(items) - SHOWN:,} more", f"status = '{value}' in reports.parquet"))
    if not rows:
        return []
    widths = [max(width(r[k]) for r in rows + [("status", "file", "")]) for k in (0, 1)]
    head = f"{pad('status', widths[0])}  {pad('file', widths[1])}  why"
    return [head] + [f"{pad(a, widths[0])}  {pad(b, widths[1])}  {c}" for a, b, c in rows]


def stage_facts(ws, stage: str, entries: list, results: list, docs=None) -> dict:
    """The summary of one stage command (`ogi parse|segment|extract|check OUT`): files read and
    up to date as `ogi run` counts them, the files that failed in it, and — after the check stage
    — the findings by severity that publish will write (the same counts `ogi run` prints)."""
    distinct = [e for e in entries if not e.get("duplicate_of") and not e.get("error")]
    failed = [{"source": sentence(r["source"]), "why": r["error"]} for r in results if r.get("error")]
    out = {"stage": stage, "files": len(distinct), "read": len(results),
           "up_to_date": len(distinct) - len(results), "failed": failed, "flags": None}
    if stage == "check":
        out["flags"] = _findings_by_severity(docs, entries)
    return out


def _findings_by_severity(docs, entries: list) -> dict:
    """The findings publish will write, counted: each distinct document's outcome with the
    reviewer's corrections applied (`docs`: pipeline.dataset.reports.Documents, on which the
    dataset checks just ran), and the corrections file's own problems."""
    from pipeline.dataset.checks import dataset_findings
    from pipeline.publish.datasets import outcome
    cross, seen = dataset_findings(docs.ws), set()
    by = {sev: Counter() for sev in SEVERITIES}
    for e in entries:
        if e["report_id"] in seen:
            continue
        seen.add(e["report_id"])
        for f in outcome(docs, e, cross).findings:
            by[f.severity][f.rule] += 1
    for _, _, f in docs.fixes.leftover_findings():
        by[f.severity][f.rule] += 1
    return {sev: {"count": sum(c.values()), "by_rule": dict(c.most_common())} for sev, c in by.items()}


def stage_text(f: dict) -> str:
    lines = [f"{f['stage']}: {f['files']:,} files · read {f['read']:,}, up to date {f['up_to_date']:,} "
             f"· failed {len(f['failed']):,}"]
    lines += [f"  FAILED {shorten(x['source'], 60)}: {x['why']}" for x in f["failed"][:SHOWN]]
    if len(f["failed"]) > SHOWN:
        lines.append(f"  … and {len(f['failed']) - SHOWN:,} more")
    lines += _flag_lines(f["flags"] or {})
    return "\n".join(lines)


def _flag_lines(flags: dict) -> list:
    """One line per severity: its count and its most frequent rules."""
    lines = []
    for sev, v in flags.items():
        named = ", ".join(f"{r} {k:,}" for r, k in list(v["by_rule"].items())[:RULES_SHOWN])
        more = ", …" if len(v["by_rule"]) > RULES_SHOWN else ""
        lines.append(f"flags {sev}: {v['count']:,}" + (f" ({named}{more})" if named else ""))
    return lines
