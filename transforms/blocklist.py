"""The blocklist stage's rules for the generic stage DoFn (:mod:`zhclean.transforms.stage`).

:func:`build_rules` is called once per worker process (the DoFn shares its result with
``apache_beam.utils.shared.Shared``), so the lists are read once per worker and the compact
index is shared by all its threads. Lists are read through Beam's ``FileSystems`` (local paths,
``gs://``; ``.gz`` is decompressed).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import time
from typing import Any

from apache_beam.io.filesystems import CompressionTypes, FileSystems

from zhclean.filters.base import DocumentRule
from zhclean.filters.blocklist import BlocklistIndex, BlocklistLoader, make_rules

_LOG = logging.getLogger(__name__)


def _return_freed_memory() -> None:
    """Hand the heap freed by parsing back to the OS: glibc keeps freed mid-sized blocks, which
    would leave a worker's RSS about 3x the index size after loading a large list."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def load_index(
    lists: list[str], near_threshold: float = 0.5, load_near: bool = True
) -> BlocklistIndex:
    """Read and combine the list files at ``lists`` (any Beam filesystem)."""
    loader = BlocklistLoader(near_threshold=near_threshold, load_near=load_near)
    for path in lists:
        with FileSystems.open(path, compression_type=CompressionTypes.AUTO) as stream:
            loader.add_stream(stream, path)
    index = loader.build()
    del loader
    _return_freed_memory()
    return index


def build_rules(config: Any) -> list[DocumentRule]:
    """The blocklist rules for ``config.blocklist`` (none when no list is configured)."""
    section = config.blocklist
    if not section.lists:
        return []
    started = time.perf_counter()
    index = load_index(
        list(section.lists),
        near_threshold=section.fuzzy.threshold,
        load_near=section.fuzzy.enabled,
    )
    _LOG.info(
        "blocklist: %d entries %s, %.1f MB in memory, loaded in %.1f s from %d file(s)",
        len(index),
        index.counts(),
        index.nbytes() / 1e6,
        time.perf_counter() - started,
        len(section.lists),
    )
    return make_rules(
        index,
        paragraph_min_chars=section.paragraph_min_chars,
        near_min_chars=section.fuzzy.min_chars,
    )
