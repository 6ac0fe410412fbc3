"""Which shards a run reads: globs, and Common Crawl path manifests plus a prefix.

Everything is resolved before the pipeline starts, so a missing bucket, object or manifest
stops the run with one line (exit code 2) instead of failing on a worker an hour later.

* ``--input PATTERN`` (repeatable): a path or glob on any Beam filesystem (local, ``gs://``).
  A pattern that matches nothing is an error.
* ``--input-manifest FILE --input-prefix PREFIX [--shards START:END]``: Common Crawl's
  published path lists (``warc.paths.gz``, ``wet.paths.gz``; gzip or plain text; local or
  ``gs://``). Each line is a path relative to ``PREFIX``; absolute lines (``gs://...``,
  ``/...``) are used as they are. ``--shards`` takes lines ``START`` to ``END - 1`` of the
  manifest in its own order (Python slice rules), so ``0:100`` is the first hundred shards.
  The listed files are checked by listing each directory once (a crawl segment holds hundreds
  of shards), not with one request per file.
"""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from zhclean.pipeline.gcs import describe_gcs_error

_GLOB_CHARS = set("*?[")
#: How many missing files an error message names.
_SHOW = 3


class InputError(FileNotFoundError):
    """Inputs that cannot be read: no match, missing bucket/object, bad manifest or range."""


@dataclass(frozen=True)
class ManifestSpec:
    """A Common Crawl path list, the prefix its relative lines are resolved against, and the
    slice of lines to read."""

    manifest: str
    prefix: str | None = None
    shards: slice = field(default_factory=lambda: slice(None))

    def describe(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "prefix": self.prefix,
            "shards": format_shards(self.shards),
        }


def parse_shards(spec: str | None) -> slice:
    """``"START:END"`` (either side may be empty) → a slice of manifest lines."""
    if spec is None or spec.strip() in ("", ":"):
        return slice(None)
    text = spec.strip()
    if ":" not in text:
        raise InputError(f"--shards {spec!r}: expected START:END, e.g. 0:100")
    start_text, end_text = (part.strip() for part in text.split(":", 1))
    try:
        start = int(start_text) if start_text else None
        end = int(end_text) if end_text else None
    except ValueError:
        raise InputError(f"--shards {spec!r}: START and END must be integers") from None
    if (start is not None and start < 0) or (end is not None and end < 0):
        raise InputError(f"--shards {spec!r}: START and END must not be negative")
    if start is not None and end is not None and end <= start:
        raise InputError(f"--shards {spec!r}: END must be greater than START")
    return slice(start, end)


def format_shards(shards: slice) -> str:
    start = "" if shards.start is None else str(shards.start)
    end = "" if shards.stop is None else str(shards.stop)
    return f"{start}:{end}"


def _is_absolute(path: str) -> bool:
    return "://" in path or path.startswith("/")


def join_prefix(prefix: str | None, path: str) -> str:
    """A manifest line resolved against the prefix (local folder or ``scheme://bucket/dir``)."""
    if _is_absolute(path):
        return path
    if not prefix:
        raise InputError(
            f"manifest line {path!r} is a relative path: give --input-prefix (e.g. a gs:// "
            "mirror of https://data.commoncrawl.org/, or a local folder)"
        )
    if "://" in prefix:
        return posixpath.join(prefix.rstrip("/") + "/", path.lstrip("/"))
    return FileSystems.join(prefix, path.lstrip("/"))


def read_manifest(path: str) -> list[str]:
    """The non-empty, non-comment lines of a path list (gzip by suffix, local or ``gs://``)."""
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.AUTO) as fh:
            raw = fh.read()
    except Exception as err:  # BeamIOError, IOError, google NotFound, gzip errors...
        if "://" in path and not path.startswith("file://"):
            raise InputError(describe_gcs_error(path, err, "input manifest")) from None
        raise InputError(f"cannot read input manifest {path}: {_first_line(err)}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"input manifest {path} is not UTF-8 text") from None
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def manifest_paths(spec: ManifestSpec) -> list[str]:
    """The selected manifest lines, resolved against the prefix, in manifest order."""
    lines = read_manifest(spec.manifest)
    if not lines:
        raise InputError(f"input manifest {spec.manifest} lists no path")
    selected = lines[spec.shards]
    if not selected:
        raise InputError(
            f"--shards {format_shards(spec.shards)} selects no line of {spec.manifest} "
            f"({len(lines)} paths)"
        )
    return [join_prefix(spec.prefix, line) for line in selected]


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return (text.splitlines()[0] if text else type(err).__name__)[:300]


def _match(pattern: str) -> list[Any]:
    """``FileSystems.match`` for one pattern with errors turned into :class:`InputError`."""
    try:
        return list(FileSystems.match([pattern])[0].metadata_list)
    except Exception as err:  # Beam raises BeamIOError with the cause inside
        if pattern.startswith("gs://"):
            raise InputError(describe_gcs_error(pattern, err)) from None
        raise InputError(f"cannot list input {pattern}: {_first_line(err)}") from None


def expand_patterns(patterns: Iterable[str]) -> list[dict[str, Any]]:
    """Paths/globs → files with sizes; a pattern that matches no file is an error."""
    files = []
    for pattern in patterns:
        matched = _match(pattern)
        if not matched:
            raise InputError(f"input matches no file: {pattern}")
        files.extend({"path": m.path, "size_bytes": m.size_in_bytes} for m in matched)
    return files


def _key(path: str) -> str:
    """Comparable form of a path: local paths absolute and normalised, URLs as they are."""
    if "://" in path:
        return path
    return os.path.normpath(os.path.abspath(path))


def stat_files(paths: list[str]) -> list[dict[str, Any]]:
    """Sizes of listed files (no globbing): one directory listing per parent folder."""
    by_dir: dict[str, list[str]] = defaultdict(list)
    direct: list[str] = []
    for path in paths:
        if _GLOB_CHARS & set(path):
            direct.append(path)  # cannot be listed by a parent glob safely
        else:
            by_dir[posixpath.dirname(path)].append(path)
    sizes: dict[str, int] = {}
    for folder, wanted in by_dir.items():
        pattern = posixpath.join(folder, "*") if "://" in folder else os.path.join(folder, "*")
        listing = {_key(m.path): m.size_in_bytes for m in _match(pattern)}
        for path in wanted:
            if _key(path) in listing:
                sizes[path] = listing[_key(path)]
    for path in direct:
        found = [m for m in _match(path) if _key(m.path) == _key(path)]
        if found:
            sizes[path] = found[0].size_in_bytes
    missing = [p for p in paths if p not in sizes]
    if missing:
        shown = ", ".join(missing[:_SHOW]) + (" ..." if len(missing) > _SHOW else "")
        raise InputError(f"{len(missing)} input file(s) from the manifest do not exist: {shown}")
    return [{"path": p, "size_bytes": sizes[p]} for p in paths]


def resolve_inputs(
    patterns: Iterable[str] = (), manifests: Iterable[ManifestSpec] = ()
) -> list[dict[str, Any]]:
    """Every input file once, sorted by path, as ``{"path", "size_bytes"}``."""
    files = expand_patterns(patterns)
    for spec in manifests:
        files.extend(stat_files(manifest_paths(spec)))
    if not files:
        raise InputError("no input: give --input PATTERN or --input-manifest FILE")
    unique = {f["path"]: f for f in files}
    return sorted(unique.values(), key=lambda f: f["path"])
