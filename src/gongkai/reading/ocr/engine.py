"""The OCR engine: RapidOCR's ONNX models, shipped inside its wheel (no download).

Loaded once a process, on first use. :func:`recognise` reads single text
lines: the crops of table cells and of prose lines that :mod:`.page` cuts
from the page (one column of text needs no text detector). Without the optional extra, :func:`require` raises
:class:`~gongkai.errors.MissingDependency` saying how to install it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from gongkai.errors import MissingDependency

if TYPE_CHECKING:
    import numpy as np

#: The pip extra that brings the engine.
EXTRA = "pip install 'gongkai[ocr]'"

_ENGINE: Any = None
_LOCK = threading.Lock()


def available() -> bool:
    """Whether the OCR engine can be imported."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> Any:
    """The engine, loaded once; MissingDependency when the extra is absent."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as e:
                raise MissingDependency(
                    f"reading scans and images needs the OCR extra: {EXTRA}"
                ) from e
            _ENGINE = RapidOCR()
        return _ENGINE


def _bgr(gray: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.ascontiguousarray(np.stack([gray, gray, gray], axis=-1))


def recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence (0–1) of each single-line crop (grey images)."""
    if not crops:
        return []
    engine = require()
    results, _ = engine.text_rec([_bgr(c) for c in crops])
    return [(str(text), float(score)) for text, score in results]
