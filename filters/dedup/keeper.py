"""Deterministic choice of the document kept from a duplicate cluster."""

from __future__ import annotations

from typing import Any

KEEPER_POLICIES = ("longest", "shortest", "smallest_id")


def keeper_rank(policy: str, doc_id: str, length: int) -> tuple[Any, ...]:
    """A sort key whose minimum over a cluster is the keeper.

    ``longest``: most characters of text first; ``shortest``: fewest first; ``smallest_id``:
    the id alone. Ties always go to the smallest id, and ids are unique, so the keeper never
    depends on the order in which documents arrive or on how they are partitioned.
    """
    if policy == "longest":
        return (-length, doc_id)
    if policy == "shortest":
        return (length, doc_id)
    if policy == "smallest_id":
        return (doc_id,)
    raise ValueError(f"unknown keeper policy {policy!r}; expected one of {KEEPER_POLICIES}")
