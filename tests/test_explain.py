"""``parse --explain`` over the typed evidence: every cell, its source and how it was placed."""

from __future__ import annotations

from pathlib import Path

import gongkai
from gongkai.reading import read_document
from gongkai.reading.explain import explain_lines
from gongkai.record import Report

EXAMPLE = Path(__file__).parent.parent / "examples" / "qingshan-minzheng-2024.html"


def test_a_cell_read_by_ocr_is_explained_with_its_source() -> None:
    """OCR adds its confidence (``ocr``) to a cell's provenance; --explain used to crash on it."""
    report = gongkai.read(EXAMPLE)
    record = report.to_dict()
    key = "table3.new.0"
    record["x_provenance"][key] = {**record["x_provenance"][key], "ocr": 0.93}
    lines = explain_lines(Report.model_validate(record), read_document(EXAMPLE), "en")
    line = next(x for x in lines if x.lstrip().startswith(key + " "))
    assert "(no source)" not in line and "table" in line and "[OCR 0.93]" in line


def test_unsure_cells_and_warnings_are_named() -> None:
    record = gongkai.read(EXAMPLE).to_dict()
    record["table3"]["new"][1] = None
    record["x_unsure"] = [{"table": "table3", "row": "new", "column": 1}]
    lines = explain_lines(Report.model_validate(record), read_document(EXAMPLE), "en")
    assert any("table3.new.1" in x and "unsure, left null" in x for x in lines)
    assert any(x.startswith("[table3] found") for x in lines)
