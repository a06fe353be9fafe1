"""Searches over a report's text that try a pattern only where a match may begin.

:mod:`re` tries a pattern at every character of a text (some 15 ns each in Chinese
text). A pattern whose matches can begin only at a few known places (where one of its
first words stands, found by :meth:`str.find`, or at white space) is tried there alone:
:func:`matches_from` gives the matches ``rx.finditer`` gives. The old reports' phrases
(:mod:`.legacy`) and the signature and page date of the metadata (:mod:`.meta`) are
searched this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` begins in ``text``, in order (overlapping ones too)."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def matches_from(rx: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern whose matches begin only at ``starts``
    (ascending): each place is tried in turn from where the last match ended (an empty
    match moves on one character), as re tries them; look-behinds see the text before."""
    end = 0
    for at in starts:
        if at >= end and (m := rx.match(text, at)) is not None:
            yield m
            end = m.end() if m.end() > m.start() else m.end() + 1
