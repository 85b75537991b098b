"""Publish streams: a dataset larger than a row group is written a row group at a time, with
the same rows in the same order as the whole dataset at once; the dataset checks read one office
at a time and find what they found over all documents at once."""
from __future__ import annotations

import shutil

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from pipeline.core.store import Workspace
from pipeline.dataset import groups
from pipeline.dataset.checks import check_dataset, year_report
from pipeline.dataset.cross_year import check_cross_year
from pipeline.dataset.reports import Documents
from pipeline.publish import schema
from pipeline.publish.datasets import DATASETS, collect, publish
from pipeline.runtime.run import run

pytestmark = pytest.mark.e2e

RAW = ROOT / "raw"
FILES = ["苏州市交通运输局_2020.txt", "苏州市交通运输局_2021.txt", "苏州市交通运输局_2021.md",
         "南京市玄武区人民政府_2021.txt", "南京市玄武区人民政府_2022.txt", "南京市玄武区人民政府_2023.txt",
         "合肥市包河区人民政府_2019.txt", "泗阳县市场监督管理局_2022.txt"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """A run over eight text reports: three offices with consecutive years, two forms of one."""
    base = tmp_path_factory.mktemp("stream")
    (base / "in").mkdir()
    for name in FILES:
        shutil.copy(RAW / name, base / "in" / name)
    shutil.copy(RAW / FILES[0], base / "in" / "zz_duplicate.txt")
    run(base / "in", base / "out", workers=1, timeout=0, progress=False)
    return base / "out"


def test_small_row_groups_hold_the_same_rows_as_one(out, tmp_path):
    small = tmp_path / "small"
    shutil.copytree(out, small)
    publish(Workspace(small), row_group=2)
    whole = collect(Workspace(out))
    moved = collect(Workspace(small))       # reports.input is relative to the output folder
    for name in DATASETS:
        streamed = pq.ParquetFile(small / f"{name}.parquet")
        if name in ("reports", "cells"):
            assert streamed.num_row_groups > 1, name
        assert streamed.read().equals(schema.to_table(name, moved[name])), name
        assert pq.read_table(out / f"{name}.parquet").equals(schema.to_table(name, whole[name])), name


def test_a_dataset_of_one_row_group_is_the_same_bytes_as_before_streaming(out):
    """Up to ROW_GROUP reports every file is one row group: what pq.write_table of the whole
    table wrote before publish streamed."""
    import io
    whole = collect(Workspace(out))
    for name in DATASETS:
        buf = io.BytesIO()
        pq.write_table(schema.to_table(name, whole[name]), buf)
        assert (out / f"{name}.parquet").read_bytes() == buf.getvalue(), name


def test_the_dataset_checks_one_office_at_a_time_find_what_all_at_once_finds(out):
    docs = Documents(Workspace(out))
    facts = docs.facts()
    assigned = groups.assign(facts)
    entries = {e["report_id"]: e for e in docs.entries()}
    # every canonical document with its cells, all at once
    canonical = [year_report(f, docs.reviewed(entries[f.report_id])) for f in facts
                 if assigned[f.report_id].canonical == f.report_id and not f.failed]
    at_once = check_cross_year(canonical)
    assert at_once, "the sample offices have consecutive years"
    found = check_dataset(Documents(Workspace(out)))
    for rid, fs in at_once.items():
        assert [f.to_dict() for f in fs] == [f.to_dict() for f in found[rid] if f.stage == "cross_year"]
