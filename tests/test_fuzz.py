"""Bad input never crashes: mutated reports give a record or an InputError.

Real corpus files (and, without the corpus, reports the tests build) are cut
short, have bytes flipped or garbage spliced in, and are read in every
format; anything but a Report or a gongkai InputError is a bug.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from gongkai import read
from gongkai.errors import InputError
from gongkai.record import Report
from layouts import render
from records import example


def _samples() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if CORPUS.is_dir():
        for p in sorted(CORPUS.glob("*/*")):
            if p.suffix in (".txt", ".html", ".docx", ".pdf"):
                out.setdefault(p.suffix, p.read_bytes())
    out.setdefault(".txt", render(example("2021"), "pipe").encode("utf-8"))
    if ".html" not in out:
        from gongkai.write.data import from_dict
        from gongkai.write.render import render_bytes

        out[".html"] = render_bytes(from_dict(example("2019")), "html")
    if ".docx" not in out:
        from gongkai.write.data import from_dict
        from gongkai.write.render import render_bytes

        out[".docx"] = render_bytes(from_dict(example("2021")), "docx")
    return out


SAMPLES = _samples()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[suffix])
    how = draw(st.sampled_from(["truncate", "flip", "splice", "zero-run"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 40))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
    elif how == "splice":
        i = draw(st.integers(0, len(data)))
        data[i:i] = draw(st.binary(min_size=1, max_size=300))
    else:
        i = draw(st.integers(0, len(data) - 1))
        data[i : i + draw(st.integers(1, 5000))] = b"\x00" * 64
    return suffix, bytes(data)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sample=mutated())
def test_mutated_input_gives_a_record_or_an_input_error(sample: tuple[str, bytes]) -> None:
    suffix, data = sample
    try:
        result = read(data, name=f"mutated{suffix}")
    except InputError as e:
        assert f"mutated{suffix}" in e.message("zh")
        return
    assert isinstance(result, Report)


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_downloads_broken_off(suffix: str) -> None:
    """Cut at a few fixed points, as downloads break off: a record or an InputError."""
    data = SAMPLES[suffix]
    for cut in (1, 10, 100, len(data) // 3, len(data) // 2, len(data) - 1):
        try:
            result = read(data[:cut], name=f"cut{suffix}")
        except InputError as e:
            assert f"cut{suffix}" in str(e)
            continue
        assert isinstance(result, Report)


_DATA = 'agency: 青山市人民政府\nyear: 2024\ntemplate: "2021"\n'


@pytest.mark.parametrize(
    "tail",
    [
        "table2:\n  r",  # (fuzzing cut a data file short here: AttributeError)
        "table3: 5\n",
        "table4: [1, 2]\n",
        "table2:\n  rules: 5\n",
        "table3:\n  new: {a: 1}\n",
        "table3:\n  new: 7\n",
    ],
)
def test_data_of_the_wrong_shape_is_one_clear_error(tmp_path: Path, tail: str) -> None:
    from gongkai.batch import load_report
    from gongkai.errors import GongkaiError

    path = tmp_path / "data.yaml"
    path.write_text(_DATA + tail, encoding="utf-8")
    with pytest.raises(GongkaiError) as err:
        load_report(path)
    message = err.value.message("zh")
    assert str(path) in message and "\n" not in message
