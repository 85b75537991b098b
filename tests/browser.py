"""A headless Chromium for the report's browser tests and the README screenshot (selenium with
the system's chromium and chromedriver; Debian packages chromium, chromium-driver)."""
from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = "chromedriver"


def chromium_path() -> str | None:
    """The browser binary, or None when none is installed."""
    return next((p for p in (shutil.which(n) for n in CHROMIUM) if p), None)


def available() -> str:
    """Why the browser cannot run here ('' when it can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install 'ogi[test]')"
    if not chromium_path():
        return "chromium is not installed (Debian: apt-get install chromium chromium-driver)"
    if not shutil.which(DRIVER):
        return "chromedriver is not installed (Debian: apt-get install chromium-driver)"
    return ""


def driver(width: int = 1280, height: int = 900):
    """A headless Chromium that keeps the console log (goog:loggingPrefs) for the tests to read."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium_path()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=opts, service=Service(shutil.which(DRIVER)))


def file_url(path) -> str:
    return Path(path).resolve().as_uri()
