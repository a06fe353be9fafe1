"""JSON and YAML from untrusted files, parsed within bounds.

Data files (a record to render, last year's record, an embedded copy) come
from people and web sites. :func:`loads` parses one and raises
:class:`StructuredError` — a ``ValueError`` with a Chinese and an English
message — instead of the tracebacks the plain parsers end in:

- nesting deeper than :data:`MAX_DEPTH` (``[[[[…`` or ``- - - …``, which end in
  ``RecursionError``);
- integers longer than :data:`MAX_INT_DIGITS` digits (Python refuses to convert
  more than 4300, and no count in a report has more than a dozen);
- YAML dates that do not exist (``2024-02-30``, ``0000-01-01``): kept as text,
  so validation names the field;
- YAML aliases (``*a``): a data file has no use for them, and they let a small
  file expand into a huge one;
- text longer than :data:`MAX_CHARS`.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml

MAX_DEPTH = 64
MAX_INT_DIGITS = 30
MAX_CHARS = 20_000_000

Kind = Literal["json", "yaml"]


class StructuredError(ValueError):
    """JSON or YAML that cannot be read safely; ``zh`` and ``en`` say why."""

    def __init__(self, en: str, zh: str) -> None:
        self.en = en
        self.zh = zh
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _int(text: str) -> int:
    digits = text.lstrip("+-").replace("_", "")
    if len(digits) > MAX_INT_DIGITS:
        raise StructuredError(
            f"a number of {len(digits)} digits (at most {MAX_INT_DIGITS} are read)",
            f"数字长达 {len(digits)} 位（最多读取 {MAX_INT_DIGITS} 位）",
        )
    return int(text)


def _depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise when ``value`` nests deeper than ``limit`` (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            if d > limit:
                raise _too_deep()
            items = v.values() if isinstance(v, dict) else v
            stack.extend((x, d + 1) for x in items if isinstance(x, dict | list))


def _too_deep() -> StructuredError:
    return StructuredError(
        f"nested more than {MAX_DEPTH} levels deep",
        f"嵌套超过 {MAX_DEPTH} 层",
    )


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases, with bounded integers and dates that may not exist."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise StructuredError(
                f"YAML alias *{event.anchor} at line {event.start_mark.line + 1} is not allowed",
                f"第 {event.start_mark.line + 1} 行的 YAML 别名 *{event.anchor} 不被接受",
            )
        self._gk_depth = getattr(self, "_gk_depth", 0) + 1
        try:
            if self._gk_depth > MAX_DEPTH:
                raise _too_deep()
            return super().compose_node(parent, index)
        finally:
            self._gk_depth -= 1

    def construct_yaml_int(self, node: Any) -> int:
        value = str(self.construct_scalar(node))
        digits = value.lstrip("+-").replace("_", "")
        if len(digits) > MAX_INT_DIGITS:
            _int(value)  # raises
        result: int = super().construct_yaml_int(node)
        return result

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return str(self.construct_scalar(node))  # validation names the field


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def loads(text: str, kind: Kind) -> Any:
    """Parse ``text`` as JSON or YAML; :class:`StructuredError` when it cannot be read."""
    if len(text) > MAX_CHARS:
        raise StructuredError(
            f"{len(text)} characters (at most {MAX_CHARS} are read)",
            f"长达 {len(text)} 个字符（最多读取 {MAX_CHARS} 个）",
        )
    try:
        if kind == "json":
            value = json.loads(text, parse_int=_int)
            _depth(value)
            return value
        return yaml.load(text, Loader=_Loader)
    except StructuredError:
        raise
    except RecursionError:
        raise _too_deep() from None
    except json.JSONDecodeError as exc:
        raise StructuredError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where_en = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        where_zh = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StructuredError(
            f"not valid YAML: {problem}{where_en}",
            f"不是有效的 YAML：{where_zh}（{problem}）",
        ) from None
    except (ValueError, OverflowError) as exc:
        raise StructuredError(
            f"cannot be read: {str(exc).splitlines()[0]}",
            f"无法读取：{str(exc).splitlines()[0]}",
        ) from None
