"""The batch API and the one loader: every file accounted for, pairing said, flat and ordered.

Each test here failed before ``gongkai.batch`` existed (files of a folder
vanished, YAML was read as text, an empty folder exited 0…).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from check_records import clean
from gongkai.batch import CheckOptions, check_files, discover, load_data, load_report, read_files
from gongkai.cli.check import command as check_command
from gongkai.cli.parse import command as parse_command
from gongkai.errors import FileMissing, NotAFile, RecordError, RemoteInput

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _write(folder: Path, name: str, data: dict[str, Any]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(p)


def _check(*args: str) -> Any:
    return CliRunner().invoke(check_command(), list(args), env={"GONGKAI_LANG": "zh"})


def _pair(tmp_path: Path) -> tuple[str, str]:
    this = clean(agency="淮安市洪泽区人民政府", year=2024)
    last = clean(agency="洪泽区人民政府", year=2023)
    last["table3"]["carried_forward"] = [4, 0, 0, 0, 0, 0, 4]
    return _write(tmp_path / "b", "this.json", this), _write(tmp_path / "a", "last.json", last)


def test_every_file_of_a_folder_is_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "qingshan-szf-2024.html", folder)
    for name in ("scan.png", "data.xlsx", "old.wps", "doc.ofd", "all.zip", "notes.yaml"):
        (folder / name).write_bytes(b"x")
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    got = {Path(e.path).name: e for e in discover([str(folder)])}
    assert set(got) == {
        "qingshan-szf-2024.html",
        "scan.png",
        "data.xlsx",
        "old.wps",
        "doc.ofd",
        "all.zip",
        "notes.yaml",
    }
    assert got["qingshan-szf-2024.html"].skip is None and got["scan.png"].skip is None
    assert got["old.wps"].manual_review
    assert "解压" in got["all.zip"].skip.message("zh")  # type: ignore[union-attr]
    res = _check(str(folder), "--json")
    entries = json.loads(res.stdout)
    assert [Path(e["file"]).name for e in entries] == sorted(got)
    statuses = {Path(e["file"]).name: e["status"] for e in entries}
    # an image is read by OCR; this one is not an image at all, and a person should look
    assert statuses["scan.png"] == "failed" and statuses["qingshan-szf-2024.html"] == "read"
    assert next(e for e in entries if e["file"].endswith("scan.png"))["manual_review"]
    assert all("reason" in e for e in entries if e["status"] != "read")
    human = _check(str(folder))
    assert (
        "scan.png" in human.stdout
        and "已跳过" in human.stdout
        and "合计 7 个文件" in human.stdout
        and "PNG" in human.stdout
    )


def test_no_report_found_is_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    res = _check(str(empty))
    assert res.exit_code == 2 and "没有找到" in res.stderr
    (empty / "data.xlsx").write_bytes(b"PK")
    res = _check(str(empty), "--json")
    assert res.exit_code == 2 and json.loads(res.stdout)[0]["status"] == "skipped"


def test_pairing_is_said_and_outputs_keep_input_order(tmp_path: Path) -> None:
    this, last = _pair(tmp_path)
    outs = list(check_files([this, last]))
    assert [o.path for o in outs] == [this, last]
    assert outs[0].previous == last and outs[1].previous is None
    assert "carry-over" in {f.rule for f in outs[0].result.findings}  # type: ignore[union-attr]
    res = _check(this, last)
    assert f"上一年度报告：{last}" in res.stdout and "未找到同一机关的上一年度报告" in res.stdout
    entries = json.loads(_check(this, last, "--json").stdout)
    assert entries[0]["previous"] == last and entries[1]["previous"] is None


def test_a_small_cache_and_two_processes_give_the_same_results(tmp_path: Path) -> None:
    this, last = _pair(tmp_path)
    files = [this, str(EXAMPLES / "qingshan-szf-2024.html"), last]

    def digest(**kw: Any) -> list[Any]:
        return [
            (o.path, o.status, o.previous, o.result.to_dict() if o.result else None)
            for o in check_files(files, options=CheckOptions(lang="zh"), **kw)
        ]

    one = digest()
    assert digest(cache=0) == one
    assert digest(jobs=2) == one


def test_jsonl_is_one_entry_a_line(tmp_path: Path) -> None:
    this, last = _pair(tmp_path)
    res = _check(this, last, str(tmp_path / "absent.pdf"), "--jsonl")
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["status"] for x in lines] == ["read", "read", "failed"]
    assert lines[2]["reason"]["code"] == "not-found"
    assert res.exit_code == 2


def test_json_shape_follows_the_command_line(tmp_path: Path) -> None:
    this, _ = _pair(tmp_path)
    one = json.loads(_check(this, "--json").stdout)
    assert set(one) == {"report", "findings"}
    folder = json.loads(_check(str(Path(this).parent), "--json").stdout)
    assert isinstance(folder, list) and len(folder) == 1 and folder[0]["file"] == this


def test_yaml_is_read_as_data_by_check_and_previous(tmp_path: Path) -> None:
    data = EXAMPLES / "qingshan-minzheng-2024.yaml"
    assert load_report(data).agency == load_report(EXAMPLES / "qingshan-minzheng-2024.txt").agency
    assert load_data(data).narrative.contact  # the narrative is kept for template --from
    res = _check(str(EXAMPLES / "qingshan-minzheng-2024.txt"), "--previous", str(data))
    assert res.exit_code in (0, 1) and "不是政府信息公开" not in res.output


def test_loader_refuses_what_is_not_a_regular_local_file(tmp_path: Path) -> None:
    with pytest.raises(FileMissing):
        load_report(tmp_path / "missing.pdf")
    with pytest.raises(RemoteInput):
        load_report("https://www.gov.cn/report.html")
    named = tmp_path / "report.pdf"
    named.mkdir()
    with pytest.raises(NotAFile):
        load_report(named)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile) as exc:
        load_report(fifo)
    assert "FIFO" in exc.value.message("zh")
    bad = tmp_path / "bad.json"
    bad.write_text("[" * 100000, encoding="utf-8")
    with pytest.raises(RecordError):
        load_report(bad)


def test_cli_names_fifo_url_and_newline_names_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    odd = tmp_path / "一、总体情况\n二、主动公开.txt"
    shutil.copy(EXAMPLES / "qingshan-szf-2024.txt", odd)
    res = _check(str(fifo), "https://example.gov.cn/a.html", str(odd))
    assert res.exit_code == 2
    assert "FIFO" in res.stderr and "网址" in res.stderr
    assert "青山市人民政府" in res.stdout  # the file with a newline in its name is read as a file


def test_previous_folder_says_what_it_passed_over(tmp_path: Path) -> None:
    this, last = _pair(tmp_path)
    (Path(last).parent / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (Path(last).parent / "photo.png").write_bytes(b"x")
    seen: list[str] = []
    outs = list(
        check_files([this], previous=Path(last).parent, on_previous=lambda o: seen.append(o.path))
    )
    assert outs[0].previous == last
    assert sorted(Path(p).name for p in seen) == ["broken.pdf", "photo.png"]


def test_parse_accounts_for_files_and_names_unique_outputs(tmp_path: Path) -> None:
    for sub in ("2023", "2024"):
        (tmp_path / sub).mkdir()
        shutil.copy(EXAMPLES / "qingshan-szf-2024.html", tmp_path / sub / "report.html")
    (tmp_path / "2024" / "data.xlsx").write_bytes(b"x")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        parse_command(),
        [str(tmp_path / "2023"), str(tmp_path / "2024"), "-o", str(out)],
        env={"GONGKAI_LANG": "zh"},
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["report-2.html.json", "report.html.json"]
    assert "同名" in res.stderr and "跳过 1 个" in res.stderr


def test_explain_reads_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import gongkai.reading.formats as readers

    calls: list[str] = []
    original = readers.load_document

    def counting(*a: Any, **k: Any) -> Any:
        calls.append(str(a[0]))
        return original(*a, **k)

    monkeypatch.setattr(readers, "load_document", counting)
    monkeypatch.setattr("gongkai.reading.load_document", counting)
    outs = list(read_files([str(EXAMPLES / "qingshan-szf-2024.txt")], keep_document=True))
    assert outs[0].document is not None and len(calls) == 1


def test_images_of_a_saved_page_are_read_with_the_page(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "qingshan-szf-2024.html", tmp_path / "report.html")
    (tmp_path / "report_files").mkdir()
    (tmp_path / "report_files" / "t3.png").write_bytes(b"\x89PNG")
    (tmp_path / "scan.png").write_bytes(b"\x89PNG")
    got = {Path(e.path).name: e for e in discover([str(tmp_path)])}
    assert got["t3.png"].skip is not None and "随网页读取" in got["t3.png"].skip.message("zh")
    assert got["scan.png"].skip is None and got["report.html"].skip is None


def test_outputs_are_not_private_files(tmp_path: Path) -> None:
    """An output gets the mode any new file gets (the temporary file it was written to is 0600)."""
    import os
    import stat

    from gongkai.output import atomic_write

    old = os.umask(0o022)
    try:
        import gongkai.output as output

        path = atomic_write(tmp_path / "out.csv", "a,b\n")
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~output._UMASK
    finally:
        os.umask(old)
