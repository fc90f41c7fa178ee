"""Bulk exports of findings for researchers: CSV, JSON Lines, Parquet.

Every matching finding is streamed from the store (not from the search engine, whose
window stops at 1,000 hits) in batches of plain rows (``stream_export_batches``), so memory
stays bounded whatever the size of the export; the per-row writers (``stream_export``) are
the reference those batches are checked against. Each row carries
its stable id (report + character span), its provenance (report URL, PDF page, versions of
the extractor and classifier) and its classification with confidence. ``table_schema()``
describes the columns as a Frictionless Table Schema (``GET /api/export/schema``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import queue
import re
import threading
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq

#: 2.0: themes as a list of {code, score}, Parquet dates typed, provenance from the publication
#: page (publication_url, publication_title, publication_summary, announced counts)
EXPORT_SCHEMA_VERSION = "2.0"
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
           "parquet": "application/vnd.apache.parquet"}
PARQUET_ROW_GROUP = 5000

#: (name, frictionless type, description, required)
COLUMNS: list[tuple[str, str, str, bool]] = [
    ("finding_id", "string", "Identifiant stable du constat : rapport + position dans le texte", True),
    ("report_id", "string", "Identifiant stable du rapport (empreinte de son PDF)", True),
    ("kind", "string", "Type de constat (taxonomie : recommandation, rappel_au_droit…)", True),
    ("number", "string", "Numéro dans le rapport (« 3 » pour la recommandation n° 3)", False),
    ("text", "string", "Texte du constat", True),
    ("page", "integer", "Page du PDF où commence le constat", True),
    ("page_end", "integer", "Page du PDF où il se termine", False),
    ("start", "integer", "Position du premier caractère dans le texte du rapport", True),
    ("end", "integer", "Position après le dernier caractère", True),
    ("section_path", "string", "Titres des sections, du plus haut au plus bas, séparés par « > »", False),
    ("status", "string", "Statut de mise en œuvre (taxonomie), vide si le rapport n'en dit rien", False),
    ("primary_theme", "string", "Thème principal (taxonomie)", False),
    ("themes", "array", "Thèmes avec leur score : liste d'objets {code, score} (en JSON dans le CSV, "
                        "liste de structures dans le Parquet)", False),
    ("confidence", "number", "Confiance du classement thématique (0 à 1)", False),
    ("low_confidence", "boolean", "Vrai si le classement thématique est peu sûr", True),
    ("sector", "string", "Secteur de politique publique", False),
    ("earlier_report_id", "string", "Pour un suivi : le rapport antérieur dont il suit une recommandation", False),
    ("report_title", "string", "Titre du rapport", False),
    ("chamber", "string", "Chambre régionale ou territoriale des comptes", False),
    ("body_name", "string", "Organisme contrôlé", False),
    ("body_kind", "string", "Type d'organisme (taxonomie)", False),
    ("departement", "string", "Code du département", False),
    ("region", "string", "Région", False),
    ("insee", "string", "Code INSEE de la commune contrôlée", False),
    ("siren", "string", "SIREN de l'organisme contrôlé", False),
    ("year", "integer", "Année du rapport (délibération, sinon publication)", False),
    ("deliberation_date", "date", "Date de délibération", False),
    ("publication_date", "date", "Date de publication (celle de la page de publication, sinon celle du PDF)", False),
    ("publication_url", "string", "Adresse de la page de publication du rapport chez l'éditeur (provenance)", False),
    ("publication_title", "string", "Titre de la page de publication (« Commune de X (Département) »)", False),
    ("publication_summary", "string", "Résumé donné par la page de publication", False),
    ("announced_rappels", "integer", "Nombre de rappels au droit annoncés par la page de publication", False),
    ("announced_recommendations", "integer", "Nombre de recommandations annoncées par la page de publication",
     False),
    ("report_url", "string", "Adresse du PDF chez l'éditeur (provenance)", False),
    ("page_url", "string", "Adresse de la page du PDF (#page=N)", False),
    ("extractor_version", "string", "Version de l'extracteur qui a produit le constat", False),
    ("classifier_version", "string", "Version du classifieur thématique", False),
]
NAMES = [c[0] for c in COLUMNS]
LOW_CONFIDENCE = NAMES.index("low_confidence")
THEMES = NAMES.index("themes")
DATES = [n for n, t, _, _ in COLUMNS if t == "date"]
#: the code columns a spreadsheet or pandas would read as numbers ("07" → 7) unless told
CODE_COLUMNS = ["departement", "insee", "siren", "number"]


def table_schema(base_url: str = "", classifier: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Frictionless Table Schema of every export format; ``classifier`` (the theme model's
    ``card()``: version, held-out macro-F1 and per-theme F1, ``low_confidence`` threshold) is
    documented under ``constats:classifier``."""
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "constats-findings", "title": "Constats des chambres régionales des comptes",
        "version": EXPORT_SCHEMA_VERSION,
        "fields": [{"name": n, "type": t, "description": d,
                    **({"constraints": {"required": True}} if req else {}),
                    **({"format": "default"} if t == "date" else {})} for n, t, d, req in COLUMNS],
        "primaryKey": ["finding_id"],
        "missingValues": [""],
        "sources": [{"title": "Constats", "path": f"{base_url.rstrip('/')}/api/export/schema"}],
        **({"constats:classifier": {
            "description": "Classifieur thématique qui a produit primary_theme, themes, confidence et "
                           "low_confidence : scores mesurés sur des rapports puis des chambres tenus à l'écart "
                           "de l'entraînement ; low_confidence vaut vrai quand la probabilité calibrée du "
                           "thème principal est sous low_confidence_below.", **classifier}} if classifier else {}),
    }


