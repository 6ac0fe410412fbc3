"""Shared pieces of the config schema: strict models and validated file paths."""

from __future__ import annotations

import os
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

BUILTIN_PREFIX = "builtin:"


class Section(BaseModel):
    """A config section: unknown keys are errors, values are not coerced across types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _existing(path: str) -> str:
    """Refuse a path that does not exist (local or any Beam filesystem, e.g. ``gs://``)."""
    if path.startswith(BUILTIN_PREFIX):
        return path
    if "://" in path:
        from apache_beam.io.filesystems import FileSystems

        if not FileSystems.exists(path):
            raise ValueError(f"file not found: {path}")
        return path
    if not os.path.exists(path):
        raise ValueError(f"file not found: {path}")
    return os.path.abspath(path)


DataPath = Annotated[str, AfterValidator(_existing)]
"""A file the job reads: ``builtin:NAME`` (shipped in the package), a local path, or ``gs://``."""
