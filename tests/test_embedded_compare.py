"""compare_embedded flattens only the fields that differ: the same list as flattening all."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reading import _COMPARED, compare_embedded
from gongkai.record import Report, flat_cells
from records import records


def _every_cell(report: Report, embedded: dict[str, Any]) -> list[dict[str, Any]]:
    """The definition: both records flattened whole, every key where they differ."""
    visible = flat_cells({k: v for k, v in report.to_dict(private=False).items() if k in _COMPARED})
    other = flat_cells({k: v for k, v in embedded.items() if k in _COMPARED})
    return [
        {"key": key, "visible": visible.get(key), "embedded": other.get(key)}
        for key in sorted(set(visible) | set(other))
        if visible.get(key) != other.get(key)
    ]


_VALUES = st.one_of(
    st.none(), st.integers(-3, 3), st.text(max_size=3), st.just({}), st.just([]), st.just([None])
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=60, deadline=None)
@given(records(), st.data())
def test_same_differences_as_flattening_everything(record: dict[str, Any], data: Any) -> None:
    report = Report.model_validate(record)
    embedded = copy.deepcopy(report.to_dict(private=False))
    paths = _paths(embedded)
    for _ in range(data.draw(st.integers(0, 4))):
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent: Any = embedded
        for step in path[:-1]:
            parent = parent[step]
        if not isinstance(parent, dict | list):
            continue
        action = data.draw(st.sampled_from(["set", "drop"]))
        if action == "drop" and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            try:
                parent[path[-1]] = data.draw(_VALUES)
            except (IndexError, KeyError):
                continue
        paths = _paths(embedded)
    if data.draw(st.booleans()):
        embedded[data.draw(st.sampled_from(sorted(_COMPARED)))] = data.draw(_VALUES)
    assert compare_embedded(report, embedded) == _every_cell(report, embedded)


def test_alike_records_have_no_difference() -> None:
    from records import example

    report = Report.model_validate(example("2021"))
    assert compare_embedded(report, report.to_dict(private=False)) == []
    other = report.to_dict(private=False)
    other["table3"]["new"][2] = 999
    assert compare_embedded(report, other) == [
        {"key": "table3.new.2", "visible": report.to_dict()["table3"]["new"][2], "embedded": 999}
    ]
