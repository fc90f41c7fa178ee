"""The newsletter end to end: a real SMTP server (aiosmtpd) on 127.0.0.1, a real store and
Meilisearch. Subscribe to a saved search, confirm by the e-mailed link, ingest a new matching
report, receive one digest with the new finding and a working one-click unsubscribe link."""

from __future__ import annotations

import email
import re
import threading
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from api.app import create_app
from runtime import local
from runtime.services import Services
from store import subscriptions as subs
from store.db import migrate
from store.models import SubscriptionRow
from tests.api_support import VALFLEURI, api_settings, store_report
from tests.search_support import HashingEmbedder
from worker.derived import send_digests
from worker.pipeline import index_report

pytestmark = pytest.mark.services


class Inbox:
    """aiosmtpd handler: keeps every message received."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def take(self) -> list:
        with self.lock:
            out, self.messages = self.messages, []
        return out


@pytest.fixture()
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=local.free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def text_of(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def report(settings, key: str, text: str, theme: str, year: int) -> str:
    return store_report(settings, [dict(text=text, start=40, kind="recommandation", number="1", page=2,
                                        theme=theme)], key=key, body=VALFLEURI,
                        chamber="CRC Centre-Val de Loire", year=year, title=f"Valfleuri-sur-Loire {year}")


def test_subscribe_confirm_digest_and_unsubscribe(live_services, tmp_path, smtp):
    inbox, port = smtp
    settings = api_settings(live_services, tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                            smtp_security="none", public_base_url="http://testserver")
    migrate(settings.db_url)
    svc = Services(settings, embedder=HashingEmbedder(64))
    old = report(settings, "old", "Le régime indemnitaire des agents n'a pas été revu depuis 2002.",
                 "ressources_humaines", 2015)
    assert index_report(svc, old) == old
    with TestClient(create_app(settings, embedder=HashingEmbedder(64))) as client:
        # bad input: a French error, nothing stored, nothing sent
        r = client.post("/abonnements", data={"email": "pas-une-adresse", "insee": "45999"})
        assert r.status_code == 422 and "adresse électronique invalide" in r.text
        assert inbox.take() == []

        r = client.post("/abonnements", data={"email": "citoyenne@example.org", "frequency": "daily",
                                              "insee": "45999", "theme": "ressources_humaines",
                                              "label": "Personnel de Valfleuri"})
        assert r.status_code == 200, r.text
        [confirmation] = inbox.take()
        assert confirmation["To"] == "citoyenne@example.org"
        link = re.search(r"http://testserver(/abonnements/confirmer/[\w-]+)", text_of(confirmation)).group(1)
        # not confirmed yet: nothing is due
        with svc.session() as s:
            assert subs.due(s) == []
        assert "Abonnement confirmé" in client.get(link).text

        with svc.session() as s:
            row = s.query(SubscriptionRow).one()
            assert row.status == "active" and row.query == {"insee": ["45999"], "theme": ["ressources_humaines"]}
            confirmed = subs.window_start(row)

        # a new report matching the search, and one that does not (another theme)
        new = report(settings, "new", "Mettre fin au versement de l'indemnité de fin d'année sans base légale.",
                     "ressources_humaines", 2020)
        other = report(settings, "other", "Fiabiliser l'inventaire des immobilisations.", "fiabilite_comptes", 2020)
        for rid in (new, other):
            assert index_report(svc, rid) == rid

        assert send_digests(svc, now=confirmed + timedelta(hours=1)) == 0  # a daily digest: not yet due
        assert inbox.take() == []
        assert send_digests(svc, now=confirmed + timedelta(days=1, minutes=1)) == 1
        [digest] = inbox.take()
        body = text_of(digest)
        assert digest["To"] == "citoyenne@example.org" and "Personnel de Valfleuri" in digest["Subject"]
        assert "indemnité de fin d'année sans base légale" in body
        assert "inventaire des immobilisations" not in body  # not matching
        assert "régime indemnitaire des agents" not in body  # indexed before the subscription
        unsubscribe = re.search(r"http://testserver(/abonnements/desabonner/[\w-]+)", body).group(1)
        assert digest["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
        # the next digest is due a day later, with nothing new: nothing sent
        assert send_digests(svc, now=confirmed + timedelta(days=2, minutes=2)) == 0

        r = client.get(unsubscribe)
        assert r.status_code == 200 and "Désabonnement effectué" in r.text
        later = report(settings, "later", "Respecter la durée légale du temps de travail des agents.",
                       "ressources_humaines", 2021)
        index_report(svc, later)
        assert send_digests(svc, now=confirmed + timedelta(days=5)) == 0
        assert inbox.take() == []
        assert "Abonnement résilié" in client.get(link).text  # an old confirmation link does not revive it
        assert client.get("/abonnements/desabonner/inconnu-inconnu-inconnu").status_code == 404
    svc.close()


def test_subscribing_without_smtp_is_a_503_and_stores_nothing(live_services, tmp_path):
    settings = api_settings(live_services, tmp_path)
    migrate(settings.db_url)
    with TestClient(create_app(settings, embedder=HashingEmbedder(64))) as client:
        page = client.get("/abonnements?q=jeux+olympiques&label=Paris+2024")
        assert page.status_code == 200 and "« jeux olympiques »" in page.text
        r = client.post("/abonnements", data={"email": "a@example.org", "q": "jeux olympiques"})
        assert r.status_code == 503 and "(SMTP)" in r.text
    svc = Services(settings, embedder=HashingEmbedder(64))
    with svc.session() as s:
        assert s.query(SubscriptionRow).count() == 0
    svc.close()
