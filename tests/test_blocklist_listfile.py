"""The list file: builder output round-trips through the loader; malformed lists fail with
an error naming the file and line; unknown algorithms are refused."""

from __future__ import annotations

import gzip
import io
import random
import re

import numpy as np
import pytest

from zhclean.filters.blocklist import BlocklistBuilder, BlocklistFormatError, BlocklistLoader
from zhclean.filters.blocklist.builder import (
    BlocklistInputError,
    iter_text_lines,
    read_digest_lines,
    read_documents_jsonl,
    read_plain_lines,
)
from zhclean.filters.blocklist.keys import digest_hex
from zhclean.filters.blocklist.listfile import format_entry, load_blocklists, parse_line
from zhclean.filters.normalize import normalize_text

GOOD = "url\txxh64:0123456789abcdef\tporn"


def _load(data: bytes, source: str = "list.txt", chunk_bytes: int = 1 << 20):
    loader = BlocklistLoader(chunk_bytes=chunk_bytes)
    loader.add_bytes(data, source)
    return loader.build()


def test_builder_output_round_trips_every_kind_and_algorithm():
    builder = BlocklistBuilder(paragraph_min_chars=5)
    builder.add_url("http://Example.com/a#x", "porn")
    builder.add_domain("*.bad.example", "spam")
    builder.add_document("這是一份被封鎖的文件。", None)
    builder.add_paragraph("这一段文字被列入封锁名单", "gambling")
    for algo in ("md5", "sha1", "sha256"):
        builder.add_digest("url", algo, digest_hex(algo, f"http://{algo}.example/"), "abuse")
    out = io.BytesIO()
    counts = builder.write(out)
    assert counts == {
        "url/xxh64": 1,
        "url/md5": 1,
        "url/sha1": 1,
        "url/sha256": 1,
        "domain/xxh64": 1,
        "document/xxh64": 1,
        "paragraph/xxh64": 1,
    }
    index = _load(out.getvalue())
    assert index.counts() == counts
    assert index.lookup("url", ["http://example.com/a"]) == "porn"
    assert index.lookup("domain", ["bad.example"]) == "spam"
    assert index.lookup("document", ["这是一份被封锁的文件"]) == "uncategorized"
    assert index.lookup("paragraph", ["这一段文字被列入封锁名单"]) == "gambling"
    for algo in ("md5", "sha1", "sha256"):
        assert index.lookup("url", [f"http://{algo}.example/"]) == "abuse"
    assert index.lookup("url", ["http://example.com/b"]) is None
    assert index.category_counts() == {
        "porn": 1,
        "spam": 1,
        "uncategorized": 1,
        "gambling": 1,
        "abuse": 3,
    }


def test_output_is_sorted_deterministic_and_first_category_wins():
    def build(order):
        builder = BlocklistBuilder()
        for url, category in order:
            builder.add_url(url, category)
        out = io.BytesIO()
        builder.write(out)
        return out.getvalue()

    entries = [(f"http://site{i}.example/", "porn" if i % 2 else "spam") for i in range(200)]
    data = build([*entries, ("http://site0.example/", "abuse")])
    assert data == build(entries)
    lines = [ln for ln in data.decode().splitlines() if not ln.startswith("#")]
    assert lines == sorted(lines)
    assert _load(data).lookup("url", ["http://site0.example/"]) == "spam"


def test_several_files_combine_and_the_first_listed_category_wins(tmp_path):
    key = "http://shared.example/"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt.gz"
    first.write_text(format_entry("url", "xxh64", digest_hex("xxh64", key), "abuse"))
    with gzip.open(second, "wt", encoding="utf-8") as fh:
        fh.write(format_entry("url", "xxh64", digest_hex("xxh64", key), "spam"))
        fh.write(format_entry("domain", "xxh64", digest_hex("xxh64", "only-b.example")))
    index = load_blocklists([str(first), str(second)])
    assert index.lookup("url", [key]) == "abuse"
    assert index.lookup("domain", ["only-b.example"]) == "uncategorized"
    assert index.counts() == {"url/xxh64": 1, "domain/xxh64": 1}


def test_lenient_layout_bom_crlf_spaces_comments_and_no_final_newline():
    data = (
        "\ufeff# header\r\n\r\n   \r\n  # indented comment\r\n"
        f"  {GOOD}  \r\n"
        "domain\tXXH64:00000000000000FF".replace("XXH64", "xxh64")
    ).encode()
    index = _load(data)
    assert index.counts() == {"url/xxh64": 1, "domain/xxh64": 1}
    assert int(index.tables["domain"][0].digests[0]) == 0xFF


