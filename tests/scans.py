"""Scans made by the tests: a report rendered by gongkai's writer to PDF
(LibreOffice), rasterised by PDFium at a resolution, spoilt as a scanner and
a JPEG encoder spoil pages (skew, blur, noise), and put back into a PDF that
has no text layer."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

#: Kinds of damage: (skew in degrees, blur kernel, JPEG quality, noise sigma).
NOISE: dict[str, tuple[float, int, int, float]] = {
    "clean": (0.0, 0, 95, 0.0),
    "skew": (1.5, 0, 90, 0.0),
    "blur": (0.0, 3, 85, 0.0),
    "jpeg": (0.6, 0, 35, 6.0),
}


def spoil(gray: np.ndarray, noise: str, seed: int = 0) -> np.ndarray:
    import cv2

    skew, blur, _quality, sigma = NOISE[noise]
    out = gray
    if skew:
        h, w = out.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        out = cv2.warpAffine(out, m, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    if blur:
        out = cv2.GaussianBlur(out, (blur, blur), 0)
    if sigma:
        rng = np.random.default_rng(seed)
        out = np.clip(out.astype(np.float32) + rng.normal(0, sigma, out.shape), 0, 255).astype(
            np.uint8
        )
    return out


def raster(pdf: bytes, dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    from gongkai.pdfium import LOCK

    with LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return [
                doc[i].render(scale=dpi / 72, grayscale=True).to_numpy().copy()
                for i in range(len(doc))
            ]
        finally:
            doc.close()


def images_to_pdf(pages: list[np.ndarray], dpi: int, quality: int) -> bytes:
    from PIL import Image

    images = [Image.fromarray(p).convert("L") for p in pages]
    buf = io.BytesIO()
    images[0].save(
        buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality
    )
    return buf.getvalue()


def rendered_pdf(data: Path, tmp: Path) -> bytes:
    """The report of ``data`` (YAML) written as PDF by gongkai's writer."""
    from gongkai.write import render

    out = tmp / (data.stem + ".pdf")
    if not out.exists():
        render(data, "pdf", out)
    return out.read_bytes()


def scan_pdf(data: Path, tmp: Path, *, dpi: int, noise: str) -> tuple[bytes, dict[str, Any], int]:
    """(scanned PDF bytes, the record it shows, pages) for the example ``data``."""
    import gongkai

    pdf = rendered_pdf(data, tmp)
    truth = gongkai.read(pdf).to_dict(private=False)
    pages = [spoil(p, noise, seed=i) for i, p in enumerate(raster(pdf, dpi))]
    return images_to_pdf(pages, dpi, NOISE[noise][2]), truth, len(pages)
