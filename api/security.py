"""Security headers: on every answer, and the page ones (CSP, framing) on HTML answers.

The middleware sees every answer but the 500 of an unexpected error, built outside of it
(Starlette's ``ServerErrorMiddleware``): ``api.errors`` applies ``apply_to`` there itself.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: every response: no sniffing, no referrer outside
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
#: pages (HTML): no inline script or style, no framing, nothing loaded from elsewhere (not on the
#: PDFs: a browser's PDF viewer is a plugin that ``object-src 'none'`` would refuse)
PAGE_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                 b"script-src 'self'; object-src 'none'; base-uri 'self'; "
                                 b"form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeadersMiddleware:
    """Adds ``SECURITY_HEADERS`` to every HTTP response, and ``PAGE_HEADERS`` to the HTML ones
    (pages, error pages)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower(): v for k, v in headers}
                wanted = SECURITY_HEADERS + (
                    PAGE_HEADERS if present.get(b"content-type", b"").startswith(b"text/html") else [])
                message["headers"] = headers + [(k, v) for k, v in wanted if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


def apply_to(response: Response) -> Response:
    """The same headers on a response built outside the middleware."""
    html = response.headers.get("content-type", "").startswith("text/html")
    for key, value in SECURITY_HEADERS + (PAGE_HEADERS if html else []):
        response.headers.setdefault(key.decode(), value.decode())
    return response
