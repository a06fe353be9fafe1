"""Charts of the corpus as SVG, drawn on the server with matplotlib.

No chart library reaches the browser: each chart is an ``<img>`` of an SVG
this module draws from the corpus functions (text as paths, so no font is
needed in the browser and an SVG shown as an image runs nothing). Drawn
charts are kept in a small cache keyed by the chart, its filter and the
language, so a dashboard is drawn once per selection.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gongkai.i18n import Lang, pick

#: CJK fonts tried in order (Debian fonts-noto-cjk); matplotlib falls back to its own
FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "DejaVu Sans"]
COLOURS = ["#12344d", "#2f80c1", "#7fb8e6", "#e3a33b", "#b42318", "#6b7a89", "#067647"]

_lock = threading.Lock()
#: matplotlib's settings are global: one chart is drawn at a time
_drawing = threading.Lock()
_cache: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
CACHE_SIZE = 256


def cached(key: tuple[object, ...], draw: Callable[[], bytes]) -> bytes:
    """``draw()``'s SVG, drawn once for ``key`` (a small LRU cache)."""
    with _lock:
        got = _cache.get(key)
        if got is not None:
            _cache.move_to_end(key)
            return got
    with _drawing:
        svg = draw()
    with _lock:
        _cache[key] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _figure(width: float = 6.4, height: float = 3.4) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return fig, ax


def _svg(fig: Any) -> bytes:
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": FONTS, "svg.fonttype": "path"}
    ):
        fig.tight_layout()
        fig.savefig(out, format="svg")
    return out.getvalue()


def _empty(ax: Any, lang: Lang) -> None:
    ax.text(
        0.5,
        0.5,
        pick(("没有数据", "no data"), lang),
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#5b6470",
    )
    ax.set_xticks([])
    ax.set_yticks([])


def bars(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    lang: Lang,
    *,
    stacked: bool = False,
    horizontal: bool = False,
    percent: bool = False,
) -> bytes:
    """A bar chart (grouped or stacked) of ``series`` over ``labels``; None draws nothing."""
    import matplotlib

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": FONTS}):
        height = max(3.4, 0.32 * len(labels) + 1.2) if horizontal else 3.4
        fig, ax = _figure(6.4, height)
        ax.set_title(title, fontsize=11, loc="left")
        if not labels or not series:
            _empty(ax, lang)
            return _svg(fig)
        n = len(series)
        positions = list(range(len(labels)))
        width = 0.8 if stacked else 0.8 / max(1, n)
        bottoms = [0.0] * len(labels)
        for i, (name, values) in enumerate(series.items()):
            vals = [float(v) if v is not None else 0.0 for v in values]
            offs = positions if stacked else [p - 0.4 + width * (i + 0.5) for p in positions]
            draw = ax.barh if horizontal else ax.bar
            kw = {"left" if horizontal else "bottom": bottoms} if stacked else {}
            draw(offs, vals, width, label=name, color=COLOURS[i % len(COLOURS)], **kw)
            if stacked:
                bottoms = [b + v for b, v in zip(bottoms, vals, strict=True)]
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
        else:
            ax.set_xticks(positions, labels)
        if percent:
            from matplotlib.ticker import PercentFormatter

            (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(PercentFormatter(1.0))
        if n > 1:
            ax.legend(fontsize=8, frameon=False)
        return _svg(fig)


def lines(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    lang: Lang,
    *,
    percent: bool = False,
) -> bytes:
    """A line chart; a None is a gap (an unknown value is not drawn as zero)."""
    import matplotlib

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": FONTS}):
        fig, ax = _figure()
        ax.set_title(title, fontsize=11, loc="left")
        if not labels or not any(v is not None for vs in series.values() for v in vs):
            _empty(ax, lang)
            return _svg(fig)
        for i, (name, values) in enumerate(series.items()):
            ys = [float("nan") if v is None else float(v) for v in values]
            ax.plot(list(labels), ys, marker="o", label=name, color=COLOURS[i % len(COLOURS)])
        if percent:
            from matplotlib.ticker import PercentFormatter

            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylim(bottom=0)
        if len(series) > 1:
            ax.legend(fontsize=8, frameon=False)
        return _svg(fig)
