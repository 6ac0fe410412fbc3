"""Run provenance for stats.json: config, package versions, inputs, times, runner."""

from __future__ import annotations

import platform
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import metadata
from typing import Any

from zhclean.pipeline.config import Config
from zhclean.pipeline.inputs import InputError, ManifestSpec, resolve_inputs

__all__ = ["InputError", "list_inputs", "package_versions", "provenance"]

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


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def list_inputs(patterns: list[str]) -> list[dict[str, Any]]:
    """Expand input patterns to files with sizes (see :mod:`zhclean.pipeline.inputs`)."""
    return resolve_inputs(patterns)


def provenance(
    config: Config,
    inputs: list[dict[str, Any]],
    runner: str,
    manifests: Sequence[ManifestSpec] = (),
) -> dict[str, Any]:
    meta = {
        "config": config.to_dict(),
        "config_sha256": config.sha256(),
        "versions": package_versions(),
        "inputs": inputs,
        "runner": runner,
        "command": " ".join(sys.argv),
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if manifests:
        meta["input_manifests"] = [spec.describe() for spec in manifests]
    return meta
