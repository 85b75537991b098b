"""Engine adapters (pipeline/readers/engines): each passes its check on the installed engine, and
an engine that is not what its adapter supports — another version, or a private part gone — fails
with one sentence naming the engine, its version and the supported range, before any page is read.
The OCR engine is an object made per setting: two thread counts in one process get two engines.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import tomllib
from conftest import need_module

from pipeline.core.failures import Kind
from pipeline.core.options import Options
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.engines import EngineChanged, installed_version
from pipeline.readers.engines import pdfium as pdfium_engine
from pipeline.readers.engines import pdfplumber as plumber_engine
from pipeline.readers.engines import rapidocr as rapidocr_engine

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = {"pdfium": pdfium_engine, "pdfplumber": plumber_engine, "rapidocr": rapidocr_engine}
TEXT_PDF = next(p for p in sorted((ROOT / "raw").glob("*.pdf")) if not p.stem.endswith("_scan"))


@pytest.fixture(autouse=True)
def fresh_checks():
    """Each test checks the engines anew, and leaves no outcome of a changed engine behind."""
    for adapter in ADAPTERS.values():
        adapter.check.cache_clear()
    yield
    for adapter in ADAPTERS.values():
        adapter.check.cache_clear()


def assert_sentence(error: EngineChanged, distribution: str, version: str, specifier: str, *changed: str):
    message = str(error)
    assert f"{distribution} {version}" in message and f"{distribution}{specifier}" in message, message
    assert all(c in message for c in changed), message
    assert message.count(". ") == 0 and "\n" not in message, message          # one sentence
    assert error.kind == Kind.MISSING_TOOL and error.failure().retry


@pytest.mark.unit
@pytest.mark.parametrize("name", ADAPTERS)
def test_each_adapter_passes_its_check_on_the_installed_engine(name):
    adapter = ADAPTERS[name]
    adapter.check()
    for supported in adapter.SUPPORTED:
        assert supported.admits(installed_version(supported.distribution))


def first_outside(supported) -> str:
    """The first release above the supported range."""
    if supported.below:
        return supported.below
    parts = supported.low.split(".")
    return ".".join(parts[:-1] + [str(int(parts[-1]) + 1)])


@pytest.mark.unit
@pytest.mark.parametrize("name", ADAPTERS)
def test_a_version_outside_the_range_is_named(name, monkeypatch):
    adapter = ADAPTERS[name]
    for supported in adapter.SUPPORTED:
        real, upgrade = installed_version, first_outside(supported)
        assert not supported.admits(upgrade)
        monkeypatch.setattr("pipeline.readers.engines.installed_version",
                            lambda d, s=supported.distribution, v=upgrade: v if d == s else real(d))
        adapter.check.cache_clear()
        with pytest.raises(EngineChanged) as e:
            adapter.check()
        assert_sentence(e.value, supported.distribution, upgrade, supported.specifier,
                        f"pipeline/readers/engines/{name}.py")
        with pytest.raises(EngineChanged) as again:       # the outcome is kept for the process
            adapter.check()
        assert again.value is e.value


@pytest.mark.unit
def test_pdfium_function_gone(monkeypatch):
    import pypdfium2.raw as R

    monkeypatch.delattr(R, "FPDFText_GetLooseCharBox")
    with pytest.raises(EngineChanged) as e:
        pdfium_engine.check()
    s = pdfium_engine.SUPPORTED[0]
    assert_sentence(e.value, "pypdfium2", installed_version("pypdfium2"), s.specifier, "FPDFText_GetLooseCharBox")


@pytest.mark.unit
def test_pdfplumber_page_that_no_longer_takes_its_objects_fails_the_file_with_the_sentence(monkeypatch):
    """pdfplumber's Page.objects ignoring `_objects` would make the fast path parse every page
    with pdfminer after all, or worse: the reader stops at once with the sentence."""
    from pdfplumber.page import Page

    monkeypatch.setattr(Page, "objects", property(lambda page: page.parse_objects()))
    with pytest.raises(EngineChanged) as e:
        pdf_reader.read(TEXT_PDF)
    s = plumber_engine.SUPPORTED[0]
    assert_sentence(e.value, "pdfplumber", installed_version("pdfplumber"), s.specifier, "Page._objects")


@pytest.mark.unit
def test_pdfplumber_table_finder_with_other_parts(monkeypatch):
    from pdfplumber.table import TableFinder

    init = TableFinder.__init__

    def more(self, page, settings=None):
        init(self, page, settings)
        self.words = []

    monkeypatch.setattr(TableFinder, "__init__", more)
    with pytest.raises(EngineChanged) as e:
        plumber_engine.check()
    assert "TableFinder sets" in str(e.value) and "words" in str(e.value)


@pytest.mark.ocr
def test_rapidocr_loader_gone_fails_before_any_page(monkeypatch, tmp_path):
    cv2 = need_module("cv2")
    from rapidocr import RapidOCR

    from pipeline.readers import image as image_reader
    from pipeline.readers.ocr import engine

    monkeypatch.delattr(RapidOCR, "_load_rec_model")
    monkeypatch.setattr(engine, "_engines", {})               # no engine made yet in this process
    page = np.full((300, 400, 3), 255, np.uint8)
    cv2.putText(page, "2023", (40, 150), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (0, 0, 0), 3)
    cv2.imwrite(str(tmp_path / "page.png"), page)
    with pytest.raises(EngineChanged) as e:
        image_reader.read(tmp_path / "page.png", Options(ocr_threads=1))
    s = rapidocr_engine.SUPPORTED[0]
    assert_sentence(e.value, "rapidocr", installed_version("rapidocr"), s.specifier, "_load_rec_model")


@pytest.mark.unit
def test_rapidocr_configuration_key_gone():
    rapidocr_engine.check()
    with pytest.raises(EngineChanged) as e:
        rapidocr_engine.Models({"EngineConfig.onnxruntime.intra_op_threads": 1})
    assert "EngineConfig.onnxruntime.intra_op_threads" in str(e.value)


@pytest.mark.unit
def test_pyproject_pins_the_adapters_ranges():
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for adapter in ADAPTERS.values():
        for s in adapter.SUPPORTED:
            assert f"{s.distribution}{s.specifier}" in pins, (s, pins)


@pytest.mark.ocr
def test_two_thread_counts_in_one_process_get_engines_with_those_counts(monkeypatch):
    """An engine is made per setting: a request with another thread count gets an engine (and
    onnxruntime sessions) with that count, not the first one's."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("onnxruntime is given at most as many threads as there are cores")
    need_module("cv2")
    from pipeline.readers.ocr import engine

    monkeypatch.setattr(engine, "_engines", {})
    one, two = engine.for_options(Options(ocr_threads=1)), engine.for_options(Options(ocr_threads=2))
    assert (one.threads, two.threads) == (1, 2) and one is not two
    assert engine.engine_for(1) is one and engine.for_options(Options(ocr_threads=2)) is two
    crop = np.full((48, 120, 3), 255, np.uint8)
    for e in (one, two):
        e.recognise_crops([crop])
        e.detect(crop, 960)
    assert one.models.threads() == {"det": 1, "rec": 1}
    assert two.models.threads() == {"det": 2, "rec": 2}
