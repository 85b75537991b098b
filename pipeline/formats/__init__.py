"""The national formats as code over the data tables of pipeline/data: which tables, rows and
columns each format has (`layout`), tolerant matching of printed labels to their codes (`labels`),
section headings and report titles (`headings`), what a page carries besides the report —
metadata fields, body marks, footers (`pages`) — and the tables' arithmetic (`relations`), which
the extractor uses to confirm a placement and the checks to judge a report."""
