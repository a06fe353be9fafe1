"""Recent check results, kept in memory for their page and downloads.

A check answers a POST; its page, its JSON, the record and the findings
workbook are then fetched by GET under an unguessable id. Only the most
recent results are kept (by count and by bytes); an old id answers 404 with
a message saying the result expired.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Kept:
    """A check result, and the upload itself (only when the server may write)."""

    name: str
    result: dict[str, Any]
    data: bytes | None = None
    size: int = 0
    made: float = field(default_factory=time.time)


class Results:
    """An LRU store of :class:`Kept` results under random ids."""

    def __init__(self, count: int, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.count = max(1, count)
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, kept: Kept) -> str:
        key = secrets.token_urlsafe(12)
        with self._lock:
            self._items[key] = kept
            self._bytes += len(kept.data or b"")
            while len(self._items) > self.count or (
                self._bytes > self.max_bytes and len(self._items) > 1
            ):
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old.data or b"")
        return key

    def get(self, key: str) -> Kept | None:
        with self._lock:
            kept = self._items.get(key)
            if kept is not None:
                self._items.move_to_end(key)
            return kept

    def __len__(self) -> int:
        return len(self._items)
