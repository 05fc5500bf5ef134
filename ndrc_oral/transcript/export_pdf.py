"""Print-ready A4 PDFs: the *fiche d'évaluation* and the *grille*, never mixed.

* ``fiche_pdf``: what may be shown to the candidate after deliberation, as the
  official fiche of its exam prints it: identity, the blocks its definition
  declares (per phase or per situation: date, fiche n°, boxes ticked, the
  appreciation), each block's members with room to sign, the NOTE sur 20 (or,
  while reserved, "note réservée dans l'attente d'une vérification"), and the
  sentence that it may be communicated after deliberation. It reads the
  session's identity and fiche only: no row, no level, no note can reach it.
  An unfinished session's fiche says so and offers no signature. An NV is
  printed as its notification, the reason ticked.
* ``grille_pdf``: for the commission only (every page says so, and the
  exclusive-use sentence): every rated row with the criteria it covers in
  brackets, the TI / I / S / TS boxes, the notes per row (an earlier
  situation's too), the NOTE sur 20, the general notes.

Text is set in the bundled DejaVu Sans (``ndrc_oral/fonts``), so every French
character prints. Lines are wrapped here, with widths measured once per
character: fpdf2's own ``multi_cell`` takes seconds for a 2,000-note grille.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ndrc_oral.formatting import date, day_and_time, parse_wall
from ndrc_oral.i18n import tr
from ndrc_oral.session.identity import Member
from ndrc_oral.session.verdict import NV_REASONS, Status
from ndrc_oral.transcript.recorder import LoadedSession
from ndrc_oral.transcript.report import (
    FicheBlockRow,
    NoteRow,
    Report,
    build_report,
    fiche_result_text,
    member_text,
    mode_text,
    note_stamp,
    outcome_text,
    result_text,
    signing_members,
    source_text,
    warning_key,
)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "DejaVuSans"
_GREY = (90, 90, 90)
_RED = (170, 0, 0)
_BLACK = (0, 0, 0)


class _Document(FPDF):
    """A4 portrait with the bundled font, a banner on every page, page numbers."""

    def __init__(self, report: Report, banner: str, footer: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(18, 14, 18)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages()
        self._banner = banner
        self._footer = footer
        transcript = report.loaded.transcript
        # On every page, the page the commission signs included: the value a
        # later ``logs verify --empreinte`` compares with (README, verification).
        self._fingerprint = tr(
            report.lang,
            "logs.pdf.fingerprint",
            fingerprint=transcript.fingerprint or "-",
            count=transcript.count,
        )
        self._lang = report.lang
        self.report_lang = report.lang
        self._widths: dict[tuple[str, float, str], float] = {}
        self._safe: dict[str, str] = {}
        self.set_lang(report.lang)
        self.set_author("ndrc-oral")
        self.set_creator("ndrc-oral")
        created = parse_wall(report.started_at)
        if created is not None:
            self.set_creation_date(created)  # same session, same file

    # --- page furniture -----------------------------------------------------------

    def header(self) -> None:
        if not self._banner:
            return
        self.set_font(FAMILY, "B", 8.5)
        self.set_text_color(*_RED)
        self.cell(0, 5, self._banner, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_BLACK)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*_GREY)
        self.cell(self.epw, 4, self.clean(self._fingerprint), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(self.epw / 2, 4, self._footer)
        page = tr(self._lang, "logs.pdf.page", page=self.page_no(), pages="{nb}")
        self.cell(self.epw / 2, 4, page, align="R")
        self.set_text_color(*_BLACK)

    # --- text ---------------------------------------------------------------------------

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)

    def clean(self, text: str) -> str:
        """Text the font can print: controls become spaces, unknown glyphs a "?"."""
        out = []
        cmap = getattr(self.current_font, "cmap", None)
        for ch in text:
            safe = self._safe.get(ch)
            if safe is None:
                if ch in "\t\r\v\f" or ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
                    safe = " "
                elif isinstance(cmap, dict) and ord(ch) not in cmap:
                    safe = "?"
                else:
                    safe = ch
                self._safe[ch] = safe
            out.append(safe)
        return "".join(out)

    def width(self, text: str) -> float:
        """The printed width of ``text`` in the current font (memoized per character)."""
        style, size = self.font_style, self.font_size_pt
        total = 0.0
        for ch in text:
            key = (style, size, ch)
            w = self._widths.get(key)
            if w is None:
                w = self._widths[key] = self.get_string_width(ch)
            total += w
        return total

    def wrap(self, text: str, max_w: float) -> list[str]:
        """Greedy word wrap of ``text`` (its own newlines kept) to ``max_w`` mm."""
        lines: list[str] = []
        space = self.width(" ")
        for paragraph in text.split("\n"):
            line, line_w = "", 0.0
            for word in self.clean(paragraph).split():
                w = self.width(word)
                if line and line_w + space + w <= max_w:
                    line, line_w = f"{line} {word}", line_w + space + w
                    continue
                if line:
                    lines.append(line)
                while w > max_w:  # a word longer than the line: cut it
                    cut = self._fit(word, max_w)
                    lines.append(word[:cut])
                    word = word[cut:]
                    w = self.width(word)
                line, line_w = word, w
            lines.append(line)
        return lines

    def _fit(self, word: str, max_w: float) -> int:
        used = 0.0
        for i, ch in enumerate(word):
            used += self.width(ch)
            if used > max_w:
                return max(1, i)
        return len(word)

    def lines(self, lines: list[str], h: float, indent: float = 0.0) -> None:
        """Print lines, each at the left margin plus ``indent``; pages break as needed."""
        for line in lines:
            if self.y + h > self.page_break_trigger:
                self.add_page()
            self.set_x(self.l_margin + indent)
            self.cell(self.epw - indent, h, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, text: str, size: float = 10, bold: bool = False, indent: float = 0.0) -> None:
        self.font(size, bold)
        self.lines(self.wrap(text, self.epw - indent), size * 0.5, indent)

    def need(self, h: float) -> None:
        """Start a new page unless ``h`` mm still fit on this one."""
        if self.y + h > self.page_break_trigger:
            self.add_page()

    def field(self, label: str, value: str, label_w: float = 48) -> None:
        """``label`` in bold, ``value`` wrapped beside it."""
        self.font(10)
        value_lines = self.wrap(value, self.epw - label_w) if value else [""]
        h = 6.0
        self.need(h * min(len(value_lines), 3))
        self.font(10, True)
        self.cell(label_w, h, self.clean(label))
        self.font(10)
        first, *rest = value_lines
        self.cell(self.epw - label_w, h, first, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.lines(rest, h, label_w)

    def heading(self, text: str, size: float = 12) -> None:
        self.need(size * 1.6)
        self.ln(2)
        self.font(size, True)
        self.lines(self.wrap(text, self.epw), size * 0.55)
        self.ln(1)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


# --- the fiche d'évaluation ---------------------------------------------------------------


def fiche_pdf(loaded: LoadedSession, lang: str = "fr") -> bytes:
    """The fiche d'évaluation as printed: no grid, no row, no note. NV: the notification."""
    return fiche_from_report(build_report(loaded, lang, notes=False))  # it prints none


