"""Which PDF pages need OCR, decided from the text layer alone (no rendering).

Why: OCR costs seconds a page and can only lose information on a page whose text layer is
good, so a good page must never be OCR'd, and deciding must cost next to nothing. Three cases
need OCR:
- no text layer: an image-only (scanned) page, or one whose few characters are a page number
  stamped on a scan;
- a garbage text layer: glyphs without a Unicode mapping, which pdfplumber shows as (cid:NNN), or
  mojibake (private-use / Latin-1 debris, or Chinese characters so rare they cannot be running
  text of a report);
- tables pasted as images: the page has good text and a table heading, but the table itself is a
  large image with no text over it.
"""
from __future__ import annotations

from pipeline.formats.headings import table_heading_words

NO_TEXT = "no text layer"
GARBAGE = "text layer is (cid:NNN) garbage or mojibake"
TABLE_IMAGES = "tables are images"

MIN_CHARS = 20          # fewer visible characters than this is no text layer (page numbers)
BIG_IMAGE = 0.15        # share of the page an image must cover to hide a table or a page
BAD_SHARE = 0.2         # share of suspicious characters that makes a text layer garbage
MIN_COMMON = 0.3        # least share of very common characters (real text ≈ 0.8, mojibake < 0.1)

# The most frequent characters of these reports (and of Chinese text at large). Real text
# is full of them; text decoded through the wrong mapping is not.
COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口"
    "东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车"
    "例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记"
    "需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省"
    "列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存候亲快效斯院查江型王按格"
    "养易置派层片始却专状育厂京识适属包火住调满县局照参红细引听该价严飞申请息审核")


def page_ocr_reason(page):
    """Why this pdfplumber page needs OCR, or None when its text layer is good."""
    texts = [c.get("text", "") for c in page.chars]
    visible = [t for t in texts if t and not t.isspace()]
    area = float(page.width * page.height) or 1.0
    big = [im for im in page.images if _covered(im, page) >= BIG_IMAGE * area]
    if len(visible) < MIN_CHARS:
        if big or (not visible and page.images):
            return NO_TEXT
        return None  # a blank page: nothing for OCR to find
    if _garbage(visible):
        return GARBAGE
    if big and table_heading_words().search("".join(texts)):
        for im in big:
            over = sum(1 for c in page.chars if _centre_in(c, im) and not c["text"].isspace())
            if over < MIN_CHARS:
                return TABLE_IMAGES
    return None


def _garbage(visible: list) -> bool:
    n = len(visible)
    cids = sum(1 for t in visible if t.startswith("(cid:"))
    if cids >= BAD_SHARE * n:
        return True
    bad = sum(1 for t in visible if len(t) == 1 and _suspicious(ord(t)))
    if bad >= BAD_SHARE * n:
        return True
    cjk = [t for t in visible if len(t) == 1 and 0x4E00 <= ord(t) <= 0x9FFF]
    if len(cjk) >= 40 and sum(1 for t in cjk if t in COMMON) < MIN_COMMON * len(cjk):
        return True
    return False


def _suspicious(cp: int) -> bool:
    """Code points that Chinese report text essentially never uses."""
    return (0xE000 <= cp <= 0xF8FF or cp == 0xFFFD or cp < 0x20 or 0x7F <= cp <= 0x9F
            or (0xA0 <= cp <= 0x24F and cp not in _LATIN_OK))


_LATIN_OK = {0xA0, 0xA7, 0xA9, 0xAE, 0xB0, 0xB1, 0xB7, 0xD7, 0xF7}  # nbsp § © ® ° ± · × ÷


def _covered(im: dict, page) -> float:
    x0, x1 = max(im["x0"], 0), min(im["x1"], page.width)
    t, b = max(im["top"], 0), min(im["bottom"], page.height)
    return max(x1 - x0, 0) * max(b - t, 0)


def _centre_in(c: dict, im: dict) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return im["x0"] <= x <= im["x1"] and im["top"] <= y <= im["bottom"]
