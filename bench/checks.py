"""Bench of the checker: recall per rule on injected faults, false alarms on the corpus.

    .venv/bin/python bench/checks.py [--corpus ../shared/corpus] [--json]

1. False alarms: every corpus report is checked as published (read with
   ``gongkai.read``, and as its hand-checked ``.gt.json`` record; reports of
   one agency in consecutive years are paired). A finding whose rule is not
   among the real problems the notes list (:data:`EXPECTED`) is a false alarm.
2. Recall: known faults are injected — into the records (change a cell, blank
   a cell, drop a row or table, swap the year, move the publication date,
   copy last year's prose, inject spam, sign with another agency …) and into
   the real report files (drop a part, swap the title year, move the
   signature date, inject spam, a foreign e-mail, another author) — and a
   fault counts as caught when its rule reports a finding (where, expected,
   actual) that the untouched report does not have.

Target: every injected fault of an error-severity rule caught; no
error-severity false alarm on the corpus.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.checks import check, registry  # noqa: E402
from gongkai.checks.across_years import pair  # noqa: E402
from gongkai.record import Report  # noqa: E402

#: the real problems the notes of each reference record list, as rule ids
EXPECTED: dict[str, set[str]] = {
    "hongze-qzf-2023": {"t4-total", "t3-legacy-row"},
    "hongze-qzf-2024": {"t3-legacy-row", "text-table-mismatch"},
    "liaoning-minzheng-2017": {"tampered-content"},
    "jian-minzheng-2020": {"missing-cell", "blank-cell"},
    "shuyang-fgj-2023": {"blank-cell"},
}

Fault = Callable[[dict[str, Any]], dict[str, Any] | None]


def corpus_dir(arg: str | None) -> Path:
    for cand in ([Path(arg)] if arg else []) + [
        ROOT.parent / "shared" / "corpus",
        ROOT / "shared" / "corpus",
    ]:
        if cand.is_dir():
            return cand
    raise SystemExit("corpus not found: give --corpus")


def read_file(path: Path) -> Report | None:
    try:
        from gongkai.reading import read
    except ImportError:
        return None
    try:
        return read(path)
    except Exception:
        return None


def stem(path: Path) -> str:
    return path.name.split(".")[0]


# ----------------------------------------------------------------- record faults


def _t3(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = d.get("table3")
    return t3 if isinstance(t3, dict) and t3.get("new") and t3.get("total") else None


def _bump(row: list[Any], cols: tuple[int, ...], by: int = 1) -> None:
    for c in cols:
        row[c] = (row[c] or 0) + by


def f_balance(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or not t3.get("carried_forward"):
        return None
    _bump(t3["carried_forward"], (0, 6))
    return d


def f_row_total(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or not t3.get("granted"):
        return None
    _bump(t3["granted"], (6,))
    return d


def f_results_total(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or not t3.get("granted"):
        return None
    _bump(t3["granted"], (0, 6))
    return d


def f_blank_total(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None:
        return None
    _bump(t3["new"], (0,), 2)
    _bump(t3["total"], (0,), 2)
    t3["new"][6] = None
    return d


def f_t4(d: dict[str, Any]) -> dict[str, Any] | None:
    t4 = d.get("table4")
    if not isinstance(t4, dict) or not t4.get("review"):
        return None
    _bump(t4["review"], (1,))
    return d


def f_negative(d: dict[str, Any]) -> dict[str, Any] | None:
    t4 = d.get("table4")
    if not isinstance(t4, dict) or not t4.get("litigation_direct"):
        return None
    row = t4["litigation_direct"]
    row[0] = -1
    row[4] = sum(v or 0 for v in row[:4])  # the total still adds up
    return d


def f_blank_cell(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or not t3.get("denied_state_secret"):
        return None
    if t3["denied_state_secret"][0] not in (0, None):
        return None
    t3["denied_state_secret"][0] = None
    d.pop("x_blank_cells", None)
    return d


def f_drop_row(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or "rejected_duplicate" not in t3:
        return None
    del t3["rejected_duplicate"]
    return d


def f_drop_table(d: dict[str, Any]) -> dict[str, Any] | None:
    if d.get("template") == "legacy" or d.get("table4") is None:
        return None
    d.pop("table4")
    if isinstance(d.get("x_tables"), dict):
        d["x_tables"].pop("table4", None)
    return d


def f_edition(d: dict[str, Any]) -> dict[str, Any] | None:
    if d.get("template") == "2021":
        d["year"] = 2020
    elif d.get("template") == "2019":
        d["year"] = 2022
    else:
        return None
    d.pop("x_year_sources", None)
    return d


def f_legacy(d: dict[str, Any]) -> dict[str, Any] | None:
    if d.get("template") != "legacy":
        return None
    d["year"] = 2019
    return d


def f_year(d: dict[str, Any]) -> dict[str, Any] | None:
    if d.get("year") is None:
        return None
    sources = d.get("x_year_sources") if isinstance(d.get("x_year_sources"), dict) else {}
    d["x_year_sources"] = {**sources, "title": d["year"] - 1}
    return d


def f_late(d: dict[str, Any]) -> dict[str, Any] | None:
    if d.get("year") is None:
        return None
    d["published"] = dt.date(d["year"] + 1, 6, 30).isoformat()
    return d


def f_spam(d: dict[str, Any]) -> dict[str, Any] | None:
    body = d.get("x_text") or ""
    d["x_text"] = body + "\n更多精彩请访问六合彩开奖直播\n"
    return d


def f_email(d: dict[str, Any]) -> dict[str, Any] | None:
    d["x_emails"] = [*(d.get("x_emails") or []), "service@lucky-win88.com"]
    return d


def f_agency(d: dict[str, Any]) -> dict[str, Any] | None:
    if not d.get("agency"):
        return None
    sources = d.get("x_agency_sources") if isinstance(d.get("x_agency_sources"), dict) else {}
    d["x_agency_sources"] = {**sources, "signature": "泗水县农业农村局"}
    return d


def f_drop_section(d: dict[str, Any]) -> dict[str, Any] | None:
    secs = d.get("x_sections")
    if not isinstance(secs, list) or not any(s.get("part") == 5 for s in secs):
        return None
    d["x_sections"] = [s for s in secs if s.get("part") != 5]
    title = next(s.get("title") for s in secs if s.get("part") == 5)
    if isinstance(d.get("x_text"), str) and title:
        d["x_text"] = d["x_text"].replace(title, "")
    return d


def f_prose(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or not d.get("x_sections"):
        return None
    from gongkai.checks.prose import figures

    if not any(f.kind == "received" for f in figures(Report.model_validate(d))):
        return None
    _bump(t3["new"], (0, 6), 5)
    return d


def f_fee(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    if t3 is None or d.get("template") != "2021" or not isinstance(d.get("x_sections"), list):
        return None
    if t3.get("other_unpaid_fee") is None:
        return None
    _bump(t3["other_unpaid_fee"], (0, 6), 2)
    d["x_sections"] = [{**s, "text": "无。"} if s.get("part") == 6 else s for s in d["x_sections"]]
    return d


def f_legacy_row(d: dict[str, Any]) -> dict[str, Any] | None:
    t3 = _t3(d)
    keys = ("other_no_correction", "other_unpaid_fee", "other_misc")
    if t3 is None or d.get("template") != "2021" or not all(t3.get(k) for k in keys):
        return None
    t3["other"] = [sum(v or 0 for v in col) for col in zip(*(t3.pop(k) for k in keys), strict=True)]
    return d


RECORD_FAULTS: dict[str, list[tuple[str, Fault]]] = {
    "t3-balance": [("change 结转下年度", f_balance)],
    "t3-row-total": [
        ("change a row total", f_row_total),
        ("blank a 总计 with parts", f_blank_total),
    ],
    "t3-results-total": [("change an outcome cell", f_results_total)],
    "t4-total": [("change a table-4 cell", f_t4)],
    "negative-value": [("negative count", f_negative)],
    "blank-cell": [("blank a cell", f_blank_cell)],
    "missing-cell": [("drop a table-3 row", f_drop_row)],
    "missing-table": [("drop table 4", f_drop_table)],
    "edition-mismatch": [("year of the other edition", f_edition)],
    "t3-legacy-row": [("2019 （六） row in a 2021 table", f_legacy_row)],
    "legacy-format": [("legacy report dated 2019", f_legacy)],
    "year-mismatch": [("title year ≠ data year", f_year)],
    "late-publication": [("publish on 30 June", f_late)],
    "tampered-content": [("inject 六合彩", f_spam), ("foreign e-mail", f_email)],
    "agency-mismatch": [("signed by another agency", f_agency)],
    "missing-section": [("drop part 五", f_drop_section)],
    "text-table-mismatch": [("table 新收 +5", f_prose)],
    "fee-not-reported": [("unpaid fees, part 六 silent", f_fee)],
}


def previous_faults(d: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(rule, fault, this year, last year) pairs built from one record."""
    if d.get("year") is None or not _t3(d):
        return
    last = copy.deepcopy(d)
    last["year"] = d["year"] - 1
    t3 = _t3(last)
    assert t3 is not None
    co = d["table3"].get("carried_over")
    if co:
        t3["carried_forward"] = [(v or 0) + (1 if i in (0, 6) else 0) for i, v in enumerate(co)]
        yield "carry-over", "last year's 结转 differs", d, last
    if d.get("template") == "2021":
        prev = copy.deepcopy(d)
        prev["year"] = d["year"] - 1
        nd = prev["table2"].get("normative_documents") or {}
        if isinstance(nd.get("in_force"), int):
            nd["in_force"] = nd["in_force"] + 7
            yield "stock-flow", "last year's 现行有效 +7", d, prev
    older = copy.deepcopy(d)
    older["year"] = d["year"] - 2
    yield "previous-unpaired", "a report two years old given as last year's", d, older
    if d.get("x_sections"):
        same = copy.deepcopy(d)
        same["year"] = d["year"] - 1
        yield "text-reuse", "last year's prose copied", d, same


