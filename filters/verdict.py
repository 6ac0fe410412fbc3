"""The answer every rule gives: keep, or drop with a named reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """Outcome of one rule on one document.

    ``reason`` is the bare reason name (``not_zh``, ``too_short``); the stage that ran the
    rule prefixes it (``language/not_zh``) when the drop is recorded. ``detail`` is a short
    human-readable explanation for auditors (the measured value and the threshold).
    """

    keep: bool
    reason: str = ""
    detail: str = ""

    @staticmethod
    def drop(reason: str, detail: str = "") -> Verdict:
        return Verdict(False, reason, detail)


KEEP = Verdict(True)
