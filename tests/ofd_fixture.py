"""A tiny OFD (GB/T 33190) writer for tests: no real OFD report is at hand.

It writes what OFD producers write for a simple report page: OFD.xml → Doc_0/Document.xml →
Doc_0/Pages/Page_0/Content.xml, the text as TextObjects (Boundary + TextCode with X/Y/DeltaX, in
millimetres) and the table's ruling as PathObjects (one line segment each, AbbreviatedData).
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"

OFD_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo><ofd:DocID>ogi-test-0001</ofd:DocID><ofd:Title>{{title}}</ofd:Title>
      <ofd:CreationDate>2024-01-17</ofd:CreationDate></ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
  </ofd:DocBody>
</ofd:OFD>
"""

DOCUMENT_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="{NS}">
  <ofd:CommonData>
    <ofd:MaxUnitID>{{max_id}}</ofd:MaxUnitID>
    <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
    <ofd:PublicRes>PublicRes.xml</ofd:PublicRes>
  </ofd:CommonData>
  <ofd:Pages>
    <ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>
  </ofd:Pages>
</ofd:Document>
"""

PUBLIC_RES_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">
  <ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts>
</ofd:Res>
"""


class _Page:
    def __init__(self):
        self.objects, self.next_id = [], 10

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def text(self, x: float, y: float, s: str, size: float = 4.2) -> None:
        """A line of text whose top-left is (x, y) mm; glyphs advance by `size` (CJK width)."""
        width = max(len(s), 1) * size
        delta = f' DeltaX="g {len(s) - 1} {size:g}"' if len(s) > 1 else ""
        self.objects.append(
            f'<ofd:TextObject ID="{self._id()}" Boundary="{x:g} {y:g} {width:g} {size * 1.4:g}" '
            f'Font="2" Size="{size:g}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="{size:g}"{delta}>{escape(s)}</ofd:TextCode></ofd:TextObject>')

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A ruling segment, drawn in its own Boundary as producers do."""
        bx, by = min(x0, x1), min(y0, y1)
        w, h = max(abs(x1 - x0), 0.1), max(abs(y1 - y0), 0.1)
        self.objects.append(
            f'<ofd:PathObject ID="{self._id()}" Boundary="{bx:g} {by:g} {w:g} {h:g}" LineWidth="0.25" '
            f'Stroke="true" Fill="false"><ofd:StrokeColor Value="0 0 0"/>'
            f'<ofd:AbbreviatedData>M {x0 - bx:g} {y0 - by:g} L {x1 - bx:g} {y1 - by:g}</ofd:AbbreviatedData>'
            f'</ofd:PathObject>')

    def xml(self) -> str:
        body = "\n      ".join(self.objects)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">\n'
                f'  <ofd:Content>\n    <ofd:Layer ID="3">\n      {body}\n    </ofd:Layer>\n'
                f'  </ofd:Content>\n</ofd:Page>\n')


def write_ofd(path: Path, title: str, rows: list, paragraphs: tuple = (),
              origin=(20.0, 60.0), col_widths=(50.0, 40.0, 40.0), row_height=10.0,
              merge_first_row: bool = False) -> Path:
    """An OFD with a title line, optional paragraphs under it and a ruled table of `rows`.

    With merge_first_row the first row's inner vertical rules are left out, so its first cell
    spans the whole width (a colspan the reader must recover from the missing rules).
    """
    page = _Page()
    page.text(20, 20, title, size=5.5)
    for i, para in enumerate(paragraphs):
        page.text(20, 32 + 8 * i, para)
    x0, y0 = origin
    xs = [x0]
    for w in col_widths:
        xs.append(xs[-1] + w)
    ys = [y0 + row_height * i for i in range(len(rows) + 1)]
    for y in ys:
        page.line(xs[0], y, xs[-1], y)
    for k, x in enumerate(xs):
        inner = 0 < k < len(xs) - 1
        top = ys[1] if (merge_first_row and inner) else ys[0]
        page.line(x, top, x, ys[-1])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                page.text(xs[c] + 2, ys[r] + 2.5, str(value))
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", OFD_XML.format(title=escape(title)))
        z.writestr("Doc_0/Document.xml", DOCUMENT_XML.format(max_id=page.next_id))
        z.writestr("Doc_0/PublicRes.xml", PUBLIC_RES_XML)
        z.writestr("Doc_0/Pages/Page_0/Content.xml", page.xml())
    return path