# ----------------------------------------------------------------- file faults


def _edit(text: str, old: str, new: str) -> str | None:
    return text.replace(old, new, 1) if old in text else None


def file_faults(path: Path, report: Report) -> Iterator[tuple[str, str, str]]:
    """(rule, fault, new text) for a text or HTML report file."""
    raw = path.read_text(encoding="utf-8")
    year = report.year
    secs = report.extra("x_sections") or []
    five = next((s.get("title") for s in secs if isinstance(s, dict) and s.get("part") == 5), None)
    if five and report.template != "legacy":
        t = _edit(raw, five, "")
        if t:
            yield "missing-section", "drop the heading of part 五", t
    if year:
        t = raw
        for form in ("年政府信息公开", "年度政府信息公开"):
            t = t.replace(f"{year}{form}", f"{year - 1}{form}")
        if t != raw:
            yield "year-mismatch", "title year − 1", t
    pub = report.published
    if pub is not None:
        printed = f"{pub.year}年{pub.month}月{pub.day}日"
        t = raw.replace(printed, f"{pub.year}年6月{pub.day}日")
        if t != raw:
            yield "late-publication", "signature date moved to June", t
    marker = "一、总体"
    if marker in raw:
        yield (
            "tampered-content",
            "spam line injected",
            raw.replace(marker, "即时比分 百家乐在线\n" + marker, 1),
        )
        yield (
            "tampered-content",
            "foreign contact e-mail",
            raw.replace(marker, "联系邮箱：gov-office@bet-cn365.com\n" + marker, 1),
        )
        yield (
            "agency-mismatch",
            "preamble names another author",
            raw.replace(marker, "本报告由泗水县农业农村局根据《条例》编制。\n" + marker, 1),
        )


