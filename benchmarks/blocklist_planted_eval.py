"""Blocklist recall on planted items and false blocks on real Chinese text.

Uses the evaluation data (``--data``, read-only, never copied): the 100 Common Crawl documents
of ``cc_zh_sample``, the 69 gold article texts of ``extraction_zh/cleaned``, the COLD and
waimai_10k short texts of ``quality_zh``, and the 14.6k-line illegal-host list of
``lexicon/.../非法网址.txt`` (a real, messy domain list: trailing spaces, ports, paths).

A list is built with the real builder from: the domain list (category ``illegal``), 10 CC
documents (``document`` + ``near``, category ``porn``), the URLs of 10 others (written in
variant spellings), and one long line of each of 10 further documents (``paragraph``). Planted
probes: the listed documents in Traditional script, 5%-edited copies of them, the listed URLs
in other spellings, subdomains of listed hosts, and new texts containing a listed paragraph.
Everything else is the "clean" set; a block there is reported with its reason (a CC page
hosted on a listed illegal domain is a true block, shown separately).

    .venv/bin/python benchmarks/blocklist_planted_eval.py --data /work/shared/data
"""

from __future__ import annotations

import argparse
import csv
import glob
import io
import json
import os
import random
import sys
import time

import opencc

from zhclean.filters.blocklist import BlocklistBuilder, BlocklistLoader, make_rules
from zhclean.filters.blocklist.builder import iter_text_lines, read_plain_lines
from zhclean.filters.blocklist.keys import normalized_lines
from zhclean.filters.blocklist.urls import normalize_url, url_lookup_keys
from zhclean.filters.document import Document


def _edit(text: str, fraction: float, rng: random.Random) -> str:
    chars = list(text)
    pool = [c for c in text if "\u4e00" <= c <= "\u9fff"] or ["字"]
    for _ in range(max(1, int(len(chars) * fraction))):
        pos = rng.randrange(len(chars))
        op = rng.random()
        if op < 1 / 3:
            chars[pos] = rng.choice(pool)
        elif op < 2 / 3:
            chars.insert(pos, rng.choice(pool))
        else:
            del chars[pos]
    return "".join(chars)