def fiche_from_report(r: Report) -> bytes:
    verdict = r.verdict
    if verdict is not None and verdict.status is Status.NV and r.cancelled is None:
        return notification_from_report(r)
    lang = r.lang
    doc = _Document(r, banner="", footer=tr(lang, "logs.pdf.footer", id=r.id))
    doc.set_title(f"{tr(lang, 'logs.pdf.fiche_title')} — {r.candidate_name}")
    doc.add_page()
    _title_block(doc, r, tr(lang, "logs.pdf.fiche_title"))
    signed = r.finished_marking
    if r.cancelled is not None:
        _cancelled(doc, r)
    elif not signed:
        _unfinished(doc, lang)
    _identity(doc, r)
    for block in r.fiche:
        _fiche_block(doc, r, block, signed)
    doc.need(32)  # the mark and the sentence that goes with it stay together
    _note_box(doc, tr(lang, "logs.pdf.note"), _note_text(r))
    doc.ln(2)
    doc.set_text_color(*_GREY)
    doc.para(tr(lang, "logs.pdf.communicable"), 9)
    doc.set_text_color(*_BLACK)
    _corrections(doc, r)
    return doc.to_bytes()


def _identity(doc: _Document, r: Report) -> None:
    lang = r.lang
    doc.field(tr(lang, "logs.field.candidate"), r.candidate_name)
    doc.field(tr(lang, "logs.field.number_long"), r.candidate_number)
    doc.field(tr(lang, "logs.field.commission_number"), r.commission)
    if not r.exam.ccf:  # a CCF épreuve: each situation's block carries its date
        doc.field(tr(lang, "logs.field.date"), date(r.started_at, lang))
    doc.field(tr(lang, "logs.field.exam"), r.exam.epreuve)
    if r.exam.situation:
        doc.field(tr(lang, "logs.field.situation"), r.exam.situation)
    if r.exam.cms_choices:
        doc.field(tr(lang, "logs.field.cms"), _ticks([(c, c == r.cms) for c in r.exam.cms_choices]))
        letter = r.identity.subject or "…………"
        doc.field(tr(lang, "logs.field.subject_letter"), letter)
    if r.extra_time:
        doc.field(tr(lang, "logs.field.extra_time"), r.extra_time)


