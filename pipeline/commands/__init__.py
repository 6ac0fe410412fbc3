"""Subcommands of the ``zhclean`` CLI, one module each (see :mod:`zhclean.pipeline.cli`)."""
