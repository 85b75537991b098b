"""The OCR path: scans and page images → the document model, with confidence.

Real-scan tests read ../shared/corpus (skipped when it is absent); OCR runs once per session on
the two table pages only, with every socket blocked, so the same run proves that no model or
anything else is fetched. Synthetic tests draw their own ruled tables.
"""
from __future__ import annotations

import re
import socket
import zipfile
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import CORPUS, need_corpus, need_engine, need_module

SCAN = CORPUS / "real" / "淮安市洪泽区人民政府_2023_scan.pdf"
TEXT = CORPUS / "real" / "淮安市洪泽区人民政府_2023.pdf"
TABLE_PAGES = (3, 4)
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")

cv2 = need_module("cv2", "the OCR path")


def need_scan():
    need_corpus(SCAN, TEXT)


class NetworkBlocked:
    """Every outgoing connection or name lookup raises, and is recorded."""

    def __init__(self, mp: pytest.MonkeyPatch):
        self.attempts: list = []

        def refuse(kind):
            def _refuse(*args, **kwargs):
                self.attempts.append((kind, args[1:] if kind == "connect" else args))
                raise OSError(f"network blocked in tests ({kind})")
            return _refuse

        mp.setattr(socket.socket, "connect", refuse("connect"))
        mp.setattr(socket.socket, "connect_ex", refuse("connect"))
        mp.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
        mp.setattr(socket, "create_connection", refuse("create_connection"))


@pytest.fixture(scope="session")
def scan_ocr():
    """OCR of the scan's table pages, from a cold engine (models load here), network blocked."""
    need_scan()
    need_engine()
    from pipeline.readers.ocr import engine, ocr_pdf_pages

    with pytest.MonkeyPatch.context() as mp:
        net = NetworkBlocked(mp)
        pages = ocr_pdf_pages(SCAN, list(TABLE_PAGES), engine=engine.OcrEngine())
    return SimpleNamespace(pages=pages, attempts=net.attempts)


@pytest.fixture(scope="session")
def text_tables():
    """pdfplumber's ruled tables of the text PDF's table pages (the reference grid)."""
    need_scan()
    import pdfplumber

    with pdfplumber.open(TEXT) as pdf:
        return {n: [t.extract() for t in pdf.pages[n - 1].find_tables()] for n in TABLE_PAGES}


def _wide(tables):
    """The requests and review tables: the ruled tables with many columns."""
    return [t for t in tables if len(t[0]) >= 7]


# ---------------------------------------------------------------- real scan


@pytest.mark.ocr
def test_scan_tables_match_text_pdf(scan_ocr, text_tables):
    from pipeline.core.model import Table
    from pipeline.core.options import Options
    LOW_CONFIDENCE = Options().ocr_low_confidence

    total, wrong = 0, []
    for n in TABLE_PAGES:
        ours = [it for it in scan_ocr.pages[n] if isinstance(it, Table) and it.n_cols >= 7]
        refs = _wide(text_tables[n])
        assert [(t.n_rows, t.n_cols) for t in ours] == [(len(r), len(r[0])) for r in refs], n
        for table, ref in zip(ours, refs):
            grid = table.grid()
            for r, row in enumerate(ref):
                for c, value in enumerate(row):
                    if value and NUMBER.match(value.strip()):
                        total += 1
                        cell = grid[r][c]
                        if cell is None or cell.text.strip() != value.strip():
                            wrong.append((n, r, c, value, cell))
    assert total >= 170  # 119 + 63 + 15 number cells, less the 21s and totals pdfplumber merges
    assert (total - len(wrong)) / total >= 0.995, wrong
    for n, r, c, value, cell in wrong:
        assert cell is not None and cell.confidence is not None, (n, r, c, value)
        assert cell.confidence < LOW_CONFIDENCE, (n, r, c, value, cell.text, cell.confidence)


