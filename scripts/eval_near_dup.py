"""Near-duplicate evaluation on real Chinese articles: recall per variant type and precision.

Bases are real articles: the hand-made gold texts of ``extraction_zh/cleaned/`` and the
Common Crawl documents of ``cc_zh_sample/`` (several from the same site: hard negatives of
their own). Each base gets one variant of every type:

- ``exact``        an identical copy;
- ``edit5``/``edit15``  ~5% / ~15% of its sentences edited (1–3 substitutions, insertions or
  deletions of a few characters per edited sentence);
- ``truncate85``   the first 85% of its characters;
- ``traditional``  converted to Traditional script (OpenCC ``s2t``);
- ``width_space``  ASCII letters/digits to full width, full-width punctuation to ASCII, random
  spaces and changed line breaks;
- ``replace15``/``replace30``/``replace50`` (extra, no target) 15/30/50% of its sentences
  replaced by sentences of other articles: true Jaccard around, below and far below the
  threshold, to show detection as a function of true Jaccard (the LSH S-curve after
  verification); pairs far below the threshold must not be found.

Hard negatives, distinct documents that must stay apart:

- ``topic``: documents of 15–30 distinct real food-delivery reviews each (waimai_10k): one
  topic, one vocabulary, many shared stock phrases; ``topic_short``: the same with 3–6
  reviews (short texts share a larger part of their shingles by chance);
- ``template``: distinct real sentences (langid ``zh``) wrapped in one shared site header and
  footer, as pages of one site.

Recall of a variant = it ends in the same cluster as its base. "Pairwise" recall runs one
corpus per variant type (bases + that type + negatives), so a variant can only be found through
its own pair with the base; the "clustered" run has all variants together, where copies also
link through each other (as on the web). Precision = share of removed documents whose keeper
has the same origin (minimum over all runs); pair precision = share of same-cluster pairs with
the same origin. The data is read from ``--data`` (default ``../shared/data``) and never copied.

    .venv/bin/python scripts/eval_near_dup.py                      # defaults, in-memory + Beam
    .venv/bin/python scripts/eval_near_dup.py --sweep --no-beam    # shingle size × threshold,
                                                                   # LSH weights, num_perm
"""

from __future__ import annotations

import argparse
import csv
import glob
import itertools
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import opencc

from zhclean.filters.dedup.fingerprint import fingerprint, make_hasher
from zhclean.filters.dedup.params import DedupParams
from zhclean.filters.dedup.reference import KEEP, Decision, dedup_in_memory
from zhclean.filters.dedup.shingles import char_shingles
from zhclean.filters.normalize import normalize_text
from zhclean.pipeline.config import parse_config

VARIANTS = (
    "exact",
    "edit5",
    "edit15",
    "truncate85",
    "traditional",
    "width_space",
    "replace15",
    "replace30",
    "replace50",
)
TARGETS = {"exact": 0.95, "edit5": 0.95, "width_space": 0.95, "traditional": 0.95, "edit15": 0.8}
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?\n]*|\n+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class EvalDoc:
    id: str
    text: str
    origin: str
    kind: str  # base, a variant name, topic or template


# ---------------------------------------------------------------------------- corpus


