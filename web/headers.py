"""One ASGI middleware around the whole application (cheaper than one per concern):

- a request body larger than `max_body_bytes` gets 413 (by its Content-Length at once,
  or while it streams);
- every 2xx and 3xx response carries `API-Version` (NLGov API Design Rules);
- every response carries the security headers, and a strict Content-Security-Policy
  (nothing but this site's own styles, scripts (the live check), images and forms; no
  inline script or style, no frames);
- `/openapi.json` may be read from any origin (CORS), as the design rules ask.
"""

from __future__ import annotations

from .problems import ApiError, response

CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
       "img-src 'self'; font-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode()),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()")]
CORS_PATHS = {"/openapi.json"}
CORS = [(b"access-control-allow-origin", b"*"), (b"access-control-allow-methods", b"GET, OPTIONS"),
        (b"access-control-allow-headers", b"accept")]


class Edge:
    """The middleware: size cap, API-Version, security headers, CORS for the OpenAPI document."""

    def __init__(self, app, api_version: str, max_body: int):
        self.app, self.max_body = app, max_body
        self.version = api_version.encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cors = scope["path"] in CORS_PATHS
        if cors and scope["method"] == "OPTIONS":
            return await self._preflight(send)
        length = _content_length(scope)
        if length is not None and length > self.max_body:
            return await response(413, self._too_big(), scope["path"])(scope, receive, send)
        return await self.app(scope, self._capped(receive), self._headers(send, cors))

    def _too_big(self) -> str:
        return (f"het verzoek is groter dan {self.max_body:,} bytes".replace(",", ".") +
                "; stuur één voorstel per verzoek")

    def _capped(self, receive):
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise ApiError(413, self._too_big())
            return message
        return capped

    def _headers(self, send, cors: bool):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY
                if 200 <= message["status"] < 400:
                    headers.append((b"api-version", self.version))
                if cors:
                    headers += CORS
                message["headers"] = headers
            await send(message)
        return with_headers

    async def _preflight(self, send):
        await send({"type": "http.response.start", "status": 204,
                    "headers": CORS + SECURITY + [(b"api-version", self.version),
                                                  (b"access-control-max-age", b"86400")]})
        await send({"type": "http.response.body", "body": b""})


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
