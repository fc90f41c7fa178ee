"""A thin HTTP client for Meilisearch (httpx): only what Constats needs.

The official python client is not used: its ``get_settings()`` returns embedder objects that
do not serialise, and every call here wants a clear error naming the index and the task.
Writes return the enqueued task; ``wait_task`` waits for it with a timeout and raises
``MeiliTaskError`` with Meilisearch's own message when it failed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import httpx


class MeiliError(RuntimeError):
    """Meilisearch answered with an error (bad request, unknown index, bad key…)."""

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


class MeiliTaskError(MeiliError):
    """An asynchronous task failed or did not finish in time."""


class MeiliUnavailable(MeiliError):
    """The circuit breaker is open: Meilisearch failed a moment ago, no call is made."""


class CircuitBreaker:
    """Fail fast while a server is down or stuck, instead of making every caller wait.

    Closed: calls go through. A call that fails for the server's sake (no connection, a
    timeout, a 5xx) opens it: for ``cooldown`` seconds every call fails at once
    (``MeiliUnavailable``). Then one call at a time is let through as a probe: its success
    closes the breaker, its failure opens it again. Thread-safe."""

    def __init__(self, cooldown: float = 10.0, clock=time.monotonic):
        self.cooldown, self._clock = cooldown, clock
        self._lock = threading.Lock()
        self._open_until: float | None = None  # None: closed
        self._probing = False
        self.last_error = ""

    @property
    def closed(self) -> bool:
        return self._open_until is None

    def before(self) -> bool:
        """Ask to make a call; True when it is the probe. Raises ``MeiliUnavailable`` while open."""
        with self._lock:
            if self._open_until is None:
                return False
            if self._clock() < self._open_until or self._probing:
                raise MeiliUnavailable(f"Meilisearch indisponible ({self.last_error}) : "
                                       "appel non tenté", code="unavailable")
            self._probing = True
            return True

    def success(self, probe: bool) -> None:
        with self._lock:
            if probe or self._open_until is not None:
                self._open_until, self._probing = None, False

    def failure(self, probe: bool, error: str) -> None:
        with self._lock:
            self.last_error = error[:200]
            self._open_until = self._clock() + self.cooldown
            if probe:
                self._probing = False


class MeiliClient:
    """One Meilisearch server, one API key. Thread-safe (httpx.Client is).

    ``breaker``: a ``CircuitBreaker`` (the API's client, with a short timeout) so that a down
    or frozen Meilisearch costs one timeout, not one per request."""

    def __init__(self, url: str, key: str | None = None, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None, breaker: CircuitBreaker | None = None):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.url = url.rstrip("/")
        self.breaker = breaker
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout,
                                  transport=transport)

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MeiliClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, *, json: Any = None,
                params: dict | None = None, ok404: bool = False) -> Any:
        if self.breaker is None:
            return self._request(method, path, json=json, params=params, ok404=ok404)
        probe = self.breaker.before()
        try:
            out = self._request(method, path, json=json, params=params, ok404=ok404)
        except httpx.HTTPError as exc:
            self.breaker.failure(probe, f"{type(exc).__name__}: {exc}")
            raise
        except MeiliError as exc:
            if (exc.status or 0) >= 500:
                self.breaker.failure(probe, str(exc))
            else:
                self.breaker.success(probe)
            raise
        except BaseException:
            if probe:
                self.breaker.failure(probe, "interrupted")
            raise
        self.breaker.success(probe)
        return out

    def _request(self, method: str, path: str, *, json: Any = None,
                 params: dict | None = None, ok404: bool = False) -> Any:
        resp = self._http.request(method, path, json=json, params=params)
        if resp.status_code == 404 and ok404:
            return None
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {"message": resp.text[:500]}
            raise MeiliError(f"Meilisearch {method} {path}: {resp.status_code} "
                             f"{body.get('code', '')}: {body.get('message', '')}".strip(),
                             code=body.get("code"), status=resp.status_code)
        if not resp.content:
            return None
        return resp.json()

    def health(self) -> bool:
        try:
            return (self.request("GET", "/health") or {}).get("status") == "available"
        except (httpx.HTTPError, MeiliError):
            return False

    # ------------------------------------------------------------------ tasks
    def get_task(self, uid: int) -> dict:
        return self.request("GET", f"/tasks/{uid}")

    def wait_task(self, task: dict | int, *, timeout: float = 120.0, interval: float = 0.02) -> dict:
        """Wait for a task; raise ``MeiliTaskError`` if it failed, was cancelled or timed out."""
        uid = task if isinstance(task, int) else int(task.get("taskUid", task.get("uid")) or 0)
        deadline = time.monotonic() + timeout
        delay = interval
        while True:
            info = self.get_task(uid)
            status = info.get("status")
            if status == "succeeded":
                return info
            if status in ("failed", "canceled"):
                err = info.get("error") or {}
                raise MeiliTaskError(
                    f"Meilisearch task {uid} ({info.get('type')} on {info.get('indexUid')}) "
                    f"{status}: {err.get('code', '')}: {err.get('message', '')}",
                    code=err.get("code"))
            if time.monotonic() > deadline:
                raise MeiliTaskError(f"Meilisearch task {uid} ({info.get('type')} on "
                                     f"{info.get('indexUid')}) still {status} after {timeout:.0f} s",
                                     code="timeout")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    # ------------------------------------------------------------------ indexes
    def get_index(self, uid: str) -> dict | None:
        return self.request("GET", f"/indexes/{uid}", ok404=True)

    def list_indexes(self) -> list[dict]:
        out, offset = [], 0
        while True:
            page = self.request("GET", "/indexes", params={"offset": offset, "limit": 100})
            out += page["results"]
            offset += len(page["results"])
            if not page["results"] or offset >= page["total"]:
                return out

    def create_index(self, uid: str, primary_key: str = "id", *, wait: bool = True) -> dict:
        task = self.request("POST", "/indexes", json={"uid": uid, "primaryKey": primary_key})
        return self.wait_task(task) if wait else task

    def ensure_index(self, uid: str, primary_key: str = "id") -> bool:
        """Create the index if it does not exist. Returns True when it was created."""
        if self.get_index(uid) is not None:
            return False
        try:
            self.create_index(uid, primary_key)
        except MeiliTaskError as exc:
            if exc.code != "index_already_exists":
                raise
            return False
        return True

    def delete_index(self, uid: str, *, wait: bool = True) -> dict | None:
        task = self.request("DELETE", f"/indexes/{uid}", ok404=True)
        if task is None:
            return None
        try:
            return self.wait_task(task) if wait else task
        except MeiliTaskError as exc:
            if exc.code == "index_not_found":
                return None
            raise

    def swap_indexes(self, pairs: Iterable[tuple[str, str]], *, wait: bool = True) -> dict:
        task = self.request("POST", "/swap-indexes", json=[{"indexes": [a, b]} for a, b in pairs])
        return self.wait_task(task) if wait else task

    def stats(self, uid: str) -> dict:
        return self.request("GET", f"/indexes/{uid}/stats")

    # ------------------------------------------------------------------ settings
    def get_settings(self, uid: str) -> dict:
        return self.request("GET", f"/indexes/{uid}/settings")

    def update_settings(self, uid: str, settings: dict, *, wait: bool = True,
                        timeout: float = 300.0) -> dict:
        task = self.request("PATCH", f"/indexes/{uid}/settings", json=settings)
        return self.wait_task(task, timeout=timeout) if wait else task

    # ------------------------------------------------------------------ documents
    def add_documents(self, uid: str, documents: list[dict], *, primary_key: str = "id") -> dict:
        """Add or replace documents; returns the enqueued task (not waited for)."""
        return self.request("POST", f"/indexes/{uid}/documents", json=documents,
                            params={"primaryKey": primary_key})

    def delete_documents_by_filter(self, uid: str, filter_: str | list) -> dict:
        return self.request("POST", f"/indexes/{uid}/documents/delete", json={"filter": filter_})

    def delete_documents(self, uid: str, ids: list[str]) -> dict:
        return self.request("POST", f"/indexes/{uid}/documents/delete-batch", json=ids)

    def get_document(self, uid: str, doc_id: str, *, vectors: bool = False,
                     fields: list[str] | None = None) -> dict | None:
        params: dict[str, Any] = {"retrieveVectors": "true"} if vectors else {}
        if fields:
            params["fields"] = ",".join(fields)
        return self.request("GET", f"/indexes/{uid}/documents/{doc_id}", params=params, ok404=True)

    def fetch_documents(self, uid: str, *, filter_: str | list | None = None,
                        fields: list[str] | None = None, limit: int = 1000, offset: int = 0) -> dict:
        body: dict[str, Any] = {"limit": limit, "offset": offset}
        if filter_:
            body["filter"] = filter_
        if fields:
            body["fields"] = fields
        return self.request("POST", f"/indexes/{uid}/documents/fetch", json=body)

    # ------------------------------------------------------------------ search
    def search(self, uid: str, body: dict) -> dict:
        return self.request("POST", f"/indexes/{uid}/search", json=body)

    def multi_search(self, queries: list[dict]) -> list[dict]:
        return self.request("POST", "/multi-search", json={"queries": queries})["results"]

    def facet_search(self, uid: str, body: dict) -> dict:
        return self.request("POST", f"/indexes/{uid}/facet-search", json=body)

    # ------------------------------------------------------------------ keys
    def list_keys(self) -> list[dict]:
        return self.request("GET", "/keys", params={"limit": 1000})["results"]

    def create_key(self, *, name: str, description: str, actions: list[str],
                   indexes: list[str], expires_at: str | None = None) -> dict:
        return self.request("POST", "/keys", json={
            "name": name, "description": description, "actions": actions,
            "indexes": indexes, "expiresAt": expires_at})


SEARCH_KEY_NAME = "constats-search"


def search_key(master: MeiliClient, prefix: str = "constats") -> str:
    """Find or create the search-only key of this deployment (indexes ``{prefix}-*``)."""
    name = f"{SEARCH_KEY_NAME}:{prefix}"
    for key in master.list_keys():
        if key.get("name") == name and key.get("actions") == ["search"]:
            return key["key"]
    created = master.create_key(name=name, description="Constats API: search only",
                                actions=["search"], indexes=[f"{prefix}-*"])
    return created["key"]
