"""The screens of the kiosk: home, run, result, summary, privacy, dialogs."""
