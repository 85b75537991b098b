"""Publish: the stage results → the Parquet datasets and the DuckDB database.

    datasets  report by report, streamed into reports / sections / cells / flags / panel .parquet
    schema    every column, its Arrow type and its meaning
    status    ok / partial / failed / not_a_report, decided in one place
    duck      ogi.duckdb: views over the datasets, and `ogi query`
"""
