"""The national format is data in gongkai/national/: no other module spells its labels.

A label is "spelled" when a string constant of the code *is* a label of the
format (or a variant seen in the wild, or a word only one edition prints):
``"结果维持"`` in a tuple of words, ``"（六）其他处理"`` as a marker. Messages
and docs may name rows in a sentence; they are prose, not the format.
"""

from __future__ import annotations

import ast
import doctest
import re
from pathlib import Path

import gongkai.national
from gongkai import national
from gongkai.national.labels import strip_numbering

PACKAGE = Path(national.__file__).resolve().parent.parent
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _labels() -> frozenset[str]:
    out = set()
    for label in national.printed_labels():
        for form in (label, strip_numbering(label)):
            if len(_CJK.findall(form)) >= 4:  # 总计, 其他 … are ordinary words
                out.add(form)
    return frozenset(out)


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def spelled_labels(path: Path, labels: frozenset[str]) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and node.value.strip() in labels
    ]


def test_no_module_outside_national_spells_a_label() -> None:
    labels = _labels()
    found = [
        f"{path.relative_to(PACKAGE)}:{line} {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "national" not in path.relative_to(PACKAGE).parts
        for line, text in spelled_labels(path, labels)
    ]
    assert not found, "labels of the format outside gongkai/national/:\n" + "\n".join(found)


def test_the_scan_finds_a_label_spelled(tmp_path: Path) -> None:
    """The scan is not blind: a module holding table 4's header words is caught."""
    module = tmp_path / "bad.py"
    module.write_text('WORDS = ("结果维持", "结果纠正")\nMSG = "请核对结果维持一列"\n', "utf-8")
    assert [t for _, t in spelled_labels(module, _labels())] == ["结果维持", "结果纠正"]


def test_the_public_face() -> None:
    assert national.edition_for_year(2021) is national.EDITION_2021
    assert national.writable_edition("2019") is national.EDITION_2019
    assert "legacy" not in national.WRITABLE_EDITIONS
    assert national.T3_WIDTH == 7 and national.T4_WIDTH == 5
    assert {"（六）其他处理", "结果维持", "法人或其他组织"} <= national.printed_labels()
    assert doctest.testmod(gongkai.national).failed == 0
