"""ndrc-oral: a terminal kiosk for the oral exams of the BTS NDRC."""

__version__ = "0.1.0"
