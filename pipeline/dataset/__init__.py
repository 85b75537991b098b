"""The dataset level: what needs more than one document.

    groups       forms of one report (same office_id and year), the canonical one, disagreements
    corrections  a reviewer's fixes of cells, applied once per run
    cross_year   an office's consecutive years (carry-over, in force, previous items …)
    yoy          year-over-year anomalies (warnings for a person)
    checks       the dataset checks over every report: groups, then cross-year on canonical ones
    panel        panel.parquet: one row per office and year, from the canonical documents
"""
