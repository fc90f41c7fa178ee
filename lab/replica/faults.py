"""Faults the replica can inject, per path: what a real site does on a bad day.

``FaultPlan`` maps a URL path to a ``Fault``; ``times`` limits how many requests it hits
(``None``: every request), after which the path is served normally.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["error", "throttle", "delay", "truncate", "redirect_loop", "redirect_foreign",
                    "html_as_pdf", "huge", "gone", "stall"]

MB = 1024 * 1024


@dataclass
class Fault:
    kind: FaultKind
    times: int | None = None
    status: int = 500
    retry_after: float = 1.0
    seconds: float = 0.0
    size: int = 300 * MB
    content_length: bool = True
    target: str = "http://foreign.example.org/fichier.pdf"


class FaultPlan:
    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()

    def add(self, path: str, fault: Fault) -> FaultPlan:
        with self._lock:
            self._faults[path] = fault
        return self

    def take(self, path: str) -> Fault | None:
        """The fault to apply to this request of ``path``, if any (consumes one ``times``)."""
        with self._lock:
            fault = self._faults.get(path)
            if fault is None:
                return None
            if fault.times is not None:
                if fault.times <= 0:
                    return None
                fault.times -= 1
            return fault

    # -- shorthands
    def server_error(self, path: str, times: int | None = 2, status: int = 500) -> FaultPlan:
        return self.add(path, Fault("error", times=times, status=status))

    def throttle(self, path: str, retry_after: float = 1.0, times: int | None = 1,
                 status: int = 429) -> FaultPlan:
        return self.add(path, Fault("throttle", times=times, retry_after=retry_after, status=status))

    def delay(self, path: str, seconds: float, times: int | None = None) -> FaultPlan:
        return self.add(path, Fault("delay", times=times, seconds=seconds))

    def truncate(self, path: str, times: int | None = None) -> FaultPlan:
        return self.add(path, Fault("truncate", times=times))

    def redirect_loop(self, path: str) -> FaultPlan:
        return self.add(path, Fault("redirect_loop"))

    def redirect_foreign(self, path: str, target: str = "http://foreign.example.org/fichier.pdf") -> FaultPlan:
        return self.add(path, Fault("redirect_foreign", target=target))

    def html_as_pdf(self, path: str) -> FaultPlan:
        return self.add(path, Fault("html_as_pdf"))

    def huge(self, path: str, size: int = 300 * MB, content_length: bool = True) -> FaultPlan:
        return self.add(path, Fault("huge", size=size, content_length=content_length))

    def stall(self, path: str, seconds: float, times: int | None = 1) -> FaultPlan:
        """Send half of the body, then nothing for ``seconds``, then the rest."""
        return self.add(path, Fault("stall", times=times, seconds=seconds))

    def gone(self, path: str, status: int = 404) -> FaultPlan:
        return self.add(path, Fault("gone", status=status))
