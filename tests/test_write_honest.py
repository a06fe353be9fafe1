"""The writer says only what the data says, marks what it was forced to write, and
tells staff in their language which cell of their workbook is wrong (issue 9, #2–#5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.cli.main import main
from gongkai.errors import DataError
from gongkai.national.editions import EDITION_2019, EDITION_2021
from gongkai.reading import read
from gongkai.write.content import compose
from gongkai.write.data import FORCED_KEY, from_dict, load_data
from gongkai.write.render import BLANK_TABLE, Refused, render, render_bytes
from gongkai.write.sentences import applications_detail, applications_summary, reviews
from gongkai.write.xlsx import cell_places, write_template
from records import example


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


NONE_SENTENCES = ("未收到政府信息公开申请", "未发生因政府信息公开工作")


# ---------------------------------------------------------------- #2 blank is not "none"


def test_agency_and_year_only_is_refused_and_says_no_none() -> None:
    data = from_dict({"agency": "青山县民政局", "year": 2024})
    with pytest.raises(Refused) as exc:
        render(data, "txt")
    assert {f.rule for f in exc.value.findings} >= {BLANK_TABLE}
    assert {f.where.table for f in exc.value.findings if f.rule == BLANK_TABLE} == {
        "table2",
        "table3",
        "table4",
    }
    text = "\n".join(b.text for b in compose(data))
    for s in NONE_SENTENCES:
        assert s not in text


def test_workbook_with_table_4_left_empty_is_refused(tmp_path: Path) -> None:
    rec = example("2021")
    rec["table4"] = {}
    rec["x_narrative"] = {"parts": {4: "{{复议诉讼}}"}}
    path = write_template(tmp_path / "t.xlsx", EDITION_2021, data=from_dict(rec))
    with pytest.raises(Refused) as exc:
        render(path, "txt")
    blank = [f for f in exc.value.findings if f.rule == BLANK_TABLE]
    assert [f.where.table for f in blank] == ["table4"]
    forced = render(path, "txt", tmp_path / "o.txt", force=True)
    text = (tmp_path / "o.txt").read_text("utf-8")
    assert forced.forced and NONE_SENTENCES[1] not in text
    assert not [b for b in compose(forced.data) if b.part == 4 and b.kind == "para"]


def test_no_sentence_from_blank_cells_and_zeros_still_say_none() -> None:
    blank = from_dict({"agency": "青山县民政局", "year": 2024}).report
    assert applications_summary(blank, EDITION_2021) == ""
    assert applications_detail(blank, EDITION_2021) == ""
    assert reviews(blank, EDITION_2021) == ""
    rec = example("2021")
    rec["table3"] = {k: [0] * 7 for k in rec["table3"]}
    rec["table4"] = {k: [0] * 5 for k in rec["table4"]}
    zero = from_dict(rec).report
    assert NONE_SENTENCES[0] in applications_summary(zero, EDITION_2021)
    assert NONE_SENTENCES[1] in reviews(zero, EDITION_2021)
    # part given, part blank: only the clauses with figures
    rec = example("2021")
    rec["table3"]["carried_over"] = [None] * 7
    s = applications_summary(from_dict(rec).report, EDITION_2021)
    new = rec["table3"]["new"][-1]
    assert f"新收政府信息公开申请{new}件" in s and "上年结转" not in s


# ---------------------------------------------------------------- #3 --force leaves a trace


def _broken() -> dict[str, object]:
    rec = example("2021")
    rec["table3"]["granted"][0] += 1  # the totals no longer add up
    return rec


@pytest.mark.parametrize("to", ["html", "md", "txt", "docx"])
def test_forced_output_is_marked_and_its_record_flagged(to: str, tmp_path: Path) -> None:
    data = from_dict(_broken())
    with pytest.raises(Refused):
        render(data, to, tmp_path / f"o.{to}")  # type: ignore[arg-type]
    result = render(data, to, tmp_path / f"o.{to}", force=True)  # type: ignore[arg-type]
    assert result.forced and result.data.forced
    payload = (tmp_path / f"o.{to}").read_bytes()
    fmt = {"html": "html", "md": "text", "txt": "text", "docx": "docx"}[to]
    got = read(payload, fmt, name=f"o.{to}")
    assert "强制生成" in (got.extra("x_preamble") or "") + (got.extra("x_text") or "") or (
        "强制生成" in payload.decode("utf-8", "replace")
    )
    assert bool(got.extra("x_forced", {}).get("forced")) is (to in ("html", "docx"))
    if to in ("html", "docx"):
        assert "forced-output" in [w["code"] for w in got.extra("x_warnings")]
    if to == "docx":
        import io
        import zipfile

        body = zipfile.ZipFile(io.BytesIO(payload)).read("word/document.xml").decode()
        assert "强制生成" in body and "C00000" in body
    if to == "html":
        page = payload.decode()
        assert 'class="forced"' in page
        start = page.index('id="gongkai-record">') + len('id="gongkai-record">')
        embedded = json.loads(page[start : page.index("</script>", start)])
        assert embedded[FORCED_KEY]["forced"] is True
        assert embedded[FORCED_KEY]["errors"]


def test_unforced_output_has_no_mark() -> None:
    page = render_bytes(from_dict(example("2021")), "html").decode()
    assert "强制生成" not in page and FORCED_KEY not in page


# ---------------------------------------------------------------- #4 messages in Chinese, with the cell


def _workbook(tmp_path: Path, place: tuple[str | int, ...], value: object) -> tuple[Path, str]:
    path = write_template(tmp_path / "t.xlsx", EDITION_2021, data=from_dict(example("2021")))
    cell = cell_places(EDITION_2021)[place]
    sheet, coord = cell.split("!")
    wb = load_workbook(path)
    wb[sheet][coord] = value
    wb.save(path)
    return path, cell


def test_a_unit_typed_in_a_count_is_named_in_chinese(tmp_path: Path) -> None:
    path, cell = _workbook(tmp_path, ("table3", "granted", 0), "3件")
    with pytest.raises(DataError) as exc:
        load_data(path)
    zh = exc.value.message("zh")
    assert cell in zh and "应填整数" in zh and "expected" not in zh
    assert cell in exc.value.message("en") and "whole number" in exc.value.message("en")


def test_a_total_typed_over_is_named_in_chinese(tmp_path: Path) -> None:
    path, cell = _workbook(tmp_path, ("table3", "granted", 6), 999)
    with pytest.raises(DataError) as exc:
        load_data(path)
    zh = exc.value.message("zh")
    assert cell in zh and "总计" in zh and " is " not in zh


def test_a_missing_year_is_named_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, cell = _workbook(tmp_path, ("year",), None)
    assert cell.startswith("基本信息!")
    code, _, err = _run(["render", str(path), "--to", "txt", "-o", str(tmp_path / "o.txt")], capsys)
    assert code == 2 and cell in err and "统计年度" in err and "must be" not in err


def test_yaml_errors_in_chinese() -> None:
    with pytest.raises(DataError) as exc:
        from_dict({"agency": "青山县", "year": 2024, "table3": {"new": [1, 2]}}, "d.yaml")
    zh = exc.value.message("zh")
    assert zh.startswith("d.yaml：表三") and "应有 7 项" in zh and "List should" not in zh
    with pytest.raises(DataError) as exc:
        from_dict({"agency": "青山县", "year": 2024, "table2": {"fees": {"amount": "很多"}}})
    assert "表二" in exc.value.message("zh") and "应为金额" in exc.value.message("zh")


def test_a_rule_error_on_a_workbook_names_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = example("2021")
    rec["table3"]["carried_forward"][0] += 1  # 结转 no longer 新收+上年−办结
    path = write_template(tmp_path / "t.xlsx", EDITION_2021, data=from_dict(rec))
    with pytest.raises(Refused) as exc:
        render(path, "txt")
    cells = {(f.model_extra or {}).get("x_cell") for f in exc.value.findings}
    t3 = {v for k, v in cell_places(EDITION_2021).items() if k[0] == "table3"}
    assert cells & t3
    want = sorted(cells & t3)[0]
    code, _, err = _run(["render", str(path), "--to", "txt", "-o", str(tmp_path / "o.txt")], capsys)
    assert code == 1 and want in err


# ---------------------------------------------------------------- template --from


def test_template_from_writes_report_text_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = example("2021")
    rec["agency"] = '=HYPERLINK("http://evil.example","点我")'
    rec["x_narrative"] = {"signature": "+1+1", "contact": "@SUM(1)"}
    prev = tmp_path / "prev.json"
    prev.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    code, _, err = _run(["template", "--xlsx", str(out), "--from", str(prev)], capsys)
    assert code == 0, err
    wb = load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert "HYPERLINK" not in str(c.value) and "@" not in str(c.value)
    meta = wb["基本信息"]
    texts = [c for row in meta.iter_rows() for c in row if isinstance(c.value, str)]
    evil = [c for c in texts if "HYPERLINK" in c.value]
    assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)
    assert load_data(out).report.agency == rec["agency"]


def test_template_from_a_2019_report_does_not_claim_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prev = tmp_path / "prev.json"
    prev.write_text(json.dumps(example("2019", 2020), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    code, stdout, err = _run(["template", "--xlsx", str(out), "--from", str(prev)], capsys)
    assert code == 0, err
    assert "现行有效件数公式" not in stdout + err
    wb = load_workbook(out)
    assert not [c for c in wb["表二"]._cells.values() if c.data_type == "f"]
    assert EDITION_2019.id == "2019"
