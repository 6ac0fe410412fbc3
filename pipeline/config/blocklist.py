"""Config of the blocklist stage."""

from __future__ import annotations

from zhclean.pipeline.config.base import DataPath, Section


class BlocklistSection(Section):
    lists: list[DataPath] = []
    """Blocklist files in the format of README "Blocklist format"; several are combined."""
