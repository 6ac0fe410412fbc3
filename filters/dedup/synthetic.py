"""Deterministic synthetic Chinese-like corpora with known duplicates, for tests and benchmarks.

Document ``i`` of a corpus is a pure function of ``(seed, i, n_docs)``, so a Beam job can
generate any slice of a large corpus on any worker without shipping text. A ``dup_share`` of
the documents are copies of an original, changed in one of these ways:

- ``exact_copy``: identical text;
- ``noise``: whitespace, width and punctuation changes (same normalised text);
- ``edit``: about 3% of the characters substituted, inserted or deleted in small spans;
- ``truncate``: the first 90% of the text.

Most copies pick a random original; a few pick one of a handful of "hot" originals, so some
clusters have tens of members.
"""

from __future__ import annotations

import functools
import random
from typing import NamedTuple

import xxhash

# Common CJK characters (a contiguous block of the unified ideographs) and some punctuation.
_CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
_PUNCT = "，，，。。！？、；："
KINDS = ("exact_copy", "noise", "edit", "truncate")
_HOT = 16  # originals that attract a share of the copies


class SyntheticDoc(NamedTuple):
    id: str
    text: str
    origin: str  # id of the original this document is a copy of (its own id if original)
    kind: str  # "original" or one of KINDS


def _unit(seed: int, index: int, salt: int) -> float:
    return xxhash.xxh64_intdigest(f"{seed}:{salt}:{index}".encode()) / 2.0**64


def doc_id(index: int) -> str:
    return f"doc-{index:09d}"


def is_original(seed: int, index: int, dup_share: float) -> bool:
    return _unit(seed, index, 1) >= dup_share


def base_text(seed: int, index: int, min_chars: int = 300, max_chars: int = 1500) -> str:
    """The text of original ``index``: random characters in sentences of 8–40 characters."""
    rng = random.Random(xxhash.xxh64_intdigest(f"{seed}:text:{index}".encode()))
    length = rng.randint(min_chars, max_chars)
    parts: list[str] = []
    total = 0
    while total < length:
        n = rng.randint(8, 40)
        parts.append("".join(rng.choices(_CHARS, k=n)) + rng.choice(_PUNCT))
        total += n + 1
        if rng.random() < 0.1:
            parts.append("\n")
    return "".join(parts)


@functools.lru_cache(maxsize=8)
def _hot_originals(seed: int, n_docs: int, dup_share: float) -> tuple[int, ...]:
    hot: list[int] = []
    for j in range(n_docs):
        if len(hot) == _HOT:
            break
        if is_original(seed, j, dup_share):
            hot.append(j)
    return tuple(hot)


def _pick_original(seed: int, index: int, n_docs: int, dup_share: float) -> int:
    rng = random.Random(xxhash.xxh64_intdigest(f"{seed}:origin:{index}".encode()))
    if rng.random() < 0.05:
        hot = _hot_originals(seed, n_docs, dup_share)
        if hot:
            return rng.choice(hot)
    for _ in range(10_000):
        j = rng.randrange(n_docs)
        if is_original(seed, j, dup_share):
            return j
    raise RuntimeError("no original found; is dup_share close to 1?")


def _noise(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        if ch == "，" and rng.random() < 0.5:
            ch = ","
        out.append(ch)
        if rng.random() < 0.02:
            out.append(rng.choice((" ", "\u3000", "\n")))
    return "".join(out)


def _edit(text: str, rng: random.Random, share: float = 0.03) -> str:
    chars = list(text)
    edits = max(1, int(len(chars) * share / 3))
    for _ in range(edits):
        pos = rng.randrange(len(chars))
        span = rng.randint(1, 5)
        op = rng.random()
        if op < 0.4:
            chars[pos : pos + span] = rng.choices(_CHARS, k=span)
        elif op < 0.7:
            chars[pos:pos] = rng.choices(_CHARS, k=span)
        else:
            del chars[pos : pos + span]
    return "".join(chars)


def synthetic_doc(seed: int, index: int, n_docs: int, dup_share: float = 0.2) -> SyntheticDoc:
    """Document ``index`` of the corpus ``(seed, n_docs, dup_share)``."""
    if is_original(seed, index, dup_share):
        return SyntheticDoc(doc_id(index), base_text(seed, index), doc_id(index), "original")
    origin = _pick_original(seed, index, n_docs, dup_share)
    text = base_text(seed, origin)
    rng = random.Random(xxhash.xxh64_intdigest(f"{seed}:variant:{index}".encode()))
    kind = KINDS[int(_unit(seed, index, 3) * len(KINDS)) % len(KINDS)]
    if kind == "noise":
        text = _noise(text, rng)
    elif kind == "edit":
        text = _edit(text, rng)
    elif kind == "truncate":
        text = text[: int(len(text) * 0.9)]
    return SyntheticDoc(doc_id(index), text, doc_id(origin), kind)


def synthetic_corpus(n_docs: int, dup_share: float = 0.2, seed: int = 0) -> list[SyntheticDoc]:
    return [synthetic_doc(seed, i, n_docs, dup_share) for i in range(n_docs)]
