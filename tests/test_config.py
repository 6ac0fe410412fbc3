"""Config validation: every bad config fails in one line naming the key, exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zhclean.pipeline.config import Config, ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "configs" / "default.yaml"


def test_default_yaml_equals_built_in_defaults():
    assert load_config(str(DEFAULT)) == Config()


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"languag": {}}, "'languag': unknown key"),
        ({"language": {"min_scor": 0.5}}, "'language.min_scor': unknown key"),
        ({"language": {"min_score": "high"}}, "'language.min_score'"),
        ({"language": {"min_score": 1.5}}, "'language.min_score'"),
        ({"read": {"max_record_bytes": -1}}, "'read.max_record_bytes'"),
        ({"extract": {"extractor": "magic"}}, "'extract.extractor'"),
        ({"language": {"model_path": "/nonexistent/lid.bin"}}, "file not found"),
        ({"output": {"format": "csv"}}, "'output.format'"),
        (["not", "a", "mapping"], "mapping"),
    ],
)
def test_bad_configs_fail_with_one_line(data, needle):
    with pytest.raises(ConfigError) as info:
        parse_config(data, "c.yaml")
    message = str(info.value)
    assert needle in message
    assert "\n" not in message


def test_yaml_cannot_run_code(tmp_path):
    bad = tmp_path / "evil.yaml"
    bad.write_text("run: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(str(bad))


def test_config_hash_is_stable_and_sensitive():
    a = parse_config({"language": {"min_score": 0.6}})
    b = parse_config({"language": {"min_score": 0.6}})
    assert a.sha256() == b.sha256() != Config().sha256()


def zhclean_run(config: Path, pattern: Path, out: Path) -> subprocess.CompletedProcess:
    """``zhclean run`` in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "zhclean.pipeline.cli", "run", "--config", str(config),
         "--input", str(pattern), "--output", str(out)],
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("yaml_text", "needle"),
    [
        ("quality:\n  nope: 1\n", "quality.nope"),
        ("language: [1, 2\n", "invalid YAML"),
    ],
)
def test_cli_exits_2_before_work(tmp_path, yaml_text, needle):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml_text)
    proc = zhclean_run(cfg, tmp_path / "none.warc.gz", tmp_path / "out")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("zhclean: error")]
    assert len(lines) == 1 and needle in lines[0]
    assert not (tmp_path / "out").exists()


def test_cli_missing_input_exits_2(tmp_path):
    proc = zhclean_run(DEFAULT, tmp_path / "missing-*.warc.gz", tmp_path / "out")
    assert proc.returncode == 2
    assert "input matches no file" in proc.stderr