@pytest.mark.ocr
def test_scan_cells_carry_confidence_and_page_geometry(scan_ocr):
    from pipeline.core.model import Table, TextBlock

    for n in TABLE_PAGES:
        items = scan_ocr.pages[n]
        assert any(isinstance(it, TextBlock) for it in items)
        tops = [it.bbox[1] for it in items]
        assert tops == sorted(tops)  # reading order
        for table in (it for it in items if isinstance(it, Table)):
            assert table.page == n
            for cell in table.cells:
                assert cell.page == n and cell.confidence is not None
                x0, top, x1, bottom = cell.bbox
                assert 0 <= x0 < x1 <= 610 and 0 <= top < bottom <= 850  # points on an A4 page
    heading = [it for it in scan_ocr.pages[4] if isinstance(it, TextBlock) and "行政复议" in it.text]
    assert heading and 300 < heading[0].bbox[1] < 315  # where the text PDF has it (≈ 307 pt)


@pytest.mark.ocr
def test_scan_vertical_label_and_spans(scan_ocr):
    from pipeline.core.model import Table

    requests = [it for it in scan_ocr.pages[3] if isinstance(it, Table) and it.n_cols == 10][0]
    label = [c for c in requests.cells if c.col == 0 and c.rowspan > 5]
    assert label and label[0].text.replace(" ", "") == "三、本年度办理结果"
    header = [c for c in requests.cells if c.text == "申请人情况"]
    assert header and header[0].colspan == 7


@pytest.mark.ocr
def test_no_network_while_ocr_runs(scan_ocr):
    assert scan_ocr.pages[3] and scan_ocr.pages[4]
    assert scan_ocr.attempts == []


@pytest.mark.unit
def test_reason_none_for_text_pdf_and_no_text_for_scan():
    need_scan()
    import pdfplumber

    from pipeline.readers.ocr import page_ocr_reason

    with pdfplumber.open(TEXT) as pdf:
        assert [page_ocr_reason(p) for p in pdf.pages] == [None] * len(pdf.pages)
    with pdfplumber.open(SCAN) as pdf:
        assert {page_ocr_reason(p) for p in pdf.pages} == {"no text layer"}


@pytest.mark.ocr
def test_rotated_180_page_still_reads():
    need_scan()
    need_engine()
    from pipeline.core.model import Table
    from pipeline.readers.ocr import ocr_image, render

    dpi = 200
    with render.open_pdf(SCAN) as pdf:
        img, scale, _ = render.render_page(pdf, 4, dpi)
    part = img[int(290 * scale):int(620 * scale)]      # heading, review table, some prose
    items = ocr_image(cv2.rotate(part, cv2.ROTATE_180), page=4, dpi=dpi)
    review = [it for it in items if isinstance(it, Table) and it.n_cols == 15]
    assert review, [getattr(it, "text", "table") for it in items]
    row = [c.text for c in sorted(review[0].cells, key=lambda c: c.col) if c.row == review[0].n_rows - 1]
    assert row == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    text = "".join(it.text for it in items if not isinstance(it, Table))
    assert "行政复议" in text and "存在的主要问题" in text


# ---------------------------------------------------------------- page_ocr_reason, no corpus


def _chars(text, x0=72, top=100):
    return [{"text": t, "x0": x0 + 10 * i, "x1": x0 + 10 * i + 10, "top": top, "bottom": top + 12}
            for i, t in enumerate(text)]


def _page(chars=(), images=()):
    return SimpleNamespace(chars=list(chars), images=list(images), width=595, height=842)


PROSE = "本机关全年共收到政府信息公开申请二十一件，均已按期答复，办理结果详见下表。" * 3
FULL_PAGE = {"x0": 0, "top": 0, "x1": 595, "bottom": 842}
TABLE_IMAGE = {"x0": 70, "top": 300, "x1": 525, "bottom": 760}


@pytest.mark.unit
def test_reason_cases():
    from pipeline.readers.ocr.reason import GARBAGE, NO_TEXT, TABLE_IMAGES, page_ocr_reason

    assert page_ocr_reason(_page(_chars(PROSE))) is None
    assert page_ocr_reason(_page()) is None                                  # blank page
    assert page_ocr_reason(_page(images=[FULL_PAGE])) == NO_TEXT
    assert page_ocr_reason(_page(_chars("- 3 -"), [FULL_PAGE])) == NO_TEXT   # stamped page number
    cid = [{**c, "text": "(cid:%d)" % (100 + i)} for i, c in enumerate(_chars(PROSE))]
    assert page_ocr_reason(_page(cid)) == GARBAGE
    latin1 = PROSE.encode("gbk").decode("latin-1")
    assert page_ocr_reason(_page(_chars(latin1))) == GARBAGE
    big5 = PROSE.encode("gbk").decode("big5", errors="ignore")
    assert page_ocr_reason(_page(_chars(big5))) == GARBAGE
    heading = "三、收到和处理政府信息公开申请情况" + PROSE
    assert page_ocr_reason(_page(_chars(heading), [TABLE_IMAGE])) == TABLE_IMAGES
    # An image with its own text layer over it (a searchable scan) is a good page.
    over = _chars(PROSE, top=400) + _chars(heading)
    assert page_ocr_reason(_page(over, [TABLE_IMAGE])) is None
    # Text, a big picture, but no table heading: not a table image.
    assert page_ocr_reason(_page(_chars(PROSE), [TABLE_IMAGE])) is None


