"""A page's raw text as compact plain data: PyMuPDF ``get_text("dict")`` → blocks of lines.

The compact form is what the OCR cache stores and what ``nlp.pdf`` lays out::

    [{"bbox": [x0, y0, x1, y1],
      "lines": [{"bbox": [...], "spans": [{"t": text, "s": size, "b": bold, "sup": superscript}]}]}]
"""

from __future__ import annotations

import pymupdf

#: Text extraction flags: ligatures expanded ("ﬁ" → "fi"), whitespace kept, no images, and
#: spans kept apart so that table cells on one baseline are not run together.
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_SPANS

_BOLD_FLAG = 16
_SUPERSCRIPT_FLAG = 1


def _is_bold(span: dict) -> bool:
    if span.get("flags", 0) & _BOLD_FLAG:
        return True
    font = span.get("font", "")
    return "Bold" in font or "Black" in font or "Heavy" in font or font.endswith("-BD")


def compact_blocks(page_dict: dict) -> list[dict]:
    """Keep only what layout needs from a ``get_text("dict")`` result (text blocks only)."""
    out = []
    for block in page_dict.get("blocks", ()):
        if block.get("type", 0) != 0:
            continue
        lines = []
        for line in block.get("lines", ()):
            spans = [{"t": s["text"], "s": round(float(s["size"]), 1), "b": _is_bold(s),
                      "sup": bool(s.get("flags", 0) & _SUPERSCRIPT_FLAG), "f": s.get("font", "")}
                     for s in line.get("spans", ()) if s.get("text")]
            if spans and any(s["t"].strip() for s in spans):
                lines.append({"bbox": [round(v, 1) for v in line["bbox"]], "spans": spans})
        if lines:
            out.append({"bbox": [round(v, 1) for v in block["bbox"]], "lines": lines})
    return out


def page_blocks(page: pymupdf.Page, textpage=None) -> list[dict]:
    """The compact blocks of a page's text layer (or of an OCR text page)."""
    if textpage is not None:
        return compact_blocks(page.get_text("dict", textpage=textpage))
    return compact_blocks(page.get_text("dict", flags=TEXT_FLAGS))
