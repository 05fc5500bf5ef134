"""The exam room, headless: what the kiosk does, without Textual.

Session requests and their checks (``requests``), the interrupted sessions to
resume (``interrupted``), moving open sessions when the data directory fails
(``rescue``), and what the screens show as plain values (``view``). The
command line and the screens both use these; ``tests/test_layers.py`` checks
that nothing here loads textual or rich.
"""
