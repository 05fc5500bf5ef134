"""Rosters as a centre's spreadsheet writes them (CSV in Windows-1252 or UTF-8, XLSX)."""

from __future__ import annotations

from pathlib import Path

HEADER = "N° candidat;Nom;Prénom;Épreuve;Date;Heure de convocation;Commission;Tiers-temps;Motif"


def e4_rows(n: int, exam: str = "e4-ponctuel-2025") -> list[str]:
    """``n`` candidates convoked 40 minutes apart from 08:00 (the E4 ponctuel rhythm)."""
    rows = []
    for i in range(n):
        minutes = 8 * 60 + 40 * i
        at = f"{minutes // 60:02d}:{minutes % 60:02d}"
        rows.append(f"0214{i + 1:04d};NOM{i + 1:02d};Prénom{i + 1};{exam};02/06/2026;{at};C12;;")
    return rows


def write_csv(path: Path, rows: list[str], *, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    return path
