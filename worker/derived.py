"""What is derived from the whole index after indexing: the groups of recurring findings
(the doctrine page) and the newsletter's digests.

``after_indexing`` runs periodically in the worker (beat, every ``digest_check_minutes``) and
at the end of the demo: it recomputes the recurring groups when a report was indexed after
they were computed, then sends the digests that are due. A digest lists the findings of the
reports indexed since the subscriber's previous digest that match the saved search (the
same query and filters as the search page), with a one-click unsubscribe link.
"""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime
from email.message import EmailMessage

from constats import taxonomy
from runtime.services import Services
from search.query import SearchHit, SearchParams, search_findings
from search.recurring import compute, computed_at, groups_path, write
from store import repo
from store import subscriptions as subs
from store.models import SubscriptionRow

log = logging.getLogger(__name__)

DIGEST_MAX_FINDINGS = 50
DIGEST_MAX_REPORTS = 500  # reports per digest window given to the search filter


def refresh_recurring(services: Services, *, force: bool = False) -> dict | None:
    """Recompute the recurring groups if a report was indexed after they were computed."""
    path = groups_path(services.settings.state_dir)
    with services.session() as session:
        latest = repo.latest_indexed_at(session)
    done = computed_at(path)
    if not force and (latest is None or (done is not None and done >= latest)):
        return None
    embedder = services.embedder()
    if embedder is None:
        log.info("recurring groups not computed: no embedder configured")
        return None
    with services.session() as session:
        data = compute(repo.iter_findings(session), embedder)
    write(path, data)
    log.info("recurring groups: %d groups over %d findings", len(data["groups"]), data["findings"])
    return data


# --------------------------------------------------------------------------- newsletter
def new_findings(services: Services, row: SubscriptionRow, since: datetime) -> tuple[list[SearchHit], int]:
    """Findings of the reports indexed since ``since`` that match the saved search."""
    with services.session() as session:
        report_ids = repo.indexed_since(session, since)[:DIGEST_MAX_REPORTS]
    if not report_ids:
        return [], 0
    params = SearchParams(**{**row.query, "report_id": report_ids, "sort": "date_desc",
                             "page": 1, "per_page": DIGEST_MAX_FINDINGS, "semantic": 0.0})
    result = search_findings(services.meili_search(), params, None, services.prefix)
    return list(result.hits), result.total


def _hit_title(h: SearchHit) -> str:
    kind = taxonomy.KINDS.get(h.kind, h.kind) + (f" n° {h.number}" if h.number else "")
    return f"{kind} — {h.body_name or h.report_title or 'rapport'}" + (f" ({h.year})" if h.year else "")


def digest_message(services: Services, row: SubscriptionRow, hits: list[SearchHit], total: int) -> EmailMessage:
    base = services.settings.public_base_url.rstrip("/")
    link = subs.links(base, row.token)
    reports = {h.report_id: h for h in hits}
    what = row.label or "votre recherche"
    subject = f"Constats : {total} nouveau{'x' if total > 1 else ''} constat{'s' if total > 1 else ''} — {what}"
    lines = [f"Nouveaux constats des chambres régionales des comptes pour : {what}", "",
             f"{total} constat{'s' if total > 1 else ''} dans {len(reports)} rapport{'s' if len(reports) > 1 else ''} "
             "publié(s) depuis votre dernier envoi.", ""]
    for h in hits:
        lines += [_hit_title(h), (h.text or "")[:600], f"{base}/constats/{h.id}", ""]
    if total > len(hits):
        lines.append(f"… et {total - len(hits)} autres : {base}/recherche")
    lines += ["Rapports :"] + [f"- {h.report_title or h.body_name} : {base}/rapports/{rid}"
                               for rid, h in reports.items()]
    lines += ["", f"Se désabonner en un clic : {link['unsubscribe']}"]
    items = "".join(
        f'<li><p><a href="{html.escape(base)}/constats/{html.escape(h.id)}">{html.escape(_hit_title(h))}</a></p>'
        f"<p>{html.escape((h.text or '')[:600])}</p></li>" for h in hits)
    body = (f"<p>Nouveaux constats pour : <strong>{html.escape(what)}</strong></p><ul>{items}</ul>"
            f'<p><a href="{html.escape(link["unsubscribe"])}">Se désabonner en un clic</a></p>')
    return services.mailer.message(row.email, subject, "\n".join(lines), body, headers={
        "List-Unsubscribe": f"<{link['unsubscribe']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def send_digests(services: Services, now: datetime | None = None) -> int:
    """Send every due digest that has something new; returns the number of e-mails sent.
    A subscription with nothing new keeps its window (the next digest covers it)."""
    if not services.mailer.configured:
        log.info("digests not sent: no SMTP server configured")
        return 0
    now = now or datetime.now(UTC)
    sent = 0
    with services.session() as session:
        due = [(row.id, subs.window_start(row)) for row in subs.due(session, now)]
    for sub_id, since in due:
        with services.session() as session:
            row = session.get(SubscriptionRow, sub_id)
            if row is None or row.status != "active":
                continue
            hits, total = new_findings(services, row, since)
            if not hits:
                continue
            services.mailer.send([digest_message(services, row, hits, total)])
            subs.mark_sent(session, row, now)
            sent += 1
    return sent


def after_indexing(services: Services) -> dict:
    groups = refresh_recurring(services)
    return {"recurring_groups": len(groups["groups"]) if groups else None,
            "digests": send_digests(services)}