# ----------------------------------------------------------------- running


def rule_counts(report: Report, previous: Report | None = None) -> Counter[str]:
    """Findings by rule and what they point at and compare (not their wording)."""
    return Counter(
        f"{f.rule}|{json.dumps(f.where.model_dump(exclude_none=True), sort_keys=True)}|{f.expected}|{f.actual}"
        for f in check(report, previous).findings
    )


def severity_of(rule_id: str) -> str:
    return registry.get(rule_id).severity


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    corpus = corpus_dir(args.corpus)

    # the untouched corpus: parsed files and reference records
    items: list[tuple[str, Report]] = []
    for p in sorted(corpus.glob("*/*")):
        if p.name.endswith(".gt.json") and p.is_file():
            items.append(
                (f"{stem(p)} (record)", Report.model_validate(json.loads(p.read_text("utf-8"))))
            )
        elif p.suffix in (".txt", ".html", ".pdf", ".docx"):
            rep = read_file(p)
            if rep is not None:
                items.append((f"{p.name}", rep))
    prev_of = pair(items)
    reports = dict(items)
    alarms: list[tuple[str, str, str, str]] = []
    for i, (name, rep) in enumerate(items):
        prev = reports[prev_of[i]] if i in prev_of else None
        allowed = EXPECTED.get(name.split(" ")[0].split(".")[0], set())
        for f in check(rep, prev).findings:
            if f.rule not in allowed:
                alarms.append((name, f.rule, f.severity, f.message))

    # recall on injected faults
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[tuple[str, str, str]] = []

    def score(
        rule_id: str, fault: str, name: str, before: Counter[str], after: Counter[str]
    ) -> None:
        caught[rule_id][1] += 1
        if any(k.split("|")[0] == rule_id and n > before[k] for k, n in after.items()):
            caught[rule_id][0] += 1
        else:
            misses.append((rule_id, fault, name))

    for name, rep in items:
        base = rep.to_dict()
        before = rule_counts(rep)
        for rule_id, faults in RECORD_FAULTS.items():
            for fault, fn in faults:
                d = fn(copy.deepcopy(base))
                if d is None:
                    continue
                try:
                    bad = Report.model_validate(d)
                except Exception:
                    continue
                score(rule_id, fault, name, before, rule_counts(bad))
        for rule_id, fault, this, last in previous_faults(copy.deepcopy(base)):
            now, prev = Report.model_validate(this), Report.model_validate(last)
            score(rule_id, fault, name, Counter(), rule_counts(now, prev))
    with tempfile.TemporaryDirectory() as tmp:
        for p in sorted(corpus.glob("*/*")):
            if p.suffix not in (".txt", ".html"):
                continue
            rep = read_file(p)
            if rep is None:
                continue
            before = rule_counts(rep)
            for k, (rule_id, fault, body) in enumerate(file_faults(p, rep)):
                out = Path(tmp) / f"{k}-{p.name}"
                out.write_text(body, encoding="utf-8")
                bad = read_file(out)
                if bad is None:
                    continue
                score(rule_id, f"file: {fault}", p.name, before, rule_counts(bad))
    elapsed = time.perf_counter() - t0

    if args.json:
        print(
            json.dumps(
                {"recall": caught, "false_alarms": alarms, "misses": misses, "seconds": elapsed},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(f"corpus: {len(items)} reports ({corpus})\n")
        print(f"{'rule':22} {'severity':8} {'caught':>7} {'recall':>7}")
        for r in registry.catalogue():
            got, total = caught.get(r.id, [0, 0])
            rate = f"{got / total:.0%}" if total else "-"
            print(f"{r.id:22} {r.severity:8} {got:>3}/{total:<3} {rate:>7}")
        print(f"\nmissed ({len(misses)}):")
        for m in misses:
            print("  ", *m)
        errors = [a for a in alarms if a[2] == "error"]
        print(
            f"\nfalse alarms on the untouched corpus: {len(alarms)} ({len(errors)} of error severity)"
        )
        for a in alarms:
            print("  ", a[0], a[1], a[2], a[3][:90])
        print(f"\n{elapsed:.1f} s")
    errors_missed = [m for m in misses if severity_of(m[0]) == "error"]
    return 1 if errors_missed or any(a[2] == "error" for a in alarms) else 0


if __name__ == "__main__":
    raise SystemExit(main())
