"""``corpus chart``: the figures a report to the leadership needs.

- ``trend``: applications received and handled, reviews and suits, a year;
- ``outcomes``: the outcome mix (予以公开, 部分公开, 不予公开, 无法提供,
  不予处理, 其他处理) as shares, a year or a level;
- ``ranking``: the quality scores of one year, best first, coloured by level.

matplotlib (Agg, no display) with a CJK font (Noto Sans CJK from Debian's
fonts-noto-cjk); without one the chart is refused with what to install, rather
than drawn with empty boxes. PNG or SVG by the file's ending; written whole.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine

from gongkai.corpus import analysis
from gongkai.corpus.metrics import BY_KEY
from gongkai.corpus.query import ALL, Filter
from gongkai.errors import GongkaiError, MissingDependency
from gongkai.i18n import Lang, pick
from gongkai.output import atomic_write

Kind = Literal["trend", "outcomes", "ranking"]
KINDS: tuple[str, ...] = ("trend", "outcomes", "ranking")
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "SimHei",
)
OUTCOMES = ("granted", "partially_granted", "denied", "unavailable", "rejected", "other")
_COLORS = ("#2e7d32", "#9ccc65", "#c62828", "#f9a825", "#6d4c41", "#90a4ae")


class ChartError(GongkaiError):
    def message(self, lang: str = "zh") -> str:
        return str(self)


def cjk_font() -> str:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    raise MissingDependency(
        pick(
            (
                "没有中文字体，无法绘图：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）",
                "no CJK font to draw Chinese labels: install fonts-noto-cjk (apt-get install fonts-noto-cjk)",
            )
        )
    )


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    return Figure(figsize=(9, 5.2), dpi=150, layout="constrained")


def chart(
    conn: Engine | Connection,
    kind: Kind,
    path: str | Path,
    flt: Filter = ALL,
    *,
    by: Literal["year", "level"] = "year",
    top: int = 20,
    lang: Lang | None = None,
    force: bool = False,
) -> Path:
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ChartError(
            pick(
                ("{p}：图表文件应以 .png 或 .svg 结尾", "{p}: a chart file ends in .png or .svg"),
                lang,
                p=target,
            )
        )
    if target.exists() and not force:
        raise ChartError(
            pick(
                ("{p}：文件已存在，加 --force 覆盖", "{p}: the file exists; --force overwrites it"),
                lang,
                p=target,
            )
        )
    import matplotlib

    font = cjk_font()
    with matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [font, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "gongkai",
            "text.parse_math": False,
            "svg.fonttype": "path",
        }
    ):
        fig = _figure()
        ax = fig.add_subplot()
        if kind == "trend":
            _trend(ax, conn, flt, lang)
        elif kind == "outcomes":
            _outcomes(ax, conn, flt, by, lang)
        else:
            _ranking(ax, conn, flt, top, lang)
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {"Software": "gongkai"}
        fig.savefig(buf, format=fmt, metadata=meta)
    atomic_write(target, buf.getvalue())
    return target


def _empty(ax: Any, lang: Lang | None) -> None:
    ax.text(
        0.5,
        0.5,
        pick(("库中没有符合条件的数据", "no data in the corpus for this chart"), lang),
        ha="center",
        va="center",
        transform=ax.transAxes,
    )
    ax.set_axis_off()


def _trend(ax: Any, conn: Engine | Connection, flt: Filter, lang: Lang | None) -> None:
    st = analysis.stats(conn, flt, "year")
    rows = [r for r in st.rows if r.group is not None]
    if not rows:
        return _empty(ax, lang)
    years = [int(r.group) for r in rows]
    for key, style in (
        ("received", "-o"),
        ("handled", "-s"),
        ("granted", "--^"),
        ("review_total", ":d"),
    ):
        ys = [r.sums.get(key) for r in rows]
        if any(y is not None for y in ys):
            ax.plot(
                years,
                [float("nan") if y is None else y for y in ys],
                style,
                label=BY_KEY[key].label(lang or "zh"),
            )
    ax.set_xticks(years)
    ax.set_title(
        pick(("政府信息公开申请办理情况（按年度）", "Disclosure applications by year"), lang)
    )
    ax.set_ylabel(pick(("件", "applications"), lang))
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)


def _outcomes(
    ax: Any, conn: Engine | Connection, flt: Filter, by: Literal["year", "level"], lang: Lang | None
) -> None:
    from gongkai.corpus.agencies import LEVELS

    st = analysis.stats(conn, flt, by)
    rows = [r for r in st.rows if any(r.sums.get(k) for k in OUTCOMES)]
    if not rows:
        return _empty(ax, lang)
    labels = [
        str(r.group)
        if by == "year"
        else pick(LEVELS.get(str(r.group), (str(r.group), str(r.group))), lang)
        for r in rows
    ]
    left = [0.0] * len(rows)
    for key, color in zip(OUTCOMES, _COLORS, strict=True):
        shares = []
        for r in rows:
            total = sum(r.sums.get(k) or 0 for k in OUTCOMES)
            shares.append(100 * (r.sums.get(key) or 0) / total if total else 0)
        ax.barh(labels, shares, left=left, color=color, label=BY_KEY[key].label(lang or "zh"))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.invert_yaxis()
    ax.set_title(pick(("申请办理结果构成", "Outcome mix of applications"), lang))
    ax.legend(ncols=3, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12))


def _ranking(ax: Any, conn: Engine | Connection, flt: Filter, top: int, lang: Lang | None) -> None:
    from gongkai.corpus.agencies import LEVELS
    from gongkai.corpus.rank import rank

    result = rank(conn, flt)
    entries = [e for e in result.entries if e.rank is not None]
    if not entries:
        return _empty(ax, lang)
    year = max(e.year or 0 for e in entries)
    entries = sorted((e for e in entries if e.year == year), key=lambda e: -e.score)[:top]
    levels = sorted({e.level or "" for e in entries})
    palette = dict(
        zip(levels, ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828"), strict=False)
    )
    ax.barh(
        [e.agency or e.agency_key or "—" for e in entries],
        [e.score for e in entries],
        color=[palette.get(e.level or "", "#607d8b") for e in entries],
    )
    for i, e in enumerate(entries):
        ax.text(e.score + 0.5, i, f"{e.score:.1f}", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_title(pick(("{y} 年度报告质量得分", "{y} report quality scores"), lang, y=year))
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=palette[lv], label=pick(LEVELS.get(lv, (lv or "—", lv or "—")), lang))
            for lv in levels
        ],
        frameon=False,
        loc="lower right",
    )
