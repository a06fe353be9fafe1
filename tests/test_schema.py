"""`gongkai schema`: every parse output and reference record validates; bad records do not."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import corpus_params, reference
from gongkai import read
from gongkai.record import check_schema, report_schema
from layouts import LAYOUTS, render
from records import example

VALIDATOR = jsonschema.Draft202012Validator(report_schema())


def errors(record: dict[str, Any]) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(record)]


def test_schemas_are_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema())
    jsonschema.Draft202012Validator.check_schema(check_schema())


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params())
def test_parse_output_and_reference_validate(path: Path) -> None:
    assert errors(read(path).to_dict()) == []
    assert errors(reference(path)) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_built_reports_validate(layout: str) -> None:
    for edition in ("2019", "2021"):
        assert errors(read(render(example(edition), layout)).to_dict()) == []


def test_schema_rejects_what_is_not_a_record() -> None:
    good = example("2021")
    assert errors(good) == []
    unknown_key = {**good, "remarks": "x"}
    assert errors(unknown_key)
    short_row = copy.deepcopy(good)
    short_row["table3"]["new"] = short_row["table3"]["new"][:6]
    assert errors(short_row)
    bad_template = {**good, "template": "2020"}
    assert errors(bad_template)
    assert errors({**good, "x_anything": {"is": "allowed"}}) == []
