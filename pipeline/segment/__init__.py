"""Segment: a document's six sections (one of the national outline), found by their headings
(pipeline/data/sections.csv) or, where a heading was lost, by their content (`sections`)."""

from pipeline.segment.sections import CODES, segment

__all__ = ["CODES", "segment"]
