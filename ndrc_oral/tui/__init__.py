"""The kiosk: the Textual app, its screens and widgets, and their styles.

Nothing in the headless layers imports this package. Its pure helpers
(``view``, ``setup``, ``interrupted``) import no Textual, so the command line
can validate arguments before paying for the UI.
"""
