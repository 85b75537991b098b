"""`ogi report EXTRACTED -o audit.html`: the dataset as one self-contained HTML file an auditor
reads in a browser, opened from disk or sent by mail (no network, nothing to install), on a
screen, a phone or paper.

Modules, one job each:
  data.py         read reports/cells/flags/panel.parquet, join findings with their file's office,
                  year, region, level and group of forms, count each report's finding once, sort
                  everything once (the same dataset gives the same bytes)
  crops.py        PNG crops of the page region holding a finding's cells under the table's header
                  band (PDF pages via pypdfium2, page images), cells outlined; limited per file
  evidence.py     the cells' full labels, the rows as printed, the forms' values where they
                  differ, the corrections editor
  charts.py       inline SVG bar and line charts
  parts.py        small HTML pieces every section uses (badges, headings, names for codes, the
                  filters' attributes)
  overview.py     the overview section (counted by report, redrawn under the filters)
  cards.py        every error and warning with its evidence; the corrections made; unverifiable
                  and info apart
  comparisons.py  offices side by side in one year (drawn by the script), an office's years
  offices.py      a section per office: key figures over the years, files, findings, its years
  render.py       the page: header, filter bar, the sections and the data island, into
                  template.html with style.css and audit.js (the filters, the overview under them,
                  the corrections editor, the crops enlarged, the comparison)
Data tables beside them: figures.csv (the key figures charted per office), evidence.csv (which
formats have pages to crop), severities.csv (which are shown with evidence), statuses.csv (their
colours); the names of values and rules are pipeline/data/value_names.csv and rule_names.csv.
"""
from pipeline.outputs.report.data import NoDataset, load
from pipeline.outputs.report.render import build_report, render_html

__all__ = ["NoDataset", "build_report", "load", "render_html"]
