"""pypdfium2 adapter: the pdfium C functions of the page-object layer's loops (readers/pdfium_layer.py).

Why: pypdfium2.raw's functions convert every argument through typed pointers, which costs more
than the call itself in loops that run once per character and per path segment. The very same C
functions are bound again here on plain integer handles (`c_void_p`, `c_int`). Their addresses
come from pypdfium2.raw's public function objects (a ctypes function pointer is its address), so
they are the functions of the library pypdfium2 loaded, whichever it is; nothing private of
pypdfium2 is used. What the layer relies on beyond the API is pdfium's behaviour (its text page,
its float32 coordinates), verified on the range below; tests/test_pdf_parity.py holds the layer's
outcome to pdfminer's on every PDF we have.
"""
from __future__ import annotations

import ctypes
from types import SimpleNamespace

from pipeline.readers.engines import Supported, checker, has

SUPPORTED = (Supported("pypdfium2", "5.15.2", "6"),)


def _signatures() -> dict:
    """name in the layer → (pdfium function, return type, argument types)."""
    import pypdfium2.raw as R

    V, I, F = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
    PD, PF, PI = ctypes.POINTER(ctypes.c_double), ctypes.POINTER(F), ctypes.POINTER(I)
    PM, PU = ctypes.POINTER(R.FS_MATRIX), ctypes.POINTER(ctypes.c_uint)
    return {
        "count_chars": ("FPDFText_CountChars", I, V),
        "text_index": ("FPDFText_GetTextIndexFromCharIndex", I, V, I),
        "unicode": ("FPDFText_GetUnicode", ctypes.c_uint, V, I),
        "is_generated": ("FPDFText_IsGenerated", I, V, I),
        "map_error": ("FPDFText_HasUnicodeMapError", I, V, I),
        "text_object": ("FPDFText_GetTextObject", V, V, I),
        "origin": ("FPDFText_GetCharOrigin", I, V, I, PD, PD),
        "loose_box": ("FPDFText_GetLooseCharBox", I, V, I, ctypes.POINTER(R.FS_RECTF)),
        "char_matrix": ("FPDFText_GetMatrix", I, V, I, PM),
        "font_size": ("FPDFText_GetFontSize", ctypes.c_double, V, I),
        "text_font": ("FPDFTextObj_GetFont", V, V),
        "descent": ("FPDFFont_GetDescent", I, V, F, PF),
        "glyph_width": ("FPDFFont_GetGlyphWidth", I, V, ctypes.c_uint, F, PF),
        "count_objects": ("FPDFPage_CountObjects", I, V),
        "get_object": ("FPDFPage_GetObject", V, V, I),
        "object_type": ("FPDFPageObj_GetType", I, V),
        "object_matrix": ("FPDFPageObj_GetMatrix", I, V, PM),
        "draw_mode": ("FPDFPath_GetDrawMode", I, V, PI, PI),
        "count_segments": ("FPDFPath_CountSegments", I, V),
        "segment": ("FPDFPath_GetPathSegment", V, V, I),
        "segment_point": ("FPDFPathSegment_GetPoint", I, V, PF, PF),
        "segment_type": ("FPDFPathSegment_GetType", I, V),
        "segment_close": ("FPDFPathSegment_GetClose", I, V),
        "image_size": ("FPDFImageObj_GetImagePixelSize", I, V, PU, PU),
    }


def _address(function) -> int:
    """The address of one of pypdfium2.raw's ctypes functions."""
    return ctypes.cast(function, ctypes.c_void_p).value


def _functions_missing():
    import pypdfium2.raw as R

    missing = [c for c, *_ in _signatures().values() if not callable(getattr(R, c, None))]
    if missing:
        return f"pypdfium2.raw has no {', '.join(missing)}"
    unbound = [c for c, *_ in _signatures().values() if not _address(getattr(R, c))]
    return f"pypdfium2.raw's {', '.join(unbound)} have no address" if unbound else None


def _structures_changed():
    import pypdfium2.raw as R

    for struct, fields in (("FS_MATRIX", ("a", "b", "c", "d", "e", "f")),
                           ("FS_RECTF", ("left", "top", "right", "bottom"))):
        have = tuple(f[0] for f in getattr(R, struct)._fields_)
        if have != fields:
            return f"pypdfium2.raw.{struct} has the fields {have}, not {fields}"
    return None


def _document_api_changed():
    import pypdfium2 as pdfium

    return (has(pdfium.PdfDocument, "close", "__len__", "__getitem__")
            or has(pdfium.PdfPage, "get_rotation", "get_mediabox", "get_textpage", "close")
            or has(pdfium.PdfTextPage, "get_text_range", "close"))


EXPECTATIONS = (
    ("the pdfium functions the layer calls", _functions_missing),
    ("the matrix and rectangle structures", _structures_changed),
    ("the document, page and text page API", _document_api_changed),
)


check = checker(__name__, SUPPORTED, EXPECTATIONS)
_bound = []


def functions() -> SimpleNamespace:
    """The pdfium functions on plain integer handles, by the layer's names (`_signatures`); the
    adapter's check runs first."""
    if not _bound:
        check()
        import pypdfium2.raw as R

        _bound.append(SimpleNamespace(**{
            name: ctypes.CFUNCTYPE(restype, *argtypes)(_address(getattr(R, c_name)))
            for name, (c_name, restype, *argtypes) in _signatures().items()}))
    return _bound[0]


def address(handle) -> int:
    """The integer value of a pypdfium2 handle (`page.raw`, `textpage.raw`), as `functions` take."""
    return ctypes.cast(handle, ctypes.c_void_p).value
