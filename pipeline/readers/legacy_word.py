"""Legacy Word `.doc` and WPS `.wps` → Document, through LibreOffice.

No pure-Python library reads the binary Word format's tables faithfully, so the file is converted
to DOCX by LibreOffice headless and read by the DOCX reader. Each conversion runs with a private
LibreOffice profile in its own temporary directory, so parallel workers never share (and lock) one
profile, and under a timeout that kills the whole LibreOffice process group on a hung file.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.core.failures import Kind
from pipeline.core.model import Document
from pipeline.core.options import Options
from pipeline.readers import ReaderError
from pipeline.readers import docx as docx_reader

INSTALL_HINT = "apt-get install libreoffice-writer-nogui"


def find_soffice():
    """The LibreOffice executable, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    for exe in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(exe):
            return exe
    return None


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    fmt = "wps" if path.suffix.lower() in (".wps", ".wpt") else "doc"
    with tempfile.TemporaryDirectory(prefix="ogi-soffice-") as tmp:
        converted = convert_to_docx(path, Path(tmp), options.converter_timeout)
        doc = docx_reader.read(converted, options)
    if _is_mojibake(doc):
        raise ReaderError(f"LibreOffice could not read {path.name} as a Word document (damaged or not "
                          "Word inside): it fell back to importing the bytes as text")
    doc.source, doc.format = str(path), fmt
    doc.meta["converted_by"] = "libreoffice"
    return doc


def convert_to_docx(path: Path, workdir: Path, timeout: float = Options.converter_timeout) -> Path:
    """`soffice --headless --convert-to docx` on a copy of the file in workdir; the DOCX path.

    The copy has a plain ASCII name (LibreOffice names its output after the input, and some
    builds mishandle non-ASCII paths) and keeps the extension that tells LibreOffice the filter.
    """
    exe = find_soffice()
    if exe is None:
        raise ReaderError(f"reading {path.name} needs LibreOffice ({INSTALL_HINT}); "
                          "soffice/libreoffice was not found on PATH", Kind.MISSING_TOOL)
    suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".wps", ".dot", ".wpt", ".rtf") else ".doc"
    src = workdir / f"input{suffix}"
    shutil.copyfile(path, src)
    outdir = workdir / "out"
    profile = (workdir / "profile").resolve().as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
           "--outdir", str(outdir), str(src)]
    out = _run(cmd, workdir, path, timeout)
    result = outdir / "input.docx"
    if not result.exists():
        raise ReaderError(f"LibreOffice could not convert {path.name} to DOCX "
                          f"(the file may be damaged, encrypted or not a Word document): {out[-300:]}")
    return result


_USUAL = re.compile(r"[\x09\x0a\x0d\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u25ff"
                    r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _is_mojibake(doc: Document) -> bool:
    """A damaged file that LibreOffice imported as raw text: its bytes read as UTF-16 or a legacy
    code page give mostly Hangul, private-use and rare characters, which a report never has."""
    text = "".join(c.text for t in doc.tables for c in t.cells) + doc.text()
    if len(text) < 50:
        return False
    unusual = len(text) - len(_USUAL.findall(text))
    return unusual > 0.2 * len(text)


def _run(cmd: list, workdir: Path, path: Path, timeout: float) -> str:
    """Run LibreOffice in its own process group; on timeout kill the group (soffice.bin included)."""
    env = {**os.environ, "HOME": str(workdir), "SAL_USE_VCLPLUGIN": "svp"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=workdir,
                            env=env, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ReaderError(f"LibreOffice took longer than {timeout:g} s to convert {path.name}; gave up "
                          "(the limit is --converter-timeout)", Kind.TIMEOUT)
    return out.decode("utf-8", errors="replace").strip()
