"""The newsletter's subscriptions: saved searches followed by e-mail.

A subscription is ``pending`` until its address confirms it (a link with its secret token),
then ``active``; the digest window starts at the confirmation and moves forward with each
digest sent; ``unsubscribed`` ends it (one click, no login). Rows are never deleted, so an
unsubscription cannot be undone by replaying an old confirmation link.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import SubscriptionRow

FREQUENCIES = {"daily": timedelta(days=1), "weekly": timedelta(days=7), "monthly": timedelta(days=30)}


def _aware(at: datetime | None) -> datetime | None:
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


def create(session: Session, email: str, query: dict, label: str | None, frequency: str) -> SubscriptionRow:
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")
    row = SubscriptionRow(email=email, token=secrets.token_urlsafe(32), query=query, label=label,
                          frequency=frequency, status="pending")
    session.add(row)
    session.flush()
    return row


def by_token(session: Session, token: str) -> SubscriptionRow | None:
    return session.scalar(select(SubscriptionRow).where(SubscriptionRow.token == token))


def confirm(session: Session, row: SubscriptionRow, now: datetime | None = None) -> bool:
    """Activate a pending subscription; False when it was unsubscribed (stays so)."""
    if row.status == "unsubscribed":
        return False
    if row.status == "pending":
        now = now or datetime.now(UTC)
        row.status, row.confirmed_at, row.last_sent_at = "active", now, now
    return True


def unsubscribe(session: Session, row: SubscriptionRow, now: datetime | None = None) -> None:
    if row.status != "unsubscribed":
        row.status, row.unsubscribed_at = "unsubscribed", now or datetime.now(UTC)


def due(session: Session, now: datetime | None = None) -> list[SubscriptionRow]:
    """Active subscriptions whose last digest is at least one period old."""
    now = now or datetime.now(UTC)
    rows = session.scalars(select(SubscriptionRow).where(SubscriptionRow.status == "active")
                           .order_by(SubscriptionRow.id))
    out = []
    for row in rows:
        last = _aware(row.last_sent_at) or _aware(row.confirmed_at) or now
        if now - last >= FREQUENCIES.get(row.frequency, FREQUENCIES["weekly"]):
            out.append(row)
    return out


def window_start(row: SubscriptionRow) -> datetime:
    start = _aware(row.last_sent_at) or _aware(row.confirmed_at) or _aware(row.created_at)
    assert start is not None
    return start


def mark_sent(session: Session, row: SubscriptionRow, at: datetime) -> None:
    row.last_sent_at = at


def links(base_url: str, token: str) -> dict[str, str]:
    """The confirmation and one-click unsubscribe links of a subscription."""
    base = base_url.rstrip("/")
    return {"confirm": f"{base}/abonnements/confirmer/{token}",
            "unsubscribe": f"{base}/abonnements/desabonner/{token}"}
