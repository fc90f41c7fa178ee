"""Searching the findings, the bodies, similar findings and statistics.

``SearchParams`` validates a request with messages in plain French words (the API answers
422 with them). ``search_findings`` turns identifiers typed in ``q`` into filters
(``search.understand``), adds the query vector when ``semantic`` > 0 (hybrid search), and
returns hits with a highlighted extract cropped around the match and a link to the PDF
page. No result cache: every call asks Meilisearch.
"""

from __future__ import annotations

import html
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from search.client import MeiliClient, MeiliError
from search.highlight import highlight
from search.rerank import (
    DEFAULT_RANKING,
    HEADING_TERMS,
    TEXT_TERMS,
    Ranking,
    query_terms,
    rerank,
    semantic_threshold,
)
from search.settings import EMBEDDER, index_names
from search.understand import filters_for, quote, understand_query

MAX_PER_PAGE = 100
MAX_WINDOW = 1000  # Meilisearch maxTotalHits: hits beyond it are not reachable by paging
FACETS = ["chamber", "region", "departement", "body_kind", "year", "kind", "primary_theme",
          "themes", "status", "low_confidence", "sector"]
SORTS = {"relevance": None, "date_desc": "date:desc", "date_asc": "date:asc",
         "year_desc": "year:desc", "year_asc": "year:asc"}
_PRE, _POST = "\x02", "\x03"
CROP_WORDS = 40
MAX_QUERY_WORDS = 10  # Meilisearch ignores the words after the tenth


class NotFound(LookupError):
    """An unknown finding / report id."""


def _as_list(value: Any) -> list[str] | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        value = [value]
    out = [str(v).strip() for v in value if str(v).strip()]
    return out or None


