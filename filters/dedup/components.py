"""Connected components by large-star/small-star rounds (Kiveris et al., SoCC 2014).

Each step is a function of one node and its neighbour list, so a Beam ``GroupByKey`` per step
runs it on any number of workers; no step needs the whole graph or all edges of a component
on one machine. Both steps keep every component connected and never join two components;
alternated, they turn each component into a star around its smallest node, typically in a
few rounds (at most O(log² n)).

The graph is converged when it is a set of stars: every node either has only larger
neighbours (a centre) or exactly one neighbour, which is smaller (a leaf). Each node checks
that locally. A node's label is the smallest of itself and its neighbours; when converged it
is its component's smallest node. When not, it is still a node of the same component, so an
unconverged component is split into several clusters — never merged with another.

:class:`UnionFind` is the in-memory reference used to check the Beam result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

Edge = tuple[str, str]


def large_star(node: str, neighbors: Iterable[str]) -> Iterator[Edge]:
    """Link every larger neighbour of ``node`` to the smallest of ``node`` and its neighbours."""
    uniq = set(neighbors)
    smallest = min(uniq | {node})
    for v in uniq:
        if v > node:
            yield (v, smallest)


def small_star(node: str, smaller_neighbors: Iterable[str]) -> Iterator[Edge]:
    """Link ``node`` and its smaller neighbours to the smallest of them."""
    group = set(smaller_neighbors)
    group.add(node)
    smallest = min(group)
    for v in group:
        if v != smallest:
            yield (v, smallest)


def label_and_check(node: str, neighbors: Iterable[str]) -> tuple[str, bool]:
    """The node's cluster label and whether the node is converged (see module docstring)."""
    uniq = set(neighbors)
    smallest = min(uniq | {node})
    if smallest == node:
        return node, True  # only larger neighbours: a centre
    return smallest, len(uniq) == 1  # a leaf must have exactly one (smaller) neighbour


def star_rounds(edges: Iterable[Edge], rounds: int) -> tuple[list[Edge], list[int]]:
    """The Beam rounds simulated in memory: the final edges and unconverged nodes per round.

    ``unconverged[i]`` counts nodes failing the star check before round ``i``; the last entry
    is after the final round. For tests and small graphs.
    """
    current = [(u, v) for u, v in edges if u != v]
    unconverged: list[int] = []
    for _ in range(rounds):
        adj = _adjacency(current)
        unconverged.append(sum(not label_and_check(n, nb)[1] for n, nb in adj.items()))
        current = [e for n, nb in adj.items() for e in large_star(n, nb)]
        smaller: dict[str, list[str]] = defaultdict(list)
        for u, v in current:
            hi, lo = (u, v) if u > v else (v, u)
            smaller[hi].append(lo)
        current = [e for n, nb in smaller.items() for e in small_star(n, nb)]
    adj = _adjacency(current)
    unconverged.append(sum(not label_and_check(n, nb)[1] for n, nb in adj.items()))
    return current, unconverged


def _adjacency(edges: Iterable[Edge]) -> dict[str, list[str]]:
    adj: dict[str, list[str]] = defaultdict(list)
    for u, v in edges:
        adj[u].append(v)
        adj[v].append(u)
    return adj


def labels_of(edges: Iterable[Edge]) -> dict[str, str]:
    """Label of every node in ``edges``: the smallest of itself and its neighbours."""
    return {n: label_and_check(n, nb)[0] for n, nb in _adjacency(edges).items()}


class UnionFind:
    """Disjoint sets over string nodes; each set is represented by its smallest node."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self._parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self._parent[hi] = lo

    def roots(self) -> dict[str, str]:
        """Every node seen, mapped to its set's smallest node."""
        return {x: self.find(x) for x in list(self._parent)}
