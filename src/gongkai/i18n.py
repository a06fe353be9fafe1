"""Messages a person reads, in Chinese (default) and English.

Every message is a pair in a catalogue; :func:`tr` picks the language. The
language comes from ``--lang`` on the command line, else the environment
variable ``GONGKAI_LANG``, else Chinese. Modules with many messages of their
own (the checker's rules) keep them beside their code as (zh, en) pairs and
call :func:`pick`.
"""

from __future__ import annotations

import os
from typing import Any, Literal

Lang = Literal["zh", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    # parse
    "parse.read": ("已读取 {source}（{format}）", "read {source} ({format})"),
    "parse.summary": (
        "共 {total} 个文件：成功 {ok} 个，跳过 {skipped} 个，失败 {failed} 个",
        "{total} files: {ok} read, {skipped} skipped, {failed} failed",
    ),
    "parse.wrote": ("已写出 {path}", "wrote {path}"),
    "parse.agency": ("机关", "agency"),
    "parse.year": ("年度", "year"),
    "parse.template": ("格式版本", "template"),
    "parse.published": ("发布日期", "published"),
    "parse.sections": ("六个部分", "parts"),
    "parse.tables": ("统计表", "tables"),
    "parse.warnings": ("解析提示", "parse warnings"),
    "parse.cells": ("单元格 {filled}/{total} 个有值", "{filled}/{total} cells have values"),
    "parse.missing": ("未找到", "not found"),
    "parse.embedded_diff": (
        "文件内嵌的数据与页面内容不一致（{n} 处），页面可能在生成后被手工修改",
        "the embedded record disagrees with the visible report in {n} places: edited by hand after gongkai wrote it?",
    ),
    "help.jobs": (
        "并行进程数（输出仍按输入顺序）",
        "number of processes (output stays in input order)",
    ),
    "error.prefix": ("错误：", "error: "),
    "error.usage": ("用法错误", "usage error"),
    "error.colon": ("：", ": "),
    "error.no_report": ("{given}: 没有找到可读取的报告", "{given}: no report found to read"),
    "error.no_files": ("没有给出文件", "no files given"),
    "error.not_found": ("{path}: 文件不存在", "{path}: no such file"),
    "error.is_dir": ("{path}: 是目录，不是文件", "{path}: is a directory, not a file"),
    "error.unexpected": (
        "{path}: 读取时出现意外错误（{kind}），请报告此问题",
        "{path}: unexpected error while reading ({kind}); please report it",
    ),
    "help.root": (
        "gongkai：政府信息公开工作年度报告的读取、检查与生成工具。",
        "gongkai: read, check and write government information disclosure annual reports.",
    ),
    "help.help": ("显示本帮助并退出", "Show this message and exit."),
    "help.version": ("显示版本号并退出", "Show the version and exit."),
    "help.lang": ("界面语言：zh（中文，默认）或 en", "language of messages: zh (default) or en"),
    "help.parse": (
        "读取年度报告（HTML、文本、DOCX、PDF），输出报告记录。",
        "Read annual reports (HTML, text, DOCX, PDF) into report records.",
    ),
    "help.parse.json": ("输出 JSON 报告记录", "print the report record as JSON"),
    "help.parse.explain": (
        "说明每段文字被识别为哪张表、哪一行、哪一格",
        "show which text became which table, row and cell",
    ),
    "help.parse.outdir": (
        "把每个记录写入目录 DIR（文件名.json）",
        "write each record to DIR/FILE.json",
    ),
    "help.parse.format": ("指定输入格式（默认自动识别）", "input format (detected by default)"),
    "help.parse.private": (
        "JSON 中不含 x_ 开头的解析附加信息",
        "leave the parser's own x_ keys out of the JSON",
    ),
    "help.schema": ("输出报告记录的 JSON Schema", "Print the JSON Schema of the report record."),
    "help.schema.kind": ("report（报告记录）或 check（检查结果）", "report (default) or check"),
    "next.try": ("下一步可以试试：", "What to try next:"),
}


def current_lang() -> Lang:
    env = os.environ.get("GONGKAI_LANG", "zh").lower()
    return "en" if env.startswith("en") else "zh"


def pick(pair: tuple[str, str], lang: Lang | None = None, **kw: Any) -> str:
    """Choose the Chinese or English text of ``pair`` and format it."""
    text = pair[1] if (lang or current_lang()) == "en" else pair[0]
    return text.format(**kw) if kw else text


def tr(key: str, lang: Lang | None = None, **kw: Any) -> str:
    """The message ``key`` in ``lang`` (default: :func:`current_lang`)."""
    return pick(MESSAGES[key], lang, **kw)
