"""Segment: a document's sections, found by their headings (pipeline/data/sections.csv) or, where a
heading was lost, by their content (`sections`). A report before 2019 follows another outline than
the national one of 2019 on (概述 … 统计表): which one a document follows is read from its tables
and its reporting year (pipeline.extract.formats.outline, the extractor's knowledge of the formats).
"""
from __future__ import annotations

from pipeline.core.model import Document
from pipeline.core.results import Segmented
from pipeline.extract.formats import outline
from pipeline.segment.sections import CODES, segment

__all__ = ["CODES", "segment", "segment_document"]


def segment_document(doc: Document) -> Segmented:
    """The segment stage: the document's outline, then its sections by that outline."""
    return segment(doc, outline(doc))