# ---------------------------------------------------------------- synthetic ruled table


ROWS = [60, 140, 220, 300, 380]
COLS = [60, 360, 560, 760]


def ruled_table(noise: bool = False) -> np.ndarray:
    """A white page with a 4×3 ruled table: the header cell spans columns 1–2; digits in cells;
    a few lines of text above it."""
    img = np.full((620, 840, 3), 255, np.uint8)
    for y in ROWS:
        cv2.line(img, (COLS[0], y), (COLS[-1], y), (0, 0, 0), 2)
    for k, x in enumerate(COLS):
        top = ROWS[1] if k == 2 else ROWS[0]   # no rule between the two header columns
        cv2.line(img, (x, top), (x, ROWS[-1]), (0, 0, 0), 2)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(img, "Year", (120, 112), font, 1.2, (0, 0, 0), 2)
    cv2.putText(img, "Count", (560, 112), font, 1.2, (0, 0, 0), 2)
    values = [["2021", "17", "305"], ["2022", "42", "96"], ["2023", "8", "1250"]]
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            cv2.putText(img, v, (COLS[c] + 60, ROWS[r + 1] + 55), font, 1.3, (0, 0, 0), 3)
    for k, line in enumerate(["Annual report on open", "government information 2023"]):
        cv2.putText(img, line, (60, 470 + 50 * k), font, 1.2, (0, 0, 0), 2)
    if noise:
        rng = np.random.default_rng(7)
        img = np.clip(img.astype(np.int16) + rng.normal(0, 25, img.shape[:2])[..., None], 0, 255)
        img = img.astype(np.uint8)
    return img


@pytest.mark.unit
def test_grid_from_ruling_lines():
    from pipeline.readers.ocr import grid

    gray = cv2.cvtColor(ruled_table(noise=True), cv2.COLOR_BGR2GRAY)
    tables = grid.find_tables(gray)
    assert len(tables) == 1
    t = tables[0]
    assert len(t.rows) == 5 and len(t.cols) == 4
    assert np.allclose(t.rows, ROWS, atol=3) and np.allclose(t.cols, COLS, atol=3)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in t.cells}
    assert spans[(0, 1)] == (1, 2) and (0, 2) not in spans
    assert len(t.cells) == 11


@pytest.mark.ocr
def test_ocr_image_synthetic_table_and_rotations():
    need_engine()
    from pipeline.core.model import Table
    from pipeline.readers.ocr import ocr_image

    for turn in (None, cv2.ROTATE_90_CLOCKWISE):
        img = ruled_table() if turn is None else cv2.rotate(ruled_table(), turn)
        items = ocr_image(img)
        tables = [it for it in items if isinstance(it, Table)]
        assert len(tables) == 1, turn
        g = tables[0].grid()
        assert [[c.text for c in row] for row in g[1:]] == [
            ["2021", "17", "305"], ["2022", "42", "96"], ["2023", "8", "1250"]], turn
        assert g[0][1] is g[0][2] and g[0][1].text == "Count"
        assert all(0.0 <= c.confidence <= 1.0 for c in tables[0].cells)
        text = " ".join(it.text for it in items if not isinstance(it, Table))
        assert "government" in text.lower(), turn
    # bbox in points at the given dpi, mapped back to the image as given
    t = [it for it in ocr_image(ruled_table(), dpi=144) if isinstance(it, Table)][0]
    assert np.allclose(t.bbox, [v / 2 for v in (COLS[0], ROWS[0], COLS[-1], ROWS[-1])], atol=3)