def _variant(url: str, rng: random.Random) -> str:
    norm = normalize_url(url)
    host = norm.host.upper() if rng.random() < 0.5 else norm.host
    scheme = "https" if norm.scheme == "http" else "http"
    return f"{scheme.upper()}://{host}{':' + norm.port if norm.port else ''}{norm.path_query}#frag"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    s2t = opencc.OpenCC("s2t")

    cc_path = os.path.join(args.data, "cc_zh_sample/2021-43/cleared1.jsonl")
    with open(cc_path, encoding="utf-8") as fh:
        cc = [json.loads(line) for line in fh]
    cc_docs = [(r["url"], r["raw_content"]) for r in cc]
    gold = []
    for path in sorted(glob.glob(os.path.join(args.data, "extraction_zh/cleaned/*.txt"))):
        with open(path, encoding="utf-8") as fh:
            gold.append(("", fh.read()))
    short = []
    with open(
        os.path.join(args.data, "quality_zh/COLDataset/test.csv"), encoding="utf-8-sig"
    ) as fh:
        short += [("", row["TEXT"]) for row in csv.DictReader(fh)]
    with open(
        os.path.join(args.data, "quality_zh/ChineseNlpCorpus/waimai_10k.csv"), encoding="utf-8"
    ) as fh:
        short += [("", row["review"]) for row in csv.DictReader(fh)]

    order = list(range(len(cc_docs)))
    rng.shuffle(order)
    listed_docs = [cc_docs[i] for i in order[:10]]
    listed_urls = [cc_docs[i] for i in order[10:20]]
    para_sources = [cc_docs[i] for i in order[20:30]]
    rest_cc = [cc_docs[i] for i in order[30:]]

    started = time.perf_counter()
    builder = BlocklistBuilder()
    domain_file = glob.glob(os.path.join(args.data, "lexicon/*/Vocabulary/非法网址.txt"))[0]
    with open(domain_file, "rb") as fh:
        domain_report = read_plain_lines(
            builder, "domain", iter_text_lines(fh, domain_file), domain_file, "illegal", True
        )
    for _, text in listed_docs:
        builder.add_document(text, "porn")
    for url, _ in listed_urls:
        builder.add_url(_variant(url, rng), "abuse")
    paragraphs = []
    for _, text in para_sources:
        line = max(text.splitlines(), key=len)
        paragraphs.append(line)
        builder.add_paragraph(line, "gambling")
    out = io.BytesIO()
    counts = builder.write(out)
    loader = BlocklistLoader()
    loader.add_bytes(out.getvalue(), "eval-list")
    rules = make_rules(loader.build())
    build_seconds = time.perf_counter() - started

    with open(domain_file, encoding="utf-8") as fh:
        hosts = [ln.strip() for ln in fh if ln.strip()]
    # (kind, probe, accepted reasons): a Traditional copy is an exact match unless OpenCC's
    # s2t→t2s round trip is not the identity on it (想象→想像, 于→於), then the near index.
    planted: list[tuple[str, Document, tuple[str, ...]]] = []
    for i, (_, text) in enumerate(listed_docs):
        trad = Document(id=f"trad{i}", url="", text=s2t.convert(text))
        planted.append(("traditional copy", trad, ("document", "near")))
        edited = Document(id=f"edit{i}", url="", text=_edit(text, 0.05, rng))
        planted.append(("5%-edited copy", edited, ("near",)))
    for i, (url, _) in enumerate(listed_urls):
        planted.append(("url", Document(id=f"url{i}", url=url, text="任意内容"), ("url",)))
    for i, host in enumerate(rng.sample(hosts, 50)):
        sub = f"http://sub{i}.{host.split('/')[0].split(':')[0].split('//')[-1]}/page"
        planted.append(("subdomain", Document(id=f"dom{i}", url=sub, text=""), ("domain",)))
    for i, line in enumerate(paragraphs):
        _, host_text = rest_cc[i]
        text = host_text[:300] + "\n" + s2t.convert(line) + "\n" + host_text[300:600]
        planted.append(("paragraph", Document(id=f"para{i}", url="", text=text), ("paragraph",)))

    def first_drop(doc: Document) -> tuple[str, str] | None:
        for rule in rules:
            verdict = rule.check(doc)
            if not verdict.keep:
                return verdict.reason, verdict.detail
        return None

    recall: dict[str, list[int]] = {}
    misses = []
    reasons: dict[str, dict[str, int]] = {}
    for kind, doc, accepted in planted:
        got = first_drop(doc)
        hit = got is not None and got[0] in accepted
        by_reason = reasons.setdefault(kind, {})
        by_reason[got[0] if got else "kept"] = by_reason.get(got[0] if got else "kept", 0) + 1
        recall.setdefault(kind, [0, 0])[0] += hit
        recall[kind][1] += 1
        if not hit:
            misses.append((doc.id, got))

    clean_sets = {
        "cc_zh_sample (not listed)": rest_cc,
        "extraction_zh gold texts": gold,
        "COLD + waimai_10k short texts": short,
    }
    false_blocks: dict[str, list] = {}
    true_domain_blocks = []
    started = time.perf_counter()
    n_clean = 0
    for name, docs in clean_sets.items():
        for i, (url, text) in enumerate(docs):
            n_clean += 1
            got = first_drop(Document(id=f"{name}:{i}", url=url, text=text))
            if got is None:
                continue
            if got == ("domain", "illegal"):
                true_domain_blocks.append(url)
            else:
                false_blocks.setdefault(name, []).append((i, url, got, text[:60]))
    match_seconds = time.perf_counter() - started
    paragraphs_checked = sum(
        sum(len(k) >= 20 for k in normalized_lines(t))
        for docs in clean_sets.values()
        for _, t in docs
    )
    report = {
        "list_entries": counts,
        "domain_lines": {"added": domain_report.added, "skipped": domain_report.skipped},
        "build_and_load_seconds": round(build_seconds, 2),
        "planted_recall": {k: f"{h}/{n}" for k, (h, n) in recall.items()},
        "planted_reasons": reasons,
        "planted_misses": misses,
        "clean_documents": n_clean,
        "clean_paragraph_lookups": paragraphs_checked,
        "false_blocks": {k: len(v) for k, v in false_blocks.items()},
        "false_block_examples": {k: v[:5] for k, v in false_blocks.items()},
        "cc_pages_on_listed_illegal_domains": true_domain_blocks,
        "clean_docs_per_s": round(n_clean / match_seconds),
        "url_keys_example": url_lookup_keys(listed_urls[0][0])[0],
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if not misses and not false_blocks else 1


if __name__ == "__main__":
    sys.exit(main())
