"""The dedup stage: exact, then MinHash near-duplicate removal, at any scale.

Graph (every GroupByKey and ⋈ (CoGroupByKey) is a distributed shuffle; no step gathers all
documents, all edges or all pairs on one worker)::

    docs ─ Fingerprint (normalise once: exact key, MinHash bands [, signature])
      │   exact key ─► GroupByKey ─► keeper per exact group ─► survivors, members
      │   (band i, key) of survivors ─► GroupByKey ─► buckets with ≥2 members
      │       [verify: ⋈ signatures by id ─► GroupByKey by bucket ─► verify] ─► edges ─► Distinct
      │   max_rounds × (large-star GroupByKey, small-star GroupByKey) ─► label per node
      │   survivors ⋈ labels ─► GroupByKey by label ─► keeper, cluster size ─► decisions
      │   exact members ⋈ their keeper's decision ─► decisions
      └── (id, doc) ⋈ (id, decision) ─► kept docs (dup_cluster_size set) | DropEvents

Only the small :class:`~zhclean.filters.dedup.fingerprint.Fingerprint` records move through
the clustering; each document's text is shuffled once, for the final join. All choices are
functions of sets (minimum ids, keeper ranks), so the result does not depend on element order,
bundling or the number of workers.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from zhclean.filters.dedup.candidates import star_edges, verified_edges
from zhclean.filters.dedup.components import label_and_check, large_star, small_star
from zhclean.filters.dedup.fingerprint import Fingerprint, fingerprint, make_hasher
from zhclean.filters.dedup.keeper import keeper_rank
from zhclean.filters.dedup.lsh import LshParams, optimal_bands_rows
from zhclean.filters.dedup.params import DedupParams
from zhclean.filters.dedup.reference import EXACT, KEEP, NEAR, Decision, resolve_member
from zhclean.filters.document import Document, DropEvent
from zhclean.transforms.events import METRICS_NAMESPACE, count_event, drop_event, error_kind

STAGE = "dedup"
_LOG = logging.getLogger(__name__)
_ERRORS = "errors"


def params_from_config(config: Any) -> DedupParams:
    """The plain :class:`DedupParams` of a root ``Config`` (its ``dedup`` and ``run.seed``)."""
    section = config.dedup
    if section.bands is not None and section.rows is not None:
        lsh = LshParams(bands=section.bands, rows=section.rows)
    else:
        lsh = optimal_bands_rows(
            section.threshold,
            section.num_perm,
            section.false_positive_weight,
            section.false_negative_weight,
        )
    verify = section.verify_threshold if section.verify_threshold is not None else section.threshold
    return DedupParams(
        exact=section.exact,
        near=section.near,
        shingle_size=section.shingle_size,
        num_perm=section.num_perm,
        seed=config.run.seed,
        scheme=section.minhash_scheme,
        threshold=section.threshold,
        lsh=lsh,
        verify_threshold=verify if section.verify else None,
        max_bucket_reps=section.max_bucket_reps,
        max_rounds=section.max_rounds,
        keeper=section.keeper,
    )


def _counter(name: str) -> Any:
    return Metrics.counter(METRICS_NAMESPACE, f"{STAGE}:{name}")


# ---------------------------------------------------------------------------- fingerprints


class _FingerprintFn(beam.DoFn):
    """Document → Fingerprint; a document whose fingerprint fails gets an error decision."""

    def __init__(self, params: DedupParams) -> None:
        self._params = params

    def setup(self) -> None:
        self._hasher = make_hasher(self._params)

    def process(self, doc: Document) -> Iterator[Fingerprint | TaggedOutput]:
        try:
            yield fingerprint(doc.id, doc.text or "", self._params, self._hasher)
        except Exception as exc:  # one bad document must not stop the job
            kind = error_kind(exc)
            _LOG.warning("dedup: %s on %s: %s", kind, doc.id, exc)
            yield TaggedOutput(_ERRORS, (doc.id, Decision(f"error:{kind}", repr(exc), 0)))


# ---------------------------------------------------------------------------- exact stage


class _ExactGroupFn(beam.DoFn):
    """One exact group → its keeper (as a survivor with the group size) and members."""

    MEMBERS = "members"

    def __init__(self, policy: str) -> None:
        self._policy = policy

    def process(self, element: tuple[int, Iterable[Fingerprint]]) -> Iterator[Any]:
        _, group = element
        keeper: Fingerprint | None = None
        best: tuple[Any, ...] = ()
        size = 0
        for fp in group:
            size += 1
            rank = keeper_rank(self._policy, fp.id, fp.length)
            if keeper is None or rank < best:
                keeper, best = fp, rank
        assert keeper is not None
        yield (keeper, size)
        if size > 1:
            for fp in group:  # GroupByKey results can be iterated again
                if fp.id != keeper.id:
                    yield TaggedOutput(self.MEMBERS, (keeper.id, fp.id))


# ---------------------------------------------------------------------------- LSH buckets


def _bucket_entries(survivor: tuple[Fingerprint, int]) -> Iterator[tuple[tuple[int, int], str]]:
    fp = survivor[0]
    for i, key in enumerate(fp.bands):
        yield (i, key), fp.id


class _StarEdgesFn(beam.DoFn):
    """Unverified buckets: every member linked to the bucket's smallest id."""

    def setup(self) -> None:
        self._buckets = _counter("candidate_buckets")

    def process(self, element: tuple[Any, Iterable[str]]) -> Iterator[tuple[str, str]]:
        edges = star_edges(element[1])
        if edges:
            self._buckets.inc()
        yield from edges


