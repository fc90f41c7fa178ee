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
    blocks = [b for b in page.get_textpage(flags=TEXT_FLAGS).extractDICT()["blocks"] if b.get("type", 0) == 0]
    cuts = [b for b in blocks if _cut_lines(b["lines"])]
    if cuts:
        _join_cut_lines(page, cuts)
    return blocks


def _cut_lines(lines: list[dict]) -> bool:
    """Does a line of the block stop where the next starts, on the same baseline? Chromium (Skia)
    draws a ligature ("ffi") as its first letter with the full width and the others with none;
    kept apart, such spans cut the line in two there and lose the zero-width letters."""
    return any(_touch(prev, cur) for prev, cur in zip(lines, lines[1:]))


def _touch(prev: dict, cur: dict) -> bool:
    """``cur`` starts where ``prev`` stops, on its baseline, with a letter (a word cut, or a word
    opening with a ligature: "objectifs " | "f" | "xés"); not a cell of figures ("1 250" | " 980")."""
    a, b = prev["bbox"], cur["bbox"]
    return abs(b[0] - a[2]) < 0.05 and bool(prev["spans"]) and bool(cur["spans"]) and abs(b[3] - a[3]) < 0.5 \
        and cur["spans"][0]["text"][:1].isalpha() and not prev["spans"][-1]["text"][-1:].isdigit()


def _join_cut_lines(page: pymupdf.Page, blocks: list[dict]) -> None:
    """Join each line cut by a ligature with the lines it touches, its text read again from the
    page's characters without kept-apart spans (which keeps the zero-width letters)."""
    flags = TEXT_FLAGS & ~pymupdf.TEXT_PRESERVE_SPANS
    rows = [line for b in page.get_textpage(flags=flags).extractRAWDICT()["blocks"] if b.get("type", 0) == 0
            for line in b["lines"]]
    for block in blocks:
        lines = block["lines"]
        joined: list[dict] = [lines[0]]
        for cur in lines[1:]:
            if _touch(joined[-1], cur):
                a, b = joined[-1]["bbox"], cur["bbox"]
                joined[-1] = {**joined[-1], "bbox": (min(a[0], b[0]), min(a[1], b[1]), b[2], max(a[3], b[3])),
                              "spans": joined[-1]["spans"] + cur["spans"], "_cut": True}
            else:
                joined.append(cur)
        for line in joined:
            if not line.pop("_cut", False):
                continue
            x0, y0, x1, y1 = line["bbox"]
            middle = (y0 + y1) / 2
            text = "".join(c["c"] for row in rows if row["bbox"][1] <= middle <= row["bbox"][3]
                           for span in row["spans"] for c in span["chars"] if x0 - 0.5 <= c["origin"][0] < x1 - 0.1)
            first = line["spans"][0]
            if text.strip():
                line["spans"] = [{**first, "text": text}]
        block["lines"] = joined
