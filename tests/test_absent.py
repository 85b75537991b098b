"""What a test does when something it needs is absent (tests/conftest.py): a skip with the reason
for a newcomer, a failure where .ci/run set OGI_REQUIRE_TOOLS, and never a skip for an
ImportError raised inside an installed package or inside ours."""
from __future__ import annotations

import sys

import pytest
from conftest import REQUIRE_TOOLS, absent, need_module, need_tool

pytestmark = pytest.mark.unit


@pytest.fixture
def newcomer(monkeypatch):
    monkeypatch.delenv(REQUIRE_TOOLS, raising=False)


@pytest.fixture
def ci(monkeypatch):
    monkeypatch.setenv(REQUIRE_TOOLS, "1")


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """Two installed packages that fail to import: one lacks a dependency, one has a bug."""
    (tmp_path / "ogi_needs_a_dependency.py").write_text("import ogi_no_such_dependency\n", encoding="utf-8")
    (tmp_path / "ogi_broken_inside.py").write_text("from json import no_such_name\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in ("ogi_needs_a_dependency", "ogi_broken_inside"):
        sys.modules.pop(name, None)


def test_a_missing_package_is_a_skip_that_says_what_to_install(newcomer):
    with pytest.raises(pytest.skip.Exception, match="'ogi_not_installed' is not installed.*pip install"):
        need_module("ogi_not_installed", "a test")


def test_a_missing_package_fails_in_ci(ci):
    with pytest.raises(pytest.fail.Exception, match=f"'ogi_not_installed' is not installed.*{REQUIRE_TOOLS}"):
        need_module("ogi_not_installed", "a test")


def test_a_missing_tool_is_a_skip_naming_the_package_and_fails_in_ci(newcomer, monkeypatch):
    with pytest.raises(pytest.skip.Exception, match="apt-get install ogi-tool"):
        need_tool("ogi-no-such-tool", "a test", "ogi-tool")
    monkeypatch.setenv(REQUIRE_TOOLS, "1")
    with pytest.raises(pytest.fail.Exception):
        need_tool("ogi-no-such-tool", "a test", "ogi-tool")
    assert need_tool(("ogi-no-such-tool", "sh"), "a test", "dash").endswith("sh")


def test_an_import_error_inside_an_installed_package_is_an_error(newcomer, packages):
    with pytest.raises(ModuleNotFoundError, match="ogi_no_such_dependency"):
        need_module("ogi_needs_a_dependency", "a test")
    with pytest.raises(ImportError, match="no_such_name"):
        need_module("ogi_broken_inside", "a test")


def test_an_import_error_inside_our_own_package_is_an_error(newcomer):
    with pytest.raises(ModuleNotFoundError):
        need_module("pipeline.no_such_module", "a test")
    with pytest.raises(ModuleNotFoundError):
        need_module("samples.no_such_module", "a test")


def test_what_is_installed_is_returned(newcomer):
    assert need_module("json", "a test") is sys.modules["json"]


def test_absent_is_a_skip_unless_its_switch_is_set(newcomer, monkeypatch):
    with pytest.raises(pytest.skip.Exception, match="the reason"):
        absent("the reason", "OGI_TEST_SWITCH")
    monkeypatch.setenv("OGI_TEST_SWITCH", "0")
    with pytest.raises(pytest.skip.Exception):
        absent("the reason", "OGI_TEST_SWITCH")
    monkeypatch.setenv("OGI_TEST_SWITCH", "1")
    with pytest.raises(pytest.fail.Exception, match="the reason"):
        absent("the reason", "OGI_TEST_SWITCH")