def _multi_member_buckets(
    element: tuple[Any, Iterable[str]],
) -> Iterator[tuple[str, Any]]:
    """(member id, bucket) for every member of a bucket with at least two distinct members."""
    bucket, ids = element
    first = None
    for doc_id in ids:  # stop as soon as a second member is seen; no materialising
        if first is None:
            first = doc_id
        elif doc_id != first:
            break
    else:
        return
    for doc_id in ids:  # GroupByKey results can be iterated again
        yield doc_id, bucket


def _attach_signature(element: tuple[str, dict[str, list[Any]]]) -> Iterator[tuple[Any, Any]]:
    doc_id, joined = element
    sigs = joined["sig"]
    if not sigs:
        return
    for bucket in joined["bucket"]:
        yield bucket, (doc_id, sigs[0])


class _VerifiedEdgesFn(beam.DoFn):
    """A candidate bucket with signatures → edges that pass the estimated-Jaccard bar."""

    def __init__(self, params: DedupParams) -> None:
        self._params = params

    def setup(self) -> None:
        self._buckets = _counter("candidate_buckets")
        self._unlinked = _counter("verify_unlinked_members")

    def process(
        self, element: tuple[Any, Iterable[tuple[str, bytes]]]
    ) -> Iterator[tuple[str, str]]:
        p = self._params
        assert p.verify_threshold is not None
        self._buckets.inc()
        edges, unlinked = verified_edges(
            list(element[1]), p.verify_threshold, p.num_perm, p.max_bucket_reps
        )
        self._unlinked.inc(unlinked)
        yield from edges


# ---------------------------------------------------------------------------- components


def _both_directions(edge: tuple[str, str]) -> Iterator[tuple[str, str]]:
    yield edge[0], edge[1]
    yield edge[1], edge[0]


def _towards_larger(edge: tuple[str, str]) -> tuple[str, str]:
    u, v = edge
    return (u, v) if u > v else (v, u)