@pytest.mark.unit
def test_vertical_label_joins():
    from pipeline.readers.ocr.assign import group_lines, join_lines
    from pipeline.readers.ocr.engine import Word

    def word(text, x, y, w=30, h=30, score=0.99):
        return Word(np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float), text, score)

    stacked = [word(ch, 100, 40 * i) for i, ch in enumerate("三、本年度办理结果")]
    assert join_lines(group_lines(stacked[::-1])) == "三、本年度办理结果"
    wrapped = [word("（二）部分公开（区分处理的，只计这一情形，不", 0, 0, 500), word("计其他情形）", 0, 40, 150)]
    assert join_lines(group_lines(wrapped)) == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert join_lines(group_lines([word("22", 0, 0), word("15", 0, 40)])) == "22 15"


def _cell_with(draw, size=(70, 90)):
    """A Cell over a blank ink mask of `size` (h, w) on which `draw(mask)` puts the cell's ink,
    with the masks and lazy rules that assign's checks take (no ruling lines)."""
    from pipeline.core.model import Cell
    from pipeline.readers.ocr.grid import LineMasks

    binary = np.zeros(size, np.uint8)
    draw(binary)
    none = np.zeros_like(binary)
    masks = LineMasks(binary, none, none)
    cell = Cell(text="", row=0, col=0, page=1, bbox=(0.0, 0.0, float(size[1]), float(size[0])))
    return cell, masks, lambda: none


@pytest.mark.unit
def test_slash_read_as_one_is_told_by_its_lean():
    from pipeline.core.options import Options
    LOW_CONFIDENCE = Options().ocr_low_confidence
    from pipeline.readers.ocr.ink import slash_or_one as _slash_or_one

    def slash(m):
        cv2.line(m, (38, 46), (48, 24), 255, 3)              # top to the right: "/"
        cv2.circle(m, (20, 30), 2, 255, -1)                   # a speck beside it

    def one(m):
        cv2.putText(m, "1", (35, 46), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 255, 2)  # upright, flag, foot

    def dash(m):
        cv2.line(m, (35, 35), (55, 35), 255, 3)

    def tilted(m):
        cv2.line(m, (42, 46), (45, 24), 255, 3)              # leans a little: neither

    for draw, text, score, want_text, doubtful in [
            (slash, "1", 0.96, "/", False),   # a confident wrong "1" becomes "/"
            (slash, "/", 0.52, "/", False),   # a doubtful right "/" is confirmed
            (one, "1", 0.99, "1", False),
            (one, "/", 0.99, "/", True),      # a "/" that does not lean is doubtful
            (dash, "1", 0.97, "1", True),     # no stroke to measure
            (tilted, "l", 0.98, "l", True)]:
        cell, masks, rules = _cell_with(draw)
        cell.text, cell.confidence = text, score
        _slash_or_one(cell, masks, rules)
        assert cell.text == want_text, (draw.__name__, text)
        assert (cell.confidence < LOW_CONFIDENCE) == doubtful, (draw.__name__, text, cell.confidence)


@pytest.mark.unit
def test_small_dash_counts_as_ink_and_specks_do_not():
    from pipeline.readers.ocr.ink import ink_box as _ink_box

    cell, masks, rules = _cell_with(lambda m: cv2.rectangle(m, (40, 33), (48, 36), 255, -1))
    assert _ink_box(masks, rules, cell.bbox) is not None              # "-": 9 × 4 px, 36 px of ink
    cell, masks, rules = _cell_with(lambda m: cv2.rectangle(m, (40, 33), (44, 37), 255, -1))
    assert _ink_box(masks, rules, cell.bbox) is None                  # a 5 × 5 speck


def _quad(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)


