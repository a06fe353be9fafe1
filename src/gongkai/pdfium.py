"""One lock for PDFium, which is not thread-safe.

Every use of pypdfium2 in gongkai (the PDF reader, attaching the record to a
rendered PDF) holds :data:`LOCK`, so threads that read or write PDFs at the
same time take turns inside PDFium instead of corrupting its state.
"""

from __future__ import annotations

import threading

LOCK = threading.RLock()
