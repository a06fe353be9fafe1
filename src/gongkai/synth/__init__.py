"""A synthetic national corpus: fictional agencies at every level, several years,
every output format, with known slips and their ground truth.

For tests and benches of the corpus and the cluster path, where real
reports are too few. Deterministic from a seed; a report is made only when
asked for, so a plan of a million reports costs nothing until rendered.

=====================  ====================================================
``agencies``           the fictional bodies: 国务院部门, provinces, cities,
                       counties, townships; governments and departments
``tables``             tables 2–4 obeying the arithmetic, carried over
                       consistently from year to year
``prose``              the agency's text, different every year
``slips``              the slips injected and the findings each must cause
``corpus``             :func:`plan` → :class:`Entry` (build, render, truth)
``output``             :func:`write_corpus` to a directory with ``truth.jsonl``
=====================  ====================================================

    >>> from gongkai.synth import plan
    >>> entries = list(plan(40, range(2021, 2025), formats=["txt", "html"], seed=1))
    >>> data, slip = entries[0].build()          # the record and narrative, and its slip
    >>> payload = entries[0].render()            # the published file's bytes
"""

from __future__ import annotations

from gongkai.synth.agencies import LEVELS, Agency, agencies
from gongkai.synth.corpus import DEFAULT_FORMATS, VARIANTS, Entry, plan
from gongkai.synth.output import Written, load_truth, write_corpus
from gongkai.synth.slips import SLIPS, Slip

__all__ = [
    "DEFAULT_FORMATS",
    "LEVELS",
    "SLIPS",
    "VARIANTS",
    "Agency",
    "Entry",
    "Slip",
    "Written",
    "agencies",
    "load_truth",
    "plan",
    "write_corpus",
]
