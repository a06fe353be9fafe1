"""click's own words (``Usage:``, ``Options``, usage errors) in Chinese.

click marks its messages for gettext but ships no translations. When the
user's language is Chinese, :func:`install` points click's ``gettext`` and
``ngettext`` names at this catalogue; a message it does not know stays
English. Placeholders (``{name!r}``) are kept as click formats them.

Four things click does not route through gettext are handled here too:
the usage line's ``[OPTIONS]`` and argument names, the names of value types
(``--year INTEGER`` → ``--year 整数``), number ranges (``[1<=x<=64]`` →
``[1–64]``, ``[x>=1]`` → ``[≥1]``), and the width of Chinese characters, which
take two columns of a terminal (click counts one, so help columns after a
Chinese placeholder did not line up). Headings end in a full-width colon.
"""

from __future__ import annotations

import importlib
import unicodedata
from typing import Any

CATALOGUE: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已中止！",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Show this message and exit.": "显示本帮助并退出",
    "Show the version and exit.": "显示版本号并退出",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "integer": "整数",
    "float": "数",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}

PLURALS: dict[str, str] = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "Did you mean {possibility}?": "是不是 {possibility}？",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
}
PLURALS_MANY: dict[str, str] = {
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "(Did you mean one of: {possibilities}?)": "（是不是其中之一：{possibilities}？）",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats}。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
}

#: words of the usage line, as click spells them → Chinese
USAGE_WORDS: dict[str, str] = {
    "[OPTIONS]": "[选项]",
    "COMMAND": "命令",
    "[ARGS]": "[参数]",
    "[FILES]": "[文件]",
    "FILES": "文件",
    "FILE": "文件",
    "[PATHS]": "[路径]",
    "PATHS": "路径",
    "PATH": "路径",
    "[SOURCES]": "[来源]",
    "SOURCES": "来源",
    "SOURCE": "来源",
    "DATA": "数据",
    "REPORT": "报告",
    "ID": "编号",
    "URL": "网址",
    "[URLS]": "[网址]",
    "URLS": "网址",
}

#: click's names of value types, shown as the metavar of an option (``--year INTEGER``)
TYPE_NAMES: dict[str, str] = {
    "TEXT": "文本",
    "INTEGER": "整数",
    "INTEGER RANGE": "整数",
    "FLOAT": "数",
    "FLOAT RANGE": "数",
    "BOOLEAN": "是否",
    "DATE": "日期",
    "DATETIME": "日期时间",
    "FILENAME": "文件",
    "PATH": "路径",
    "FILE": "文件",
    "DIRECTORY": "目录",
    "CHOICE": "选项",
    "UUID": "UUID",
}

_MODULES = (
    "click.core",
    "click.exceptions",
    "click.formatting",
    "click.decorators",
    "click.parser",
    "click.types",
)


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if n == 1:
        return PLURALS.get(singular, singular)
    return PLURALS_MANY.get(plural, plural)


def install(chinese: bool) -> None:
    """Point click at the Chinese catalogue (``chinese``) or back at plain gettext."""
    import gettext as std

    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext if chinese else std.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext if chinese else std.ngettext  # type: ignore[attr-defined]
    _patch(chinese)


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters take two."""
    import click._compat

    plain = click._compat.strip_ansi(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in plain)


_ORIGINAL: dict[str, Any] = {}


def _patch(chinese: bool) -> None:
    import click.core
    import click.formatting
    import click.types

    fmt, rng = click.formatting.HelpFormatter, click.types._NumberRangeBase
    if not _ORIGINAL:
        _ORIGINAL.update(
            term_len=getattr(click.formatting, "term_len"),  # noqa: B009
            heading=fmt.write_heading,
            usage=fmt.write_usage,
            describe=rng._describe_range,
            metavar=click.core.Parameter.make_metavar,
        )
    if not chinese:
        setattr(click.formatting, "term_len", _ORIGINAL["term_len"])  # noqa: B010
        fmt.write_heading = _ORIGINAL["heading"]  # type: ignore[method-assign]
        fmt.write_usage = _ORIGINAL["usage"]  # type: ignore[method-assign]
        rng._describe_range = _ORIGINAL["describe"]  # type: ignore[method-assign]
        click.core.Parameter.make_metavar = _ORIGINAL["metavar"]  # type: ignore[method-assign]
        return

    def write_heading(self: click.formatting.HelpFormatter, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(
        self: click.formatting.HelpFormatter, prog: str, args: str = "", prefix: str | None = None
    ) -> None:
        words = [
            USAGE_WORDS.get(w.removesuffix("..."), w.removesuffix("..."))
            + "..." * w.endswith("...")
            for w in args.split()
        ]
        _ORIGINAL["usage"](self, prog, " ".join(words), prefix)

    def describe_range(self: click.types._NumberRangeBase[Any, Any]) -> str:
        if self.min is not None and self.max is not None and not (self.min_open or self.max_open):
            return f"{self.min}–{self.max}"
        if self.max is None and self.min is not None:
            return f"{'>' if self.min_open else '≥'}{self.min}"
        if self.min is None and self.max is not None:
            return f"{'<' if self.max_open else '≤'}{self.max}"
        text: str = _ORIGINAL["describe"](self)
        return text

    def make_metavar(self: click.core.Parameter, ctx: click.Context) -> str:
        text: str = _ORIGINAL["metavar"](self, ctx)
        if self.metavar is not None:
            return TYPE_NAMES.get(text, text)
        words = [w.strip("<>") for w in text.removesuffix("...").split()]
        if " ".join(words) in TYPE_NAMES:
            words = [TYPE_NAMES[" ".join(words)]]
        shown = " ".join(TYPE_NAMES.get(w, w) for w in words)
        if text.startswith("<"):
            shown = f"<{shown}>"
        return shown + "..." * text.endswith("...")

    setattr(click.formatting, "term_len", display_width)  # noqa: B010
    fmt.write_heading = write_heading  # type: ignore[method-assign]
    fmt.write_usage = write_usage  # type: ignore[method-assign]
    rng._describe_range = describe_range  # type: ignore[method-assign]
    click.core.Parameter.make_metavar = make_metavar  # type: ignore[method-assign]
