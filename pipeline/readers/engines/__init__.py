"""Engine adapters: each engine's private parts behind one module, with the versions it supports.

The readers need more of three engines than their documented APIs give: pdfplumber's pages must
take page objects read elsewhere, pdfium's C functions must be called without pypdfium2's
per-call conversions, RapidOCR's detector, classifier and recogniser must run one by one. Each
adapter below is the only module that touches its engine's internals, and uses the public API
wherever there is one:

    pdfium.py       pypdfium2 (pdfium)
    pdfplumber.py   pdfplumber and pdfminer.six
    rapidocr.py     rapidocr and onnxruntime

Each declares `SUPPORTED`, the version range of every distribution it was verified against
(pyproject.toml pins the same ranges; tests/test_engines.py holds them equal), and a `check()`
that the readers call before the engine's first use in a process: it verifies that the installed
version is in range and that every private attribute, function and behaviour the adapter relies on
is still there with the shape it expects. When not, it raises `EngineChanged`, whose message is
one sentence naming the engine, its installed version, the supported range and what changed, so
an upgrade fails the files that need the engine with that sentence (a `missing_tool` failure, read
again by the next run) instead of an AttributeError deep in a page. The outcome is kept: later
calls cost nothing.
"""
from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from pipeline.core.failures import Kind
from pipeline.readers import ReaderError


class EngineChanged(ReaderError):
    """An engine whose installed version, or whose internals, are not what its adapter supports."""
    kind = Kind.MISSING_TOOL


@dataclass(frozen=True)
class Supported:
    """The versions of one distribution an adapter supports: from `low` (included) to `below`
    (excluded), or the release `low` alone when there is no `below` (an engine pinned exactly)."""
    distribution: str
    low: str
    below: Optional[str] = None

    @property
    def specifier(self) -> str:
        """As pyproject.toml pins it."""
        return f">={self.low},<{self.below}" if self.below else f"=={self.low}"

    def admits(self, version: str) -> bool:
        if not self.below:
            return release(version) == release(self.low)
        return release(self.low) <= release(version) < release(self.below)


def release(version: str) -> tuple:
    """The release numbers of a version ("5.15.2" → (5, 15, 2); trailing zeros dropped, so that
    "0.12" and "0.12.0" are one version; pre- and post-release tags ignored)."""
    m = re.match(r"\d+(?:\.\d+)*", version.strip())
    numbers = [int(p) for p in m.group(0).split(".")] if m else []
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def installed_version(distribution: str) -> Optional[str]:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


# (what the adapter relies on, a test returning None when it holds, else what changed)
Expectation = tuple[str, Callable[[], Optional[str]]]


def verify(adapter: str, supported: Iterable[Supported], expectations: Iterable[Expectation]) -> None:
    """Raise EngineChanged unless every distribution is installed in its range and every
    expectation holds. `adapter` is the adapter's module name (`__name__`)."""
    supported = tuple(supported)
    for s in supported:
        version = installed_version(s.distribution)
        if version is None:
            raise EngineChanged(f"{s.distribution} is not installed; the adapter {_path(adapter)} needs "
                                f"{s.distribution}{s.specifier}")
        if not s.admits(version):
            raise EngineChanged(f"{s.distribution} {version} is outside the range the adapter "
                                f"{_path(adapter)} supports ({s.distribution}{s.specifier}); install a "
                                f"version in it, or verify the adapter against {version} and widen its range")
    for what, test in expectations:
        try:
            change = test()
        except Exception as e:     # the test itself ran into the change
            change = f"{what} fails ({type(e).__name__}: {e})"
        if change:
            raise changed(adapter, supported[0], change)


def changed(adapter: str, engine: Supported, what: str) -> EngineChanged:
    """The error for an engine, in its supported range, that no longer has what `adapter` relies on."""
    return EngineChanged(f"{engine.distribution} {installed_version(engine.distribution)} has changed what "
                         f"the adapter {_path(adapter)} relies on (it supports {engine.distribution}"
                         f"{engine.specifier}): {what}")


def _path(adapter: str) -> str:
    return f"pipeline/readers/engines/{adapter.rsplit('.', 1)[-1]}.py"


class Once:
    """A check run once per process: its outcome (passed, or the EngineChanged it raised) is kept
    and given again by every later call. `cache_clear()` forgets it (tests that change an
    engine and then restore it)."""

    def __init__(self, run: Callable[[], None]):
        self.run = run
        self.outcome = None
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            try:
                self.run()
            except EngineChanged as e:
                self.outcome = e
            self.done = True
        if self.outcome is not None:
            raise self.outcome

    def cache_clear(self) -> None:
        self.outcome, self.done = None, False


def checker(adapter: str, supported: Iterable[Supported], expectations: Iterable[Expectation]) -> Once:
    """An adapter's `check`: `verify` once per process."""
    return Once(lambda: verify(adapter, supported, expectations))


def has(owner, *names: str) -> Optional[str]:
    """None when `owner` has every attribute in `names`, else which it lacks."""
    missing = [n for n in names if not hasattr(owner, n)]
    if not missing:
        return None
    label = getattr(owner, "__qualname__", None) or getattr(owner, "__name__", type(owner).__name__)
    return f"{label} has no {', '.join(missing)}"