@dataclass(frozen=True)
class ReportInfo:
    """What an export row needs of its report (the structure itself is not kept)."""

    id: str
    title: str | None = None
    chamber: str | None = None
    body_name: str | None = None
    body_kind: str | None = None
    departement: str | None = None
    region: str | None = None
    insee: str | None = None
    siren: str | None = None
    year: int | None = None
    deliberation_date: str | None = None
    publication_date: str | None = None
    publication_url: str | None = None
    publication_title: str | None = None
    publication_summary: str | None = None
    announced_rappels: int | None = None
    announced_recommendations: int | None = None
    source_url: str | None = None
    extractor_version: str | None = None
    classifier_version: str | None = None


def report_info(row) -> ReportInfo:
    meta = ((row.structure or {}).get("metadata") or {})
    pub = row.publication  # the page the report was published on (None for a local file)
    published = pub.published_on.isoformat() if pub is not None and pub.published_on else None
    return ReportInfo(
        id=row.id, title=row.title, chamber=row.chamber, body_name=row.body_name,
        body_kind=row.body_kind, departement=row.departement, region=meta.get("region"),
        insee=row.insee, siren=row.siren, year=row.year,
        deliberation_date=meta.get("deliberation_date"),
        publication_date=published or meta.get("publication_date"),
        publication_url=pub.url if pub is not None and pub.source != "folder" else None,
        publication_title=pub.title if pub is not None else None,
        publication_summary=pub.summary if pub is not None else None,
        announced_rappels=pub.announced_rappels if pub is not None else None,
        announced_recommendations=pub.announced_recommendations if pub is not None else None,
        source_url=row.source_url, extractor_version=row.extractor_version,
        classifier_version=row.classifier_version)


