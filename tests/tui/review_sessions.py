"""Saved sessions for the review tests, made by the engine (never written by hand).

``build_archive(store, catalog)`` runs a small day of orals and rehearsals
through ``new_session`` with a ``FakeClock`` at fixed wall times, then damages
two of the files the way real life does (an edit, a cut in the last event).
Every wall time differs, so the session ids stay distinct when the tests fix
the random part of the id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sessions import who

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import LiveSession, Store, new_session


def wall(day: str, time: str) -> datetime:
    """A local wall time, as the kiosk's clock gives it."""
    return datetime.fromisoformat(f"{day}T{time}").astimezone()


@dataclass
class Archive:
    """The sessions made, by role."""

    paths: dict[str, Path] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Path:
        return self.paths[name]


def _open(
    store: Store, catalog: Catalog, exam: str, at: datetime, candidate: str, **kw: Any
) -> tuple[LiveSession, FakeClock]:
    clock = FakeClock(wall=at)
    live = new_session(store, catalog.get(exam), clock, who(candidate, **kw), fsync=False)
    return live, clock


def live_e6(store: Store, catalog: Catalog) -> Path:
    """Ada's E6 situation A: a pause, an early end carried over, overtime, notes, a mark."""
    live, clock = _open(
        store,
        catalog,
        "e6-ccf-a",
        wall("2026-06-02", "08:00:00"),
        "Ada Lovelace",
        number="0421",
        commission="12",
        members=["M. Martin", "Mme Durand"],
    )
    s = live.session
    crit = s.exam.criterion_ids()
    s.start()
    clock.advance(90)
    s.note("Accroche claire, contexte du réseau bien posé", criterion=crit[0])
    clock.advance(150)
    s.pause("Alarme incendie")
    clock.advance(120)
    s.resume()
    clock.advance(300)
    s.note("Diagnostic du rayon précis, chiffres à l'appui", criterion=crit[3])
    s.end_phase(carry_over=True)  # 9:00 of 10:00 run: 1:00 carried to the entretien
    clock.advance(200)
    s.note("Hésite sur la sélection des partenaires")
    clock.advance(230)  # 7:10 run of 6:00 planned: 1:10 over
    s.end_phase()
    for c, level in zip(crit[:5], ["S", "TS", "I", "S", "S"], strict=True):
        s.rate(c, level)
    s.set_result(
        mark=14.5,
        appreciation="Exposé structuré, entretien un peu long.",
        members=["M. Martin", "Mme Durand"],
    )
    s.finish()
    live.close()
    return live.path


def live_e4(store: Store, catalog: Catalog) -> Path:
    """Zoé's E4: the preparation ends by itself, an extension, a mark réservée."""
    live, clock = _open(
        store,
        catalog,
        "e4-ponctuel",
        wall("2026-06-02", "09:00:00"),
        "Zoé Lefèvre",
        number="0777",
        commission="12",
        members=["M. Martin"],
    )
    s = live.session
    s.start()
    clock.advance(2400)
    s.tick()  # the preparation has ended by itself
    s.start()
    clock.advance(600)
    s.end_phase(carry_over=False)
    clock.advance(500)
    s.extend(120, "Coupure réseau")
    clock.advance(300)
    s.end_phase()
    clock.advance(1200)
    s.note("Bonne découverte des besoins", criterion=s.exam.criterion_ids()[5])
    s.end_phase()
    clock.advance(500)
    s.end_phase(carry_over=False)
    clock.advance(600)
    s.end_phase()
    s.set_result(mark=12, reserved=True, appreciation="Doute sur le dossier.")
    s.finish()
    live.close()
    return live.path


def absent_e5(store: Store, catalog: Catalog) -> Path:
    """Théo did not come to his E5 practical."""
    live, _ = _open(
        store,
        catalog,
        "e5-pratique",
        wall("2026-06-03", "14:00:00"),
        "Théo Dupré",
        number="0555",
        commission="7",
        cms="WordPress",
    )
    live.session.set_result(outcome="absent")
    live.session.finish()
    live.close()
    return live.path


