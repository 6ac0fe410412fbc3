"""Local access to data files named in the config (models, lexicons) on any Beam filesystem."""

from __future__ import annotations

import os
import tempfile

from apache_beam.io.filesystems import FileSystems

from zhclean.filters.datapath import resolve_data_path


def local_copy(path: str) -> str:
    """A local path for ``path``: ``builtin:NAME`` resolves to the packaged file, and remote
    files (``gs://``) are copied to a temp file (once per call; builders run once per worker)."""
    path = resolve_data_path(path)
    if "://" not in path:
        return path
    suffix = os.path.splitext(path)[1]
    with (
        FileSystems.open(path) as src,
        tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as dst,
    ):
        while chunk := src.read(1 << 20):
            dst.write(chunk)
    return dst.name
