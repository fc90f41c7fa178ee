"""The scanned variant: every page becomes a greyscale image, with no text layer."""

from __future__ import annotations

import numpy as np
import pymupdf


def rasterize(pdf: bytes, dpi: int = 150, rotation: float = 0.0, noise: float = 0.0,
              seed: int = 0) -> bytes:
    """A copy of ``pdf`` made only of page images (as a scanner would produce).

    ``rotation`` tilts every page by that many degrees (alternating sign), ``noise`` flips
    that share of pixels to a random grey. Deterministic for a given ``seed``.
    """
    rng = np.random.default_rng(seed)
    source = pymupdf.open(stream=pdf, filetype="pdf")
    out = pymupdf.open()
    zoom = dpi / 72.0
    try:
        for index, page in enumerate(source):
            matrix = pymupdf.Matrix(zoom, zoom)
            if rotation:
                matrix = matrix * pymupdf.Matrix(rotation if index % 2 == 0 else -rotation)
            pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
            if noise > 0:
                pix = _add_noise(pix, noise, rng)
            target = out.new_page(width=page.rect.width, height=page.rect.height)
            target.insert_image(target.rect, stream=pix.tobytes("jpeg", jpg_quality=70),
                                keep_proportion=False)
        out.set_metadata({"producer": "scanner", "creator": "scanner"})
        return out.tobytes(garbage=3, deflate=True)
    finally:
        source.close()
        out.close()


def _add_noise(pix: pymupdf.Pixmap, share: float, rng: np.random.Generator) -> pymupdf.Pixmap:
    samples = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    samples = samples.copy()
    mask = rng.random(samples.shape) < share
    samples[mask] = rng.integers(60, 200, size=int(mask.sum()), dtype=np.uint8)
    return pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, samples.tobytes(), False)
