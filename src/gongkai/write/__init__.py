"""The writer: correct reports in the official layout, from data an agency fills in.

=====================  ====================================================
``data``               :class:`ReportData` (record + narrative); load a workbook, JSON, YAML
``grid``               the official tables (rowspan/colspan) from the national format data
``content``            the report as blocks: title, preamble, six parts, tables, signature
``sentences``          sentences for parts 一 and 三 written from the numbers
``docx`` ``pdf``       Word (GB/T 9704) and PDF (LibreOffice headless, batch mode)
``html`` ``text``      self-contained HTML; Markdown and the flattened text layouts
``xlsx`` ``formula``   the Excel template staff fill in, and reading it back
``render``             check, then write (refuses error findings unless forced)
=====================  ====================================================

Heavy parts (python-docx, LibreOffice, openpyxl) load only when used.
"""

from __future__ import annotations

from gongkai.write.data import Narrative, ReportData, from_dict, load_data
from gongkai.write.render import FORMATS, Refused, Rendered, render, render_bytes, render_many

__all__ = [
    "FORMATS",
    "Narrative",
    "Refused",
    "Rendered",
    "ReportData",
    "from_dict",
    "load_data",
    "render",
    "render_bytes",
    "render_many",
]
