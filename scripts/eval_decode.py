"""Measure the decode stage (CharsetDecoder) on the real evaluation pages.

Usage::

    .venv/bin/python scripts/eval_decode.py [--data /work/shared/data] [--repeat 20]

Part A, ``charset/chardet/`` (folders named by the true encoding): every file is decoded in
several scenarios: as published (prolog/meta declarations present), blind (declarations
stripped), and with lying HTTP charsets (iso-8859-1, utf-8, gbk, big5) on the stripped bytes.
A decode is correct when the text equals the strict decode with the folder's codec (GB2312 →
gb18030, Big5 → big5hkscs/cp950, ...). For the Japanese/Korean confusables we also report the
false-positive rate: decoded with a Chinese codec. Baselines on the blind scenario: cchardet
alone, charset_normalizer alone, and "declared or UTF-8" (what a naive reader does).

Part B, ``extraction_zh/original/`` (69 real Chinese pages, 47 GBK-family): how many decode
cleanly, with which codec and from which step, and how much of the hand-made gold text
(``cleaned/``) is found in the decoded page (multiset coverage of its non-space characters,
after HTML-unescaping the page). Run again with lying HTTP headers.

Part C: time per page (median of ``--repeat`` runs) for the declared-right path and for the
blind path, with ``bytes.decode`` of the right codec as the baseline.
"""

from __future__ import annotations

import argparse
import collections
import html
import random
import re
import statistics
import time
import tracemalloc
from pathlib import Path

import cchardet
import charset_normalizer

from zhclean.filters.charset_labels import codec_for_label, declared_in_document
from zhclean.filters.decode import CharsetDecoder
from zhclean.filters.document import Document

# Folder → (reference codec, codecs whose output we accept as the same text).
FOLDERS = {
    "GB2312": ("gb18030", {"gb18030", "gbk", "gb2312", "hz"}),
    "Big5": ("big5hkscs", {"big5hkscs", "big5", "cp950"}),
    "EUC-TW": (None, set()),
    "utf-8": ("utf-8", {"utf-8"}),
    "confusables/SHIFT_JIS": ("cp932", {"cp932", "shift_jis"}),
    "confusables/EUC-JP": ("euc_jp", {"euc_jp"}),
    "confusables/EUC-KR": ("cp949", {"cp949", "euc_kr"}),
    "confusables/CP949": ("cp949", {"cp949", "euc_kr"}),
    "confusables/iso-2022-jp": ("iso2022_jp_2", {"iso2022_jp", "iso2022_jp_2"}),
    "confusables/utf-8": ("utf-8", {"utf-8"}),
}
CHINESE_CODECS = {"gb18030", "gbk", "gb2312", "hz", "big5hkscs", "big5", "cp950"}

_XML_ENC = re.compile(rb"(<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']", re.I)
_META_CS = re.compile(rb"charset\s*=\s*[\"']?[\w.:-]+[\"']?", re.I)


def strip_declarations(raw: bytes) -> bytes:
    return _META_CS.sub(b"", _XML_ENC.sub(rb"\1", raw))


