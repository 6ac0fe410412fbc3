"""Plain-Python dedup pieces: exact key, shingles, keeper, bucket edges, components, reference."""

from __future__ import annotations

import random

import pytest

from zhclean.filters.dedup.candidates import star_edges, verified_edges
from zhclean.filters.dedup.components import (
    UnionFind,
    label_and_check,
    labels_of,
    large_star,
    small_star,
    star_rounds,
)
from zhclean.filters.dedup.fingerprint import fingerprint, make_hasher
from zhclean.filters.dedup.keeper import keeper_rank
from zhclean.filters.dedup.keys import exact_key
from zhclean.filters.dedup.lsh import LshParams
from zhclean.filters.dedup.minhash import MinHasher
from zhclean.filters.dedup.params import DedupParams
from zhclean.filters.dedup.reference import EXACT, KEEP, NEAR, dedup_in_memory
from zhclean.filters.dedup.shingles import char_shingles
from zhclean.filters.dedup.synthetic import synthetic_corpus

PARAMS = DedupParams(lsh=LshParams(bands=14, rows=9))


# ---------------------------------------------------------------- exact key and shingles


def test_exact_key_ignores_width_script_case_punctuation_and_space() -> None:
    base = exact_key("國務院今天召開會議，部署ABC工作。")
    assert exact_key("国务院今天召开会议,部署abc工作") == base
    assert exact_key("  国务院 今天召开会议，\n部署ＡＢＣ工作！ ") == base
    assert exact_key("国务院明天召开会议，部署ABC工作。") != base


def test_char_shingles() -> None:
    assert char_shingles("", 5) == set()
    assert char_shingles("中文", 5) == {"中文"}
    assert char_shingles("甲乙丙丁戊", 5) == {"甲乙丙丁戊"}
    assert char_shingles("甲乙丙丁戊己", 5) == {"甲乙丙丁戊", "乙丙丁戊己"}
    assert char_shingles("aaaaaa", 2) == {"aa"}
    with pytest.raises(ValueError):
        char_shingles("x", 0)


def test_fingerprint_of_empty_text_has_no_bands() -> None:
    fp = fingerprint("x", "。，！  ", PARAMS, make_hasher(PARAMS))
    assert fp.bands == () and fp.signature == b""
    assert fp.exact_key == exact_key("")


def test_fingerprint_keeps_signature_only_for_verification() -> None:
    no_verify = DedupParams(lsh=LshParams(bands=14, rows=9), verify_threshold=None)
    text = "今天天气很好，我们去公园散步。"
    assert len(fingerprint("x", text, PARAMS, make_hasher(PARAMS)).signature) == 128 * 4
    fp = fingerprint("x", text, no_verify, make_hasher(no_verify))
    assert fp.signature == b"" and len(fp.bands) == 14


# ---------------------------------------------------------------- keeper


def test_keeper_rank_policies() -> None:
    docs = [("b", 10), ("a", 10), ("c", 5)]
    best = {
        p: min(docs, key=lambda d, p=p: keeper_rank(p, *d))[0]
        for p in ("longest", "shortest", "smallest_id")
    }
    assert best == {"longest": "a", "shortest": "c", "smallest_id": "a"}
    with pytest.raises(ValueError):
        keeper_rank("newest", "a", 1)


# ---------------------------------------------------------------- bucket edges


def test_star_edges_link_to_smallest_id() -> None:
    assert star_edges(["c", "a", "b", "a"]) == [("b", "a"), ("c", "a")]
    assert star_edges(["a", "a"]) == []


def test_verified_edges_reject_dissimilar_and_use_representatives() -> None:
    hasher = MinHasher(num_perm=64, seed=0)
    text_a = "".join(chr(0x4E00 + (i * 7) % 500) for i in range(400))
    text_b = "".join(chr(0x5E00 + (i * 11) % 500) for i in range(400))

    def sig(text: str) -> bytes:
        return hasher.signature(char_shingles(text, 5)).astype("<u4").tobytes()

    members = [
        ("a1", sig(text_a)),
        ("a2", sig(text_a[:390])),
        ("b1", sig(text_b)),
        ("b2", sig(text_b[5:])),
    ]
    edges, unlinked = verified_edges(list(reversed(members)), 0.7, 64, max_reps=8)
    assert sorted(edges) == [("a2", "a1"), ("b2", "b1")]
    assert unlinked == 0
    # With one representative only, the b-pair cannot be formed.
    edges, unlinked = verified_edges(members, 0.7, 64, max_reps=1)
    assert edges == [("a2", "a1")] and unlinked == 2


# ---------------------------------------------------------------- components


def _random_graph(rng: random.Random, n: int, m: int) -> list[tuple[str, str]]:
    nodes = [f"n{rng.randrange(10**6):06d}" for _ in range(n)]
    return [(rng.choice(nodes), rng.choice(nodes)) for _ in range(m)]