def row_for(f: dict, rrow: ReportInfo) -> dict[str, Any]:
    """One export row from a finding's columns (a mapping) and its report."""
    themes = [{"code": str(t.get("code")), "score": round(float(t.get("score") or 0.0), 4)}
              for t in (f["themes"] or []) if isinstance(t, dict) and t.get("code")]
    url = rrow.source_url
    return {
        "finding_id": f["id"], "report_id": f["report_id"], "kind": f["kind"], "number": f["number"],
        "text": f["text"], "page": f["page"], "page_end": f["page_end"], "start": f["start"],
        "end": f["end"], "section_path": " > ".join(f["section_path"] or []) or None,
        "status": f["status"], "primary_theme": f["primary_theme"],
        "themes": themes or None,
        "confidence": f["confidence"], "low_confidence": bool(f["low_confidence"]),
        "sector": f["sector"], "earlier_report_id": f["earlier_report_id"],
        "report_title": rrow.title, "chamber": rrow.chamber, "body_name": rrow.body_name,
        "body_kind": rrow.body_kind, "departement": rrow.departement, "region": rrow.region,
        "insee": rrow.insee, "siren": rrow.siren, "year": rrow.year,
        "deliberation_date": iso_date(rrow.deliberation_date),
        "publication_date": iso_date(rrow.publication_date),
        "publication_url": rrow.publication_url, "publication_title": rrow.publication_title,
        "publication_summary": rrow.publication_summary, "announced_rappels": rrow.announced_rappels,
        "announced_recommendations": rrow.announced_recommendations,
        "report_url": url, "page_url": f"{url.split('#')[0]}#page={f['page']}" if url else None,
        "extractor_version": rrow.extractor_version, "classifier_version": rrow.classifier_version,
    }


def iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` of a stored date (an ISO string or a date), ``None`` when unreadable."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def export_filename(filters: Mapping[str, Any], fmt: str, today: date | None = None) -> str:
    """A file name that says what the export holds, e.g.
    ``constats_recommandation_ressources-humaines_dep-33_2015-2019_2026-11-22.csv``."""
    parts: list[str] = []

    def add(prefix: str, values) -> None:
        for v in ([values] if isinstance(values, str | int) else list(values or [])):
            text = re.sub(r"[^0-9A-Za-z]+", "-", _ascii(str(v))).strip("-").lower()[:40]
            if text:
                parts.append(f"{prefix}{text}")

    for key in ("kind", "theme", "status", "body_kind", "sector"):
        add("", filters.get(key))
    for key, prefix in (("chamber", ""), ("region", ""), ("departement", "dep-"), ("insee", "insee-"),
                        ("siren", "siren-"), ("report_id", "rapport-")):
        add(prefix, filters.get(key))
    y0, y1 = filters.get("year_from"), filters.get("year_to")
    if y0 or y1:
        parts.append(f"{y0 or ''}-{y1 or ''}" if y0 != y1 else str(y0))
    if filters.get("q"):
        add("q-", filters["q"])
    if filters.get("low_confidence") is not None:
        parts.append("incertains" if filters["low_confidence"] else "surs")
    stem = "_".join(["constats", *parts])[:150]
    return f"{stem}_{(today or date.today()).isoformat()}.{fmt}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# ---------------------------------------------------------------------------- writers
class _Drain(io.RawIOBase):
    """A write-only file whose written bytes are taken out by ``take()``."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self._pos = 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        data = bytes(b)
        self._chunks.append(data)
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def iter_csv(rows: Iterable[dict]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    yield "\ufeff".encode()  # BOM: spreadsheet software then reads UTF-8 accents right
    writer.writerow(NAMES)
    n = 0
    for row in rows:
        values = [row.get(k) for k in NAMES]
        values[LOW_CONFIDENCE] = "true" if values[LOW_CONFIDENCE] else "false"
        if values[THEMES] is not None:  # a Table Schema "array": JSON in the cell
            values[THEMES] = json.dumps(values[THEMES], ensure_ascii=False)
        writer.writerow(values)
        n += 1
        if n % 200 == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def iter_jsonl(rows: Iterable[dict]) -> Iterator[bytes]:
    chunk: list[str] = []
    for row in rows:
        chunk.append(json.dumps(row, ensure_ascii=False, default=str))
        if len(chunk) >= 200:
            yield ("\n".join(chunk) + "\n").encode()
            chunk = []
    if chunk:
        yield ("\n".join(chunk) + "\n").encode()


THEME_STRUCT = pa.struct([pa.field("code", pa.string(), nullable=False),
                          pa.field("score", pa.float64(), nullable=False)])


def parquet_schema() -> pa.Schema:
    """Typed columns: dates are ``date32``, themes a list of ``{code, score}`` structs."""
    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
             "boolean": pa.bool_(), "date": pa.date32(), "array": pa.list_(THEME_STRUCT)}
    meta = {b"constats.export_schema_version": EXPORT_SCHEMA_VERSION.encode()}
    return pa.schema([pa.field(n, types[t], nullable=not req) for n, t, _, req in COLUMNS],
                     metadata=meta)


def _parquet_value(name: str, value: Any) -> Any:
    if name in DATES and value is not None:
        return date.fromisoformat(value)
    return value


def iter_parquet(rows: Iterable[dict], row_group: int = PARQUET_ROW_GROUP) -> Iterator[bytes]:
    schema = parquet_schema()
    sink = _Drain()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    batch: list[dict] = []

    def flush() -> None:
        cols = {n: [_parquet_value(n, r.get(n)) for r in batch] for n in NAMES}
        writer.write_table(pa.table(cols, schema=schema))
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= row_group:
            flush()
            yield sink.take()
    if batch:
        flush()
    writer.close()
    yield sink.take()


# ---------------------------------------------------------------------------- batched writers
# The same bytes as the row writers above, built a batch at a time from plain store rows
# (``store.repo.EXPORT_FINDING_COLUMNS``) and their ``ReportInfo``: no dict per row for CSV
# and Parquet, each report's columns prepared once, the C writers fed whole batches.
Batch = tuple[Sequence[Sequence[Any]], Sequence[ReportInfo]]
#: the report columns of a row, before and after ``page_url``
_REPORT_HEAD = NAMES[NAMES.index("report_title"):NAMES.index("page_url")]
_REPORT_TAIL = NAMES[NAMES.index("page_url") + 1:]
_FINDING_NAMES = NAMES[:NAMES.index("report_title")]
_CHUNK = 2000  # rows per yielded chunk


class _ReportParts:
    """A report's export columns, computed once per report."""

    __slots__ = ("head", "tail", "base_url", "json_head", "json_tail")

    def __init__(self, r: ReportInfo, encode: Callable[[Any], str]):
        head = [r.title, r.chamber, r.body_name, r.body_kind, r.departement, r.region, r.insee,
                r.siren, r.year, iso_date(r.deliberation_date), iso_date(r.publication_date),
                r.publication_url, r.publication_title, r.publication_summary, r.announced_rappels,
                r.announced_recommendations, r.source_url]
        self.head, self.tail = head, [r.extractor_version, r.classifier_version]
        self.base_url = r.source_url.split("#")[0] if r.source_url else None
        self.json_head = ", " + encode(dict(zip(_REPORT_HEAD, head, strict=True)))[1:-1] + ", "
        self.json_tail = ", " + encode(dict(zip(_REPORT_TAIL, self.tail, strict=True)))[1:]


def _themes(raw: Any) -> list[dict] | None:
    themes = [{"code": str(t.get("code")), "score": round(float(t.get("score") or 0.0), 4)}
              for t in (raw or []) if isinstance(t, dict) and t.get("code")]
    return themes or None


_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def json_column(raw: str | None) -> Any:
    """The value of a JSON column read as text (``store.repo.iter_matching_batches``)."""
    if raw is None or raw == "[]":
        return [] if raw else None
    try:
        value, end = _scan(raw, 0)
        if end == len(raw):
            return value
    except (StopIteration, ValueError):
        pass
    return json.loads(raw)


class _Memo(dict):
    """A dict that computes a missing value with ``fn`` (``memo[key]``: no call when known)."""

    def __init__(self, fn: Callable[[Any], Any]):
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.fn(key)
        return value


#: a theme list as the classifier stores it, already in export form (codes of plain
#: characters, scores of at most 4 decimals written as ``repr`` writes them): its text is its
#: JSON export as it stands, and decoding it gives the export's list
_THEME = r'\{"code": "[A-Za-z0-9_-]+", "score": -?(?:0|[1-9][0-9]{0,2})\.(?:0|[0-9]{0,3}[1-9])\}'
_EXPORT_FORM_THEMES = re.compile(rf"\[{_THEME}(?:, {_THEME})*\]")


class _Columns:
    """The export form of the JSON columns and of the code columns, memoised by their stored
    value for a batch (the same section paths come back again and again within a report)."""

    def __init__(self):
        self.paths = _Memo(lambda raw: " > ".join(json_column(raw) or []) or None)
        self.themes = _Memo(self._themes)
        self.path_cells = _Memo(lambda raw: _cell(self.paths[raw]))
        self.theme_cells = _Memo(lambda raw: "" if (th := self.theme_json(raw)) == "null" else _cell(th))
        self.cells = _Memo(_cell)

    @staticmethod
    def _themes(raw: str | None) -> list[dict] | None:
        if raw is not None and _EXPORT_FORM_THEMES.fullmatch(raw):
            return json_column(raw)
        return _themes(json_column(raw))

    def theme_json(self, raw: str | None) -> str:
        """The JSON of a theme list in export form (``null`` when empty)."""
        if raw is not None and _EXPORT_FORM_THEMES.fullmatch(raw):
            return raw
        return _JSON(self.themes[raw])

    def clear(self) -> None:
        for memo in (self.paths, self.themes, self.path_cells, self.theme_cells, self.cells):
            memo.clear()


class _Parts(dict):
    """``ReportInfo`` id → its ``_ReportParts``, forgetting old reports (constant memory)."""

    def __init__(self, encode: Callable[[Any], str]):
        super().__init__()
        self.encode = encode

    def of(self, info: ReportInfo) -> _ReportParts:
        parts = self.get(info.id)
        if parts is None:
            if len(self) > 1000:
                self.clear()
            parts = self[info.id] = _ReportParts(info, self.encode)
        return parts


_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode  # what json.dumps(..., same args) does


def _cell(value: str | None) -> str:
    """A CSV cell as ``csv.writer`` (comma, double quote, ``\\r\\n``, minimal quoting) writes it."""
    if value is None:
        return ""
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _num(value: Any) -> str:
    return "" if value is None else str(value)


def _csv_line(values: list[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2]


def iter_csv_batches(batches: Iterable[Batch]) -> Iterator[bytes]:
    yield "\ufeff".encode()
    yield (_csv_line(NAMES) + "\r\n").encode()
    parts = _Parts(_JSON)
    #: report id → its CSV cells: (report_id, report columns, page_url prefix and suffix, tail)
    heads: dict[str, tuple[str, str, str, str, str]] = {}
    cols = _Columns()
    cells, path_cells, theme_cells = cols.cells, cols.path_cells, cols.theme_cells
    for rows, reports in batches:
        cols.clear()
        if len(heads) > 1000:
            heads.clear()
        for i in range(0, len(rows), _CHUNK):
            out = []
            for row, info in zip(rows[i:i + _CHUNK], reports[i:i + _CHUNK], strict=True):
                h = heads.get(info.id)
                if h is None:
                    p = parts.of(info)
                    base = _cell(f"{p.base_url}#page=") if p.base_url is not None else None
                    url_pre, url_suf = (("", "") if base is None else
                                        (base[:-1], '"') if base.endswith('"') else (base, ""))
                    h = heads[info.id] = (_cell(info.id), _csv_line(p.head), url_pre, url_suf,
                                          _csv_line(p.tail))
                rid_cell, head, url_pre, url_suf, tail = h
                (fid, rid, kind, number, text, page, page_end, start, end, path, status, primary,
                 themes, confidence, low, sector, earlier) = row
                url = f"{url_pre}{page}{url_suf}" if url_pre else ""
                out.append(f"{_cell(fid)},{rid_cell},{cells[kind]},{cells[number]},{_cell(text)},"
                           f"{page},{'' if page_end is None else page_end},{start},{end},"
                           f"{path_cells[path]},{cells[status]},{cells[primary]},{theme_cells[themes]},"
                           f"{'' if confidence is None else confidence},{'true' if low else 'false'},"
                           f"{cells[sector]},{cells[earlier]},{head},{url},{tail}\r\n")
            yield "".join(out).encode()


#: what ``json`` escapes in a string when ``ensure_ascii`` is off
_TO_ESCAPE = re.compile(r'[\x00-\x1f"\\]')


def _json_number(value: float | int | None) -> str:
    if value is None:
        return "null"
    return repr(value) if math.isfinite(value) else _JSON(value)


def iter_jsonl_batches(batches: Iterable[Batch]) -> Iterator[bytes]:
    encode, string = _JSON, json.encoder.encode_basestring
    escaped = _TO_ESCAPE.search
    parts = _Parts(encode)
    #: report id → JSON of its report_id, its columns, its tail, and the start of its page_url
    heads: dict[str, tuple[str, str, str, str | None]] = {}
    cols = _Columns()
    values = _Memo(encode)  # codes, section paths
    theme_values = _Memo(cols.theme_json)
    for rows, reports in batches:
        cols.clear()
        values.clear()
        theme_values.clear()
        if len(heads) > 1000:
            heads.clear()
        for i in range(0, len(rows), _CHUNK):
            lines = []
            for row, info in zip(rows[i:i + _CHUNK], reports[i:i + _CHUNK], strict=True):
                h = heads.get(info.id)
                if h is None:
                    p = parts.of(info)
                    url_pre = encode(f"{p.base_url}#page=")[:-1] if p.base_url is not None else None  # '"…#page='
                    h = heads[info.id] = (encode(info.id), p.json_head, p.json_tail, url_pre)
                rid_json, head, tail, url_pre = h
                (fid, rid, kind, number, text, page, page_end, start, end, path, status, primary,
                 themes, confidence, low, sector, earlier) = row
                url = f'{url_pre}{page}"' if url_pre else "null"
                # a string with nothing to escape is its own JSON between quotes (a search is
                # faster than the escaping, and most texts have nothing to escape)
                text_json = string(text) if escaped(text) else f'"{text}"'
                lines.append(
                    f'{{"finding_id": {string(fid)}, "report_id": {rid_json}, "kind": {values[kind]}, '
                    f'"number": {values[number]}, "text": {text_json}, "page": {page}, '
                    f'"page_end": {"null" if page_end is None else page_end}, "start": {start}, '
                    f'"end": {end}, "section_path": {values[cols.paths[path]]}, '
                    f'"status": {values[status]}, "primary_theme": {values[primary]}, '
                    f'"themes": {theme_values[themes]}, "confidence": {_json_number(confidence)}, '
                    f'"low_confidence": {"true" if low else "false"}, "sector": {values[sector]}, '
                    f'"earlier_report_id": {values[earlier]}{head}"page_url": {url}{tail}')
            yield ("\n".join(lines) + "\n").encode()


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value is not None else None


_THEMES_JSON = pa.schema([pa.field("t", pa.list_(THEME_STRUCT))])


def _theme_column(raws: list[str | None], memo: _Columns) -> pa.Array | list:
    """The themes of a batch: parsed by pyarrow's JSON reader when every list is already in
    export form (or empty), else one list at a time in Python."""
    if not all(r is None or r == "[]" or _EXPORT_FORM_THEMES.fullmatch(r) for r in raws):
        return [memo.themes[t] for t in raws]
    lines = "".join([f'{{"t":{"null" if r is None or r == "[]" else r}}}\n' for r in raws]).encode()
    table = pajson.read_json(io.BytesIO(lines), parse_options=pajson.ParseOptions(explicit_schema=_THEMES_JSON),
                             read_options=pajson.ReadOptions(block_size=max(1 << 20, len(lines) + 1)))
    return table.column("t").combine_chunks()


def iter_parquet_batches(batches: Iterable[Batch], row_group: int = PARQUET_ROW_GROUP) -> Iterator[bytes]:
    schema = parquet_schema()
    sink = _Drain()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    path_i, themes_i, low_i, page_i = (_FINDING_NAMES.index(n)
                                       for n in ("section_path", "themes", "low_confidence", "page"))
    dates = {NAMES.index(n) - len(_FINDING_NAMES) for n in DATES}
    n_finding, n_head = len(_FINDING_NAMES), len(_REPORT_HEAD)
    for rows, reports in batches:
        cols: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)]
        memo = _Columns()
        cols[path_i] = [memo.paths[p] for p in cols[path_i]]
        cols[themes_i] = _theme_column(cols[themes_i], memo)
        cols[low_i] = [bool(v) for v in cols[low_i]]
        arrays = [c if isinstance(c, pa.Array) else pa.array(c, type=schema.field(j).type)
                  for j, c in enumerate(cols)]
        # the report columns: one value per report, then taken for each row
        position: dict[str, int] = {}
        infos: list[ReportInfo] = []
        index = []
        for info in reports:
            k = position.get(info.id)
            if k is None:
                k = position[info.id] = len(infos)
                infos.append(info)
            index.append(k)
        take = pa.array(index, type=pa.int32())
        heads = [_ReportParts(info, _JSON).head for info in infos]
        for j in range(n_head):
            values = [_date(h[j]) if j in dates else h[j] for h in heads]
            arrays.append(pa.array(values, type=schema.field(n_finding + j).type).take(take))
        bases = [info.source_url.split("#")[0] if info.source_url else None for info in infos]
        arrays.append(pa.array([f"{bases[k]}#page={p}" if bases[k] is not None else None
                                for k, p in zip(index, cols[page_i], strict=True)], type=pa.string()))
        for name in ("extractor_version", "classifier_version"):
            arrays.append(pa.array([getattr(info, name) for info in infos], type=pa.string()).take(take))
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema), row_group_size=row_group)
        yield sink.take()
    writer.close()
    yield sink.take()


BATCH_WRITERS: dict[str, Callable[[Iterable[Batch]], Iterator[bytes]]] = {
    "csv": iter_csv_batches, "jsonl": iter_jsonl_batches, "parquet": iter_parquet_batches}


T = TypeVar("T")


def prefetched(items: Iterable[T], depth: int = 1) -> Generator[T, None, None]:
    """``items``, read by a thread of their own up to ``depth`` items ahead of the consumer.

    An export reads the store and formats what it read: with the reading in its own thread, the
    database (its server process, or SQLite's C code, both without the GIL) works on the next
    batch while this one is formatted. Memory stays bounded (``depth`` + 2 batches). An error of
    the reader is raised here; closing this generator (the client went away) stops the reader
    after its current item and closes ``items`` in the reader's thread, before returning, so that
    the caller may close the session next."""
    queue_: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                queue_.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(("item", item)):
                    return
            put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put(("error", exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=read, name="export-reader", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = queue_.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        reader.join()


def stream_export_batches(fmt: str, batches: Iterable[Batch]) -> Iterator[bytes]:
    """Bytes of the export of ``batches`` ((store rows, their ``ReportInfo``)) in ``fmt``:
    the same bytes as ``stream_export`` on the same findings. The batches are read one ahead
    in a thread of their own (``prefetched``)."""
    ahead = prefetched(batches)
    try:
        yield from BATCH_WRITERS[fmt](ahead)
    finally:
        ahead.close()


def export_batches_to_file(fmt: str, batches: Iterable[Batch], fh) -> int:
    """Write an export to a binary file; returns the number of findings written."""
    count = 0

    def counted():
        nonlocal count
        for batch in batches:
            count += len(batch[0])
            yield batch

    for chunk in stream_export_batches(fmt, counted()):
        fh.write(chunk)
    return count


#: The row path: one dict per finding, written by the plain writers above. It serves no request
#: any more; it is the readable reference whose bytes the batch path must reproduce
#: (``tests/test_export_batches.py``) and the baseline of ``python -m bench export``.
WRITERS: dict[str, Callable[[Iterable[dict]], Iterator[bytes]]] = {
    "csv": iter_csv, "jsonl": iter_jsonl, "parquet": iter_parquet}


def stream_export(fmt: str, pairs: Iterable[tuple[Any, Any]]) -> Iterator[bytes]:
    """Bytes of the export of ``pairs`` (finding row, ``ReportInfo``) in ``fmt``."""
    return WRITERS[fmt](row_for(f, r) for f, r in pairs)
