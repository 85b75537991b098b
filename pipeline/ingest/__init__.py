"""Ingest: catalogue the input folders — every file, its content hash and its real format.

    files      walk the input folder (links resolved, nothing outside it opened), hash, sniff
    sniff      a file's real format from its content, not its extension
    catalogue  the output folder's catalogue across runs (OUT/work/ingest.json): it grows
"""
