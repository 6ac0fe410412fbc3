"""The whole dedup stage in memory, for evaluation and to check the distributed (Beam) result.

It follows the same decisions as :class:`zhclean.transforms.dedup.Dedup` — the same exact
groups, the same LSH buckets and per-bucket edges — but joins the candidate edges with a
:class:`~zhclean.filters.dedup.components.UnionFind` instead of large-star/small-star rounds.
So on the same input it must give the same kept ids, keepers and cluster sizes (as long as the
Beam rounds converged). Everything is held in memory: use it for up to a few million
documents, not for a crawl.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from zhclean.filters.dedup.candidates import star_edges, verified_edges
from zhclean.filters.dedup.components import UnionFind
from zhclean.filters.dedup.fingerprint import Fingerprint
from zhclean.filters.dedup.keeper import keeper_rank
from zhclean.filters.dedup.params import DedupParams

KEEP = "keep"
EXACT = "exact"
NEAR = "near"


class Decision(NamedTuple):
    """What dedup decided for one document.

    ``kind`` is ``keep``, ``exact`` or ``near``; ``keeper`` is the id of the kept document of
    its cluster (its own id when kept); ``cluster_size`` counts the documents of the cluster,
    the keeper included (set on keepers, 0 on dropped documents).
    """

    kind: str
    keeper: str
    cluster_size: int


class Survivor(NamedTuple):
    """An exact-dedup keeper, with the number of documents its exact group had (``weight``)."""

    fp: Fingerprint
    weight: int


def exact_stage(
    fps: Iterable[Fingerprint], params: DedupParams
) -> tuple[list[Survivor], dict[str, str]]:
    """Exact groups: survivors, and each dropped member mapped to its group's keeper."""
    if not params.exact:
        return [Survivor(fp, 1) for fp in fps], {}
    groups: dict[int, list[Fingerprint]] = defaultdict(list)
    for fp in fps:
        groups[fp.exact_key].append(fp)
    survivors: list[Survivor] = []
    members: dict[str, str] = {}
    for group in groups.values():
        keeper = min(group, key=lambda f: keeper_rank(params.keeper, f.id, f.length))
        survivors.append(Survivor(keeper, len(group)))
        for fp in group:
            if fp.id != keeper.id:
                members[fp.id] = keeper.id
    return survivors, members


def bucket_members(survivors: Iterable[Survivor]) -> dict[tuple[int, int], list[Fingerprint]]:
    """LSH buckets keyed ``(band index, band key)``."""
    buckets: dict[tuple[int, int], list[Fingerprint]] = defaultdict(list)
    for s in survivors:
        for i, key in enumerate(s.fp.bands):
            buckets[(i, key)].append(s.fp)
    return buckets


def bucket_edges(
    members: list[Fingerprint], params: DedupParams
) -> tuple[list[tuple[str, str]], int]:
    """The edges one bucket contributes (see :mod:`~zhclean.filters.dedup.candidates`)."""
    if params.verify_threshold is None:
        return star_edges(fp.id for fp in members), 0
    return verified_edges(
        [(fp.id, fp.signature) for fp in members],
        params.verify_threshold,
        params.num_perm,
        params.max_bucket_reps,
    )


@dataclass
class ReferenceResult:
    """Decisions per id, plus the candidate edges and counts, for checks and reports."""

    decisions: dict[str, Decision]
    edges: set[tuple[str, str]] = field(default_factory=set)
    multi_buckets: int = 0
    unlinked: int = 0


def dedup_in_memory(fps: Iterable[Fingerprint], params: DedupParams) -> ReferenceResult:
    """Exact then near dedup of ``fps``, with a union-find over the bucket edges."""
    fps = list(fps)
    survivors, members = exact_stage(fps, params)
    result = ReferenceResult(decisions={})
    uf = UnionFind()
    if params.near:
        for bucket in bucket_members(survivors).values():
            if len({fp.id for fp in bucket}) < 2:
                continue
            result.multi_buckets += 1
            edges, unlinked = bucket_edges(bucket, params)
            result.unlinked += unlinked
            for u, v in edges:
                result.edges.add((u, v))
                uf.union(u, v)
    roots = uf.roots()
    clusters: dict[str, list[Survivor]] = defaultdict(list)
    for s in survivors:
        clusters[roots.get(s.fp.id, s.fp.id)].append(s)
    decisions = result.decisions
    for cluster in clusters.values():
        keeper = min(cluster, key=lambda s: keeper_rank(params.keeper, s.fp.id, s.fp.length))
        size = sum(s.weight for s in cluster)
        for s in cluster:
            if s is keeper:
                decisions[s.fp.id] = Decision(KEEP, s.fp.id, size)
            else:
                decisions[s.fp.id] = Decision(NEAR, keeper.fp.id, 0)
    for member, exact_keeper in members.items():
        decisions[member] = resolve_member(exact_keeper, decisions[exact_keeper])
    return result


def resolve_member(exact_keeper: str, keeper_decision: Decision) -> Decision:
    """Decision of an exact duplicate, given what happened to its exact group's keeper.

    If that keeper survives, the member is ``exact`` with it; if the keeper was itself a near
    duplicate, the member is ``near`` with the final keeper (so ``detail`` always names a kept
    document, and ``exact`` always means the same normalised text as the kept one).
    """
    if keeper_decision.kind == KEEP:
        return Decision(EXACT, exact_keeper, 0)
    return Decision(NEAR, keeper_decision.keeper, 0)