@pytest.mark.unit
def test_orientation_from_line_direction_and_the_classifier(monkeypatch):
    """Wide lines: upright or upside down, as the classifier's length-weighted votes say; tall
    lines: sideways; a split vote is settled by recognising the longest lines both ways, and a
    page neither signal settles is not sure."""
    from pipeline.readers.ocr import orient
    from pipeline.readers.ocr.engine import OcrEngine

    img = np.full((400, 400, 3), 255, np.uint8)
    wide = np.array([_quad(20, 20 + 30 * k, 300, 24) for k in range(6)])
    tall = np.array([_quad(20 + 30 * k, 20, 24, 300) for k in range(6)])
    votes = []
    # the engine's own crop; its classifier and recogniser say what the test needs
    engine = SimpleNamespace(crop=OcrEngine.crop, classify=lambda crops: votes[:len(crops)])
    monkeypatch.setattr(orient, "skew_of", lambda img, turns: 0.0)

    votes[:] = [(False, 0.99)] * 6
    assert (orient.orientation(img, wide, engine).turns, orient.orientation(img, wide, engine).sure) == (0, True)
    votes[:] = [(True, 0.99)] * 5 + [(False, 0.99)]
    assert orient.orientation(img, wide, engine).turns == 2
    votes[:] = [(False, 0.99)] * 6
    assert orient.orientation(img, tall, engine).turns == 3
    votes[:] = [(True, 0.99)] * 6
    assert orient.orientation(img, tall, engine).turns == 1

    votes[:] = [(True, 0.99)] * 3 + [(False, 0.99)] * 3                 # the classifier is split
    engine.recognise_crops = lambda crops: [("文字", 0.98)] * (len(crops) // 2) + [("", 0.3)] * (len(crops) // 2)
    o = orient.orientation(img, wide, engine)
    assert (o.turns, o.sure, o.how) == (0, True, "text direction")     # reads well as it stands
    engine.recognise_crops = lambda crops: [("", 0.5)] * len(crops)
    o = orient.orientation(img, wide, engine)
    assert not o.sure and o.how.startswith("unsure")
    assert orient.orientation(img, np.zeros((0, 4, 2)), engine).sure                  # a blank page
    assert not orient.orientation(img, np.array([_quad(10, 10, 30, 30)]), engine).sure  # digits only


@pytest.mark.unit
def test_skew_is_measured_on_the_page():
    from PIL import Image

    from pipeline.readers.ocr import orient

    page = Image.fromarray(ruled_table()[:, :, ::-1]).convert("L")
    for angle in (1.7, -0.6, 0.0):
        tilted = np.asarray(page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255))
        assert abs(orient.skew_of(tilted) - angle) <= 0.05, angle


@pytest.mark.ocr
def test_unoriented_page_is_a_catalogued_finding(monkeypatch):
    need_engine()
    from pipeline.readers.ocr import ocr_image, orient

    monkeypatch.setattr(orient, "orientation",
                        lambda img, quads, engine: orient.Orientation(0, 0.0, False, "unsure: test"))
    found = []
    ocr_image(ruled_table(), page=3, findings=found)
    assert [(f.rule, f.page, f.severity) for f in found] == [("ocr.unoriented_page", 3, "warning")]