def reference_texts(raw: bytes, codecs_: set[str]) -> set[str]:
    out = set()
    for codec in codecs_:
        try:
            out.add(raw.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    return out


def run_decoder(decoder: CharsetDecoder, raw: bytes, http: str | None) -> Document:
    doc = Document(id="x", raw=raw, http_charset=http)
    verdict = decoder.check(doc)
    doc.signals["_keep"] = verdict.keep
    return doc


def decode_with(label: str | None, raw: bytes) -> str | None:
    if not label:
        return None
    try:
        return raw.decode(label, "replace")
    except LookupError:
        return None


def pct(num: int, den: int) -> str:
    return f"{num}/{den} ({100.0 * num / den:.0f}%)" if den else "-"


def part_a(data: Path, decoder: CharsetDecoder) -> None:
    root = data / "charset" / "chardet"
    scenarios = ["declared", "blind", "http=iso-8859-1", "http=utf-8", "http=gbk", "http=big5"]
    baselines = ["cchardet", "charset_normalizer", "declared-or-utf8"]
    rows = []
    fp = collections.Counter()
    fp_base = collections.Counter()
    n_conf = 0
    failures = []
    for folder, (_, accepted) in FOLDERS.items():
        files = sorted(p for p in (root / folder).glob("*") if p.is_file())
        correct = collections.Counter()
        for path in files:
            original = path.read_bytes()
            stripped = strip_declarations(original)
            confusable = folder.startswith("confusables/") and folder != "confusables/utf-8"
            n_conf += confusable
            for scenario in scenarios:
                raw = original if scenario == "declared" else stripped
                http = scenario.split("=", 1)[1] if scenario.startswith("http=") else None
                doc = run_decoder(decoder, raw, http)
                refs = reference_texts(raw, accepted)
                ok = doc.signals["_keep"] and doc.html in refs
                if not accepted:  # EUC-TW: no Python codec; the right answer is a drop
                    ok = not doc.signals["_keep"]
                correct[scenario] += ok
                if confusable and doc.encoding in CHINESE_CODECS:
                    fp[scenario] += 1
                if not ok:
                    failures.append(
                        f"  {folder}/{path.name} [{scenario}] → "
                        f"{doc.encoding if doc.signals['_keep'] else 'DROP'} "
                        f"via {doc.signals.get('charset_source')}"
                    )
            # Baselines, on the stripped bytes (blind).
            refs = reference_texts(stripped, accepted)
            guess = cchardet.detect(stripped).get("encoding")
            text = decode_with(guess, stripped)
            correct["cchardet"] += (text in refs) if accepted else guess is None
            fp_base["cchardet"] += confusable and _chinese_label(guess)
            best = charset_normalizer.from_bytes(stripped).best()
            cn = best.encoding if best else None
            text = decode_with(cn, stripped)
            correct["charset_normalizer"] += (text in refs) if accepted else cn is None
            fp_base["charset_normalizer"] += confusable and _chinese_label(cn)
            refs_o = reference_texts(original, accepted)
            declared = _first_declared(original) or "utf-8"
            text = decode_with(declared, original)
            correct["declared-or-utf8"] += (text in refs_o) if accepted else False
            fp_base["declared-or-utf8"] += confusable and _chinese_label(declared)
        rows.append((folder, len(files), correct))
    cols = scenarios + baselines
    print("\n## A. charset/chardet — decoded text identical to the folder's codec\n")
    print("| folder | files | " + " | ".join(cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    totals = collections.Counter()
    n_total = 0
    for folder, n, correct in rows:
        n_total += n
        totals.update(correct)
        print(f"| {folder} | {n} | " + " | ".join(f"{correct[c]}/{n}" for c in cols) + " |")
    print(f"| **all** | {n_total} | " + " | ".join(pct(totals[c], n_total) for c in cols) + " |")
    print(
        f"\nConfusables decoded as Chinese (false positives, {n_conf} Japanese/Korean files): "
        + ", ".join(f"{s} {fp[s]}/{n_conf}" for s in scenarios)
        + "; baselines "
        + ", ".join(f"{b} {fp_base[b]}/{n_conf}" for b in baselines)
    )
    if failures:
        print("\nDecoder misses:")
        print("\n".join(failures))


_TAG = re.compile(r"<[^>]*>|&[#\w]+;")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
SNIPPET_FOLDERS = [
    "GB2312",
    "Big5",
    "confusables/SHIFT_JIS",
    "confusables/EUC-JP",
    "confusables/EUC-KR",
    "confusables/CP949",
]


def snippets(data: Path, length: int, per_file: int = 5):
    """Blind test cases: ``length``-character slices of the pages' text, re-encoded."""
    root = data / "charset" / "chardet"
    for folder in SNIPPET_FOLDERS:
        ref, accepted = FOLDERS[folder]
        for path in sorted(p for p in (root / folder).glob("*") if p.is_file()):
            text = strip_declarations(path.read_bytes()).decode(ref)
            plain = _SPACE.sub(" ", _TAG.sub(" ", text))
            starts = [m.start() for m in _CJK.finditer(plain)]
            taken = 0
            pos = starts[0] if starts else len(plain)
            while taken < per_file and pos + length <= len(plain):
                piece = plain[pos : pos + length].encode(ref, "ignore")
                yield folder, piece, accepted
                taken += 1
                nxt = [s for s in starts if s >= pos + length]
                if not nxt:
                    break
                pos = nxt[0]


def part_a2(data: Path, decoder: CharsetDecoder) -> None:
    print("\n## A2. Blind detection on short text (slices of the pages' text, no markup)\n")
    print(
        "| chars | cases zh / ja+ko | ours zh | ours ja+ko | ours ja/ko→zh | cchardet zh "
        "| cchardet ja+ko | cchardet ja/ko→zh | charset_normalizer zh | charset_normalizer ja+ko "
        "| charset_normalizer ja/ko→zh |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for length in (8, 16, 32, 64, 128, 256):
        n = collections.Counter()
        ok = collections.Counter()
        fp = collections.Counter()
        for folder, raw, accepted in snippets(data, length):
            group = "zh" if folder in ("GB2312", "Big5") else "jk"
            n[group] += 1
            refs = reference_texts(raw, accepted)
            doc = run_decoder(decoder, raw, None)
            ok["ours", group] += bool(doc.signals["_keep"] and doc.html in refs)
            fp["ours"] += group == "jk" and doc.encoding in CHINESE_CODECS
            guess = cchardet.detect(raw).get("encoding")
            ok["cchardet", group] += decode_with(guess, raw) in refs
            fp["cchardet"] += group == "jk" and _chinese_label(guess)
            best = charset_normalizer.from_bytes(raw).best()
            cn = best.encoding if best else None
            ok["cn", group] += decode_with(cn, raw) in refs
            fp["cn"] += group == "jk" and _chinese_label(cn)
        cells = [f"{length}", f"{n['zh']} / {n['jk']}"]
        for who in ("ours", "cchardet", "cn"):
            cells += [pct(ok[who, "zh"], n["zh"]), pct(ok[who, "jk"], n["jk"])]
            cells.append(pct(fp[who], n["jk"]))
        print("| " + " | ".join(cells) + " |")


def _chinese_label(label: str | None) -> bool:
    if not label:
        return False
    key = re.sub(r"[^a-z0-9]", "", label.lower())
    return key.startswith(("gb", "big5", "cp936", "cp950", "hz"))


def _first_declared(raw: bytes) -> str | None:
    """The first XML/meta declaration, mapped like the decoder maps labels, not validated."""
    for label in declared_in_document(raw, 8192):
        codec = codec_for_label(label, in_document=True)
        if codec:
            return codec
    return None


_SPACE = re.compile(r"\s+")


def gold_coverage(gold: str, page: str) -> float:
    gold_chars = collections.Counter(_SPACE.sub("", gold))
    if not gold_chars:
        return 1.0
    page_chars = collections.Counter(_SPACE.sub("", html.unescape(page)))
    found = sum((gold_chars & page_chars).values())
    return found / sum(gold_chars.values())


def part_b(data: Path, decoder: CharsetDecoder) -> None:
    root = data / "extraction_zh"
    pages = sorted((root / "original").glob("*.html"))
    print(f"\n## B. extraction_zh — {len(pages)} real Chinese pages, gold text coverage\n")
    scenarios = [None, "meta stripped", "iso-8859-1", "utf-8", "gbk", "big5", "shift_jis", "euc-kr"]
    print(
        "| HTTP charset given | kept | encodings | sources | declared rejected "
        "| gold coverage mean (GBK / UTF-8) | pages < 0.95 |"
    )
    print("|---|---:|---|---|---:|---|---:|")
    base_rows = []
    for http in scenarios:
        kept = 0
        enc = collections.Counter()
        src = collections.Counter()
        rejected = 0
        cov = {"gbk": [], "utf8": []}
        low = []
        for path in pages:
            raw = path.read_bytes()
            is_utf8 = _is_utf8(raw)
            if http == "meta stripped":
                doc = run_decoder(decoder, strip_declarations(raw), None)
            else:
                doc = run_decoder(decoder, raw, http)
            gold = (root / "cleaned" / (path.stem + ".txt")).read_text("utf-8")
            if doc.signals["_keep"]:
                kept += 1
                enc[doc.encoding] += 1
                src[doc.signals["charset_source"]] += 1
                c = gold_coverage(gold, doc.html)
            else:
                c = 0.0
            rejected += "charset_rejected" in doc.signals
            cov["utf8" if is_utf8 else "gbk"].append(c)
            if c < 0.95:
                low.append(f"{path.stem[:8]}={c:.2f}")
        gbk, utf8 = cov["gbk"], cov["utf8"]
        print(
            f"| {http or '(none)'} | {kept}/{len(pages)} | {_fmt(enc)} | {_fmt(src)} | {rejected} "
            f"| {statistics.mean(gbk):.4f} (n={len(gbk)}) / {statistics.mean(utf8):.4f} "
            f"(n={len(utf8)}) | {len(low)} {' '.join(low)} |"
        )
        if http is None:
            base_rows = _baselines_b(root, pages)
    print("\nBaselines (no HTTP charset): gold coverage mean (GBK pages / UTF-8 pages)")
    for name, gbk, utf8 in base_rows:
        print(f"- {name}: {gbk:.4f} / {utf8:.4f}")


def _baselines_b(root: Path, pages: list[Path]) -> list[tuple[str, float, float]]:
    out = []
    for name in ("cchardet", "charset_normalizer", "declared-or-utf8"):
        cov = {"gbk": [], "utf8": []}
        for path in pages:
            raw = path.read_bytes()
            if name == "cchardet":
                label = cchardet.detect(raw).get("encoding")
            elif name == "charset_normalizer":
                best = charset_normalizer.from_bytes(raw).best()
                label = best.encoding if best else None
            else:
                label = _first_declared(raw) or "utf-8"
            text = decode_with(label, raw) or ""
            gold = (root / "cleaned" / (path.stem + ".txt")).read_text("utf-8")
            cov["utf8" if _is_utf8(raw) else "gbk"].append(gold_coverage(gold, text))
        out.append((name, statistics.mean(cov["gbk"]), statistics.mean(cov["utf8"])))
    return out


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fmt(counter: collections.Counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in counter.most_common())


def _as_single_bytes(raw: bytes) -> str:
    """``raw`` read as windows-1252 (Latin-1 for its 5 unmapped bytes): a double-encoding bug."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in raw
    )


def damaged_cases(root: Path) -> list[tuple[str, bytes, str, str]]:
    """``(kind, bytes, true page text, gold text)`` built from the real pages."""
    cases = []
    pages = sorted((root / "original").glob("*.html"))
    gbk_golds = []
    for path in pages:
        raw = path.read_bytes()
        gold = (root / "cleaned" / (path.stem + ".txt")).read_text("utf-8")
        if not _is_utf8(raw):
            gbk_golds.append(gold)
    for i, path in enumerate(pages):
        raw = path.read_bytes()
        gold = (root / "cleaned" / (path.stem + ".txt")).read_text("utf-8")
        utf8 = _is_utf8(raw)
        text = raw.decode("utf-8") if utf8 else raw.decode("gb18030", "replace")
        if utf8:
            # a GBK-encoded block (another page's gold text, 300 chars) pasted into the body
            block = gbk_golds[i % len(gbk_golds)][:300]
            at = raw.rfind(b"</body>")
            at = at if at > 0 else len(raw)
            encoded = block.encode("gb18030")
            mixed = raw[:at] + b"<div>" + encoded + b"</div>" + raw[at:]
            cases.append(("mixed UTF-8 page + GBK block", mixed, text, gold + block))
            cases.append(
                ("UTF-8 double-encoded", _as_single_bytes(raw).encode("utf-8"), text, gold)
            )
        else:
            cases.append(("GBK double-encoded", _as_single_bytes(raw).encode("utf-8"), text, gold))
        cut = len(raw) * 2 // 3
        while cut < len(raw) and raw[cut] < 0x80:
            cut += 1  # cut inside a multibyte character
        cases.append(("truncated mid-character", raw[: cut + 1], text, ""))
    rng = random.Random(0)
    for _ in range(20):
        cases.append(("random binary 4 KB", rng.randbytes(4096), "", ""))
    png = b"\x89PNG\r\n\x1a\n" + rng.randbytes(8192)
    cases.append(("PNG-like binary", png, "", ""))
    return cases


def part_d(data: Path, decoder: CharsetDecoder) -> None:
    root = data / "extraction_zh"
    no_repair = CharsetDecoder(
        max_replacement_ratio=decoder.max_replacement_ratio,
        max_mojibake_ratio=decoder.max_mojibake_ratio,
        max_garbled_ratio=decoder.max_garbled_ratio,
        repair=False,
    )
    print("\n## D. Damaged pages built from extraction_zh (no HTTP charset)\n")
    print(
        "| case | n | kept | repaired | gold coverage mean "
        "| kept, repair off | coverage, repair off |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows: dict[str, list] = collections.defaultdict(list)
    for kind, raw, _, gold in damaged_cases(root):
        doc = run_decoder(decoder, raw, None)
        plain = run_decoder(no_repair, raw, None)
        rows[kind].append((doc, plain, gold))
    for kind, items in rows.items():
        n = len(items)
        kept = sum(d.signals["_keep"] for d, _, _ in items)
        kept_plain = sum(p.signals["_keep"] for _, p, _ in items)
        repaired = sum("charset_repair" in d.signals for d, _, _ in items)
        if any(g for _, _, g in items):
            cov = statistics.mean(gold_coverage(g, d.html or "") for d, _, g in items)
            cov_plain = statistics.mean(gold_coverage(g, p.html or "") for _, p, g in items)
            cov_s, cov_plain_s = f"{cov:.4f}", f"{cov_plain:.4f}"
        else:
            tails = sum("\ufffd" in (d.html or "")[-5:] for d, _, _ in items)
            cov_s = f"U+FFFD at end: {tails}" if kind.startswith("trunc") else "-"
            cov_plain_s = "-"
        print(f"| {kind} | {n} | {kept} | {repaired} | {cov_s} | {kept_plain} | {cov_plain_s} |")


def part_c(data: Path, decoder: CharsetDecoder, repeat: int) -> None:
    root = data / "extraction_zh" / "original"
    pages = [p.read_bytes() for p in sorted(root.glob("*.html"))]
    cases = []
    for raw in pages:
        doc = run_decoder(decoder, raw, None)
        if doc.signals["_keep"]:
            cases.append((raw, doc.encoding))
    size = statistics.median(len(raw) for raw, _ in cases)
    print(
        f"\n## C. speed — {len(cases)} pages (median {size / 1000:.0f} KB), one core, "
        f"median of {repeat} runs per page\n"
    )
    print("| path | median µs/page | pages/s | median µs per 50 KB | vs bytes.decode |")
    print("|---|---:|---:|---:|---:|")
    baseline = _per_page(lambda raw, enc: raw.decode(enc, "replace"), cases, repeat)
    stripped = {id(raw): strip_declarations(raw) for raw, _ in cases}
    for name, http in (
        ("declared right (HTTP = true codec)", True),
        ("no HTTP, meta used", None),
        ("no HTTP, meta stripped (detector)", "strip"),
        ("lying HTTP iso-8859-1", "iso-8859-1"),
    ):

        def run(raw, enc, http=http):
            if http == "strip":
                doc = Document(id="x", raw=stripped[id(raw)])
            else:
                doc = Document(id="x", raw=raw, http_charset=enc if http is True else http)
            decoder.check(doc)

        times = _per_page(run, cases, repeat)
        _row(name, times, cases, baseline)
    _row("baseline: bytes.decode(true codec)", baseline, cases, baseline)
    largest = max((raw for raw, _ in cases), key=len)
    tracemalloc.start()
    decoder.check(Document(id="x", raw=strip_declarations(largest)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"\nPeak Python memory for the largest page ({len(largest) / 1000:.0f} KB, detector "
        f"path): {peak / 1e6:.1f} MB"
    )


def _per_page(fn, cases, repeat: int) -> list[float]:
    out = []
    for raw, enc in cases:
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(raw, enc)
            samples.append(time.perf_counter() - t0)
        out.append(statistics.median(samples))
    return out


def _row(name: str, times: list[float], cases, baseline: list[float]) -> None:
    per50 = [t / len(raw) * 50_000 for t, (raw, _) in zip(times, cases, strict=True)]
    ratio = statistics.median(t / b for t, b in zip(times, baseline, strict=True))
    median = statistics.median(times)
    print(
        f"| {name} | {median * 1e6:.0f} | {1 / median:.0f} | "
        f"{statistics.median(per50) * 1e6:.0f} | {ratio:.1f}× |"
    )


def summary(data: Path, decoder: CharsetDecoder) -> dict[str, str]:
    """Headline numbers of parts A, A2, B and D for one decoder (used by --sweep)."""
    root = data / "charset" / "chardet"
    ok = n = fp = n_conf = 0
    for folder, (_, accepted) in FOLDERS.items():
        if not accepted:
            continue
        confusable = folder.startswith("confusables/") and folder != "confusables/utf-8"
        for path in sorted(p for p in (root / folder).glob("*") if p.is_file()):
            original = path.read_bytes()
            stripped = strip_declarations(original)
            for raw, http in [(original, None), (stripped, None)] + [
                (stripped, lie) for lie in ("iso-8859-1", "utf-8", "gbk", "big5")
            ]:
                doc = run_decoder(decoder, raw, http)
                n += 1
                ok += bool(doc.signals["_keep"] and doc.html in reference_texts(raw, accepted))
                n_conf += confusable
                fp += confusable and doc.encoding in CHINESE_CODECS
    short = collections.Counter()
    for length in (32, 64):
        for folder, raw, accepted in snippets(data, length):
            group = "zh" if folder in ("GB2312", "Big5") else "jk"
            doc = run_decoder(decoder, raw, None)
            short["n" + group] += 1
            short["ok" + group] += bool(
                doc.signals["_keep"] and doc.html in reference_texts(raw, accepted)
            )
            short["fp"] += group == "jk" and doc.encoding in CHINESE_CODECS
    ex = data / "extraction_zh"
    covs = []
    kept_b = n_b = 0
    for path in sorted((ex / "original").glob("*.html")):
        raw = path.read_bytes()
        gold = (ex / "cleaned" / (path.stem + ".txt")).read_text("utf-8")
        for body, http in [
            (raw, None),
            (strip_declarations(raw), None),
            (raw, "iso-8859-1"),
            (raw, "utf-8"),
            (raw, "gbk"),
        ]:
            doc = run_decoder(decoder, body, http)
            n_b += 1
            kept_b += doc.signals["_keep"]
            covs.append(gold_coverage(gold, doc.html) if doc.signals["_keep"] else 0.0)
    damaged = [c for c in damaged_cases(ex) if c[3]]
    binary = [c for c in damaged_cases(ex) if "binary" in c[0]]
    d_cov = statistics.mean(
        gold_coverage(g, run_decoder(decoder, raw, None).html or "") for _, raw, _, g in damaged
    )
    b_drop = sum(not run_decoder(decoder, raw, None).signals["_keep"] for _, raw, _, _ in binary)
    return {
        "A exact (6 scenarios)": pct(ok, n),
        "A ja/ko→zh": f"{fp}/{n_conf}",
        "A2 zh ≤64 chars": pct(short["okzh"], short["nzh"]),
        "A2 ja/ko ≤64": pct(short["okjk"], short["njk"]),
        "A2 ja/ko→zh": pct(short["fp"], short["njk"]),
        "B kept": pct(kept_b, n_b),
        "B coverage": f"{statistics.mean(covs):.4f}",
        "D coverage": f"{d_cov:.4f}",
        "binary dropped": f"{b_drop}/{len(binary)}",
    }


def sweep(data: Path) -> None:
    print("\n## Threshold sweep\n")
    rows = []
    for repl, moji, garbled in [
        (0.002, 0.05, 0.2),
        (0.005, 0.05, 0.2),
        (0.01, 0.05, 0.2),
        (0.02, 0.05, 0.2),
        (0.05, 0.05, 0.2),
        (0.01, 0.02, 0.2),
        (0.01, 0.1, 0.2),
        (0.01, 0.2, 0.2),
        (0.01, 0.05, 0.1),
        (0.01, 0.05, 0.4),
    ]:
        decoder = CharsetDecoder(
            max_replacement_ratio=repl, max_mojibake_ratio=moji, max_garbled_ratio=garbled
        )
        rows.append(((repl, moji, garbled), summary(data, decoder)))
    keys = list(rows[0][1])
    print("| replacement / mojibake / garbled | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for (repl, moji, garbled), res in rows:
        print(f"| {repl} / {moji} / {garbled} | " + " | ".join(res[k] for k in keys) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--max-replacement-ratio", type=float, default=0.01)
    parser.add_argument("--max-mojibake-ratio", type=float, default=0.05)
    parser.add_argument("--max-garbled-ratio", type=float, default=0.2)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="only the threshold sweep")
    args = parser.parse_args()
    if args.sweep:
        sweep(args.data)
        return
    decoder = CharsetDecoder(
        max_replacement_ratio=args.max_replacement_ratio,
        max_mojibake_ratio=args.max_mojibake_ratio,
        max_garbled_ratio=args.max_garbled_ratio,
    )
    part_a(args.data, decoder)
    part_a2(args.data, decoder)
    part_b(args.data, decoder)
    part_d(args.data, decoder)
    if not args.skip_speed:
        part_c(args.data, decoder, args.repeat)


if __name__ == "__main__":
    main()
