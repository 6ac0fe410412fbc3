"""Where ``builtin:NAME`` data files live: ``filters/resources/NAME`` inside the package."""

from __future__ import annotations

import os

BUILTIN_PREFIX = "builtin:"
RESOURCES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources")


def resolve_data_path(path: str) -> str:
    """A readable path for ``path``: ``builtin:NAME`` → the packaged file; others unchanged.

    Remote URLs (``gs://``) are returned as they are: the Beam layer copies them to a local
    file before a rule opens them (filters never import Beam).
    """
    if not path.startswith(BUILTIN_PREFIX):
        return path
    name = path[len(BUILTIN_PREFIX) :]
    packaged = os.path.join(RESOURCES_DIR, name)
    if not os.path.isfile(packaged):
        raise FileNotFoundError(f"built-in data file {path!r} not found in {RESOURCES_DIR}")
    return packaged
