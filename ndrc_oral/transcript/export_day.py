"""What a commission's day produces: the sign-in sheet, the day's results, its summary.

* ``emargement_pdf``: the liste d'émargement, A4 with the bundled DejaVu font
  (as the other PDFs), the candidates in convocation order, each with a box
  to sign;
* ``day_entries``: the day's sessions as the registry's many-session formats
  take them (``exports.render_many``: CSV, XLSX), so the results of a day
  are the same files as any other list, restricted to the day;
* ``day_summary``: examined, absent, NV, réservée, and the oral time used
  against the time planned.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import tr
from ndrc_oral.session.day import DayState, Slot, SlotState, maxima
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.export_pdf import FAMILY, FONT_DIR
from ndrc_oral.transcript.exports import Entry
from ndrc_oral.transcript.reader import TranscriptError
from ndrc_oral.transcript.recorder import LoadedSession, try_load_session
from ndrc_oral.transcript.summary import summarize_loaded

_COLUMNS = (("time", 16.0), ("number", 26.0), ("surname", 38.0), ("first_name", 34.0))
_EXAM_W = 30.0
_ROW_H = 12.0


def emargement_pdf(state: DayState, lang: str = "fr") -> bytes:
    """The sign-in sheet of the day ``state``: one row per convoked candidate, in order."""
    doc = FPDF(orientation="P", unit="mm", format="A4")
    doc.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
    doc.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    doc.set_margins(14, 14, 14)
    doc.set_auto_page_break(False)
    doc.set_author("ndrc-oral")
    doc.set_creator("ndrc-oral")
    slots = state.in_order()
    days = sorted({s.convoked().date() for s in slots})
    commissions = sorted({s.convocation.commission for s in slots if s.convocation.commission})
    title = tr(lang, "day.pdf.title")
    subtitle = tr(
        lang,
        "day.pdf.subtitle",
        dates=", ".join(d.strftime("%d/%m/%Y") for d in days) or "—",
        commissions=", ".join(commissions) or "—",
        source=state.source,
    )
    sign_w = doc.w - doc.l_margin - doc.r_margin - sum(w for _, w in _COLUMNS) - _EXAM_W

    def page_head() -> None:
        doc.add_page()
        doc.set_font(FAMILY, "B", 15)
        doc.cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_font(FAMILY, "", 9.5)
        doc.multi_cell(0, 5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.ln(2)
        doc.set_font(FAMILY, "B", 9)
        for key, width in _COLUMNS:
            doc.cell(width, 7, tr(lang, f"day.pdf.col.{key}"), border=1)
        doc.cell(_EXAM_W, 7, tr(lang, "day.pdf.col.exam"), border=1)
        doc.cell(
            sign_w, 7, tr(lang, "day.pdf.col.sign"), border=1, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    page_head()
    for slot in slots:
        if doc.y + _ROW_H > doc.h - 16:
            page_head()
        values = {
            "time": slot.convoked().strftime("%H:%M"),
            "number": slot.convocation.number,
            "surname": slot.convocation.surname,
            "first_name": slot.convocation.first_name,
        }
        doc.set_font(FAMILY, "", 9)
        for key, width in _COLUMNS:
            doc.cell(width, _ROW_H, _fit(doc, values[key], width - 2), border=1)
        exam = slot.exam_id + (
            f" ({slot.convocation.extra_time})" if slot.convocation.extra_time else ""
        )
        doc.set_font(FAMILY, "", 7)
        doc.cell(_EXAM_W, _ROW_H, _fit(doc, exam, _EXAM_W - 2), border=1)
        doc.cell(sign_w, _ROW_H, "", border=1, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(doc.output())


def _fit(doc: FPDF, text: str, width: float) -> str:
    """``text`` cut (with an ellipsis) to what ``width`` mm hold; controls as spaces."""
    text = "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    if doc.get_string_width(text) <= width:
        return text
    while text and doc.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def day_sessions(store: Store, state: DayState) -> list[tuple[Slot, LoadedSession | None]]:
    """Each slot that has a session (examined, done, NV), with it when it can be read."""
    found: list[tuple[Slot, LoadedSession | None]] = []
    for slot in state.in_order():
        if slot.session is None:
            continue
        try:
            loaded = try_load_session(store.resolve(slot.session))
        except TranscriptError:
            loaded = None
        found.append((slot, loaded))
    return found


def day_entries(store: Store, state: DayState) -> list[Entry]:
    """The day's sessions as the many-session exports take them (in convocation order)."""
    return [(summarize_loaded(s), s) for _, s in day_sessions(store, state) if s is not None]


@dataclass(frozen=True, slots=True)
class DaySummary:
    """A day in figures."""

    convoked: int
    examined: int
    """Done with a mark (réservée included)."""
    absent: int
    nv: int
    reserved: int
    pending: int
    """Not seen yet (expected, signed in, preparing, being examined)."""
    used_s: float
    """The orals' time used (preparations excluded)."""
    planned_s: float
    """The maxima of the orals of those examined."""


def oral_used_s(loaded: LoadedSession) -> float:
    """Time the oral phases ran (the preparation excluded), pauses excluded."""
    phases = {p.id: p for p in loaded.state.run.phases}
    now = loaded.events[-1].t if loaded.events else 0.0
    return sum(
        run.elapsed(now)
        for run in loaded.state.phases
        if not (phases.get(run.id) is not None and phases[run.id].preparation)
    )


def day_summary(
    store: Store, state: DayState, planned: dict[str, Exam] | None = None
) -> DaySummary:
    """The day's figures (``planned``: exam id -> exam, for the orals' maxima)."""
    count = {s: 0 for s in SlotState}
    for slot in state.slots:
        count[slot.state] += 1
    reserved = sum(1 for s in state.slots if s.state is SlotState.DONE and s.reserved)
    examined = sum(1 for s in state.slots if s.state is SlotState.DONE and s.outcome == "mark")
    used = planned_s = 0.0
    for slot, loaded in day_sessions(store, state):
        if slot.state is not SlotState.DONE or loaded is None:
            continue
        used += oral_used_s(loaded)
        exam = (planned or {}).get(slot.exam_id, loaded.exam)
        planned_s += maxima(exam, loaded.state.identity.extra_fraction())[1]
    pending = (
        sum(count[s] for s in (SlotState.EXPECTED, SlotState.SIGNED_IN, SlotState.PREPARING))
        + count[SlotState.WAITING]
        + count[SlotState.EXAMINED]
    )
    return DaySummary(
        convoked=len(state.slots),
        examined=examined,
        absent=count[SlotState.ABSENT],
        nv=count[SlotState.NV]
        + sum(1 for s in state.slots if s.state is SlotState.DONE and s.outcome == "nv"),
        reserved=reserved,
        pending=pending,
        used_s=used,
        planned_s=planned_s,
    )