def load_bases(data: str, min_chars: int) -> list[tuple[str, str]]:
    bases = []
    for path in sorted(glob.glob(os.path.join(data, "extraction_zh/cleaned/*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        bases.append(("ext-" + os.path.basename(path)[:8], text))
    with open(os.path.join(data, "cc_zh_sample/2021-43/cleared1.jsonl"), encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            bases.append((f"cc-{i:03d}", json.loads(line)["raw_content"]))
    return [(b, t) for b, t in bases if len(normalize_text(t)) >= min_chars]


def edit_sentences(text: str, share: float, rng: random.Random) -> str:
    """Edit ``share`` of the sentences (at least one) with 1–3 small character edits each."""
    parts = _SENTENCE.findall(text)
    editable = [i for i, s in enumerate(parts) if len(_CJK.findall(s)) >= 6]
    if not editable:
        return text
    pool = _CJK.findall(text) or list("的一是在不了有和人这中大为上个国")
    count = max(1, round(share * len(editable)))
    for i in rng.sample(editable, min(count, len(editable))):
        s = parts[i]
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(0, max(1, len(s) - 1))
            op = rng.choice(("sub", "ins", "del"))
            span = rng.randint(2, 6)
            new = "".join(rng.choice(pool) for _ in range(span))
            if op == "sub":
                s = s[:pos] + new + s[pos + span :]
            elif op == "ins":
                s = s[:pos] + new + s[pos:]
            else:
                s = s[:pos] + s[pos + span :]
        parts[i] = s
    return "".join(parts)


_TO_FULL = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F)) if c.isalnum()}
_TO_HALF = {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"}


def replace_sentences(text: str, share: float, donors: list[str], rng: random.Random) -> str:
    """Replace ``share`` of the sentences (at least one) with sentences from ``donors``."""
    parts = _SENTENCE.findall(text)
    editable = [i for i, s in enumerate(parts) if len(_CJK.findall(s)) >= 6]
    if not editable:
        return text
    for i in rng.sample(editable, min(max(1, round(share * len(editable))), len(editable))):
        parts[i] = rng.choice(donors)
    return "".join(parts)


def width_space(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        ch = _TO_FULL.get(ch, _TO_HALF.get(ch, ch))
        if ch == "\n":
            ch = rng.choice(("\n", "\r\n", "\n\n", " "))
        out.append(ch)
        if rng.random() < 0.03:
            out.append(rng.choice((" ", "\u3000", "\t")))
    return "".join(out)


def build_corpus(data: str, seed: int, min_chars: int) -> tuple[list[EvalDoc], dict]:
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    docs: list[EvalDoc] = []
    bases = load_bases(data, min_chars)
    with open(os.path.join(data, "langid/sentences/zh.txt"), encoding="utf-8") as fh:
        sentences = [s.strip() for s in fh if len(s.strip()) >= 10]
    rng.shuffle(sentences)
    donors, sentences = sentences[:200], sentences[200:]
    for base_id, text in bases:
        docs.append(EvalDoc(base_id, text, base_id, "base"))
        variants = {
            "exact": text,
            "edit5": edit_sentences(text, 0.05, rng),
            "edit15": edit_sentences(text, 0.15, rng),
            "truncate85": text[: int(len(text) * 0.85)],
            "traditional": s2t.convert(text),
            "width_space": width_space(text, rng),
            "replace15": replace_sentences(text, 0.15, donors, rng),
            "replace30": replace_sentences(text, 0.30, donors, rng),
            "replace50": replace_sentences(text, 0.50, donors, rng),
        }
        for kind, vtext in variants.items():
            docs.append(EvalDoc(f"{base_id}~{kind}", vtext, base_id, kind))
    with open(
        os.path.join(data, "quality_zh/ChineseNlpCorpus/waimai_10k.csv"), encoding="utf-8"
    ) as fh:
        reviews = sorted(
            {row["review"].strip() for row in csv.DictReader(fh) if len(row["review"]) >= 8}
        )
    rng.shuffle(reviews)
    pos = 0
    for i in range(150):
        n = rng.randint(15, 30)
        text = "\n".join(reviews[pos : pos + n])
        pos += n
        docs.append(EvalDoc(f"topic-{i:03d}", text, f"topic-{i:03d}", "topic"))
    for i in range(150):
        n = rng.randint(3, 6)
        text = "\n".join(reviews[pos : pos + n])
        pos += n
        docs.append(EvalDoc(f"topicshort-{i:03d}", text, f"topicshort-{i:03d}", "topic_short"))
    header = (
        "首页 | 新闻中心 | 产品展示 | 关于我们 | 联系我们\n当前位置：首页 > 新闻资讯 > 行业动态\n"
    )
    footer = (
        "\n上一篇：行业资讯汇总　下一篇：公司新闻发布\n版权所有 © 2021 某某科技有限公司 "
        "地址：广东省深圳市南山区科技园 电话：0755-12345678 粤ICP备12345678号\n"
    )
    for i in range(60):
        body = "".join(sentences[i * 8 : i * 8 + 8])
        docs.append(
            EvalDoc(f"template-{i:03d}", header + body + footer, f"template-{i:03d}", "template")
        )
    info = {
        "bases": len(bases),
        "docs": len(docs),
        "topic_docs": 150,
        "topic_short_docs": 150,
        "template_docs": 60,
    }
    return docs, info


# ---------------------------------------------------------------------------- scoring


def true_jaccard(a: str, b: str, k: int) -> float:
    sa, sb = char_shingles(normalize_text(a), k), char_shingles(normalize_text(b), k)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


JACCARD_BINS = (0.0, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.01)


def score(
    docs: list[EvalDoc], decisions: dict[str, Decision], jaccards: dict[str, float] | None = None
) -> dict:
    by_id = {d.id: d for d in docs}
    cluster = {i: (i if d.kind == KEEP else d.keeper) for i, d in decisions.items()}
    recall: dict[str, list[int]] = defaultdict(list)
    reasons: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        if d.kind in VARIANTS:
            recall[d.kind].append(int(cluster[d.id] == cluster[d.origin]))
            reasons[d.kind][decisions[d.id].kind] += 1
    removed = [(i, dec) for i, dec in decisions.items() if dec.kind != KEEP]
    wrong = [(i, dec.keeper) for i, dec in removed if by_id[i].origin != by_id[dec.keeper].origin]
    members: dict[str, list[str]] = defaultdict(list)
    for i, c in cluster.items():
        members[c].append(i)
    pairs = same = 0
    for ids in members.values():
        for a, b in itertools.combinations(ids, 2):
            pairs += 1
            same += by_id[a].origin == by_id[b].origin
    neg_merged = sum(
        1 for i, dec in removed if by_id[i].kind in ("topic", "topic_short", "template")
    )
    by_bin: dict[str, list[int]] = defaultdict(list)
    for d in docs:
        if jaccards and d.id in jaccards:
            j = jaccards[d.id]
            lo = max(b for b in JACCARD_BINS if b <= j)
            hi = JACCARD_BINS[JACCARD_BINS.index(lo) + 1]
            by_bin[f"[{lo:.2f},{min(hi, 1.0):.2f}{']' if hi > 1 else ')'}"].append(
                int(cluster[d.id] == cluster[d.origin])
            )
    return {
        "found_by_true_jaccard": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_bin.items())},
        "recall": {k: round(sum(v) / len(v), 4) for k, v in recall.items()},
        "recall_n": {k: len(v) for k, v in recall.items()},
        "reasons": {k: dict(v) for k, v in reasons.items()},
        "removed": len(removed),
        "precision": round(1 - len(wrong) / len(removed), 4) if removed else 1.0,
        "wrong_removals": wrong[:20],
        "pair_precision": round(same / pairs, 4) if pairs else 1.0,
        "negatives_removed": neg_merged,
    }


def params_for(overrides: dict, seed: int) -> DedupParams:
    from zhclean.transforms.dedup import params_from_config

    return params_from_config(parse_config({"run": {"seed": seed}, "dedup": overrides}))


def evaluate(docs: list[EvalDoc], params: DedupParams, jaccards: dict[str, float] | None) -> dict:
    """Pairwise recall (one variant type per corpus) and the clustered run (all together)."""
    hasher = make_hasher(params)
    fps = {d.id: fingerprint(d.id, d.text, params, hasher) for d in docs}
    clustered = score(docs, dedup_in_memory(fps.values(), params).decisions, jaccards)
    others = [d for d in docs if d.kind not in VARIANTS]
    pairwise: dict[str, float] = {}
    precisions = [clustered["precision"]]
    bins: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for variant in VARIANTS:
        subset = others + [d for d in docs if d.kind == variant]
        res = score(
            subset, dedup_in_memory([fps[d.id] for d in subset], params).decisions, jaccards
        )
        pairwise[variant] = res["recall"][variant]
        precisions.append(res["precision"])
        for key, frac in res["found_by_true_jaccard"].items():
            found, total = map(int, frac.split("/"))
            bins[key][0] += found
            bins[key][1] += total
    return {
        "pairwise_recall": pairwise,
        "precision_min": min(precisions),
        "pairwise_found_by_true_jaccard": {k: f"{f}/{n}" for k, (f, n) in sorted(bins.items())},
        "clustered": clustered,
    }


def run_beam(docs: list[EvalDoc], config_dict: dict) -> dict[str, Decision]:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    from zhclean.filters.document import Document
    from zhclean.transforms.dedup import Dedup

    config = parse_config(config_dict)
    out_path = f"/tmp/eval_near_dup_{os.getpid()}"
    with beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(flags=[])) as p:
        res = p | beam.Create([Document(id=d.id, text=d.text) for d in docs]) | Dedup(config)
        kept = res["docs"] | "K" >> beam.Map(
            lambda d: json.dumps([d.id, KEEP, d.id, d.dup_cluster_size])
        )
        drops = res["drops"] | "D" >> beam.Map(lambda e: json.dumps([e.id, e.reason, e.detail, 0]))
        (kept, drops) | beam.Flatten() | beam.io.WriteToText(out_path, shard_name_template="")
    decisions = {}
    with open(out_path, encoding="utf-8") as fh:
        for line in fh:
            i, kind, keeper, size = json.loads(line)
            decisions[i] = Decision(kind, keeper, size)
    os.remove(out_path)
    return decisions


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../shared/data"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-chars", type=int, default=100, help="skip bases shorter than this")
    ap.add_argument("--sweep", action="store_true", help="also try other settings")
    ap.add_argument("--no-beam", action="store_true", help="skip the Beam run of the defaults")
    ap.add_argument("--json", help="write all results here")
    args = ap.parse_args(argv)

    docs, info = build_corpus(args.data, args.seed, args.min_chars)
    print(f"corpus: {json.dumps(info)}")
    results: dict = {"corpus": info}
    defaults = parse_config({}).dedup
    k0, t0 = defaults.shingle_size, defaults.threshold

    # Difficulty of each variant type: true Jaccard with its base at the default shingle size.
    texts = {d.id: d.text for d in docs}
    jac: dict[str, list[float]] = defaultdict(list)
    jaccards: dict[str, float] = {}
    for d in docs:
        if d.kind in VARIANTS:
            jaccards[d.id] = true_jaccard(d.text, texts[d.origin], k0)
            jac[d.kind].append(jaccards[d.id])
    results["true_jaccard"] = {
        k: {"mean": round(sum(v) / len(v), 3), "min": round(min(v), 3)} for k, v in jac.items()
    }
    print(f"true Jaccard to base (k={k0}): {json.dumps(results['true_jaccard'])}")
    # Are any two bases genuine near-duplicates (would count as false positives)?
    base_docs = [d for d in docs if d.kind == "base"]
    sets = {d.id: char_shingles(normalize_text(d.text), k0) for d in base_docs}
    close = [
        (a.id, b.id, round(len(sets[a.id] & sets[b.id]) / len(sets[a.id] | sets[b.id]), 3))
        for a, b in itertools.combinations(base_docs, 2)
        if sets[a.id]
        and sets[b.id]
        and len(sets[a.id] & sets[b.id]) / len(sets[a.id] | sets[b.id]) >= 0.3
    ]
    results["base_pairs_jaccard_ge_0.3"] = close
    print(f"base pairs with Jaccard ≥ 0.3: {close}")
    # How hard are the negatives: the highest true Jaccard between two distinct documents.
    negs = [d for d in docs if d.kind in ("topic", "topic_short", "template", "base")]
    nsets = {d.id: char_shingles(normalize_text(d.text), k0) for d in negs}
    hardest: dict[str, float] = defaultdict(float)
    for a, b in itertools.combinations(negs, 2):
        if a.kind == b.kind and nsets[a.id] and nsets[b.id]:
            j = len(nsets[a.id] & nsets[b.id]) / len(nsets[a.id] | nsets[b.id])
            hardest[a.kind] = max(hardest[a.kind], round(j, 3))
    results["max_negative_pair_jaccard"] = dict(hardest)
    print(f"highest true Jaccard between distinct documents of one kind (k={k0}): {dict(hardest)}")

    grid: list[dict] = [{}]
    if args.sweep:
        grid += [
            {"shingle_size": k, "threshold": t}
            for k in (3, 5, 7, 9, 13)
            for t in (0.6, 0.7, 0.8)
            if (k, t) != (k0, t0)
        ]
        grid += [
            {"false_positive_weight": w, "false_negative_weight": round(1 - w, 2)}
            for w in (0.3, 0.2, 0.1)
        ]
        grid += [{"num_perm": 256}]
    results["runs"] = []
    for overrides in grid:
        params = params_for(overrides, args.seed)
        start = time.perf_counter()
        res = evaluate(docs, params, jaccards if params.shingle_size == k0 else None)
        res.update(
            overrides=overrides,
            bands=params.lsh.bands,
            rows=params.lsh.rows,
            seconds=round(time.perf_counter() - start, 1),
        )
        results["runs"].append(res)
        recall = res["pairwise_recall"]
        ok = all(recall[v] >= target for v, target in TARGETS.items())
        ok = ok and res["precision_min"] >= 0.99
        print(
            f"{json.dumps(overrides) if overrides else 'defaults'} "
            f"(b×r={params.lsh.bands}×{params.lsh.rows}) pairwise recall: "
            + " ".join(f"{v}={recall[v]:.3f}" for v in VARIANTS)
            + f" | precision(min)={res['precision_min']:.4f}"
            + f" | clustered: {res['clustered']['recall']}"
            + f" precision={res['clustered']['precision']:.4f}"
            + f" pair_precision={res['clustered']['pair_precision']:.4f}"
            + f" | {'MEETS TARGETS' if ok else 'below target'}"
        )
        if jaccards and params.shingle_size == k0:
            print(
                "   pairwise found / variants by true Jaccard: "
                f"{res['pairwise_found_by_true_jaccard']}"
            )
    if not args.no_beam:
        start = time.perf_counter()
        res = score(docs, run_beam(docs, {"run": {"seed": args.seed}}), jaccards)
        res["seconds"] = round(time.perf_counter() - start, 1)
        results["beam_defaults"] = res
        print(f"Beam, defaults, clustered run: {json.dumps(res, ensure_ascii=False)}")
        ref = results["runs"][0]["clustered"]
        same = ref["recall"] == res["recall"] and ref["removed"] == res["removed"]
        print(f"Beam result equals in-memory reference: {same}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
