"""Google Cloud Storage through Beam's ``FileSystems``: emulator support and readable errors.

**Emulator.** ``google-cloud-storage`` sends every request to ``$STORAGE_EMULATOR_HOST`` when
that variable is set (e.g. ``http://127.0.0.1:9023``, a ``gcp-storage-emulator`` on loopback).
Beam 2.77's ``GcsIO`` builds its client with ``create_storage_client``: it first asks
``google.auth.default()`` for credentials, retrying with exponential back-off (about 25 s per
process when there are none), and only then falls back to an anonymous client. An emulator needs
no credentials, so when the variable is set :func:`use_emulator_if_configured` records "no
credentials" in Beam's per-process credential cache: ``GcsIO`` then builds
``storage.Client.create_anonymous_client()`` at once, which talks to the emulator. The module is
also given to Beam as a plugin (``--beam_plugins``), so every worker process imports it and does
the same. Without ``STORAGE_EMULATOR_HOST`` nothing changes: real GCS with Application Default
Credentials, exactly as Beam does it.

**Errors.** Beam wraps a missing bucket in a ``BeamIOError`` holding a ``NotFound`` that holds
the request URL; :func:`describe_gcs_error` turns that into one line naming the bucket.
"""

from __future__ import annotations

import os
import re

EMULATOR_ENV = "STORAGE_EMULATOR_HOST"
PLUGIN = __name__

_BUCKET = re.compile(r"^gs://([^/]+)")


def emulator_host() -> str | None:
    """The storage emulator URL from the environment, or ``None`` for real GCS."""
    return os.environ.get(EMULATOR_ENV) or None


def use_emulator_if_configured() -> bool:
    """With ``STORAGE_EMULATOR_HOST`` set, make Beam's GCS client anonymous (no credential
    look-up, no back-off); returns whether the emulator is in use."""
    if not emulator_host():
        return False
    from apache_beam.internal.gcp import auth

    cache = auth._Credentials  # Beam keeps one credentials object per process here
    with cache._credentials_lock:
        cache._credentials = None
        cache._credentials_init = True
    return True


def bucket_of(path: str) -> str | None:
    match = _BUCKET.match(path)
    return match.group(1) if match else None


def is_not_found(err: BaseException) -> bool:
    """Whether ``err`` is a GCS 404, directly or inside Beam's ``BeamIOError`` wrappers."""
    from google.api_core.exceptions import NotFound  # installed with apache-beam[gcp]

    seen: list[BaseException] = [err]
    while seen:
        current = seen.pop()
        if isinstance(current, NotFound):
            return True
        details = getattr(current, "exception_details", None)
        if isinstance(details, dict):
            seen.extend(e for e in details.values() if isinstance(e, BaseException))
        if current.__cause__ is not None:
            seen.append(current.__cause__)
    return False


def bucket_exists(bucket: str) -> bool | None:
    """Whether the bucket exists; ``None`` when that cannot be found out (no access, ...)."""
    try:
        from apache_beam.io.gcp.gcsio import GcsIO

        return GcsIO().get_bucket(bucket) is not None
    except Exception:
        return None


def describe_gcs_error(path: str, err: BaseException, what: str = "input") -> str:
    """One line for a failed listing or read of ``path`` on GCS."""
    bucket = bucket_of(path)
    if bucket and is_not_found(err):
        if bucket_exists(bucket) is False:
            return f"{what} bucket gs://{bucket} does not exist (or is not visible): {path}"
        return f"{what} does not exist: {path}"
    first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return f"cannot access {what} {path}: {first_line[:300]}"


# Imported as a Beam plugin by each worker process: apply the emulator setting there too.
use_emulator_if_configured()
