"""What reads a published dataset for a person, and changes no stage's result: the audit report
(`report/`, HTML), the workbook and CSV files (`export`), accuracy against truth (`score`) and the
generated documentation (`docs`)."""
