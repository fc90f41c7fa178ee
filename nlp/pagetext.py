"""A page's raw text as compact plain data: PyMuPDF ``get_text("dict")`` → blocks of lines.

The compact form is what the OCR cache stores and what ``nlp.pdf`` lays out::

    [{"bbox": [x0, y0, x1, y1],
      "lines": [{"bbox": [...], "spans": [{"text": text, "size": size, "flags": flags, "font": font}]}]}]
"""

from __future__ import annotations

import pymupdf

#: Text extraction flags: ligatures expanded ("ﬁ" → "fi"), whitespace kept, no images, and
#: spans kept apart so that table cells on one baseline are not run together.
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_SPANS



def compact_blocks(page_dict: dict) -> list[dict]:
    """Only what layout needs from a ``get_text("dict")`` result: text blocks, their lines
    and spans with ``text``, ``size``, ``flags``, ``font`` (the form the OCR cache stores)."""
    out = []
    for block in page_dict.get("blocks", ()):
        if block.get("type", 0) != 0:
            continue
        lines = []
        for line in block.get("lines", ()):
            spans = [{"text": s["text"], "size": s["size"], "flags": s["flags"], "font": s["font"]}
                     for s in line.get("spans", ()) if s["text"]]
            if any(not s["text"].isspace() for s in spans):
                lines.append({"bbox": list(line["bbox"]), "spans": spans})
        if lines:
            out.append({"bbox": list(block["bbox"]), "lines": lines})
    return out


def page_blocks(page: pymupdf.Page, textpage=None) -> list[dict]:
    """The text blocks of a page's text layer (PyMuPDF's own dicts), or the compact blocks of an
    OCR text page."""
    if textpage is not None:
        return compact_blocks(page.get_text("dict", textpage=textpage))
    # the text page's dict straight away: ``Page.get_text`` would also compute the crop box
    return [b for b in page.get_textpage(flags=TEXT_FLAGS).extractDICT()["blocks"] if b.get("type", 0) == 0]
