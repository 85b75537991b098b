"""`ogi report EXTRACTED -o audit.html`: the dataset as one self-contained HTML file an auditor
reads in a browser, opened from disk or sent by mail (no network, nothing to install).

Modules, one job each:
  data.py      read reports/cells/flags/panel.parquet, join findings with their file's office,
               year and region, sort everything once (the same dataset gives the same bytes)
  crops.py     PNG crops of the page region holding a finding's cells (PDF pages via pypdfium2,
               page images), cells outlined; limited per file
  evidence.py  the cells' full labels, the rows as printed (raw text), corrections.csv lines
  charts.py    inline SVG bar and line charts
  parts.py     small HTML pieces every section uses (badges, headings, the filters' attributes)
  overview.py  the overview section
  cards.py     every error and warning with its evidence; unverifiable and info apart
  offices.py   a section per office: key figures over the years, files, findings, year over year
  render.py    the page: header, filter bar, the sections, into template.html with style.css
               and audit.js (the filters, the year picker, the copy buttons)
Data tables beside them: figures.csv (the key figures charted per office), evidence.csv (which
formats have pages to crop), severities.csv, statuses.csv.
"""
from pipeline.outputs.report.data import NoDataset, load
from pipeline.outputs.report.render import build_report, render_html

__all__ = ["NoDataset", "build_report", "load", "render_html"]
