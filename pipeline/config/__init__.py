"""The validated, typed configuration of a zhclean run.

A YAML file is loaded with ``yaml.safe_load`` (configs are data: nothing in them can run code)
and validated once at start-up into frozen pydantic models. Every error becomes one
:class:`ConfigError` line naming the key or file; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml
from pydantic import ValidationError

from zhclean.pipeline.config.base import Section
from zhclean.pipeline.config.blocklist import BlocklistSection
from zhclean.pipeline.config.dedup import DedupSection
from zhclean.pipeline.config.quality import QualitySection
from zhclean.pipeline.config.sections import (
    DecodeSection,
    ExtractSection,
    LanguageSection,
    OutputSection,
    ReadSection,
    RunSection,
)


class ConfigError(ValueError):
    """A config that cannot be run; the message is one line naming the key or file."""


class Config(Section):
    run: RunSection = RunSection()
    read: ReadSection = ReadSection()
    decode: DecodeSection = DecodeSection()
    extract: ExtractSection = ExtractSection()
    language: LanguageSection = LanguageSection()
    quality: QualitySection = QualitySection()
    blocklist: BlocklistSection = BlocklistSection()
    dedup: DedupSection = DedupSection()
    output: OutputSection = OutputSection()

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def sha256(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


def _one_line(err: ValidationError) -> str:
    first = err.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    msg = first["msg"]
    if first["type"] == "extra_forbidden":
        msg = "unknown key"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"config key '{key}': {msg}{more}"


def parse_config(data: Any, source: str = "<config>") -> Config:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the config must be a mapping of sections")
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError(f"{source}: {_one_line(err)}") from None


def load_config(path: str) -> Config:
    """Read and validate the YAML config at ``path`` (local or any Beam filesystem)."""
    try:
        if "://" in path:
            from apache_beam.io.filesystems import FileSystems

            with FileSystems.open(path) as fh:
                raw = fh.read().decode("utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                raw = fh.read()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read config file {path}: {err}") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        where = f" line {line + 1}" if line is not None else ""
        raise ConfigError(f"{path}:{where} invalid YAML: {getattr(err, 'problem', err)}") from None
    return parse_config(data, path)
