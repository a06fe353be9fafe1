"""The words of the web interface, in Chinese and English (``t(key)`` in templates).

Labels of the tables never appear here: they come from
:mod:`gongkai.national`. Messages about a report come from the library in
the language of the request.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "site": ("gongkai 政府信息公开年报", "gongkai annual reports"),
    "nav.check": ("检查报告", "Check a report"),
    "nav.corpus": ("报告库", "Corpus"),
    "nav.rules": ("检查规则", "Rules"),
    "nav.api": ("API 文档", "API docs"),
    "lang.other": ("English", "中文"),
    "json": ("JSON", "JSON"),
    "footer": (
        "gongkai：读取、检查、生成政府信息公开工作年度报告。本页面不加载任何外部资源。",
        "gongkai: read, check and write government information disclosure annual reports. "
        "This page loads nothing from outside this server.",
    ),
    "writer.on": ("已获写入权限", "you may write"),
    "writer.off": ("只读", "read-only"),
    "writer.login": ("输入写入令牌", "enter the write token"),
    "writer.token": ("令牌", "token"),
    "writer.submit": ("确认", "confirm"),
    "writer.none": (
        "本服务器启动时未设置写入令牌，不接受任何写入。",
        "This server was started without a write token: it accepts no writes.",
    ),
    "writer.wrong": ("令牌不正确", "wrong token"),
    "writer.ok": (
        "令牌正确，本浏览器现在可以写入。",
        "Token accepted: this browser may now write.",
    ),
    # problems
    "problem.back": ("返回", "back"),
    # check
    "check.title": ("检查年度报告", "Check an annual report"),
    "check.intro": (
        "上传报告文件（PDF、DOCX、DOC、HTML、文本），或粘贴报告全文。文件只用于本次检查。",
        "Upload a report (PDF, DOCX, DOC, HTML, text) or paste its text. "
        "The file is used for this check only.",
    ),
    "check.file": ("报告文件", "report file"),
    "check.text": ("或粘贴报告全文", "or paste the report's text"),
    "check.url": ("或报告网址", "or the report's URL"),
    "check.submit": ("检查", "Check"),
    "check.limit": ("文件上限 {mb} MB", "up to {mb} MB"),
    "check.nothing": (
        "请选择文件、粘贴全文或填写网址",
        "choose a file, paste the text or give a URL",
    ),
    "check.result": ("检查结果", "Check result"),
    "check.verdict.ok": ("未发现错误", "no errors found"),
    "check.verdict.bad": ("发现 {n} 个错误", "{n} errors found"),
    "check.counts": ("错误 {e} · 警告 {w} · 提示 {i}", "{e} errors · {w} warnings · {i} notes"),
    "check.download.record": ("下载报告记录（JSON）", "download the record (JSON)"),
    "check.download.findings": ("下载检查结果（Excel）", "download the findings (Excel)"),
    "check.download.result": ("检查结果 JSON", "check result JSON"),
    "check.add": ("加入报告库", "add to the corpus"),
    "check.expired": (
        "此检查结果已过期（服务器只保留最近的结果），请重新上传。",
        "This result has expired (the server keeps only recent results): upload again.",
    ),
    "check.fetch_off": (
        "本服务器未开启网址获取（gongkai serve --fetch-urls）",
        "this server does not fetch URLs (gongkai serve --fetch-urls)",
    ),
    "check.again": ("检查另一份", "check another"),
    # report drawing
    "report.agency": ("机关", "agency"),
    "report.year": ("年度", "year"),
    "report.template": ("格式版本", "template"),
    "report.published": ("发布日期", "published"),
    "report.source": ("来源文件", "source file"),
    "report.none": ("未找到", "not found"),
    "report.tables": ("统计表（按原样）", "The tables, as printed"),
    "report.table_missing": ("报告中未找到此表", "this table was not found in the report"),
    "report.legacy": ("旧格式报告正文中的数字", "figures stated in the prose (old format)"),
    "report.blank": ("空白", "blank"),
    "report.unsure": ("无法确定", "not sure"),
    "report.from": ("来自", "from"),
    "findings.title": ("检查发现", "Findings"),
    "findings.none": ("没有发现问题", "nothing found"),
    "findings.expected": ("应为", "expected"),
    "findings.actual": ("实为", "actual"),
    "findings.where": ("位置", "where"),
    "findings.cell": ("对应单元格", "the cell"),
    "unplaced.title": ("未能确定的内容", "What the reader could not place"),
    "unplaced.intro": (
        "以下内容读取时无法确定，相关单元格留空，检查规则不以其为依据。",
        "The reader was not sure of these; their cells are left blank and no finding rests on them.",
    ),
    "unplaced.none": ("全部内容均已确定", "everything was placed"),
    "where.table": ("表", "table"),
    "where.row": ("行", "row"),
    "where.column": ("列", "column"),
    "where.section": ("部分", "part"),
    "where.line": ("行号", "line"),
    "where.page": ("页", "page"),
    # rules
    "rules.title": ("检查规则", "Check rules"),
    "rules.intro": (
        "检查报告时运行的全部规则。标 ✱ 的为本项目新增，其余为规则目录（interchange.md §3）。",
        "Every rule a check runs. Rules marked ✱ are defined by this project; "
        "the others are the catalogue (interchange.md §3).",
    ),
    "rules.id": ("规则", "rule"),
    "rules.severity": ("严重程度", "severity"),
    "rules.scope": ("类别", "scope"),
    "rules.what": ("说明", "what it finds"),
    "rules.examples": ("示例", "examples"),
    "rules.no_examples": ("暂无示例", "no example yet"),
}
