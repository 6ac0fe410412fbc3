"""The output folder of a run: never a mix of two runs (DESIGN.md §3 layout under ``OUT``).

**Local ``OUT``.** The pipeline writes into a staging folder next to ``OUT``
(``.NAME.zhclean-staging-PID-RANDOM`` in the same parent, so on the same filesystem) and the
folder is renamed to ``OUT`` only when the run and its report have succeeded. ``rename`` of a
folder is atomic, so ``OUT`` is at every moment either absent, the previous complete run, or the
new complete run. A crash (even ``kill -9``) leaves only a staging folder, which later runs name
in a warning and never read. An existing non-empty ``OUT`` is refused before any work starts,
unless ``--overwrite`` is given: then the old ``OUT`` is moved aside and replaced by the new one
only after the new run has succeeded (a failed run leaves the old output untouched).

**Remote ``OUT``** (``gs://``...). Object stores cannot rename a folder atomically, so a run
refuses to start when anything exists under ``OUT/`` (a finished run *or* the debris of a
crashed one) and ``--overwrite`` is refused. A missing bucket is reported before any work.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import secrets
import shutil
from dataclasses import dataclass, field

from apache_beam.io.filesystems import FileSystems

from zhclean.pipeline.gcs import describe_gcs_error

_LOG = logging.getLogger(__name__)

STAGING_TAG = ".zhclean-staging-"
OLD_TAG = ".zhclean-old-"


class OutputExistsError(FileExistsError):
    """The output folder already holds something (a run, part of a run, other files)."""


class OutputError(FileNotFoundError):
    """The output location cannot be used (missing bucket, a file in the way, ...)."""


def is_remote(output: str) -> bool:
    return "://" in output and not output.startswith("file://")


def _local(output: str) -> str:
    path = output[len("file://") :] if output.startswith("file://") else output
    return os.path.abspath(path.rstrip(os.sep) or os.sep)


@dataclass
class OutputSlot:
    """Where a run writes (:attr:`work`) and how it becomes ``OUT`` (:meth:`commit`).

    Use :func:`open_output`; then ``slot.work`` is the folder given to the pipeline, and
    ``slot.commit()`` / ``slot.abort()`` end it.
    """

    final: str
    work: str
    remote: bool
    overwrite: bool = False
    _done: bool = field(default=False, repr=False)

    def commit(self) -> None:
        """Make the finished run visible as ``OUT`` (atomic rename for local outputs)."""
        if self._done:
            return
        self._done = True
        if self.remote:
            return
        try:
            os.rename(self.work, self.final)  # atomic; replaces an absent or empty folder
        except OSError as err:
            if err.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            if not self.overwrite:
                raise OutputExistsError(
                    f"output {self.final} was filled while this run was going on; the new "
                    f"run is kept in {self.work}"
                ) from None
            old = _sibling(self.final, OLD_TAG)
            os.rename(self.final, old)
            os.rename(self.work, self.final)
            shutil.rmtree(old, ignore_errors=True)
        _LOG.info("output complete: %s", self.final)

    def abort(self) -> None:
        """Forget a failed run: the staging folder is removed, ``OUT`` is left as it was."""
        if self._done:
            return
        self._done = True
        if not self.remote:
            shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> OutputSlot:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _sibling(final: str, tag: str) -> str:
    parent, name = os.path.split(final)
    return os.path.join(parent, f".{name}{tag}{os.getpid()}-{secrets.token_hex(4)}")


def stale_staging(final: str) -> list[str]:
    """Staging folders of earlier runs into ``final`` that never finished."""
    parent, name = os.path.split(final)
    pattern = os.path.join(glob.escape(parent), f".{glob.escape(name)}{STAGING_TAG}*")
    return sorted(glob.glob(pattern))


def _remote_entries(output: str, limit: int = 3) -> list[str]:
    pattern = output.rstrip("/") + "/**"
    try:
        found = FileSystems.match([pattern], limits=[limit])[0].metadata_list
    except Exception as err:  # BeamIOError wrapping NotFound for a missing bucket
        raise OutputError(describe_gcs_error(output, err, "output")) from None
    return [m.path for m in found]


def check_output(output: str, overwrite: bool = False) -> None:
    """Refuse an output that cannot take a new run, before any work starts."""
    if is_remote(output):
        if overwrite:
            raise OutputError(
                f"--overwrite works for local outputs only: {output} cannot be replaced "
                "atomically; delete it first or choose a new --output"
            )
        entries = _remote_entries(output)
        if entries:
            raise OutputExistsError(
                f"output {output} is not empty (e.g. {entries[0]}): it holds a run or part of "
                "a failed one; choose a new --output or delete it"
            )
        return
    final = _local(output)
    if os.path.exists(final) and not os.path.isdir(final):
        raise OutputError(f"output {final} is a file, not a folder")
    if os.path.isdir(final) and os.listdir(final) and not overwrite:
        raise OutputExistsError(
            f"output {final} is not empty; choose a new --output, delete it, or pass "
            "--overwrite to replace it once the new run has succeeded"
        )


def open_output(output: str, overwrite: bool = False) -> OutputSlot:
    """Check ``output`` and prepare where the run writes (see the module docstring)."""
    check_output(output, overwrite)
    if is_remote(output):
        return OutputSlot(final=output.rstrip("/"), work=output.rstrip("/"), remote=True)
    final = _local(output)
    for leftover in stale_staging(final):
        _LOG.warning("leftover of an interrupted run (never read, safe to delete): %s", leftover)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    work = _sibling(final, STAGING_TAG)
    os.makedirs(work)
    return OutputSlot(final=final, work=work, remote=False, overwrite=overwrite)