def test_lookup_of_a_digest_ending_in_zero_bytes():
    key = next(
        f"http://k{i}.example/"
        for i in range(10_000)
        if digest_hex("md5", f"http://k{i}.example/").endswith("00")
    )
    other = key.replace("http://", "https://")
    builder = BlocklistBuilder()
    builder.add_key_digest("url", "md5", key, "zero")
    builder.add_key_digest("url", "md5", other, "other")
    out = io.BytesIO()
    builder.write(out)
    index = _load(out.getvalue())
    assert index.lookup("url", [key]) == "zero"
    assert index.lookup("url", ["http://nope.example/", other]) == "other"
    assert index.lookup("url", [key[:-1]]) is None


MALFORMED = [
    ("url xxh64:0123456789abcdef", "found 1 tab-separated field"),
    ("url\txxh64:0123456789abcdef\tporn\textra", "found 4 tab-separated field"),
    ("urls\txxh64:0123456789abcdef", "unknown kind 'urls'"),
    ("URL\txxh64:0123456789abcdef", "unknown kind 'URL'"),
    ("url\tcrc32:01234567", "unknown algorithm 'crc32'"),
    ("url\txxhash64:0123456789abcdef", "unknown algorithm 'xxhash64'"),
    ("url\t0123456789abcdef", "missing '<algo>:'"),
    ("url\txxh64:0123456789abcde", "must have 16 hex digits, found 15"),
    ("url\tmd5:0123456789abcdef", "must have 32 hex digits, found 16"),
    ("url\txxh64:0123456789abcdeg", "not hexadecimal: 'g' at position 16"),
    ("url\txxh64:0123456789abcdef\t", "category must be 1-64 bytes"),
    ("url\txxh64:0123456789abcdef\tporn spam", "contains whitespace"),
    ("url\txxh64:0123456789abcdef\t" + "x" * 65, "category must be 1-64 bytes"),
    ("near\txxh64:0123456789abcdef", "algorithm 'xxh64' is not valid for kind 'near'"),
    ("url\tminhash:" + "0" * 128, "algorithm 'minhash' is not valid for kind 'url'"),
    ("near\tminhash:" + "0" * 127, "8 hex digits per permutation"),
    ("near\tminhash:" + "0" * 64, "16-1024 permutations"),
    ("near\tminhash:" + "0" * 127 + "x", "not hexadecimal"),
]


@pytest.mark.parametrize(("line", "problem"), MALFORMED, ids=[m[1] for m in MALFORMED])
def test_malformed_line_names_file_and_line(line, problem):
    data = f"# comment\n\n{GOOD}\n{GOOD}\n{line}\n{GOOD}\n".encode()
    with pytest.raises(BlocklistFormatError) as info:
        _load(data, "lists/unsafe.txt")
    err = info.value
    assert (err.source, err.line) == ("lists/unsafe.txt", 5)
    assert str(err).startswith("lists/unsafe.txt:5: ")
    assert problem in str(err)
    with pytest.raises(ValueError, match=re.escape(problem.split(":")[0][:20])):
        parse_line(line)


def test_invalid_utf8_category_is_an_error():
    with pytest.raises(BlocklistFormatError, match=r"x\.txt:2: not valid UTF-8"):
        _load(GOOD.encode() + b"\nurl\txxh64:0123456789abcdef\t\xff\xfe\n", "x.txt")


def test_line_numbers_are_right_across_chunks():
    lines = [GOOD] * 5000
    lines[4321] = "url\tsha512:" + "0" * 128
    data = "\n".join(lines).encode()
    with pytest.raises(BlocklistFormatError) as info:
        _load(data, "big.txt", chunk_bytes=4096)
    assert info.value.line == 4322
    assert "unknown algorithm 'sha512'" in str(info.value)