class SearchParams(BaseModel):
    """A search request. Multi-valued filters accept one value or a list (OR within a filter,
    AND between filters)."""

    q: str = Field("", max_length=500, description="Texte libre ; un code INSEE, postal, "
                                                    "SIREN ou une année isolés y deviennent un "
                                                    "filtre (une date, une loi, un montant restent "
                                                    "du texte).")
    chamber: list[str] | None = None
    region: list[str] | None = None
    departement: list[str] | None = None
    body_kind: list[str] | None = None
    insee: list[str] | None = None
    siren: list[str] | None = None
    year_from: int | None = None
    year_to: int | None = None
    kind: list[str] | None = None
    theme: list[str] | None = None
    status: list[str] | None = None
    sector: list[str] | None = None
    report_id: list[str] | None = None
    low_confidence: bool | None = None
    semantic: float = Field(0.0, description="Part de la recherche sémantique, de 0 à 1.")
    literal: bool = Field(False, description="Chercher les mots tels quels : aucun code ni "
                                             "aucune année de la recherche ne devient un filtre.")
    sort: Literal["relevance", "date_desc", "date_asc", "year_desc", "year_asc"] = "relevance"
    page: int = 1
    per_page: int = 20

    @field_validator("chamber", "region", "departement", "body_kind", "insee", "siren", "kind",
                     "theme", "status", "sector", "report_id", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> list[str] | None:
        return _as_list(v)

    @field_validator("semantic")
    @classmethod
    def _semantic(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError("la part sémantique doit être comprise entre 0 et 1")
        return v

    @field_validator("page")
    @classmethod
    def _page(cls, v: int) -> int:
        if v < 1:
            raise ValueError("le numéro de page commence à 1")
        if v > MAX_WINDOW:
            raise ValueError(f"le numéro de page va de 1 à {MAX_WINDOW}")
        return v

    @field_validator("per_page")
    @classmethod
    def _per_page(cls, v: int) -> int:
        if not 1 <= v <= MAX_PER_PAGE:
            raise ValueError(f"le nombre de résultats par page doit être compris entre 1 et {MAX_PER_PAGE}")
        return v

    @field_validator("year_from", "year_to")
    @classmethod
    def _year(cls, v: int | None) -> int | None:
        if v is not None and not 1900 <= v <= 2100:
            raise ValueError("l'année doit être comprise entre 1900 et 2100")
        return v

    def notices(self) -> list[str]:
        """What the request asks that no finding can answer: said in ``warnings`` of a normal
        answer (an empty page), not refused: every value the API documents is accepted."""
        out = []
        if (self.page - 1) * self.per_page >= MAX_WINDOW:
            out.append(f"seuls les {MAX_WINDOW} premiers résultats sont consultables : "
                       "affinez la recherche avec des filtres, ou utilisez l'export")
        if self.year_from and self.year_to and self.year_from > self.year_to:
            out.append("l'année de début est postérieure à l'année de fin : aucun constat ne peut répondre")
        return out


class SearchHit(BaseModel):
    id: str
    report_id: str
    report_title: str | None = None
    body_name: str | None = None
    body_kind: str | None = None
    chamber: str | None = None
    departement: str | None = None
    year: int | None = None
    date: str | None = None
    kind: str
    number: str | None = None
    page: int
    page_url: str | None = None
    pdf_url: str | None = None
    section_path: list[str] = Field(default_factory=list)
    primary_theme: str | None = None
    themes: list[str] = Field(default_factory=list)
    status: str | None = None
    low_confidence: bool = False
    highlight: str = Field("", description="Extrait autour de la correspondance, HTML sûr "
                                           "(<mark> autour des mots trouvés).")
    text: str = ""
    score: float | None = None


class SearchResult(BaseModel):
    hits: list[SearchHit]
    total: int = Field(description="Nombre exact de constats trouvés.")
    page: int
    per_page: int
    pages: int = Field(description="Pages consultables (les 1 000 premiers résultats).")
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)
    query: str = Field("", description="Le texte cherché, une fois les identifiants retirés.")
    understood: list[dict] = Field(default_factory=list, description=(
        "Filtres tirés de la recherche (code INSEE, postal, SIREN, année) : champ, valeur, texte "
        "tapé et libellé ; `words_instead` donne la même recherche sans eux."))
    words_instead: str | None = Field(None, description=(
        "Quand des filtres ont été tirés de la recherche : l'adresse de la même recherche, "
        "les mots tels quels (paramètre `literal=true`)."))
    semantic: float = 0.0
    semantic_hits: int | None = Field(None, description=(
        "Recherche sémantique : nombre de constats ajoutés par le sens seul (au-dessus du seuil "
        "calibré), déjà comptés dans `total` et les facettes."))
    processing_ms: float = 0.0
    embedding_ms: float = 0.0
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------- building
def _in(field: str, values: list[str]) -> str:
    return f"{field} IN [{', '.join(quote(v) for v in values)}]"


def build_filters(params: SearchParams, extra: Sequence[str] = ()) -> list[str]:
    f: list[str] = list(extra)
    for field, values in (("chamber", params.chamber), ("region", params.region),
                          ("departement", params.departement), ("body_kind", params.body_kind),
                          ("insee", params.insee), ("kind", params.kind),
                          ("themes", params.theme), ("status", params.status),
                          ("sector", params.sector), ("report_id", params.report_id)):
        if values:
            f.append(_in(field, values))
    if params.siren:
        f.append(f"({_in('siren', params.siren)} OR {_in('epci_siren', params.siren)})")
    if params.year_from is not None:
        f.append(f"year >= {params.year_from}")
    if params.year_to is not None:
        f.append(f"year <= {params.year_to}")
    if params.low_confidence is not None:
        f.append(f"low_confidence = {quote(params.low_confidence)}")
    return f


#: The semantic share the search page offers ("constats de sens proche"), opt-in. With it,
#: the keyword candidates are re-ranked with the query–paragraph cosine (weighted
#: ``search.rerank.COSINE_WEIGHT`` × semantic / 0.5) and the nearest findings above the
#: embedder's calibrated threshold are added (counted in the total and the facets); a word
#: found nowhere still finds nothing. It is not the default: on the test half of
#: search/EVALUATION.md it does not improve topic queries over keyword search.
SUGGESTED_SEMANTIC = 0.5


def build_search_body(params: SearchParams, *, text: str, filters: list[str],
                      vector: list[float] | None) -> dict:
    body: dict[str, Any] = {
        "q": text, "filter": filters or None, "page": params.page, "hitsPerPage": params.per_page,
        "facets": FACETS, "attributesToRetrieve": list(SearchHit.model_fields) + ["pdf_url"],
        "attributesToHighlight": ["text"], "attributesToCrop": ["text"], "cropLength": CROP_WORDS,
        "highlightPreTag": _PRE, "highlightPostTag": _POST, "cropMarker": "…",
        "showRankingScore": True,
    }
    if SORTS[params.sort]:
        body["sort"] = [SORTS[params.sort]]
    if vector is not None and params.semantic > 0:
        body["vector"] = vector
        body["hybrid"] = {"embedder": EMBEDDER, "semanticRatio": params.semantic}
    return body


def safe_highlight(formatted: str) -> str:
    """Meilisearch's formatted text, HTML-escaped, with the matches in ``<mark>``."""
    return html.escape(formatted).replace(_PRE, "<mark>").replace(_POST, "</mark>")


def _hit(doc: dict) -> SearchHit:
    formatted = doc.get("_formatted") or {}
    fields = {k: doc.get(k) for k in SearchHit.model_fields if doc.get(k) is not None}
    fields["highlight"] = safe_highlight(formatted.get("text") or (doc.get("text") or "")[:400])
    fields["score"] = doc.get("_rankingScore")
    return SearchHit(**fields)


def embed_query(embedder, text: str) -> tuple[list[float] | None, float]:
    if embedder is None or not text.strip():
        return None, 0.0
    t0 = time.perf_counter()
    vec = embedder.embed([text])[0].tolist()
    return vec, (time.perf_counter() - t0) * 1000


# ---------------------------------------------------------------------------- public API
def search_findings(client: MeiliClient, params: SearchParams, embedder=None,
                    prefix: str = "constats", *, ranking: Ranking = DEFAULT_RANKING) -> SearchResult:
    """Full-text search over the findings, semantic too when ``params.semantic`` > 0.

    A keyword search keeps Meilisearch's order (search/EVALUATION.md). A semantic search
    sorted by relevance is re-ranked (``search.rerank``): Meilisearch returns its first
    ``ranking.depth`` keyword candidates with the facets of every match, a vector search
    returns the nearest findings, and the page is cut from their mixed order (pages past the
    depth follow Meilisearch's). The nearest findings whose score passes the embedder's
    calibrated threshold join the candidates when the words alone find no more than
    ``ranking.depth`` findings; the total and the facet counts then count them too, so that
    they always describe the hits shown, and a word found nowhere still finds nothing.
    """
    text, found = understand_query(params.q, literal=params.literal)
    filters = build_filters(params, filters_for(found))
    warnings = params.notices()
    if len(text.split()) > MAX_QUERY_WORDS:
        warnings.append(f"seuls les {MAX_QUERY_WORDS} premiers mots de la recherche sont pris "
                        "en compte")
    vector, embed_ms = None, 0.0
    if params.semantic > 0:
        if embedder is None:
            warnings.append("recherche sémantique indisponible : résultats par mots seulement")
        else:
            vector, embed_ms = embed_query(embedder, text)
    uid = index_names(prefix)["findings"]
    offset = (params.page - 1) * params.per_page
    reranked = ((ranking.rerank or vector is not None) and bool(text.strip())
                and SORTS[params.sort] is None and offset < ranking.depth)
    if not reranked:
        if vector is not None and SORTS[params.sort]:
            warnings.append("tri par date : constats contenant les mots seulement, sans les "
                            "constats de sens proche")
        vector = None  # unbounded without the re-ranker's threshold: words only
        body = build_search_body(params, text=text, filters=filters, vector=None)
        if ranking.matching_strategy != "last":
            body["matchingStrategy"] = ranking.matching_strategy
        raw = client.search(uid, body)
        facets = raw.get("facetDistribution") or {}
        # totalHits stops at maxTotalHits (1,000); facet counts do not, and every finding has
        # exactly one kind: their sum is the exact number of matches
        total = max(raw.get("totalHits", 0), sum((facets.get("kind") or {}).values()))
        hits, pages, semantic_hits = ([_hit(d) for d in raw["hits"]], raw.get("totalPages", 0),
                                      raw.get("semanticHitCount"))
        qterms = set(query_terms(text))
        for hit, doc in zip(hits, raw["hits"]):
            if qterms and "<mark>" not in hit.highlight:  # e.g. a phrase search in quotes
                hit.highlight = highlight(doc.get("text") or "", qterms)
        meili_ms = raw.get("processingTimeMs", 0)
    else:
        hits, total, facets, semantic_hits, meili_ms = _reranked_page(
            client, uid, params, text=text, filters=filters, vector=vector,
            embedder_name=getattr(embedder, "name", None), ranking=ranking)
        pages = -(-min(total, MAX_WINDOW) // params.per_page)
    return SearchResult(
        hits=hits, total=total, page=params.page, per_page=params.per_page, pages=pages,
        facets=facets, query=text, understood=[u.as_dict() for u in found],
        semantic=params.semantic if vector is not None else 0.0, semantic_hits=semantic_hits,
        processing_ms=meili_ms, embedding_ms=embed_ms, warnings=warnings)


#: What a re-ranked candidate brings back: the hit's fields, and what ranking reads.
_CANDIDATE_FIELDS = list(SearchHit.model_fields) + ["pdf_url", "section_path", TEXT_TERMS,
                                                     HEADING_TERMS]
#: What a nearest finding brings back when it can join the hits: its fields and its facets.
_NEAR_FIELDS = _CANDIDATE_FIELDS + FACETS
#: The two Meilisearch requests of a semantic search (keyword candidates, nearest findings)
#: are sent side by side from here, so that Meilisearch runs them at once, not in turn as in
#: one multi-search.
_SIDE = ThreadPoolExecutor(max_workers=8, thread_name_prefix="constats-semantic")


def _candidates_body(params: SearchParams, text: str, filters: list[str], ranking: Ranking) -> dict:
    body: dict[str, Any] = {
        "q": text, "filter": filters or None, "limit": ranking.depth, "offset": 0,
        "facets": FACETS, "attributesToRetrieve": _CANDIDATE_FIELDS, "showRankingScore": True}
    if ranking.matching_strategy != "last":
        body["matchingStrategy"] = ranking.matching_strategy
    return body


def _semantic_body(text: str, filters: list[str], vector: list[float], ranking: Ranking, *,
                   fields: list[str] | None = None) -> dict:
    # the threshold is applied to the returned scores, not as ``rankingScoreThreshold``:
    # measured here, that parameter makes a vector search 10× slower
    return {"q": text, "filter": filters or None, "limit": ranking.semantic_limit, "vector": vector,
            "hybrid": {"embedder": EMBEDDER, "semanticRatio": 1.0},
            "attributesToRetrieve": fields if fields is not None else _NEAR_FIELDS,
            "showRankingScore": True}


def _reranked_page(client: MeiliClient, uid: str, params: SearchParams, *, text: str,
                   filters: list[str], vector: list[float] | None, embedder_name: str | None,
                   ranking: Ranking) -> tuple[list[SearchHit], int, dict, int | None, float]:
    candidates_body = _candidates_body(params, text, filters, ranking)
    nearest = None
    if vector is not None:
        # ids and scores only: the cosine of a candidate needs no more, and the nearest
        # findings' documents are asked for below only when they can join the hits
        nearest = _SIDE.submit(client.search, uid,
                               _semantic_body(text, filters, vector, ranking, fields=["id"]))
    raw = client.search(uid, candidates_body)
    facets = {k: dict(v) for k, v in (raw.get("facetDistribution") or {}).items()}
    total = max(raw.get("estimatedTotalHits", 0), sum((facets.get("kind") or {}).values()))
    candidates = list(raw["hits"])
    cosines = None
    semantic_hits: int | None = None
    if nearest is not None and vector is not None:
        threshold = (ranking.semantic_threshold if ranking.semantic_threshold is not None
                     else semantic_threshold(embedder_name))
        near = [d for d in nearest.result()["hits"]
                if (d.get("_rankingScore") or 0.0) >= threshold]
        cosines = {d["id"]: float(d.get("_rankingScore") or 0.0) for d in near}
        seen = {d["id"] for d in candidates}
        # the words' own matches are all among the candidates: the nearest findings that
        # are not are new, and are counted in the total and the facets
        new_ids = [d["id"] for d in near if d["id"] not in seen] if total <= ranking.depth else []
        extra: list[dict] = []
        if new_ids:
            full = {d["id"]: d for d in client.search(
                uid, _semantic_body(text, filters, vector, ranking))["hits"]}
            extra = [full[i] for i in new_ids if i in full]
        for d in extra:
            d["_rankingScore"] = 0.0
            _count_facets(facets, d)
        candidates += extra
        total += len(extra)
        semantic_hits = len(extra)
        facets = {k: dict(sorted(v.items(), key=lambda kv: -kv[1])) for k, v in facets.items()}
    weights = dict(ranking.weights)
    if cosines is not None:
        weights["cosine"] = ranking.cosine_weight * params.semantic / SUGGESTED_SEMANTIC
    order = rerank(text, candidates, cosines=cosines, weights=weights,
                   heading_weight=ranking.heading_weight)
    ranked = [candidates[i] for i in order]
    offset = (params.page - 1) * params.per_page
    window = ranked[offset: offset + params.per_page]
    if len(window) < params.per_page and total > len(ranked):  # the page straddles the depth
        more = client.search(uid, {**candidates_body, "offset": len(raw["hits"]),
                                   "limit": params.per_page - len(window), "facets": None})
        window += more["hits"]
    qterms = set(query_terms(text))
    hits = []
    for doc in window:
        hit = _hit(doc)
        hit.highlight = highlight(doc.get("text") or "", qterms)
        hits.append(hit)
    return hits, total, facets, semantic_hits, raw.get("processingTimeMs", 0)


def _count_facets(facets: dict[str, dict[str, int]], doc: dict) -> None:
    for name in FACETS:
        value = doc.get(name)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v is None:
                continue
            key = ("true" if v else "false") if isinstance(v, bool) else str(v)
            facets.setdefault(name, {})
            facets[name][key] = facets[name].get(key, 0) + 1


def get_finding(client: MeiliClient, finding_id: str, prefix: str = "constats") -> dict:
    """The indexed document of a finding (without its vector); ``NotFound`` if unknown."""
    doc = _get_document(client, index_names(prefix)["findings"], finding_id)
    doc.pop("_vectors", None)
    return doc


def _get_document(client: MeiliClient, uid: str, doc_id: str) -> dict:
    try:
        doc = client.get_document(uid, doc_id)
    except MeiliError as exc:
        if exc.code in ("document_not_found", "index_not_found", "invalid_document_id"):
            doc = None
        else:
            raise
    if doc is None:
        raise NotFound(doc_id)
    return doc


def similar_findings(client: MeiliClient, finding_id: str, limit: int = 10,
                     prefix: str = "constats") -> list[SearchHit]:
    """Findings closest to ``finding_id`` by vector (empty when it has no vector).
    Works with the search-only key; ``NotFound`` for an unknown or malformed id."""
    uid = index_names(prefix)["findings"]
    try:
        raw = client.request("POST", f"/indexes/{uid}/similar", json={
            "id": finding_id, "embedder": EMBEDDER, "limit": max(1, min(limit, 100)),
            "attributesToRetrieve": list(SearchHit.model_fields) + ["pdf_url", "page_url"],
            "showRankingScore": True})
    except MeiliError as exc:
        if exc.code in ("not_found_similar_id", "invalid_similar_id", "document_not_found"):
            raise NotFound(finding_id) from None
        if exc.code in ("invalid_similar_embedder", "invalid_embedder"):
            return []  # an index without vectors: nothing is similar
        raise
    return [_hit(d) for d in raw["hits"]]


def search_bodies(client: MeiliClient, q: str, limit: int = 10,
                  prefix: str = "constats") -> list[dict]:
    """Typo-tolerant lookup of communes, EPCI, départements… by name, postal code or INSEE."""
    text, found = understand_query(q)
    filters = []
    for u in found:
        if u.field == "insee_or_postal":
            filters.append(f"(insee = {quote(u.value)} OR postal_codes = {quote(u.value)})")
        elif u.field in ("insee", "siren"):
            filters.append(f"{u.field} = {quote(u.value)}")
    if any(u.field == "year" for u in found):
        text = q  # a year means nothing for a body: search the words as typed
    raw = client.search(index_names(prefix)["bodies"], {
        "q": text, "filter": filters or None, "limit": max(1, min(limit, 100))})
    return raw["hits"]


def lookup_body(client, code: str, prefix: str) -> dict | None:
    """The body of ``code`` in the lookup index (None when absent or not indexed)."""
    try:
        raw = client.search(index_names(prefix)["bodies"], {
            "q": "", "limit": 1,
            "filter": f"insee = {quote(code)} OR siren = {quote(code)}"})
    except MeiliError:
        return None
    hits = raw.get("hits") or []
    return hits[0] if hits else None


def facet_stats(client: MeiliClient, prefix: str = "constats") -> dict:
    """Counts by theme, chamber, year, kind, status (and totals) for ``/api/stats``."""
    names = index_names(prefix)
    findings, reports = client.multi_search([
        {"indexUid": names["findings"], "q": "", "limit": 0,
         "facets": ["primary_theme", "chamber", "year", "kind", "status", "body_kind"]},
        {"indexUid": names["reports"], "q": "", "limit": 0, "facets": ["chamber", "year", "record"]},
    ])
    by, reports_by = findings.get("facetDistribution") or {}, reports.get("facetDistribution") or {}
    # estimatedTotalHits stops at maxTotalHits (1,000) and /stats needs more than a search key:
    # count with a facet that every document has exactly once
    return {"findings": sum((by.get("kind") or {}).values()),
            "reports": sum((reports_by.pop("record", None) or {}).values())
            or reports.get("estimatedTotalHits", 0),
            "by": by, "reports_by": reports_by}


def epci_members(client, siren: str, prefix: str, limit: int = 1000) -> list[dict]:
    """The communes of an EPCI in the lookup index (empty when it is not indexed)."""
    try:
        raw = client.search(index_names(prefix)["bodies"], {
            "q": "", "limit": limit, "filter": f"kind = commune AND epci_siren = {quote(siren)}"})
    except MeiliError:
        return []
    return raw.get("hits") or []
