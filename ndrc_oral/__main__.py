"""`python -m ndrc_oral` runs the same entry point as the `ndrc-oral` script."""

from ndrc_oral.cli import main

raise SystemExit(main())
