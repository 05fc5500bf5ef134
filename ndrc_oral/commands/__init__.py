"""Handlers of the subcommands, one module per group, imported lazily by ``cli``."""
