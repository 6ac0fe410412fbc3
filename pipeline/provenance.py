"""Run provenance for stats.json: config, package versions, inputs, times, runner."""

from __future__ import annotations

import platform
import sys
from datetime import datetime, timezone
from importlib import metadata
from typing import Any

from apache_beam.io.filesystems import FileSystems

from zhclean.pipeline.config import Config

TRACKED_PACKAGES = (
    "zhclean",
    "apache-beam",
    "fasttext",
    "trafilatura",
    "warcio",
    "datasketch",
    "xxhash",
    "opencc",
    "pyahocorasick",
    "faust-cchardet",
    "resiliparse",
    "numpy",
)


class InputError(FileNotFoundError):
    """An input pattern that matches no file."""


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def list_inputs(patterns: list[str]) -> list[dict[str, Any]]:
    """Expand input patterns to files with sizes; a pattern with no match is an error."""
    files: list[dict[str, Any]] = []
    for pattern in patterns:
        matched = []
        try:
            for result in FileSystems.match([pattern]):
                matched.extend(result.metadata_list)
        except Exception as err:  # Beam raises BeamIOError with the cause inside
            raise InputError(f"cannot list input {pattern}: {err}") from None
        if not matched:
            raise InputError(f"input matches no file: {pattern}")
        files.extend({"path": m.path, "size_bytes": m.size_in_bytes} for m in matched)
    return sorted(files, key=lambda f: f["path"])


def provenance(config: Config, inputs: list[dict[str, Any]], runner: str) -> dict[str, Any]:
    return {
        "config": config.to_dict(),
        "config_sha256": config.sha256(),
        "versions": package_versions(),
        "inputs": inputs,
        "runner": runner,
        "command": " ".join(sys.argv),
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
