"""Make docs/audit_report.png, the README's picture of the audit report.

    python docs/make_audit_screenshot.py [EXTRACTED]

Without EXTRACTED it runs the pipeline on the sample reports in raw/ into a temporary folder
first (about a minute). It renders `ogi report`, opens it in headless Chromium (the same helper
as tests/test_report.py: selenium with the system chromium and chromedriver) and saves the top of
the page: the overview with its charts.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import browser  # noqa: E402  (tests/browser.py)

from pipeline.outputs.report import build_report  # noqa: E402
from pipeline.runtime.run import run  # noqa: E402

OUT = ROOT / "docs" / "audit_report.png"
WIDTH, HEIGHT = 1280, 1100


def main(argv: list) -> int:
    why = browser.available()
    if why:
        print(f"cannot take the screenshot: {why}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        extracted = Path(argv[0]) if argv else Path(tmp) / "extracted"
        if not argv:
            run(ROOT / "raw", extracted, workers=2, progress=True)
        html = build_report(extracted, Path(tmp) / "audit.html")
        d = browser.driver(WIDTH, HEIGHT)
        try:
            d.get(browser.file_url(html))
            d.save_screenshot(str(OUT))
        finally:
            d.quit()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