def _components_by_label(edges: list[tuple[str, str]], rounds: int) -> dict[str, str]:
    final, _ = star_rounds(edges, rounds)
    return labels_of(final)


@pytest.mark.parametrize("seed", range(5))
def test_star_rounds_equal_union_find(seed: int) -> None:
    rng = random.Random(seed)
    edges = _random_graph(rng, 300, 250)
    uf = UnionFind()
    for u, v in edges:
        uf.union(u, v)
    expected = {k: v for k, v in uf.roots().items() if any(k in e for e in edges if e[0] != e[1])}
    final, unconverged = star_rounds(edges, 8)
    assert unconverged[-1] == 0
    assert labels_of(final) == expected


def test_chain_needs_rounds_and_unconverged_labels_never_merge_components() -> None:
    chain = [(f"c{i:03d}", f"c{i + 1:03d}") for i in range(0, 200)]
    other = [(f"d{i:03d}", f"d{i + 1:03d}") for i in range(0, 50)]
    edges = chain[::-1] + other
    _, unconverged = star_rounds(edges, 1)
    assert unconverged[0] > 0 and unconverged[-1] > 0
    labels = _components_by_label(edges, 1)
    assert {lab[0] for node, lab in labels.items() if node.startswith("c")} == {"c"}
    assert {lab[0] for node, lab in labels.items() if node.startswith("d")} == {"d"}
    # Enough rounds: a star around the smallest node of each component.
    final, unconverged = star_rounds(edges, 12)
    assert unconverged[-1] == 0
    assert set(labels_of(final).values()) == {"c000", "d000"}


def test_star_steps_on_a_small_example() -> None:
    assert sorted(large_star("b", ["a", "c", "d"])) == [("c", "a"), ("d", "a")]
    assert sorted(small_star("d", ["b", "c"])) == [("c", "b"), ("d", "b")]
    assert label_and_check("a", ["b", "c"]) == ("a", True)
    assert label_and_check("c", ["a"]) == ("a", True)
    assert label_and_check("c", ["a", "b"]) == ("a", False)
    assert label_and_check("b", ["a", "c"]) == ("a", False)


# ---------------------------------------------------------------- whole in-memory dedup


def test_reference_dedup_finds_synthetic_duplicates() -> None:
    corpus = synthetic_corpus(400, dup_share=0.2, seed=1)
    hasher = make_hasher(PARAMS)
    result = dedup_in_memory([fingerprint(d.id, d.text, PARAMS, hasher) for d in corpus], PARAMS)
    decisions = result.decisions
    assert set(decisions) == {d.id for d in corpus}
    kept = {i for i, d in decisions.items() if d.kind == KEEP}
    # Every drop names a kept document; keepers' cluster sizes add up to the corpus.
    for d in decisions.values():
        assert d.keeper in kept
    assert sum(decisions[i].cluster_size for i in kept) == len(corpus)
    # Exactly one document per synthetic origin survives (all copies are close enough).
    by_origin: dict[str, set[str]] = {}
    for doc in corpus:
        by_origin.setdefault(doc.origin, set()).add(doc.id)
    assert len(kept) == len(by_origin)
    for doc in corpus:
        if decisions[doc.id].kind != KEEP:
            assert decisions[doc.id].keeper in by_origin[doc.origin]
    kinds = {d.kind for d in corpus}
    assert {"exact_copy", "noise", "edit", "truncate"} <= kinds
    reasons = {
        (doc.kind, decisions[doc.id].kind) for doc in corpus if decisions[doc.id].kind != KEEP
    }
    assert ("exact_copy", EXACT) in reasons and ("edit", NEAR) in reasons


def test_exact_member_of_a_near_dropped_keeper_names_the_final_keeper() -> None:
    text = "".join(chr(0x4E00 + (i * 13) % 2000) for i in range(600))
    docs = {
        "a": text + "尾巴",  # longest: the final keeper
        "b": text,  # exact group {b, c}, whose keeper c (longer) is a near duplicate of a
        "c": text + "。",
        "d": "完全不同的另一篇文章内容，与其他文档没有关系。" * 10,
    }
    hasher = make_hasher(PARAMS)
    fps = [fingerprint(i, t, PARAMS, hasher) for i, t in docs.items()]
    decisions = dedup_in_memory(fps, PARAMS).decisions
    assert decisions["a"] == (KEEP, "a", 3)
    # b is an exact duplicate of c, but c is gone: b is reported against the kept document.
    assert decisions["c"] == (NEAR, "a", 0)
    assert decisions["b"] == (NEAR, "a", 0)
    assert decisions["d"] == (KEEP, "d", 1)
