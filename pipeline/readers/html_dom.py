"""DOM helpers the web page readers share: which elements are blocks, which strings are not
text, a string's enclosing block, and a table cell's text with its line breaks joined."""
from __future__ import annotations

from bs4 import NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from pipeline.readers.textfile import join_lines

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
               "section", "article", "blockquote", "pre", "hr", "center", "address", "figure",
               "figcaption", "main", "header", "footer", "aside", "nav", "tr", "td", "th", "table",
               "tbody", "thead", "tfoot", "caption", "form", "fieldset", "legend", "body", "html"}
SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction, CData)


def block_of(node):
    """The nearest block-level ancestor of a string or element."""
    parent = node.parent
    while parent is not None and parent.name not in BLOCK_TAGS:
        parent = parent.parent
    return parent


def cell_text(td: Tag) -> str:
    """A cell's text with its <br>/<p> line breaks dropped: labels broken over lines join up."""
    lines, buf = [], []
    for node in td.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, SKIP_STRINGS):
                buf.append(str(node))
        elif node.name == "br" or node.name in BLOCK_TAGS:
            lines.append("".join(buf))
            buf = []
    lines.append("".join(buf))
    return join_lines(lines)