@pytest.mark.unit
def test_specks_beside_a_number_or_alone_are_not_text():
    """A speck before a digit (".0") or two in a blank cell (":") are read again without them;
    a decimal point between digits is writing, and a flat dash is no speck."""
    from pipeline.readers.ocr.ink import specks

    def two_dots(m):
        cv2.rectangle(m, (40, 30), (43, 33), 255, -1)
        cv2.rectangle(m, (40, 42), (43, 45), 255, -1)

    def dot_and_zero(m):
        cv2.rectangle(m, (15, 40), (18, 43), 255, -1)
        cv2.putText(m, "0", (40, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)

    def decimal(m):
        cv2.putText(m, "3.5", (15, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)

    def dash(m):
        cv2.rectangle(m, (40, 35), (51, 38), 255, -1)

    cell, masks, rules = _cell_with(two_dots)
    found, keep = specks(masks, rules, cell.bbox)
    assert len(found) == 2 and keep is None
    cell, masks, rules = _cell_with(dot_and_zero)
    found, keep = specks(masks, rules, cell.bbox)
    assert len(found) == 1 and keep is not None and keep[0] >= 38
    for draw in (decimal, dash):
        cell, masks, rules = _cell_with(draw)
        assert specks(masks, rules, cell.bbox)[0] == [], draw.__name__


@pytest.mark.unit
def test_a_dot_read_for_a_dash_is_a_dash():
    from pipeline.core.options import Options
    from pipeline.readers.ocr.ink import dash_or_dot

    LOW = Options().ocr_low_confidence
    for draw, want, doubtful in [(lambda m: cv2.rectangle(m, (35, 34), (55, 37), 255, -1), "-", False),
                                 (lambda m: cv2.rectangle(m, (40, 33), (50, 38), 255, -1), "-", True),
                                 (lambda m: cv2.circle(m, (45, 35), 3, 255, -1), "•", True)]:
        cell, masks, rules = _cell_with(draw)
        cell.text, cell.confidence = "•", 0.97
        dash_or_dot(cell, masks, rules)
        assert cell.text == want and (cell.confidence < LOW) == doubtful, (want, cell)


@pytest.mark.ocr
def test_recognition_pads_a_lone_digit():
    """Crops are padded to their batch's widest, and to at least twice their height: a lone "0"
    padded only to a square reads as "O" now and then."""
    need_engine()
    from pipeline.readers.ocr import engine

    img = np.full((44, 36, 3), 255, np.uint8)
    cv2.putText(img, "0", (6, 34), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    wide = np.full((44, 400, 3), 255, np.uint8)
    cv2.putText(wide, "2023", (6, 34), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    reads = engine.engine_for(0).recognise_crops([img, wide, img])
    assert [t for t, _ in reads] == ["0", "2023", "0"] and reads[0] == reads[2]


@pytest.mark.ocr
def test_table_pasted_as_image_is_found_and_read(tmp_path):
    """A text PDF page whose table is a picture: the triage sends it to OCR, OCR gives the table
    in the page's own coordinates, around the text the page already had."""
    need_engine()
    import pdfplumber
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pipeline.core.model import Table, TextBlock
    from pipeline.readers.ocr import ocr_pdf_pages, page_ocr_reason

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "table_image.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("STSong-Light", 14)
    c.drawString(72, 780, "三、收到和处理政府信息公开申请情况")
    c.drawString(72, 100, "本机关全年共收到政府信息公开申请二十一件，均已按期答复。")
    c.drawImage(ImageReader(Image.fromarray(ruled_table()[:, :, ::-1])), 72, 300, width=420, height=310)
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        assert page_ocr_reason(pdf.pages[0]) == "tables are images"
    items = ocr_pdf_pages(path, [1])[1]
    tables = [it for it in items if isinstance(it, Table)]
    assert len(tables) == 1
    assert [c.text for c in tables[0].cells if c.row == 3] == ["2023", "8", "1250"]
    # the image spans top 232–542 pt; the table's rules are at 30–190 pt of its 310 pt height
    assert np.allclose(tables[0].bbox, (102, 262, 452, 422), atol=3)
    texts = [it.text for it in items if isinstance(it, TextBlock)]
    assert texts[0] == "三、收到和处理政府信息公开申请情况" and "按期答复" in texts[-1]


# ---------------------------------------------------------------- image reader


@pytest.mark.ocr
def test_image_reader_zip_and_tiff(tmp_path):
    need_engine()
    from PIL import Image

    from pipeline.readers import read
    from pipeline.readers.image import natural_key

    assert sorted(["p10.png", "p2.png", "p1.png"], key=natural_key) == ["p1.png", "p2.png", "p10.png"]
    page = Image.fromarray(ruled_table()[:, :, ::-1])
    blank = Image.new("RGB", (400, 300), "white")
    archive = tmp_path / "report.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, im in (("page10.png", page), ("page2.png", blank), ("__MACOSX/._page2.png", blank)):
            buf = tmp_path / "x.png"
            im.save(buf)
            z.write(buf, name)
    doc = read(archive, "image")
    assert doc.format == "image" and doc.pages == 2 and doc.ocr_pages == [1, 2]
    assert [t.page for t in doc.tables] == [2]          # page2.png first, page10.png second
    assert "ocr.empty_page" in {f.rule for f in doc.findings}

    tiff = tmp_path / "scan.tif"
    page.save(tiff, save_all=True, append_images=[page.rotate(180)], dpi=(144, 144))
    doc = read(tiff, "image")
    assert doc.pages == 2 and [t.page for t in doc.tables] == [1, 2]
    assert doc.tables[0].bbox[2] < 400                    # 144 dpi: points are half the pixels
    assert [c.text for c in doc.tables[1].cells if c.row == 3] == ["2023", "8", "1250"]


@pytest.mark.ocr
def test_image_reader_rejects_garbage(tmp_path):
    need_engine()
    from pipeline.readers import ReaderError, read

    bad = tmp_path / "x.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(ReaderError):
        read(bad, "image")
