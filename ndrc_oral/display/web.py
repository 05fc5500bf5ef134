"""The candidate's view as a web page, served by the kiosk (``--web [HOST:]PORT``, ``[web]``).

The standard library's ``http.server`` in a thread of its own, three paths:

* ``/``: ``page.html``, shipped in the package: inline CSS and JavaScript, no
  external request (the page's strings in the kiosk's language are put in);
* ``/state``: the newest open session's record as JSON, its time read now;
* ``/events``: the same as Server-Sent Events, at every change of the record
  and at every beat of the kiosk (once a second), so the page knows the
  kiosk is alive; the first event comes at once, which is how a page that
  reconnects resyncs.

Bound to 127.0.0.1 by default. On any other address every path wants the
token (``?k=...``, random, in the address the kiosk shows) and answers 401
without it. The page counts down by itself between events. No Textual here.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import json
import secrets
import socket
import threading
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ndrc_oral.colours import high_contrast_values
from ndrc_oral.display.publisher import Publisher
from ndrc_oral.display.record import FLASH_S, LOST_AFTER_S
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.state import Status
from ndrc_oral.session.tones import TONES

PAGE = Path(__file__).with_name("page.html")
EVENT_EVERY_S = 1.0
"""An event at least this often, a change or not (the page's sign that the kiosk is alive)."""


def needs_token(host: str) -> bool:
    """Anything but the loopback interface is reachable by others: it needs the token."""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a host name: whatever it resolves to, treat it as the network


def wire(publisher: Publisher, now: float) -> dict[str, Any]:
    """What the page receives: the record read at ``now``, ages instead of clock readings.

    The page cannot read the kiosk's monotonic clock: it gets how old the
    kiosk's last beat is (``age_s``) and how long ago the last alert came.
    """
    record = publisher.latest()
    if record is None:
        return {"none": True}
    live = record.live_at(now)
    data = asdict(live)
    data.update(
        none=False,
        age_s=round(now - record.mono, 3),
        cue_age_s=None if record.cue_mono is None else round(now - record.cue_mono, 3),
    )
    del data["mono"], data["cue_mono"]
    return data


def page_text() -> str:
    """The page, with its strings in the current language."""
    strings = {
        "title": t("web.page_title"),
        "lost": t("display.lost"),
        "lost_detail": t("display.lost_detail"),
        "waiting": t("display.waiting"),
        "status": {s.value: t(f"display.status.{s.value}") for s in Status},
        "warn": t("display.marker.warn", left="{left}"),
        "over": t("display.marker.over"),
        "paused": t("display.marker.paused"),
        "minutes": t("duration.minutes", m="{m}"),
        "and_seconds": t("duration.and_seconds", d="{d}", s="{s}"),
        "seconds": t("duration.seconds", s="{s}"),
        "lost_after_s": LOST_AFTER_S,
        "flash_s": FLASH_S,
    }
    text = PAGE.read_text(encoding="utf-8")
    encoded = json.dumps(strings, ensure_ascii=False).replace("</", "<\\/")
    text = text.replace("/*STRINGS*/{}", encoded).replace("<!--TITLE-->", t("web.page_title"))
    return text.replace("/*TONES*/", _tone_rules())


def _tone_rules() -> str:
    """The page's colours: the high-contrast values of the palette (``tui/palette.tcss``)."""
    values = high_contrast_values()
    root = " ".join(f"--{name}: {value};" for name, value in values.items())
    tones = " ".join(f".{tone} {{ --tone: var(--tone-{tone}); }}" for tone in TONES)
    return f":root {{ {root} }}\n  {tones}"


class WebServer:
    """Serves the page and the record of ``publisher`` on ``host:port`` until ``stop``."""

    def __init__(
        self,
        publisher: Publisher,
        clock: Clock,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        token: str | None = None,
    ) -> None:
        self.publisher = publisher
        self.clock = clock
        self.token = (
            token
            if token is not None
            else (secrets.token_urlsafe(16) if needs_token(host) else None)
        )
        self._stopping = threading.Event()
        self._page = page_text().encode("utf-8")
        handler = _handler(self)
        server_class = _Server6 if ":" in host else ThreadingHTTPServer
        self._server = server_class((host, port), handler)
        self._server.daemon_threads = True
        self.host = host
        self.port: int = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The page's address (with its token when it has one)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?k={self.token}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"

    def start(self) -> WebServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="ndrc-web", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.publisher.wake()  # the open event streams end now, not at their next beat
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=3)

    def allowed(self, query: str) -> bool:
        if self.token is None:
            return True
        given = parse_qs(query).get("k", [""])[0]
        return hmac.compare_digest(given.encode(), self.token.encode())


class _Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _handler(web: WebServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ndrc-oral"
        sys_version = ""

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if not web.allowed(url.query):
                self._send(HTTPStatus.UNAUTHORIZED, b"401\n", "text/plain; charset=utf-8")
                return
            if url.path == "/":
                self._send(HTTPStatus.OK, web._page, "text/html; charset=utf-8")
            elif url.path == "/state":
                body = json.dumps(wire(web.publisher, web.clock.monotonic()), ensure_ascii=False)
                self._send(HTTPStatus.OK, body.encode(), "application/json; charset=utf-8")
            elif url.path == "/events":
                self._events()
            else:
                self._send(HTTPStatus.NOT_FOUND, b"404\n", "text/plain; charset=utf-8")

        def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "no-referrer")  # the token stays here
            # The page's own inline script and style, and requests to itself only.
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
            )
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            version = web.publisher.version
            with contextlib.suppress(OSError):  # the page left (a closed tab, a reconnect)
                while not web._stopping.is_set():
                    data = json.dumps(
                        wire(web.publisher, web.clock.monotonic()), ensure_ascii=False
                    )
                    # ``retry``: how soon a page whose kiosk went away tries again.
                    self.wfile.write(f"retry: 1000\ndata: {data}\n\n".encode())
                    self.wfile.flush()
                    version = web.publisher.wait(version, EVENT_EVERY_S)

        def log_message(self, format: str, *args: Any) -> None:
            return  # a kiosk's terminal is no place for an access log

    return Handler
