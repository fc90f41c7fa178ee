"""Errors raised while reading a report: one reason code, one readable message.

The worker records ``code`` and ``str(error)`` on a report that failed; the command line
prints them and exits with status 2. Codes are stable identifiers:

========================  =====================================================
``not_pdf``               the bytes are not a PDF (for example an HTML page served as PDF)
``corrupt``               the PDF cannot be parsed or none of its pages can be read
``encrypted``             the PDF needs a password
``empty``                 no page, or no text and OCR unavailable
``too_many_pages``        more pages than ``Settings.max_pdf_pages`` (refused unread)
``too_big``               more bytes than ``Settings.max_pdf_bytes`` (refused unread)
========================  =====================================================
"""

from __future__ import annotations

REASONS = {
    "not_pdf": "le fichier n'est pas un PDF",
    "corrupt": "le PDF est corrompu ou tronqué",
    "encrypted": "le PDF est protégé par un mot de passe",
    "empty": "le PDF ne contient aucun texte exploitable",
    "too_many_pages": "le PDF a trop de pages",
    "too_big": "le fichier est trop volumineux",
}


class PdfError(Exception):
    """A PDF that cannot be read. ``code`` is one of ``REASONS``; the message is French."""

    def __init__(self, code: str, message: str | None = None):
        if code not in REASONS:
            raise ValueError(f"unknown PdfError code {code!r}")
        self.code = code
        self.message = message or REASONS[code]
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"PdfError({self.code!r}, {self.message!r})"
