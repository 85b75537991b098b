"""Convert a text PDF into OFD for tests: every character a TextObject, every ruling edge a
PathObject, page by page, in millimetres — a whole report as an OFD producer would lay it out."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pdfplumber
from ofd_fixture import NS, OFD_XML, PUBLIC_RES_XML, _Page

MM = 72 / 25.4   # points per millimetre


def pdf_to_ofd(pdf_path: Path, ofd_path: Path, title: str = "") -> Path:
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for p in pdf.pages:
            page = _Page()
            for c in p.chars:
                if c["text"].strip():
                    page.text(c["x0"] / MM, c["top"] / MM, c["text"], size=(c["bottom"] - c["top"]) / MM)
            for e in p.edges:
                page.line(e["x0"] / MM, e["top"] / MM, e["x1"] / MM, e["bottom"] / MM)
            pages.append(page)
    entries = "\n    ".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                           for i in range(len(pages)))
    document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}">\n'
                f'  <ofd:CommonData><ofd:MaxUnitID>{max(p.next_id for p in pages)}</ofd:MaxUnitID>\n'
                f'    <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>\n'
                f'    <ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>\n'
                f'  <ofd:Pages>\n    {entries}\n  </ofd:Pages>\n</ofd:Document>\n')
    with zipfile.ZipFile(ofd_path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", OFD_XML.format(title=escape(title)))
        z.writestr("Doc_0/Document.xml", document)
        z.writestr("Doc_0/PublicRes.xml", PUBLIC_RES_XML)
        for i, page in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", page.xml())
    return Path(ofd_path)
