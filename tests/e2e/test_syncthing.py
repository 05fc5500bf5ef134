"""The README's Syncthing recipe, with two real daemons on 127.0.0.1 (issue 14).

A kiosk's data directory is shared "send only"; the centre's is "receive
only" with simple file versioning. A session that ends in the first appears
in the second's ``logs list``; a conflict copy carried with it is ignored
with its warning. The configurations are written here: keys from
``syncthing generate``, then the GUI/API on 127.0.0.1 with an API key, sync
listening on a 127.0.0.1 port, global and local discovery, relays, NAT,
usage and crash reporting all off, each device knowing the other's id and
address. Nothing waits a fixed delay: each step waits for what the REST API
reports (its event stream, the folder's status), bounded. Both daemons are
killed at the end, whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sessions import who

from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, new_session

SYNCTHING = shutil.which("syncthing")
pytestmark = pytest.mark.skipif(
    SYNCTHING is None,
    reason="syncthing is not installed (Debian: apt-get install syncthing; .ci/run does it)",
)
FOLDER = "ndrc-oral"
APPEAR_S = 60.0
"""A finished session must be at the centre within this (the issue's bound)."""
START_S = 30.0
STIGNORE = ".*\n"
"""The recipe's ignore list: hidden files are never carried (a creation's copy, a probe)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Daemon:
    name: str
    home: Path
    folder: Path
    device_id: str = ""
    api_key: str = ""
    gui_port: int = 0
    sync_port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def generate(self) -> None:
        assert SYNCTHING is not None
        out = subprocess.run(
            [SYNCTHING, "generate", f"--home={self.home}", "--no-default-folder"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        line = next(
            x for x in out.stdout.splitlines() + out.stderr.splitlines() if "Device ID:" in x
        )
        self.device_id = line.split("Device ID:")[1].strip()
        self.api_key = f"ndrc-test-{self.name}-{os.getpid()}"
        self.gui_port, self.sync_port = _free_port(), _free_port()

    def configure(self, peer: Daemon, folder_type: str, versioning: bool) -> None:
        """Rewrite the generated config.xml: loopback only, nothing announced, one folder."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        for old in root.findall("folder") + root.findall("device"):
            root.remove(old)
        gui = root.find("gui")
        assert gui is not None
        gui.set("enabled", "true")
        gui.set("tls", "false")
        _text(gui, "address", f"127.0.0.1:{self.gui_port}")
        _text(gui, "apikey", self.api_key)
        options = root.find("options")
        assert options is not None
        for tag in options.findall("listenAddress"):
            options.remove(tag)
        _text(options, "listenAddress", f"tcp://127.0.0.1:{self.sync_port}")
        for tag, value in {
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "urAccepted": "-1",
            "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0",
            "startBrowser": "false",
            "announceLANAddresses": "false",
        }.items():
            _text(options, tag, value)
        folder = ET.Element(
            "folder",
            {
                "id": FOLDER,
                "label": FOLDER,
                "path": str(self.folder),
                "type": folder_type,
                "rescanIntervalS": "3600",
                "fsWatcherEnabled": "true",
                "fsWatcherDelayS": "1",
                "ignorePerms": "false",
                "autoNormalize": "true",
            },
        )
        for d in (self, peer):
            ET.SubElement(folder, "device", {"id": d.device_id, "introducedBy": ""})
        if versioning:
            v = ET.SubElement(folder, "versioning", {"type": "simple"})
            ET.SubElement(v, "param", {"key": "keep", "val": "10"})
        root.insert(0, folder)
        for d in (self, peer):
            device = ET.Element(
                "device",
                {
                    "id": d.device_id,
                    "name": d.name,
                    "compression": "metadata",
                    "introducer": "false",
                },
            )
            _text(device, "address", f"tcp://127.0.0.1:{d.sync_port}")
            root.insert(1, device)
        tree.write(path, encoding="utf-8", xml_declaration=False)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.folder / ".stignore").write_text(STIGNORE, encoding="utf-8")

    def start(self, log: Path) -> None:
        assert SYNCTHING is not None
        env = {**os.environ, "STNOUPGRADE": "1", "STNODEFAULTFOLDER": "1", "STNORESTART": "1"}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [SYNCTHING, "serve", "--no-browser", "--no-restart", f"--home={self.home}"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def api(self, path: str, method: str = "GET", timeout: float = 10) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            method=method,
            headers={"X-API-Key": self.api_key},
        )
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def events(self, since: int, timeout_s: int) -> list[dict[str, Any]]:
        """The events after ``since``, waiting up to ``timeout_s`` for one (a long poll)."""
        found: list[dict[str, Any]] = self.api(
            f"/rest/events?since={since}&timeout={timeout_s}", timeout=timeout_s + 10
        )
        return found or []


