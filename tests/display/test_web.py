"""The web page's server: the page (no external request), the record, the events; the token."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sessions import who

from ndrc_oral.display.publisher import Publisher
from ndrc_oral.display.web import WebServer, needs_token
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session


@pytest.fixture
def live(catalog: Catalog, fake_clock: FakeClock) -> Iterator[tuple[Session, Publisher]]:
    exam = catalog.get("e6-ccf-a")
    s = Session.create(exam, fake_clock, lambda e: None, session_id="s1", identity=who("Ada"))
    publisher = Publisher(None, fake_clock)
    yield s, publisher


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.parametrize(
    ("host", "token"),
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("127.0.0.2", False),
        ("0.0.0.0", True),
        ("192.168.1.20", True),
        ("salle-b12", True),
    ],
)
def test_only_the_loopback_goes_without_a_token(host: str, token: bool) -> None:
    assert needs_token(host) is token


def test_the_page_asks_nothing_of_any_other_host(fake_clock: FakeClock) -> None:
    web = WebServer(Publisher(None, fake_clock), fake_clock).start()
    try:
        status, page = get(web.url)
    finally:
        web.stop()
    assert status == 200 and web.token is None and web.host == "127.0.0.1"
    assert not re.search(r"(src|href)\s*=", page)  # nothing loaded: no script, style, font, image
    assert "http" not in page.replace("http-equiv", "")
    assert "connexion perdue" in page and "#" in page  # the strings and colours put in
    assert "/*STRINGS*/" not in page and "/*TONES*/" not in page


def test_state_is_the_record_read_now(
    live: tuple[Session, Publisher], fake_clock: FakeClock
) -> None:
    s, publisher = live
    web = WebServer(publisher, fake_clock).start()
    try:
        assert json.loads(get(web.url + "state")[1]) == {"none": True}
        s.start()
        publisher.show("s1", s.snapshot(), s.run)
        fake_clock.advance(0.75)
        state = json.loads(get(web.url + "state")[1])
    finally:
        web.stop()
    assert state["remaining_s"] == pytest.approx(599.25) and state["age_s"] == 0.75
    assert state["status"] == "running" and "Ada" not in json.dumps(state)


def test_events_come_at_once_then_at_each_write(
    live: tuple[Session, Publisher], fake_clock: FakeClock
) -> None:
    s, publisher = live
    publisher.show("s1", s.snapshot(), s.run)
    web = WebServer(publisher, fake_clock).start()
    try:
        with urllib.request.urlopen(web.url + "events", timeout=30) as stream:
            first = _event(stream)
            s.start()
            publisher.show("s1", s.snapshot(), s.run)
            second = _event(stream)
    finally:
        web.stop()
    assert (first["status"], second["status"]) == ("ready", "running")
    assert second["beat"] == first["beat"] + 1


def _event(stream: object) -> dict[str, object]:
    while True:
        line = stream.readline().decode()  # type: ignore[attr-defined]
        if line.startswith("data: "):
            return json.loads(line[6:])  # type: ignore[no-any-return]


def test_with_a_token_every_path_wants_it(fake_clock: FakeClock) -> None:
    # As on the room's network (not reachable from here: the same rule on loopback).
    web = WebServer(Publisher(None, fake_clock), fake_clock, token="s3cret-token").start()
    try:
        base = f"http://127.0.0.1:{web.port}/"
        assert web.url == base + "?k=s3cret-token"
        for path in ("", "state", "events", "nothing"):
            assert get(base + path)[0] == 401, path
            assert get(base + path + "?k=wrong")[0] == 401, path
        assert get(base + "state?k=s3cret-token")[0] == 200
        status, page = get(web.url)
        assert status == 200 and "EventSource" in page
    finally:
        web.stop()


def test_a_network_address_gets_a_random_token(
    fake_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The address is taken as the network's; bound to loopback all the same (nothing here
    # listens beyond this machine).
    monkeypatch.setattr("ndrc_oral.display.web.needs_token", lambda host: True)
    publisher = Publisher(None, fake_clock)
    a, b = WebServer(publisher, fake_clock).start(), WebServer(publisher, fake_clock).start()
    try:
        assert a.token and b.token and a.token != b.token and len(a.token) >= 20
        assert get(a.url.split("?")[0])[0] == 401 and get(a.url)[0] == 200
    finally:
        a.stop()
        b.stop()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ndrc_oral", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("address", ["huit", "127.0.0.1:99999"])
def test_a_bad_address_is_one_line_before_the_kiosk_opens(address: str) -> None:
    result = run_cli("--web", address)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "PORT" in line and address in line


def test_a_port_in_use_is_one_line_too() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("run", "e6-ccf-a", "--candidate", "Ada", "--web", str(port))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert f"impossible d'écouter sur {port}" in line
