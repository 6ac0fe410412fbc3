"""A rerun into the same local OUT refuses or replaces atomically, never mixes two runs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from zhclean.pipeline.outputs import (
    STAGING_TAG,
    OutputError,
    OutputExistsError,
    open_output,
    stale_staging,
)


def fill(folder: str, tag: str) -> None:
    os.makedirs(os.path.join(folder, "stats"), exist_ok=True)
    with open(os.path.join(folder, "stats", "stats.json"), "w") as fh:
        fh.write(tag)


def read_tag(folder) -> str:
    with open(os.path.join(folder, "stats", "stats.json")) as fh:
        return fh.read()


def test_run_is_invisible_until_commit(tmp_path):
    out = tmp_path / "out"
    slot = open_output(str(out))
    assert slot.work != slot.final and STAGING_TAG in slot.work
    assert os.path.dirname(slot.work) == str(tmp_path)  # same filesystem: rename is atomic
    fill(slot.work, "run 1")
    assert not out.exists()
    slot.commit()
    assert read_tag(out) == "run 1"
    assert not os.path.exists(slot.work) and stale_staging(str(out)) == []


def test_failed_run_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), open_output(str(out)) as slot:
        fill(slot.work, "half")
        raise RuntimeError("worker died")
    assert not out.exists() and not os.path.exists(slot.work)


def test_rerun_into_finished_output_is_refused(tmp_path):
    out = tmp_path / "out"
    with open_output(str(out)) as slot:
        fill(slot.work, "run 1")
    with pytest.raises(OutputExistsError, match=r"is not empty.*--overwrite"):
        open_output(str(out))
    assert read_tag(out) == "run 1"


def test_empty_existing_folder_is_fine(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open_output(str(out)) as slot:
        fill(slot.work, "run 1")
    assert read_tag(out) == "run 1"


def test_file_in_the_way(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        open_output(str(tmp_path / "out"))


def test_overwrite_replaces_only_after_success(tmp_path):
    out = tmp_path / "out"
    with open_output(str(out)) as slot:
        fill(slot.work, "run 1")
    (out / "extra-from-run-1.txt").write_text("old")
    # A failed overwrite leaves run 1 as it was.
    with pytest.raises(RuntimeError), open_output(str(out), overwrite=True) as slot:
        fill(slot.work, "run 2 (half)")
        assert read_tag(out) == "run 1"
        raise RuntimeError("crash")
    assert read_tag(out) == "run 1" and (out / "extra-from-run-1.txt").exists()
    # A successful overwrite swaps the whole folder: nothing of run 1 stays.
    with open_output(str(out), overwrite=True) as slot:
        fill(slot.work, "run 2")
        assert read_tag(out) == "run 1"
    assert read_tag(out) == "run 2" and not (out / "extra-from-run-1.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_concurrent_runs_first_wins_second_is_kept_aside(tmp_path):
    out = tmp_path / "out"
    first, second = open_output(str(out)), open_output(str(out))
    fill(first.work, "first")
    fill(second.work, "second")
    first.commit()
    with pytest.raises(OutputExistsError, match="was filled while this run was going on"):
        second.commit()
    assert read_tag(out) == "first" and read_tag(second.work) == "second"


def test_killed_run_leaves_only_a_named_staging_folder(tmp_path, caplog):
    out = tmp_path / "out"
    # A process that opens the output, writes half a run and dies without cleaning up.
    code = (
        "import os, sys\n"
        "from zhclean.pipeline.outputs import open_output\n"
        f"slot = open_output({str(out)!r})\n"
        "os.makedirs(os.path.join(slot.work, 'kept'))\n"
        "open(os.path.join(slot.work, 'kept', 'part-00000-of-00002.jsonl.gz'), 'w').close()\n"
        "os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 9
    assert not out.exists()
    leftovers = stale_staging(str(out))
    assert len(leftovers) == 1
    with caplog.at_level(logging.WARNING), open_output(str(out)) as slot:
        fill(slot.work, "clean run")
    assert leftovers[0] in caplog.text
    assert read_tag(out) == "clean run" and not (out / "kept").exists()
