"""The Beam dedup stage: same decisions as the in-memory reference, deterministic, contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from zhclean.filters.dedup.components import UnionFind
from zhclean.filters.dedup.fingerprint import fingerprint, make_hasher
from zhclean.filters.dedup.reference import KEEP, dedup_in_memory
from zhclean.filters.dedup.synthetic import synthetic_corpus
from zhclean.filters.document import Document
from zhclean.pipeline.config import Config, parse_config
from zhclean.transforms.dedup import ConnectedComponents, Dedup, params_from_config

ARTICLE = (
    "國家統計局今天發布數據，十月份全國規模以上工業增加值同比增長百分之四點六，"
    "比上月加快零點一個百分點。從環比看，十月份規模以上工業增加值比上月增長零點三九。"
) * 4


def _corpus() -> list[Document]:
    docs = [
        Document(id=d.id, url=f"http://example.com/{d.id}", text=d.text)
        for d in synthetic_corpus(240, dup_share=0.25, seed=3)
    ]
    docs += [
        Document(id="zz-trad", text=ARTICLE),
        Document(id="zz-simp", text=ARTICLE.replace("國家統計局", "国家统计局")),  # exact after t2s
        Document(id="zz-width", text=ARTICLE.replace("，", ", ") + "  "),  # exact after NFKC
        Document(id="zz-empty-a", text="。。。"),
        Document(id="zz-empty-b", text="！"),
    ]
    return docs


def run_dedup(
    docs: list[Document], config: Config, tmp: Path, workers: int = 1
) -> tuple[dict[str, Any], dict[str, Any], Any]:
    options = PipelineOptions(
        flags=[],
        direct_num_workers=workers,
        direct_running_mode="multi_processing" if workers > 1 else "in_memory",
    )
    out = tmp / f"out-{workers}-{len(list(tmp.iterdir()))}"
    p = beam.Pipeline(runner=FnApiRunner(), options=options)
    res = p | beam.Create(docs, reshuffle=False) | Dedup(config)
    kept = res["docs"] | "Kept" >> beam.Map(
        lambda d: json.dumps({"kept": d.id, "size": d.dup_cluster_size, "text": d.text})
    )
    drops = res["drops"] | "Drops" >> beam.Map(
        lambda e: json.dumps({"dropped": e.id, "key": e.key, "detail": e.detail, "url": e.url})
    )
    (kept, drops) | beam.Flatten() | beam.io.WriteToText(str(out), shard_name_template="")
    result = p.run()
    result.wait_until_finish()
    kept_out, drops_out = {}, {}
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "kept" in row:
            kept_out[row["kept"]] = row
        else:
            drops_out[row["dropped"]] = row
    return kept_out, drops_out, result


def counter(result: Any, name: str) -> int:
    found = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    return sum(c.committed or c.attempted or 0 for c in found)


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return _corpus()


@pytest.fixture(scope="module")
def first_run(corpus: list[Document], tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return run_dedup(corpus, parse_config({}), tmp_path_factory.mktemp("dedup"))


def test_matches_in_memory_reference(corpus: list[Document], first_run: tuple) -> None:
    kept, drops, _ = first_run
    config = parse_config({})
    params = params_from_config(config)
    hasher = make_hasher(params)
    ref = dedup_in_memory([fingerprint(d.id, d.text, params, hasher) for d in corpus], params)
    expected_kept = {i: d.cluster_size for i, d in ref.decisions.items() if d.kind == KEEP}
    expected_drops = {
        i: (f"dedup/{d.kind}", d.keeper) for i, d in ref.decisions.items() if d.kind != KEEP
    }
    assert {i: row["size"] for i, row in kept.items()} == expected_kept
    assert {i: (row["key"], row["detail"]) for i, row in drops.items()} == expected_drops
    assert len(drops) > 40  # the corpus has plenty of duplicates


def test_output_contract(corpus: list[Document], first_run: tuple) -> None:
    kept, drops, _ = first_run
    by_id = {d.id: d for d in corpus}
    assert set(kept) | set(drops) == set(by_id) and not set(kept) & set(drops)
    for i, row in drops.items():
        assert row["key"] in ("dedup/exact", "dedup/near")
        assert row["detail"] in kept, "detail must be exactly the id of a kept document"
        assert row["url"] == by_id[i].url
    for i, row in kept.items():
        assert row["text"] == by_id[i].text
    assert sum(row["size"] for row in kept.values()) == len(corpus)
    # Hand-made cases: script, width and whitespace variants are exact duplicates.
    assert "zz-trad" in kept or "zz-simp" in kept or "zz-width" in kept
    group = {"zz-trad", "zz-simp", "zz-width"}
    keeper = next(i for i in group if i in kept)
    assert kept[keeper]["size"] == 3
    assert keeper == max(group, key=lambda i: (len(by_id[i].text), [-ord(c) for c in i]))
    assert all(
        drops[i] == {**drops[i], "key": "dedup/exact", "detail": keeper} for i in group - {keeper}
    )
    # Texts that normalise to nothing are exact duplicates of each other, never near ones.
    assert {drops.get("zz-empty-a", {}).get("key"), drops.get("zz-empty-b", {}).get("key")} >= {
        "dedup/exact"
    }


def test_same_result_on_second_run_and_with_two_workers(
    corpus: list[Document], first_run: tuple, tmp_path: Path
) -> None:
    kept, drops, _ = first_run
    kept2, drops2, _ = run_dedup(corpus, parse_config({}), tmp_path, workers=1)
    kept3, drops3, _ = run_dedup(list(reversed(corpus)), parse_config({}), tmp_path, workers=2)
    assert kept2 == kept and drops2 == drops
    assert kept3 == kept and drops3 == drops


def test_modes(corpus: list[Document], first_run: tuple, tmp_path: Path) -> None:
    kept_default, drops_default, _ = first_run
    # Disabled: everything passes unchanged.
    kept, drops, _ = run_dedup(corpus, parse_config({"dedup": {"enabled": False}}), tmp_path)
    assert len(kept) == len(corpus) and not drops
    # Exact only: no near drops, and fewer drops than with near dedup.
    kept, drops, _ = run_dedup(corpus, parse_config({"dedup": {"near": False}}), tmp_path)
    assert drops and {r["key"] for r in drops.values()} == {"dedup/exact"}
    assert len(drops) < len(drops_default)
    # Near only, without verification, keeping the shortest: the same clusters on this corpus,
    # except that the two texts that normalise to nothing (no shingles) are now both kept.
    config = parse_config({"dedup": {"verify": False, "keeper": "shortest", "exact": False}})
    kept, drops, _ = run_dedup(corpus, config, tmp_path)
    assert {r["key"] for r in drops.values()} == {"dedup/near"}
    assert {"zz-empty-a", "zz-empty-b"} <= set(kept)
    sizes = sorted(r["size"] for i, r in kept.items() if not i.startswith("zz-empty"))
    default_sizes = sorted(
        r["size"] for i, r in kept_default.items() if not i.startswith("zz-empty")
    )
    assert sizes == default_sizes
    by_id = {d.id: d for d in corpus}
    for i, row in drops.items():
        assert len(by_id[row["detail"]].text) <= len(by_id[i].text)


def _components(edges: list[tuple[str, str]], rounds: int, tmp: Path) -> tuple[dict[str, str], Any]:
    out = tmp / f"cc-{rounds}"
    p = beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(flags=[]))
    (
        p
        | beam.Create(edges, reshuffle=False)
        | ConnectedComponents(rounds)
        | beam.Map(json.dumps)
        | beam.io.WriteToText(str(out), shard_name_template="")
    )
    result = p.run()
    result.wait_until_finish()
    labels = dict(json.loads(line) for line in out.read_text().splitlines())
    return labels, result


def test_connected_components_converge_or_split_but_never_merge(tmp_path: Path) -> None:
    chain = [(f"c{i:03d}", f"c{i + 1:03d}") for i in range(0, 120, 1)][::-1]
    star = [(f"s{i:03d}", "s999") for i in range(30)]
    edges = chain + star
    uf = UnionFind()
    for u, v in edges:
        uf.union(u, v)
    labels, result = _components(edges, 10, tmp_path)
    assert labels == uf.roots()
    assert counter(result, "dedup:cc_unconverged_nodes") == 0
    labels, result = _components(edges, 1, tmp_path)
    assert counter(result, "dedup:cc_unconverged_nodes") > 0
    assert set(labels) == set(uf.roots())
    for node, label in labels.items():
        assert uf.find(label) == uf.find(node)  # never a label from another component