def _ticks(choices: Sequence[tuple[str, bool]]) -> str:
    """``☒ WordPress   ☐ PrestaShop``: boxes as printed, ticked or not."""
    return "   ".join(f"{'☒' if on else '☐'} {label}" for label, on in choices)


def _fiche_block(doc: _Document, r: Report, block: FicheBlockRow, signed: bool) -> None:
    """A block as printed: heading and date (a situation), fields, the members' signatures."""
    lang = r.lang
    if block.title is not None:
        doc.heading(block.title, 11)
    if block.scope == "situation":
        when = date(block.started_at, lang) if block.started_at else "……/……/…………"
        doc.field(tr(lang, "logs.field.date"), when)
    for f in block.fields:
        if f.choices:
            doc.field(f.label, _ticks(f.choices))
        elif f.lines > 1:
            _text_box(doc, f.label, f.value, f.lines)
        else:
            doc.field(f.label, f.value)
    members = block.members
    if block.scope == "situation" and block.session_id is None:
        members = ()  # a situation still to come: its lines stay blank
    if block.scope == "situation" or (block.scope == "exam" and not r.exam.ccf):
        _signatures(doc, lang, members, signed and block.session_id is not None)


def _text_box(doc: _Document, label: str, text: str, lines: int) -> None:
    """A caption, then a box of about ``lines`` lines holding the text."""
    doc.need(12)
    doc.font(10, True)
    doc.cell(0, 6, doc.clean(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.font(10)
    wrapped = doc.wrap(text, doc.epw - 4) if text else []
    box_h = max(5.0 * lines + 2, 5.0 * len(wrapped) + 4)
    if box_h < doc.page_break_trigger - doc.t_margin - 20:
        doc.need(box_h)
        top = doc.y
        doc.rect(doc.l_margin, top, doc.epw, box_h)
        doc.set_y(top + 2)
        doc.lines(wrapped, 5.0, 2)
        doc.set_y(top + box_h + 2)
    else:  # a very long text: no box, just the text
        doc.lines(wrapped, 5.0)


def _signatures(doc: _Document, lang: str, members: Sequence[Member], signed: bool) -> None:
    """The members' names with their roles, each with a box to sign (none while unfinished)."""
    doc.heading(tr(lang, "logs.pdf.members"), 10)
    names = [member_text(m, lang) for m in members] or ["", ""]
    for name in names:
        doc.need(17 if signed else 8)
        top = doc.y
        doc.font(10)
        doc.cell(80, 6, doc.clean(name or "…………………………………"))
        if signed:
            doc.font(8)
            doc.set_text_color(*_GREY)
            doc.cell(20, 6, tr(lang, "logs.pdf.signature"))
            doc.set_text_color(*_BLACK)
            doc.rect(doc.l_margin + 100, top, doc.epw - 100, 14)
            doc.set_y(top + 16)
        else:
            doc.set_y(top + 7)


def _note_text(r: Report) -> str:
    lang = r.lang
    if r.cancelled is not None:
        return tr(lang, "logs.pdf.cancelled_note")
    if not r.run.last and (r.verdict is None or not r.verdict.final):
        return tr(lang, "logs.pdf.note_later")
    if r.verdict is None:
        return tr(lang, "logs.result.none")
    return fiche_result_text(r.verdict, lang)


def _note_box(doc: _Document, label: str, text: str) -> None:
    """``NOTE sur 20`` and the mark (or what stands instead of it), framed."""
    doc.ln(4)
    doc.need(16)
    top = doc.y
    doc.set_line_width(0.5)
    doc.rect(doc.l_margin, top, doc.epw, 13)
    doc.set_line_width(0.2)
    doc.set_xy(doc.l_margin + 2, top + 2)
    doc.font(12, True)
    doc.cell(44, 9, label)
    doc.font(11, True)
    value = doc.wrap(text, doc.epw - 50)
    doc.cell(doc.epw - 48, 9, value[0] if value else "")
    doc.set_y(top + 15)


def _cancelled(doc: _Document, r: Report) -> None:
    """The cancellation, first and in red: this sheet records no result."""
    assert r.cancelled is not None
    doc.set_text_color(*_RED)
    at = day_and_time(r.cancelled.at)
    doc.para(tr(r.lang, "logs.cancelled.line", at=at, reason=r.cancelled.reason), 10, True)
    doc.set_text_color(*_BLACK)
    doc.ln(2)


def _corrections(doc: _Document, r: Report) -> None:
    """The corrections of the result, oldest first: when, why, each value before → after."""
    if not r.corrections:
        return
    lang = r.lang
    doc.heading(tr(lang, "logs.md.corrections"), 10)
    for c in r.corrections:
        doc.need(10)
        doc.para(f"{day_and_time(c.at)} — {c.reason}", 9, True)
        for change in c.changes:
            line = tr(
                lang,
                "logs.correction.change",
                label=change.label,
                before=change.before or "—",
                after=change.after or "—",
            )
            doc.para(line, 9, indent=4)
        doc.ln(1)


def _unfinished(doc: _Document, lang: str) -> None:
    doc.set_text_color(*_RED)
    doc.para(tr(lang, "logs.pdf.unfinished"), 10, True)
    doc.set_text_color(*_BLACK)
    doc.ln(2)


# --- the notification of non-validity (NV) --------------------------------------------------


def notification_from_report(r: Report) -> bytes:
    """NV as the notification words it: the dossier's non-conformity, its reason ticked."""
    lang = r.lang
    doc = _Document(r, banner="", footer=tr(lang, "logs.pdf.footer", id=r.id))
    title = tr(lang, "logs.pdf.nv_title")
    doc.set_title(f"{title} — {r.candidate_name}")
    doc.add_page()
    _title_block(doc, r, title)
    doc.field(tr(lang, "logs.field.candidate"), r.candidate_name)
    doc.field(tr(lang, "logs.field.number_long"), r.candidate_number)
    doc.field(tr(lang, "logs.field.commission_number"), r.commission)
    doc.field(tr(lang, "logs.field.date"), date(r.started_at, lang))
    doc.field(tr(lang, "logs.field.exam"), r.exam.epreuve)
    doc.ln(3)
    doc.para(tr(lang, "logs.pdf.nv_intro", epreuve=r.exam.epreuve), 10)
    doc.ln(2)
    reason = r.verdict.reason if r.verdict is not None else None
    for code in NV_REASONS:
        doc.para(f"{'☒' if code == reason else '☐'}  {tr(lang, f'nv.reason.{code}')}", 10, indent=4)
        doc.ln(1)
    if reason is not None and reason not in NV_REASONS:
        doc.para(f"☒  {reason}", 10, indent=4)
    doc.ln(2)
    doc.para(tr(lang, "logs.pdf.nv_outcome"), 10)
    _note_box(doc, tr(lang, "logs.pdf.note"), outcome_text("nv", lang))
    _signatures(doc, lang, signing_members(r.verdict, r.identity), True)
    _corrections(doc, r)
    return doc.to_bytes()


# --- the grille ---------------------------------------------------------------------------


def grille_pdf(loaded: LoadedSession, lang: str = "fr") -> bytes:
    """The evaluation grid with levels and notes: for the commission only."""
    return grille_from_report(build_report(loaded, lang))


def grille_from_report(r: Report) -> bytes:
    lang = r.lang
    doc = _Document(
        r,
        banner=tr(lang, "logs.pdf.confidential"),
        footer=tr(lang, "logs.pdf.footer", id=r.id),
    )
    doc.set_title(f"{tr(lang, 'logs.pdf.grille_title')} — {r.candidate_name}")
    doc.add_page()
    _title_block(doc, r, tr(lang, "logs.pdf.grille_title"))
    if r.cancelled is not None:
        _cancelled(doc, r)
    number = (
        f" ({tr(lang, 'logs.number', number=r.candidate_number)})" if r.candidate_number else ""
    )
    doc.field(tr(lang, "logs.field.candidate"), r.candidate_name + number)
    doc.field(tr(lang, "logs.field.commission_number"), r.commission)
    if r.exam.ccf:  # "Dates : Situation A … Situation B …"
        dates = [
            f"{b.title or ''} : {date(b.started_at, lang) if b.started_at else '……/……'}"
            for b in r.fiche
            if b.scope == "situation"
        ]
        doc.field(tr(lang, "logs.field.dates"), "\n".join(dates))
    else:
        doc.field(tr(lang, "logs.field.date"), date(r.started_at, lang))
    if r.identity.grid:
        doc.field(tr(lang, "logs.field.grid_file"), r.identity.grid)
    codes = r.exam.level_codes()
    legend = ", ".join(f"{lvl.code} = {lvl.label.get(lang)}" for lvl in r.exam.scale)
    doc.ln(1)
    doc.set_text_color(*_GREY)
    doc.para(legend, 8.5)
    doc.set_text_color(*_BLACK)

    box = 11.0
    label_w = doc.epw - box * len(codes)
    for comp in r.exam.competences:
        doc.need(22)
        doc.ln(3)
        doc.font(10, True)
        doc.set_fill_color(230, 230, 230)
        comp_lines = doc.wrap(comp.label.get(lang) if comp.label else "", label_w - 2)
        top = doc.y
        doc.rect(doc.l_margin, top, doc.epw, 5.5 * len(comp_lines) + 1, style="F")
        doc.lines(comp_lines, 5.5, 1)
        doc.set_xy(doc.l_margin + label_w, top)
        doc.font(9, True)
        for code in codes:
            doc.cell(box, 6.5, code, align="C")
        doc.set_y(top + 5.5 * len(comp_lines) + 1)
        for crit in comp.criteria:
            covers = ", ".join(c.get(lang) for c in crit.covers)
            _criterion_row(
                doc, crit.label.get(lang), covers, r.ratings.get(crit.id), codes, label_w, box
            )
            _notes(doc, r.notes_for(crit.id, earlier=True), indent=4)

    _note_box(doc, tr(lang, "logs.pdf.note"), _grille_note(r))
    doc.ln(2)
    doc.set_text_color(*_GREY)
    doc.para(tr(lang, "logs.pdf.exclusive"), 9)
    doc.set_text_color(*_BLACK)
    _corrections(doc, r)

    doc.heading(tr(lang, "logs.md.general_notes"), 11)
    general = r.notes_for(None, earlier=True)
    if general:
        _notes(doc, general, indent=0)
    else:
        doc.set_text_color(*_GREY)
        doc.para(tr(lang, "logs.md.none"), 9)
        doc.set_text_color(*_BLACK)
    return doc.to_bytes()


def _grille_note(r: Report) -> str:
    """The commission sees the mark it gave, reserved or not (the grille stays with it)."""
    if r.cancelled is not None:
        return tr(r.lang, "logs.pdf.cancelled_note")
    if not r.run.last and (r.verdict is None or not r.verdict.final):
        return tr(r.lang, "logs.pdf.note_later")
    return result_text(r.verdict, r.lang)


def _criterion_row(
    doc: _Document,
    label: str,
    covers: str,
    level: str | None,
    codes: list[str],
    label_w: float,
    box: float,
) -> None:
    """A rated row: its label, the criteria it covers in brackets under it, the level boxes."""
    doc.font(9.5)
    lines = doc.wrap(label, label_w - 2)
    doc.font(8)
    covered = doc.wrap(f"({covers})", label_w - 4) if covers else []
    h = max(6.5, 4.6 * len(lines) + 3.8 * len(covered) + 2)
    doc.need(h)
    top = doc.y
    doc.set_draw_color(150, 150, 150)
    doc.rect(doc.l_margin, top, label_w, h)
    doc.set_y(top + 1)
    doc.font(9.5)
    doc.lines(lines, 4.6, 1)
    if covered:
        doc.font(8)
        doc.set_text_color(*_GREY)
        doc.lines(covered, 3.8, 3)
        doc.set_text_color(*_BLACK)
    for i, code in enumerate(codes):
        x = doc.l_margin + label_w + i * box
        chosen = code == level
        if chosen:
            doc.set_fill_color(200, 200, 200)
        doc.rect(x, top, box, h, style="DF" if chosen else "D")
        if chosen:
            doc.set_xy(x, top)
            doc.font(10, True)
            doc.cell(box, h, "X", align="C")
    doc.set_draw_color(*_BLACK)
    doc.set_xy(doc.l_margin, top + h)


def _notes(doc: _Document, notes: list[NoteRow], indent: float) -> None:
    for note in notes:
        doc.font(8)
        doc.set_text_color(*_GREY)
        stamp = doc.clean(note_stamp(note, doc.report_lang))
        doc.need(8)
        doc.set_x(doc.l_margin + indent)
        doc.cell(doc.epw - indent, 3.8, stamp, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_text_color(*_BLACK)
        doc.font(9)
        doc.lines(doc.wrap(note.text, doc.epw - indent - 3), 4.2, indent + 3)
        doc.ln(0.8)


# --- shared --------------------------------------------------------------------------------


def _title_block(doc: _Document, r: Report, title: str) -> None:
    lang = r.lang
    doc.set_text_color(*_GREY)
    doc.para(tr(lang, "logs.pdf.diploma"), 8.5)
    doc.set_text_color(*_BLACK)
    doc.ln(1)
    doc.para(title.upper(), 15, bold=True)
    doc.ln(1)
    doc.para(r.exam_title, 11)
    doc.set_text_color(*_GREY)
    doc.para(source_text(r.exam, lang), 8)
    doc.set_text_color(*_BLACK)
    if r.mode == "rehearsal":
        doc.set_text_color(*_RED)
        doc.para(f"{mode_text(r.mode, lang).upper()} — {tr(lang, 'logs.pdf.rehearsal')}", 10, True)
        doc.set_text_color(*_BLACK)
    key = warning_key(r)
    if key is not None:
        doc.set_text_color(*_RED)
        doc.para(tr(lang, key), 9, True)
        doc.set_text_color(*_BLACK)
    doc.ln(4)
