"""Types of the compiled walk (``_htmlwalk.pyx``)."""

from typing import Any

from lxml import etree

from gongkai.reading.document import Document

class Walker:
    doc: Document
    hidden: set[etree._Element]
    container: etree._Element | None
    hidden_text: list[dict[str, Any]]
    tables: int
    origins: int
    budget: int
    content_range: list[int]
    def __init__(
        self, doc: Document, hidden: set[etree._Element], container: etree._Element | None
    ) -> None: ...
    def flow(self, top: etree._Element) -> list[str]: ...

def lean(data: bytes) -> bytes | None: ...
def may_hide(data: bytes) -> bool: ...
def utf8_clean(data: bytes) -> bool: ...