def _text(parent: ET.Element, tag: str, value: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = value


def wait_until(daemon: Daemon, what: str, ready: Any, bound_s: float) -> None:
    """Follow ``daemon``'s event stream until ``ready()`` holds; fail after ``bound_s``."""
    deadline = time.monotonic() + bound_s
    since = 0
    while True:
        try:
            if ready():
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass  # not listening yet: its first events say when it is
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"{daemon.name}: {what} not seen within {bound_s:.0f} s")
        try:
            events = daemon.events(since, max(1, min(5, int(left))))
            if events:
                since = max(e["id"] for e in events)
        except (urllib.error.URLError, ConnectionError, OSError):
            # The API is not up yet: wait for the process to open its port.
            with socket.socket() as s:
                s.settimeout(min(1.0, left))
                try:
                    s.connect(("127.0.0.1", daemon.gui_port))
                except OSError:
                    if daemon.process is not None and daemon.process.poll() is not None:
                        pytest.fail(
                            f"{daemon.name}: syncthing exited ({daemon.process.returncode})"
                        )
                    time.sleep(0.1)  # the port is closed: nothing to long-poll on yet


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Daemon, Daemon]]:
    kiosk = Daemon("kiosk", tmp_path / "st-kiosk", tmp_path / "kiosk-data")
    centre = Daemon("centre", tmp_path / "st-centre", tmp_path / "centre-data")
    try:
        for d in (kiosk, centre):
            d.generate()
        kiosk.configure(centre, "sendonly", versioning=False)
        centre.configure(kiosk, "receiveonly", versioning=True)
        for d in (kiosk, centre):
            d.start(tmp_path / f"{d.name}.log")
        yield kiosk, centre
    finally:
        for d in (kiosk, centre):
            d.stop()
        for d in (kiosk, centre):
            if d.process is not None:
                print(
                    f"--- {d.name}.log ---\n"
                    + (tmp_path / f"{d.name}.log").read_text(errors="replace")[-3000:]
                )


def connected(a: Daemon, b: Daemon) -> bool:
    connections = a.api("/rest/system/connections")["connections"]
    return bool(connections.get(b.device_id, {}).get("connected"))


def ndrc_list(data: Path) -> tuple[list[dict[str, Any]], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "ndrc_oral", "logs", "list", "--json", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    listed: list[dict[str, Any]] = json.loads(proc.stdout)
    return listed, proc.stderr


def test_a_finished_session_reaches_the_centre_and_a_conflict_copy_is_ignored(
    pair: tuple[Daemon, Daemon], demo_exam: Exam
) -> None:
    kiosk, centre = pair
    wait_until(kiosk, "the connection to the centre", lambda: connected(kiosk, centre), START_S)
    wait_until(centre, "the connection to the kiosk", lambda: connected(centre, kiosk), START_S)

    store = Store(kiosk.folder, machine="salle-7")
    live = new_session(store, demo_exam, FakeClock(), who("Zoé Martin", commission="7"))
    live.session.start()
    live.session.finish()
    live.close()
    conflict = live.path.with_name(f"{live.path.stem}.sync-conflict-20270602-101010-ABCDEFG.toml")
    conflict.write_bytes(live.path.read_bytes())
    kiosk.api(f"/rest/db/scan?folder={FOLDER}", method="POST")  # the watcher would, a second later

    arrived = centre.folder / live.path.name

    def there() -> bool:
        status = centre.api(f"/rest/db/status?folder={FOLDER}")
        whole = arrived.is_file() and arrived.read_bytes() == live.path.read_bytes()
        return whole and status["needFiles"] == 0 and (centre.folder / conflict.name).is_file()

    wait_until(centre, "the finished session", there, APPEAR_S)
    listed, warnings = ndrc_list(centre.folder)
    assert [(s["id"], s["machine"], s["finished"]) for s in listed] == [
        (live.session_id, "salle-7", True)
    ]
    assert conflict.name in warnings and "Syncthing" in warnings
    # Only transcripts travelled: no cache, no heartbeat, no lock, no hidden file of ours.
    carried = sorted(p.name for p in centre.folder.iterdir() if not p.name.startswith(".st"))
    assert carried == sorted([live.path.name, conflict.name])
