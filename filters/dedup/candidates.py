"""Edges from one LSH bucket: which of its members are joined as near-duplicates.

A bucket holds the documents whose signatures agree on one band. Emitting all pairs would be
quadratic in the bucket size; for connected components a spanning set is enough, so each
member is linked to one representative.

- Without verification: every member is linked to the bucket's smallest id (a star).
- With verification: members are taken in id order; each is linked to the first
  representative whose estimated Jaccard with it reaches the bar (the first representative is
  the smallest id); a member that matches none becomes a representative itself, up to
  ``max_reps``; past that it stays unlinked in this bucket. Every accepted edge is a pair that
  passed verification, and the result depends only on the bucket's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

Edge = tuple[str, str]


def star_edges(member_ids: Iterable[str]) -> list[Edge]:
    """``(member, smallest id)`` for every other member of the bucket."""
    ids = set(member_ids)
    if len(ids) < 2:
        return []
    center = min(ids)
    return [(m, center) for m in sorted(ids) if m != center]


def verified_edges(
    members: Sequence[tuple[str, bytes]], threshold: float, num_perm: int, max_reps: int
) -> tuple[list[Edge], int]:
    """Verified edges of a bucket of ``(id, signature bytes)``, and how many members got none.

    A member without an edge here is a false LSH candidate (or one past ``max_reps``).
    """
    uniq = sorted(dict(members).items())
    if len(uniq) < 2:
        return [], 0
    ids = [m[0] for m in uniq]
    sigs = np.frombuffer(b"".join(m[1] for m in uniq), dtype="<u4").reshape(len(uniq), num_perm)
    need = int(np.ceil(threshold * num_perm - 1e-9))  # equal positions needed
    equal_to_first = np.count_nonzero(sigs == sigs[0], axis=1)
    edges: list[Edge] = []
    rest: list[int] = []
    for i in range(1, len(ids)):
        if equal_to_first[i] >= need:
            edges.append((ids[i], ids[0]))
        else:
            rest.append(i)
    reps: list[int] = [0]
    rep_sigs = sigs[0:1]
    for i in rest:
        # Representatives other than the first (already compared above).
        if len(reps) > 1:
            equal = np.count_nonzero(rep_sigs[1:] == sigs[i], axis=1)
            hits = np.flatnonzero(equal >= need)
            if hits.size:
                edges.append((ids[i], ids[reps[1 + int(hits[0])]]))
                continue
        if len(reps) < max_reps:
            reps.append(i)
            rep_sigs = sigs[reps]
    linked = {node for edge in edges for node in edge}
    return edges, len(ids) - len(linked)
