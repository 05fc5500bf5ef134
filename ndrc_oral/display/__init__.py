"""The candidate's display: what the kiosk publishes for it, and how it is followed.

The kiosk writes one *timing-only* record per live session (``record``) in the
user cache directory (``channel``); ``ndrc-oral display`` follows it in a
second terminal (``follow``), and the kiosk can serve it as a web page
(``web``, ``page.html``). A record has no field for a name, a number, a
criterion, a rating or a note: the display cannot show what it never receives.
No Textual here.
"""
