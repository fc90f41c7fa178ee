"""The documents of a publication: the three forms of their links and their roles.

A publication page links its files as ``/sites/default/files/YYYY-MM/NAME.pdf``,
``/system/files/YYYY-MM/NAME.pdf`` or a document page ``/fr/documents/NNNNN`` that leads to
the file; a response of the audited body is told from a report by the document's type
(``data-document``), then its file name, then the link text. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from constats.domain import FileRef
from crawler import selectors as S


@dataclass
class DocumentLink:
    """A link of a publication page to one of its documents (a PDF or a document page)."""

    url: str
    form: str  # "files" (/sites/default/files), "system" (/system/files), "document" (/fr/documents/N)
    doc_type: str | None  # the data-document attribute
    text: str | None
    role: str | None  # "report" | "response" | None (undecided)
    basis: str | None  # what decided the role: "type", "file name", "link text"

    def resolved(self, pdf_url: str) -> DocumentLink:
        """The same document once its page led to the file (whose name may decide the role)."""
        role, basis = self.role, self.basis
        if role is None:
            role, basis = classify_role(None, file_name(pdf_url), None)
        return DocumentLink(pdf_url, self.form, self.doc_type, self.text, role, basis)


def file_name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def link_form(url: str) -> str | None:
    """Which of the three forms of document links ``url`` is, if any."""
    path = urlsplit(url).path
    if S.DOCUMENT_PAGE_HREF.match(path):
        return "document"
    if S.PDF_HREF.match(path):
        return "system" if path.startswith("/system/") else "files"
    return None


def classify_role(doc_type: str | None, name: str | None, text: str | None) -> tuple[str | None, str | None]:
    """Report or response: by the document's type, then its file name, then the link text.

    A report published with its responses in one file is a report."""
    if doc_type:
        role = _role_of_words(doc_type)
        if role:
            return role, "type"
    if name:
        if S.REPORT_WITH_RESPONSES_FILE.search(name):
            return "report", "file name"
        if S.RESPONSE_FILE.search(name):
            return "response", "file name"
        if S.REPORT_FILE.search(name):
            return "report", "file name"
    if text:
        role = _role_of_words(text)
        if role:
            return role, "link text"
    return None, None


def _role_of_words(value: str) -> str | None:
    """Whichever comes first: "Rapport … et réponses" is a report, "Réponse au rapport" a response."""
    report, response = S.REPORT_WORDS.search(value), S.RESPONSE_WORDS.search(value)
    if report and (not response or report.start() <= response.start()):
        return "report"
    return "response" if response else None


def files_of(documents: list[DocumentLink]) -> list[FileRef]:
    """The publication's files; an undecided role is a report, and a page carries one report
    at least (the first file when every one looks like a response)."""
    files = [FileRef(url=d.url, role="response" if d.role == "response" else "report", title=d.text)
             for d in documents]
    if files and all(f.role == "response" for f in files):
        files[0].role = "report"
    return files


def document_file(html: str, url: str) -> str | None:
    """The file a document page (``/fr/documents/N``) leads to."""
    tree = HTMLParser(html)
    for a in tree.css("a[href]"):
        href = urljoin(url, a.attributes.get("href") or "").split("#")[0]
        if link_form(href) in ("files", "system") and _same_site(href, url):
            return href
    return None


def _same_site(url: str, page_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(page_url).netloc
