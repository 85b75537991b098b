"""pdfplumber and pdfminer.six adapter: what the PDF reader needs of them beyond their documented API.

- The fast path (readers/pdf_fast.py) gives each pdfplumber page the objects pdfium read
  (`give_objects`): pdfplumber has no public way to, so the page's `_objects`, which `Page.objects`
  returns once set, is set directly, and the page takes the class of the fast path's subclass.
- The fast path's table finder and text lines (readers/fast_tables.py) are pdfplumber's own
  algorithms on fewer candidates: they subclass `Page`, `TableFinder` and `Table` and call
  pdfplumber's table and text helpers, which they import from here (the module's `__getattr__`
  hands them out once the check has passed). Their results equal pdfplumber's on the range below,
  as tests/test_pdf_parity.py shows on every PDF we have.
- The reader reads the page count a PDF declares (pdfminer's catalog) and tells pdfminer's
  failures apart (pdfplumber wraps them) by their types.
"""
from __future__ import annotations

import importlib
import inspect

from pipeline.readers.engines import Supported, checker, has

SUPPORTED = (Supported("pdfplumber", "0.11.11", "0.12"), Supported("pdfminer.six", "20260107", "20270000"))

# what fast_tables builds on: name → (module, attribute)
EXPORTS = {
    "Page": ("pdfplumber.page", "Page"),
    "Table": ("pdfplumber.table", "Table"),
    "TableFinder": ("pdfplumber.table", "TableFinder"),
    "TableSettings": ("pdfplumber.table", "TableSettings"),
    "cells_to_tables": ("pdfplumber.table", "cells_to_tables"),
    "edges_to_intersections": ("pdfplumber.table", "edges_to_intersections"),
    "obj_to_bbox": ("pdfplumber.utils", "obj_to_bbox"),
    "extract_text": ("pdfplumber.utils", "extract_text"),
    "LIGATURES": ("pdfplumber.utils.text", "LIGATURES"),
}
# what the reader tells pdfminer's failures by: name → (module, attribute)
PDFMINER = {
    "resolve1": ("pdfminer.pdftypes", "resolve1"),
    "PDFPasswordIncorrect": ("pdfminer.pdfdocument", "PDFPasswordIncorrect"),
    "PDFEncryptionError": ("pdfminer.pdfdocument", "PDFEncryptionError"),
    "PDFEncryptionWarning": ("pdfminer.pdfdocument", "PDFEncryptionWarning"),
}


def _get(where: tuple):
    module, name = where
    return getattr(importlib.import_module(module), name)


def __getattr__(name: str):
    """The pdfplumber names of EXPORTS, once the adapter's check has passed."""
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    check()
    return _get(EXPORTS[name])


def give_objects(page, objects: dict, page_class: type) -> None:
    """Make `page` a `page_class` (a subclass of pdfplumber's Page) whose objects are `objects`
    (object_type → list of dicts, as pdfplumber makes them): pdfminer never parses the page."""
    page._objects = objects
    page.__class__ = page_class


def declared_pages(pdf) -> int:
    """The page count the PDF's page tree declares (/Count), read before the pages are; 0 when
    there is no usable count."""
    resolve1 = _get(PDFMINER["resolve1"])
    try:
        return int(resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count")) or 0)
    except Exception:       # no usable /Count: the pages themselves are counted next
        return 0


def cause(e: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions (its PdfminerException holds the cause): the one it
    wraps (else `e`)."""
    return e.args[0] if e.args and isinstance(e.args[0], BaseException) else e


def needs_password(e: BaseException) -> bool:
    """pdfminer refused the (empty) password."""
    return isinstance(e, _get(PDFMINER["PDFPasswordIncorrect"]))


def unreadable_encryption(e: BaseException) -> bool:
    """pdfminer does not know the file's encryption."""
    return isinstance(e, (_get(PDFMINER["PDFEncryptionError"]), _get(PDFMINER["PDFEncryptionWarning"])))


# -- what the adapter relies on ------------------------------------------------------------------

def _names_moved():
    missing = []
    for name, where in {**EXPORTS, **PDFMINER}.items():
        try:
            _get(where)
        except (ImportError, AttributeError):
            missing.append(f"{where[0]}.{where[1]}")
    return f"{', '.join(missing)} no longer exist" if missing else None


def _objects_not_taken():
    """A page given `_objects` reads its characters, lines, rects, curves and images from them,
    and takes the class of a subclass."""
    Page = _get(EXPORTS["Page"])
    page = Page.__new__(Page)
    objects = {kind: [{"object_type": kind}] for kind in ("char", "line", "rect", "curve", "image")}

    class Sub(Page):
        pass

    give_objects(page, objects, Sub)
    try:
        taken = page.objects is objects
    except Exception:       # it went to parse the page (a bare page has no file to parse)
        taken = False
    if not taken:
        return "Page.objects no longer returns the objects given in Page._objects"
    wrong = [kind for kind in objects if getattr(page, kind + "s") is not objects[kind]]
    if wrong:
        return f"Page.{', Page.'.join(k + 's' for k in wrong)} no longer read Page.objects"
    return None if type(page) is Sub else "a pdfplumber Page can no longer take a subclass's class"


def _table_finder_changed():
    """FastTableFinder sets what TableFinder's own __init__ sets, and FastTable what Table's does."""
    Page, TableFinder, Table = (_get(EXPORTS[n]) for n in ("Page", "TableFinder", "Table"))
    page = Page.__new__(Page)
    give_objects(page, {}, Page)
    finder = set(vars(TableFinder(page)))
    want = {"page", "settings", "edges", "intersections", "cells", "tables"}
    if finder != want:
        return f"TableFinder sets {sorted(finder)}, not {sorted(want)}"
    table = set(vars(Table(page, [])))
    if table != {"page", "cells"}:
        return f"Table sets {sorted(table)}, not ['cells', 'page']"
    return (has(TableFinder, "get_edges") or has(Table, "rows", "bbox", "extract")
            or has(_get(EXPORTS["TableSettings"]), "resolve")
            or has(Page, "find_tables", "extract_text_lines", "chars", "height"))


def _signatures_changed():
    """The parameters the fast path passes."""
    want = {
        "edges_to_intersections": ["edges", "x_tolerance", "y_tolerance"],
        "cells_to_tables": ["cells"],
        "obj_to_bbox": ["obj"],
    }
    for name, params in want.items():
        have = list(inspect.signature(_get(EXPORTS[name])).parameters)
        if have != params:
            return f"{name} takes {have}, not {params}"
    lines = inspect.signature(_get(EXPORTS["Page"]).extract_text_lines).parameters
    if list(lines)[:3] != ["self", "strip", "return_chars"]:
        return f"Page.extract_text_lines takes {list(lines)}, not (strip, return_chars, **kwargs)"
    if "chars" not in inspect.signature(_get(EXPORTS["extract_text"])).parameters:
        return "extract_text no longer takes chars"
    if not isinstance(_get(EXPORTS["LIGATURES"]), dict):
        return "LIGATURES is no longer a dict"
    return None


EXPECTATIONS = (
    ("the names the reader imports", _names_moved),
    ("pages given their objects", _objects_not_taken),
    ("the table finder's parts", _table_finder_changed),
    ("the helpers' parameters", _signatures_changed),
)


check = checker(__name__, SUPPORTED, EXPECTATIONS)
