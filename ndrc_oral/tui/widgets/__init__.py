"""Reusable widgets of the kiosk: the timer, the phase list, the grid, the notes."""