REHEARSALS = (
    # day, exposé s, entretien s
    ("2026-05-20", 750, 180),
    ("2026-05-25", 660, 270),
    ("2026-05-28", 620, 310),
    ("2026-06-01", 590, 300),
)


def rehearsal(store: Store, catalog: Catalog, day: str, expose: int, entretien: int) -> Path:
    """One of Inès's rehearsals of E6 situation A: she gets her timing right over a fortnight."""
    live, clock = _open(
        store,
        catalog,
        "e6-ccf-a",
        wall(day, "18:00:00"),
        "Inès Martin",
        number="0999",
        mode="rehearsal",
    )
    s = live.session
    s.start()
    clock.advance(expose)
    s.end_phase(carry_over=False)
    clock.advance(entretien)
    s.note("Penser à chiffrer les résultats")
    s.end_phase()
    s.finish()
    live.close()
    return live.path


def interrupted_e6(store: Store, catalog: Catalog) -> Path:
    """Noé's E6 situation B: the program stopped during the first phase."""
    live, clock = _open(
        store,
        catalog,
        "e6-ccf-b",
        wall("2026-06-03", "10:00:00"),
        "Noé Durand",
        number="0123",
        commission="3",
    )
    live.session.start()
    clock.advance(300)
    live.session.note("Présentation du réseau de franchisés")
    live.close()
    return live.path


def edited(store: Store, catalog: Catalog) -> Path:
    """Léa's E6: finished, then someone changed a note in the file."""
    live, clock = _open(
        store,
        catalog,
        "e6-ccf-a",
        wall("2026-06-03", "11:00:00"),
        "Léa Bœuf",
        number="0888",
        commission="12",
    )
    s = live.session
    s.start()
    clock.advance(60)
    s.note("Exposé hésitant")
    clock.advance(540)
    s.end_phase(carry_over=False)
    clock.advance(300)
    s.end_phase()
    s.set_result(mark=8)
    s.finish()
    live.close()
    text = live.path.read_text(encoding="utf-8")
    live.path.write_text(text.replace("Exposé hésitant", "Exposé brillant"), encoding="utf-8")
    return live.path


def torn(store: Store, catalog: Catalog) -> Path:
    """Maël's rehearsal: the machine stopped while the last event was being written."""
    live, clock = _open(
        store,
        catalog,
        "e6-ccf-a",
        wall("2026-06-03", "12:00:00"),
        "Maël Çelik",
        number="0444",
        mode="rehearsal",
    )
    s = live.session
    s.start()
    clock.advance(400)
    s.note("Trop rapide sur le diagnostic")
    live.close()
    data = live.path.read_bytes()
    live.path.write_bytes(data[:-25])  # the note's event, cut short
    return live.path


def build_archive(store: Store, catalog: Catalog) -> Archive:
    """Every session above, in one data directory."""
    archive = Archive()
    archive.paths["ada"] = live_e6(store, catalog)
    archive.paths["zoe"] = live_e4(store, catalog)
    archive.paths["theo"] = absent_e5(store, catalog)
    for i, (day, expose, entretien) in enumerate(REHEARSALS, start=1):
        archive.paths[f"ines{i}"] = rehearsal(store, catalog, day, expose, entretien)
    archive.paths["noe"] = interrupted_e6(store, catalog)
    archive.paths["lea"] = edited(store, catalog)
    archive.paths["mael"] = torn(store, catalog)
    return archive


if __name__ == "__main__":  # a data directory to try the screens by hand
    import sys

    from ndrc_oral.exams.loader import load_catalog

    target = Store(Path(sys.argv[1]))
    made = build_archive(target, load_catalog())
    print(f"{len(made.paths)} sessions in {target.root}")