def test_vectorised_parser_agrees_with_reference_parser():
    """Random mixes of good and damaged lines: the loader accepts a file exactly when every
    line passes the reference parser, and reports the first line that does not."""
    rng = random.Random(7)
    good = [
        "url\txxh64:00112233445566ff",
        "domain\tmd5:" + "a" * 32 + "\tspam",
        "document\tsha1:" + "B" * 40,
        "paragraph\tsha256:" + "c" * 64 + "\t色情",
        "near\tminhash:" + "0f" * 64 + "\tporn",
        "# comment",
        "",
    ]
    for trial in range(300):
        lines = [rng.choice(good) for _ in range(rng.randint(1, 12))]
        if trial % 3:
            i = rng.randrange(len(lines))
            chars = list(lines[i])
            for _ in range(rng.randint(1, 3)):
                op = rng.random()
                pos = rng.randrange(len(chars) + 1)
                if op < 0.4 and chars:
                    del chars[min(pos, len(chars) - 1)]
                elif op < 0.8:
                    chars.insert(pos, rng.choice("\t:x0 #gG中\r"))
                elif chars:
                    chars[min(pos, len(chars) - 1)] = rng.choice("\t:zZ9")
            lines[i] = "".join(chars)
        expected_line = None
        for number, line in enumerate(lines, start=1):
            try:
                parse_line(line)
            except ValueError:
                expected_line = number
                break
        data = "\n".join(lines).encode()
        if expected_line is None:
            _load(data)
        else:
            with pytest.raises(BlocklistFormatError) as info:
                _load(data)
            assert info.value.line == expected_line, lines


def test_near_signatures_must_agree_in_length():
    data = f"near\tminhash:{'01' * 64}\nnear\tminhash:{'01' * 128}\n".encode()
    expected = r"list\.txt:2: .*has 32 permutations.*list\.txt:1 has 16"
    with pytest.raises(BlocklistFormatError, match=expected):
        _load(data)


def test_builder_inputs_name_file_and_line():
    builder = BlocklistBuilder()
    lines = ["# urls", "http://ok.example/", "http://bad host/"]
    with pytest.raises(BlocklistInputError, match=r"u\.txt:3: invalid host"):
        read_plain_lines(builder, "url", lines, "u.txt")
    report = read_plain_lines(builder, "url", lines, "u.txt", skip_invalid=True)
    assert (report.added, report.skipped) == (1, 1)

    with pytest.raises(BlocklistInputError, match=r"d\.jsonl:2: invalid JSON"):
        read_documents_jsonl(builder, ['{"text": "好的文档"}', "{oops"], "d.jsonl")
    with pytest.raises(BlocklistInputError, match=r"d\.jsonl:1: .*string field 'text'"):
        read_documents_jsonl(builder, ['{"body": "x"}'], "d.jsonl")
    with pytest.raises(BlocklistInputError, match=r"p\.txt:1: paragraph shorter than 20"):
        read_plain_lines(builder, "paragraph", ["太短"], "p.txt")
    with pytest.raises(BlocklistInputError, match=r"h\.txt:2: md5 digest must have 32"):
        read_digest_lines(builder, "url", "md5", ["a" * 32, "abc"], "h.txt")
    report = read_digest_lines(
        builder, "url", "md5", ["md5:" + "A" * 32 + "  http://x/", "b" * 32], "h.txt"
    )
    assert report.added == 2
    with pytest.raises(BlocklistInputError, match=r"e\.txt:2: not valid UTF-8"):
        list(iter_text_lines(io.BytesIO(b"ok\n\xff\xfe\n"), "e.txt"))
    with pytest.raises(ValueError, match="unknown algorithm 'crc32'"):
        builder.add_digest("url", "crc32", "00000000")


def test_near_signature_is_datasketch_minhash_of_character_3grams():
    """The ``near``/``minhash`` format is defined as datasketch's MinHash (seed 1) over the
    UTF-8 character 3-grams of the normalised text, so third parties can produce it."""
    from datasketch import MinHash

    text = "這是一份被封鎖的文件，內容不安全。\n第二行也在這裡！"
    builder = BlocklistBuilder(near_min_chars=1, num_perm=64)
    builder.add_document(text, "porn")
    out = io.BytesIO()
    builder.write(out)
    line = next(ln for ln in out.getvalue().decode().splitlines() if ln.startswith("near\t"))
    stored = np.frombuffer(bytes.fromhex(line.split("\t")[1].split(":")[1]), dtype=">u4")

    normalized = normalize_text(text)
    reference = MinHash(num_perm=64, seed=1)
    for i in range(len(normalized) - 2):
        reference.update(normalized[i : i + 3].encode("utf-8"))
    assert stored.tolist() == reference.hashvalues.tolist()


def test_categories_stay_exact_even_if_their_hashes_collide(monkeypatch):
    from zhclean.filters.blocklist import listfile

    def collide(x):
        x[:] = 0
        return x

    monkeypatch.setattr(listfile, "_mix", collide)
    names = ["porn", "spam", "abuse", "porn", "色情"]
    data = "".join(
        format_entry("url", "xxh64", f"{i:016x}", name) for i, name in enumerate(names)
    ).encode()
    index = _load(data)
    table = index.tables["url"][0]
    assert [index.categories[c] for c in table.codes] == names
