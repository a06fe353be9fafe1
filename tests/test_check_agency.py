"""Agency mismatch: another body named as the author."""

from __future__ import annotations

from check_records import clean, findings, rules, run


def test_signature_of_another_agency() -> None:
    d = clean(
        agency="沭阳县发展和改革局",
        x_agency_sources={"title": "沭阳县发展和改革局", "signature": "泗阳县发展和改革局"},
    )
    got = findings(run(d), "agency-mismatch")
    assert [(f.severity, f.where.section, f.expected, f.actual) for f in got] == [
        ("warning", "signature", "沭阳县发展和改革局", "泗阳县发展和改革局")
    ]


def test_preamble_names_another_author() -> None:
    d = clean(
        agency="洪泽区人民政府", x_preamble="本报告由淮安市清江浦区人民政府办公室根据《条例》编制。"
    )
    assert rules(run(d), "agency-mismatch") == ["agency-mismatch"]


def test_short_forms_and_the_compiling_office_are_fine() -> None:
    cases = [
        ("集安市民政局", {"title": "民政局", "signature": "集安市民政局"}, None),
        ("辽宁省民政厅", {"title": "省民政厅2017年度政府信息公开工作报告"}, None),
        (
            "洪泽区人民政府",
            {"title": "淮安市洪泽区人民政府"},
            "本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制此报告。",
        ),
        ("抚顺市人力资源和社会保障局", {"text": ["辽宁省人民政府", "抚顺市人民政府"]}, None),
    ]
    for agency, sources, preamble in cases:
        d = clean(agency=agency, x_agency_sources=sources)
        if preamble:
            d["x_preamble"] = preamble
        assert not rules(run(d), "agency-mismatch"), agency


def test_silent_without_names() -> None:
    assert not rules(run(clean(agency=None)), "agency-mismatch")
    assert not rules(run(clean()), "agency-mismatch")
