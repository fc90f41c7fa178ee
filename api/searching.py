"""Search as the JSON routes and the pages both run it: findings with links to our own copy of
each PDF, and the findings similar to one."""

from __future__ import annotations

from api.present import local_pdf_url
from runtime.services import Services
from search.query import NotFound, SearchParams, SearchResult, search_findings, similar_findings


def run_search(svc: Services, params: SearchParams, base: str) -> SearchResult:
    embedder = svc.query_embedder() if params.semantic > 0 else None
    result = search_findings(svc.meili_search(), params, embedder, svc.prefix)
    for hit in result.hits:  # our own copy of the PDF, so that #page=N works offline
        hit.pdf_url = local_pdf_url(base, hit.report_id, hit.page)
    return result


def similar_hits(svc: Services, finding_id: str, limit: int) -> list[dict]:
    """Nearest findings by vector (search-only key: ``/similar`` needs no document read);
    none when the finding is not indexed or has no vector."""
    try:
        hits = similar_findings(svc.meili_search(), finding_id, limit, svc.prefix)
    except NotFound:
        return []
    return [h.model_dump() for h in hits]
