"""``/abonnements``: follow a saved search by e-mail (the newsletter).

The form keeps the search's query and filters (those of the results page, a commune's
dossier, or a thematic dossier such as the Paris 2024 Games written as a query); the address
receives a confirmation link, then a digest of the new findings at the chosen frequency
(``worker.derived.send_digests``), each with a one-click unsubscribe link (also as the
``List-Unsubscribe`` header, RFC 8058). Without an SMTP server the form answers 503.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api.deps import db, services
from api.filters import make_params
from api.templating import label, render
from constats.errors import ServiceUnavailable
from runtime.services import Services
from store import subscriptions as subs
from store.subscriptions import links

router = APIRouter(include_in_schema=False)

EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[A-Za-z]{2,}$")
FREQUENCY_LABELS = {"daily": "chaque jour", "weekly": "chaque semaine", "monthly": "chaque mois"}
#: the filters a subscription keeps (those of the search)
FILTERS = ("chamber", "region", "departement", "body_kind", "insee", "siren", "kind", "theme", "status",
           "sector")
EXAMPLES = [("Jeux olympiques et paralympiques de Paris 2024", {"q": "jeux olympiques"}),
            ("Délégations de service public", {"theme": "gestion_deleguee"}),
            ("Temps de travail des agents", {"q": "1607 heures"})]


def saved_query(values: dict) -> dict:
    """The search that a subscription follows, checked like a search request."""
    params = make_params(**values)
    out: dict = {"q": params.q} if params.q else {}
    for key in FILTERS:
        if getattr(params, key):
            out[key] = getattr(params, key)
    for key in ("year_from", "year_to"):
        if getattr(params, key) is not None:
            out[key] = getattr(params, key)
    return out


def describe(query: dict) -> str:
    """The saved search in words (« jeux olympiques · thème : Gestion déléguée… »)."""
    parts = [f"« {query['q']} »"] if query.get("q") else []
    names = {"theme": "thème", "kind": "type", "status": "statut", "body_kind": "organisme",
             "chamber": "chambre", "departement": "département", "insee": "commune", "siren": "SIREN",
             "region": "région", "sector": "secteur"}
    for key, name in names.items():
        if query.get(key):
            parts.append(f"{name} : " + ", ".join(label(key, v) for v in query[key]))
    if query.get("year_from") or query.get("year_to"):
        parts.append(f"années {query.get('year_from') or '…'}–{query.get('year_to') or '…'}")
    return " · ".join(parts) or "tous les nouveaux constats"


@router.get("/abonnements", response_class=HTMLResponse)
def subscribe_form(request: Request):
    values: dict[str, str | list[str]] = {k: request.query_params.getlist(k) for k in FILTERS
                                          if request.query_params.getlist(k)}
    for key in ("q", "year_from", "year_to"):
        if request.query_params.get(key):
            values[key] = request.query_params[key]
    query = saved_query(values)
    return render(request, "subscribe.html", title="Recevoir les nouveaux constats par courriel",
                  query=query, description=describe(query), label_value=request.query_params.get("label", ""),
                  frequencies=FREQUENCY_LABELS, examples=EXAMPLES, filters=FILTERS)


@router.post("/abonnements", response_class=HTMLResponse)
async def subscribe(request: Request, session: Session = Depends(db), svc: Services = Depends(services),
                    email: str = Form(..., max_length=320), frequency: str = Form("weekly"),
                    label_text: str = Form("", alias="label", max_length=300)):
    form = await request.form()
    email = email.strip()
    if not EMAIL.match(email):
        raise RequestValidationError([{"type": "value_error", "loc": ("body", "email"),
                                       "msg": f"adresse électronique invalide : « {email} »"}])
    if frequency not in FREQUENCY_LABELS:
        raise RequestValidationError([{"type": "value_error", "loc": ("body", "frequency"),
                                       "msg": "fréquence inconnue : « " + frequency + " » ; possibles : "
                                              + ", ".join(FREQUENCY_LABELS)}])
    values: dict = {k: [str(v) for v in form.getlist(k) if str(v).strip()] for k in FILTERS}
    for key in ("q", "year_from", "year_to"):
        values[key] = str(form.get(key) or "").strip() or None
    query = saved_query({k: v for k, v in values.items() if v})
    if not svc.mailer.configured:
        raise ServiceUnavailable("SMTP", "l'envoi de courriels n'est pas configuré sur ce serveur")
    what = label_text.strip() or describe(query)
    row = subs.create(session, email, query, what, frequency)
    link = links(request.app.state.settings.public_base_url, row.token)
    text = (f"Bonjour,\n\nVous avez demandé à recevoir {FREQUENCY_LABELS[frequency]} les nouveaux constats "
            f"des chambres régionales des comptes pour : {what}.\n\nConfirmez votre abonnement : "
            f"{link['confirm']}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
            f"rien ne vous sera envoyé.\n\nSe désabonner à tout moment : {link['unsubscribe']}\n")
    svc.mailer.send([svc.mailer.message(email, f"Confirmez votre abonnement : {what}", text)])
    session.commit()
    return render(request, "subscription.html", title="Vérifiez votre messagerie", state="pending",
                  email=email, what=what)


def _row(session: Session, token: str):
    row = subs.by_token(session, token) if re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token) else None
    if row is None:
        raise HTTPException(404, "lien d'abonnement inconnu ou expiré")
    return row


@router.get("/abonnements/confirmer/{token}", response_class=HTMLResponse)
def confirm(request: Request, token: str, session: Session = Depends(db)):
    row = _row(session, token)
    ok = subs.confirm(session, row)
    session.commit()
    link = links(request.app.state.settings.public_base_url, row.token)
    return render(request, "subscription.html", title="Abonnement confirmé" if ok else "Abonnement résilié",
                  state="active" if ok else "unsubscribed", email=row.email, what=row.label,
                  frequency=FREQUENCY_LABELS.get(row.frequency), unsubscribe_url=link["unsubscribe"])


@router.api_route("/abonnements/desabonner/{token}", methods=["GET", "POST"], response_class=HTMLResponse)
def unsubscribe(request: Request, token: str, session: Session = Depends(db)):
    """One click (GET from the e-mail, POST from a mail client: RFC 8058)."""
    row = _row(session, token)
    subs.unsubscribe(session, row)
    session.commit()
    return render(request, "subscription.html", title="Désabonnement effectué", state="unsubscribed",
                  email=row.email, what=row.label)
