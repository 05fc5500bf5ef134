"""Shared fixtures: a fake clock, a short demo exam, a store, and isolated user dirs.

Every test runs with ``NDRC_ORAL_DATA_DIR``, ``NDRC_ORAL_CONFIG_DIR`` and
``NDRC_ORAL_CACHE_DIR`` pointing at fresh temporary directories, so that no
test reads or writes the real user's transcripts, definitions or cache.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from sessions import who

from ndrc_oral.exams.loader import Catalog, load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import set_language
from ndrc_oral.paths import CONFIG_DIR_ENV, DATA_DIR_ENV, data_dir
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import LiveSession, Store, new_session

DEMO_EXAM: dict[str, Any] = {
    "id": "demo",
    "title": {"fr": "Épreuve de démonstration", "en": "Demo exam"},
    "epreuve": "E4",
    "extra_time_phases": ["expose", "entretien"],
    "phases": [
        # 60 s alone, ends by itself; the commission then starts the exposé.
        {
            "id": "prep",
            "label": {"fr": "Préparation"},
            "duration_s": 60,
            "warnings_s": [10],
            "preparation": True,
            "auto_end": True,
        },
        {
            "id": "expose",
            "label": {"fr": "Exposé"},
            "duration_s": 600,
            "warnings_s": [120, 30],
            "carry_over": True,
            "auto_start": False,
            "milestones": [{"id": "questions", "label": {"fr": "Questions"}}],
        },
        {
            "id": "entretien",
            "label": {"fr": "Entretien"},
            "duration_s": 300,
            "speaker": "commission",
            "warnings_s": [60],
        },
        {
            "id": "bilan",
            "label": {"fr": "Bilan"},
            "duration_s": 120,
            "speaker": "both",
            "warnings_s": [30],
            "auto_start": False,
        },
    ],
    "competences": [
        {
            "id": "comp-a",
            "label": {"fr": "Compétence A"},
            "criteria": [
                {"id": "c1", "label": {"fr": "Critère 1"}},
                {"id": "c2", "label": {"fr": "Critère 2"}},
            ],
        },
        {
            "id": "comp-b",
            "label": {"fr": "Compétence B"},
            "criteria": [{"id": "c3", "label": {"fr": "Critère 3"}}],
        },
    ],
}
"""``demo_exam`` as data: prep 60 s (auto_end) · exposé 600 s (carry-over, waits for
the start key; a milestone ``questions``) · entretien 300 s (starts by itself) · bilan 120 s (waits);
extra time applies to the exposé and the entretien only; criteria c1, c2, c3."""


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    # Outside tmp_path, so a test that lists tmp_path sees only its own files.
    root = tmp_path_factory.mktemp("user-dirs")
    (root / "config").mkdir()
    # The data directory is created on first use, as on a fresh install.
    monkeypatch.setenv(DATA_DIR_ENV, str(root / "data"))
    monkeypatch.setenv(CONFIG_DIR_ENV, str(root / "config"))
    monkeypatch.setenv("NDRC_ORAL_CACHE_DIR", str(root / "cache"))
    # French, the default, for every test: one that ran the CLI with ``--lang en``
    # must not leave English behind for the next test on the same worker.
    set_language("fr")
    yield
    set_language("fr")


_CATALOG: list[Catalog] = []


@pytest.fixture
def catalog() -> Catalog:
    """The shipped exam definitions (read once: every test uses the same)."""
    if not _CATALOG:
        _CATALOG.append(load_catalog())
    return _CATALOG[0]


@pytest.fixture
def clock() -> FakeClock:
    """A FakeClock (the kiosk tests' name for ``fake_clock``)."""
    return FakeClock()


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock that moves only with ``advance`` (and ``jump_wall`` for the wall reading)."""
    return FakeClock()


@pytest.fixture
def demo_exam_data() -> dict[str, Any]:
    """``DEMO_EXAM`` as a fresh dict, to make variants of it."""
    return copy.deepcopy(DEMO_EXAM)


@pytest.fixture
def demo_exam(demo_exam_data: dict[str, Any]) -> Exam:
    """A short four-phase exam (see ``DEMO_EXAM``)."""
    return Exam.model_validate(demo_exam_data)


@pytest.fixture
def store() -> Store:
    """The (isolated) data directory of this test, as the CLI would find it."""
    return Store(data_dir())


@pytest.fixture
def live_session(store: Store, demo_exam: Exam, fake_clock: FakeClock) -> Iterator[LiveSession]:
    """A new session of ``demo_exam`` for "Ada Lovelace", saved in ``store`` (real fsync)."""
    live = new_session(store, demo_exam, fake_clock, who("Ada Lovelace", number="0421"))
    yield live
    live.close()