class _LargeStarFn(beam.DoFn):
    """Large-star step of one node; counts nodes not yet in a star before this round."""

    def __init__(self, round_index: int) -> None:
        self._round = round_index

    def setup(self) -> None:
        self._unconverged = _counter(f"cc_unconverged_before_round_{self._round + 1}")

    def process(self, element: tuple[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
        node, neighbors = element
        neighbors = set(neighbors)
        if not label_and_check(node, neighbors)[1]:
            self._unconverged.inc()
        yield from large_star(node, neighbors)


def _small_star(element: tuple[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
    return small_star(element[0], element[1])


class _LabelFn(beam.DoFn):
    """Final label of a node (smallest of itself and its neighbours) and the convergence check."""

    def setup(self) -> None:
        self._unconverged = _counter("cc_unconverged_nodes")

    def process(self, element: tuple[str, Iterable[str]]) -> Iterator[tuple[str, str]]:
        node, neighbors = element
        label, converged = label_and_check(node, neighbors)
        if not converged:
            self._unconverged.inc()
        yield node, label


class ConnectedComponents(beam.PTransform):
    """Undirected edges ``(u, v)`` → ``(node, label)`` for every node of an edge.

    ``rounds`` large-star/small-star rounds are unrolled in the graph (two shuffles each).
    Converged, the label is the smallest node of the component. Not converged (counter
    ``dedup:cc_unconverged_nodes`` > 0), labels are still nodes of the same component, so a
    component may come out split in several clusters, but two components never merge.
    """

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self._rounds = rounds

    def expand(self, edges: beam.PCollection) -> beam.PCollection:
        for i in range(self._rounds):
            edges = (
                edges
                | f"LargeStarPairs{i + 1}" >> beam.FlatMap(_both_directions)
                | f"LargeStarGroup{i + 1}" >> beam.GroupByKey()
                | f"LargeStar{i + 1}" >> beam.ParDo(_LargeStarFn(i))
                | f"SmallStarPairs{i + 1}" >> beam.Map(_towards_larger)
                | f"SmallStarGroup{i + 1}" >> beam.GroupByKey()
                | f"SmallStar{i + 1}" >> beam.FlatMap(_small_star)
            )
        return (
            edges
            | "LabelPairs" >> beam.FlatMap(_both_directions)
            | "LabelGroup" >> beam.GroupByKey()
            | "Label" >> beam.ParDo(_LabelFn())
        )


# ---------------------------------------------------------------------------- clusters


def _route_by_label(element: tuple[str, dict[str, list[Any]]], policy: str) -> Iterator[Any]:
    """A survivor with a label goes to its cluster; one without is a cluster of its own."""
    doc_id, joined = element
    survivors = joined["survivor"]
    if not survivors:
        return
    length, weight = survivors[0]
    labels = joined["label"]
    if labels:
        yield (labels[0], (keeper_rank(policy, doc_id, length), doc_id, weight))
    else:
        yield TaggedOutput("single", (doc_id, (Decision(KEEP, doc_id, weight), weight)))


def _cluster_decisions(
    element: tuple[str, Iterable[tuple[Any, str, int]]],
) -> Iterator[tuple[str, tuple[Decision, int]]]:
    """One cluster → the keeper (smallest rank) with the cluster size, the others ``near``."""
    _, members = element
    best: tuple[Any, str, int] | None = None
    size = 0
    for member in members:
        size += member[2]
        if best is None or member[0] < best[0]:
            best = member
    assert best is not None
    keeper = best[1]
    for _, doc_id, weight in members:
        if doc_id == keeper:
            yield doc_id, (Decision(KEEP, keeper, size), weight)
        else:
            yield doc_id, (Decision(NEAR, keeper, 0), weight)


def _member_decisions(element: tuple[str, dict[str, list[Any]]]) -> Iterator[tuple[str, Decision]]:
    exact_keeper, joined = element
    decisions = joined["decision"]
    if not decisions:
        return
    decision = decisions[0]
    for member in joined["member"]:
        yield member, resolve_member(exact_keeper, decision)


class _ApplyFn(beam.DoFn):
    """(id, {doc, decision}) → the kept document, or a ``dedup`` DropEvent naming the keeper."""

    DROPS = "drops"

    def __init__(self, excerpt_chars: int) -> None:
        self._excerpt_chars = excerpt_chars

    def setup(self) -> None:
        self._missing = _counter("missing_decision")
        self._dup_ids = _counter("duplicate_ids")

    def process(self, element: tuple[str, dict[str, list[Any]]]) -> Iterator[Any]:
        _, joined = element
        docs: list[Document] = joined["doc"]
        decisions: list[Decision] = joined["decision"]
        if len(docs) > 1:
            self._dup_ids.inc(len(docs) - 1)
        if not decisions:  # cannot happen; keeping is the safe side
            self._missing.inc(len(docs))
            yield from docs
            return
        decision = decisions[0]
        for doc in docs:
            if decision.kind == KEEP:
                yield dataclasses.replace(doc, dup_cluster_size=decision.cluster_size)
                continue
            detail = decision.keeper  # exactly the keeper id, so auditors can join on it
            event = drop_event(doc, STAGE, decision.kind, detail, self._excerpt_chars)
            count_event(event)
            yield TaggedOutput(self.DROPS, event)


class Dedup(beam.PTransform):
    """``docs | Dedup(config)`` → ``{"docs": kept, "drops": DropEvents}``.

    Exact duplicates (same normalised text) are dropped as ``dedup/exact``, then MinHash
    near-duplicates of the survivors as ``dedup/near``; ``detail`` is the keeper's id. Keepers
    get ``dup_cluster_size`` (documents in the cluster, itself included).
    """

    def __init__(self, config: Any) -> None:
        super().__init__()
        self._enabled = config.dedup.enabled and (config.dedup.exact or config.dedup.near)
        self._params = params_from_config(config)
        self._excerpt_chars = config.output.excerpt_chars

    @property
    def params(self) -> DedupParams:
        return self._params

    def expand(self, docs: beam.PCollection) -> dict[str, beam.PCollection]:
        if not self._enabled:
            no_drops: beam.PCollection[DropEvent] = docs | "NoDrops" >> beam.FlatMap(lambda _: ())
            return {"docs": docs, "drops": no_drops}
        p = self._params
        prints = docs | "Fingerprint" >> beam.ParDo(_FingerprintFn(p)).with_outputs(
            _ERRORS, main="fps"
        )
        fps = prints.fps

        # Exact: keeper per normalised-text hash.
        if p.exact:
            exact = (
                fps
                # The signature (for verification) travels separately, only where needed.
                | "ByExactKey" >> beam.Map(lambda fp: (fp.exact_key, fp._replace(signature=b"")))
                | "ExactGroups" >> beam.GroupByKey()
                | "ExactKeepers"
                >> beam.ParDo(_ExactGroupFn(p.keeper)).with_outputs(
                    _ExactGroupFn.MEMBERS, main="survivors"
                )
            )
            survivors = exact.survivors
            members = exact[_ExactGroupFn.MEMBERS]
        else:
            survivors = fps | "NoExact" >> beam.Map(lambda fp: (fp, 1))
            members = None

        # Near: clusters of survivors joined by LSH edges.
        if p.near:
            sigs = None
            if p.verify_threshold is not None:
                sigs = fps | "Signatures" >> beam.Map(lambda fp: (fp.id, fp.signature))
            decided = self._near(survivors, sigs)
        else:
            decided = survivors | "AllKept" >> beam.Map(
                lambda s: (s[0].id, (Decision(KEEP, s[0].id, s[1]), s[1]))
            )

        decisions = [decided | "DropWeight" >> beam.Map(lambda kv: (kv[0], kv[1][0]))]
        if members is not None:
            with_members = decided | "WithMembers" >> beam.Filter(lambda kv: kv[1][1] > 1)
            decisions.append(
                {
                    "member": members,
                    "decision": with_members
                    | "KeeperDecision" >> beam.Map(lambda kv: (kv[0], kv[1][0])),
                }
                | "JoinMembers" >> beam.CoGroupByKey()
                | "MemberDecisions" >> beam.FlatMap(_member_decisions)
            )
        decisions.append(prints[_ERRORS])
        all_decisions = decisions | "AllDecisions" >> beam.Flatten()

        keyed_docs = docs | "KeyDocs" >> beam.Map(lambda d: (d.id, d))
        applied = (
            {"doc": keyed_docs, "decision": all_decisions}
            | "JoinDocs" >> beam.CoGroupByKey()
            | "Apply"
            >> beam.ParDo(_ApplyFn(self._excerpt_chars)).with_outputs(_ApplyFn.DROPS, main="docs")
        )
        return {"docs": applied.docs, "drops": applied[_ApplyFn.DROPS]}

    def _near(self, survivors: beam.PCollection, sigs: beam.PCollection | None) -> beam.PCollection:
        p = self._params
        buckets = (
            survivors
            | "BandEntries" >> beam.FlatMap(_bucket_entries)
            | "Buckets" >> beam.GroupByKey()
        )
        if sigs is None:
            edges = buckets | "StarEdges" >> beam.ParDo(_StarEdgesFn())
        else:
            candidates = buckets | "CandidateMembers" >> beam.FlatMap(_multi_member_buckets)
            edges = (
                {"bucket": candidates, "sig": sigs}
                | "JoinSignatures" >> beam.CoGroupByKey()
                | "BucketSignatures" >> beam.FlatMap(_attach_signature)
                | "CandidateBuckets" >> beam.GroupByKey()
                | "VerifiedEdges" >> beam.ParDo(_VerifiedEdgesFn(p))
            )
        labels = (
            edges
            | "DistinctEdges" >> beam.Distinct()
            | "Components" >> ConnectedComponents(p.max_rounds)
        )
        routed = (
            {
                "survivor": survivors
                | "SurvivorById" >> beam.Map(lambda s: (s[0].id, (s[0].length, s[1]))),
                "label": labels,
            }
            | "JoinLabels" >> beam.CoGroupByKey()
            | "RouteByLabel"
            >> beam.FlatMap(_route_by_label, p.keeper).with_outputs("single", main="clustered")
        )
        clustered = (
            routed.clustered
            | "Clusters" >> beam.GroupByKey()
            | "ClusterDecisions" >> beam.FlatMap(_cluster_decisions)
        )
        return (routed.single, clustered) | "NearDecisions" >> beam.Flatten()


__all__ = ["EXACT", "KEEP", "NEAR", "ConnectedComponents", "Dedup", "params_from_config"]
