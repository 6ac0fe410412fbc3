"""Building a list file from plaintext inputs (URLs, domains, documents, paragraphs) or from
third-party digests, with the same normalisation the matcher uses.

The builder keeps digests in compact arrays (not Python sets of strings), writes entries sorted
by kind, algorithm and digest (so the loader skips sorting and the output is deterministic),
and formats the lines with NumPy. Inputs are streams: the CLI opens the files.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from zhclean.filters.blocklist.keys import (
    ALGO_HEX_CHARS,
    EXACT_KINDS,
    NEAR_ALGO,
    digest_bytes,
    document_key,
    paragraph_keys,
    xxh64_int,
)
from zhclean.filters.blocklist.listfile import validate_category
from zhclean.filters.blocklist.minhash import minhash_signature
from zhclean.filters.blocklist.urls import normalize_domain, normalize_url

__all__ = [
    "BlocklistBuilder",
    "BlocklistInputError",
    "InputReport",
    "iter_text_lines",
    "read_digest_lines",
    "read_documents_jsonl",
    "read_plain_lines",
]

_HEX_CHARS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_WRITE_ROWS = 1 << 20


class BlocklistInputError(ValueError):
    """A builder input line that cannot be turned into an entry; names the file and line."""

    def __init__(self, source: str, line: int, message: str) -> None:
        self.source, self.line = source, line
        super().__init__(f"{source}:{line}: {message}")


@dataclass
class InputReport:
    """What one input file contributed: entries added, lines skipped (with the first few)."""

    source: str
    added: int = 0
    skipped: int = 0
    examples: list[str] = field(default_factory=list)

    def reject(self, number: int, message: str, skip_invalid: bool, keep: int = 5) -> None:
        """A bad input line: raise it as :class:`BlocklistInputError` naming file and line, or,
        with ``skip_invalid``, count it (keeping the first ``keep`` messages)."""
        error = BlocklistInputError(self.source, number, message)
        if not skip_invalid:
            raise error from None
        self.skipped += 1
        if len(self.examples) < keep:
            self.examples.append(str(error))


class BlocklistBuilder:
    """Collects entries and writes a list file in the documented format.

    ``paragraph_min_chars`` must be ≥ the matcher's ``blocklist.paragraph_min_chars`` (shorter
    paragraphs are never looked up); documents get a MinHash ``near`` entry of ``num_perm``
    permutations when ``with_near`` and their normalised text has ≥ ``near_min_chars``
    characters. A digest added twice keeps its first category.
    """

    def __init__(
        self,
        paragraph_min_chars: int = 20,
        with_near: bool = True,
        num_perm: int = 128,
        near_min_chars: int = 50,
    ) -> None:
        self.paragraph_min_chars = paragraph_min_chars
        self.with_near = with_near
        self.num_perm = num_perm
        self.near_min_chars = near_min_chars
        self._categories: dict[str | None, int] = {None: 0}
        self._xxh: dict[str, tuple[array, array]] = {}
        self._raw: dict[tuple[str, str], tuple[list[bytes], array]] = {}
        self._near: list[tuple[np.ndarray, int]] = []
        self.added: Counter[str] = Counter()

    def _code(self, category: str | None) -> int:
        code = self._categories.get(category)
        if code is None:
            validate_category(category or "")
            code = self._categories[category] = len(self._categories)
        return code

    def _add_xxh64(self, kind: str, key: str, category: str | None) -> None:
        digests, codes = self._xxh.setdefault(kind, (array("Q"), array("H")))
        digests.append(xxh64_int(key))
        codes.append(self._code(category))
        self.added[kind] += 1

    def add_url(self, url: str, category: str | None = None) -> str:
        """Add a URL; returns its normalised form. Raises InvalidUrlError."""
        key = normalize_url(url).key()
        self._add_xxh64("url", key, category)
        return key

    def add_domain(self, domain: str, category: str | None = None) -> str:
        """Add a domain (host, ``*.host``, ``host:port``, or a URL's host). Raises
        InvalidUrlError."""
        host = normalize_domain(domain)
        self._add_xxh64("domain", host, category)
        return host

    def add_document(self, text: str, category: str | None = None) -> bool:
        """Add a document's exact key (and its MinHash); False if nothing is left after
        normalisation."""
        key = document_key(text)
        if not key:
            return False
        self._add_xxh64("document", key, category)
        if self.with_near and len(key) >= self.near_min_chars:
            self._near.append((minhash_signature(key, self.num_perm), self._code(category)))
            self.added["near"] += 1
        return True

    def add_paragraph(self, text: str, category: str | None = None) -> bool:
        """Add one paragraph; False if its normalised form is shorter than the minimum."""
        keys = paragraph_keys(text, self.paragraph_min_chars)
        for key in keys:
            self._add_xxh64("paragraph", key, category)
        return bool(keys)

    def add_digest(self, kind: str, algo: str, hexdigest: str, category: str | None = None) -> None:
        """Add a third-party digest of a key normalised by our rules."""
        if kind not in EXACT_KINDS:
            raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(EXACT_KINDS)})")
        width = ALGO_HEX_CHARS.get(algo)
        if width is None:
            raise ValueError(f"unknown algorithm {algo!r} (expected {', '.join(ALGO_HEX_CHARS)})")
        hexdigest = hexdigest.strip().lower()
        if len(hexdigest) != width:
            raise ValueError(f"{algo} digest must have {width} hex digits, found {len(hexdigest)}")
        try:
            raw = bytes.fromhex(hexdigest)
        except ValueError:
            raise ValueError(f"digest {hexdigest!r} is not hexadecimal") from None
        if algo == "xxh64":
            digests, codes = self._xxh.setdefault(kind, (array("Q"), array("H")))
            digests.append(int.from_bytes(raw, "big"))
        else:
            raws, codes = self._raw.setdefault((kind, algo), ([], array("H")))
            raws.append(raw)
        codes.append(self._code(category))
        self.added[kind] += 1

    def add_key_digest(self, kind: str, algo: str, key: str, category: str | None = None) -> None:
        """Add the ``algo`` digest of an already normalised key (tests, conversions)."""
        self.add_digest(kind, algo, digest_bytes(algo, key).hex(), category)

    # -- output ------------------------------------------------------------------------------

    def _groups(self) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
        groups = []
        for kind in EXACT_KINDS:
            for algo in ALGO_HEX_CHARS:
                if algo == "xxh64" and kind in self._xxh:
                    digests = np.frombuffer(self._xxh[kind][0], dtype=np.uint64)
                    codes = np.frombuffer(self._xxh[kind][1], dtype=np.uint16)
                    raw = digests.astype(">u8").view(np.uint8).reshape(-1, 8)
                elif (kind, algo) in self._raw:
                    raws, code_array = self._raw[(kind, algo)]
                    width = ALGO_HEX_CHARS[algo] // 2
                    digests = np.array(raws, dtype=f"S{width}")
                    codes = np.frombuffer(code_array, dtype=np.uint16)
                    raw = np.frombuffer(digests.tobytes(), dtype=np.uint8).reshape(-1, width)
                else:
                    continue
                order = np.argsort(digests, kind="stable")
                sorted_digests = digests[order]
                first = np.ones(len(order), dtype=bool)
                first[1:] = sorted_digests[1:] != sorted_digests[:-1]
                keep = order[first]
                groups.append((kind, algo, raw[keep], codes[keep]))
        return groups

    def counts(self) -> dict[str, int]:
        """Distinct entries per ``kind/algo`` that :meth:`write` writes."""
        out = {f"{k}/{a}": len(raw) for k, a, raw, _ in self._groups()}
        if self._near:
            out[f"near/{NEAR_ALGO}"] = len(self._near)
        return out

    def write(self, out: BinaryIO, header: Iterable[str] = ()) -> dict[str, int]:
        """Write the list (comment header, then sorted entries); return entries per group."""
        groups = self._groups()
        counts = {f"{k}/{a}": len(raw) for k, a, raw, _ in groups}
        if self._near:
            counts[f"near/{NEAR_ALGO}"] = len(self._near)
        lines = [
            '# zhclean blocklist; format and normalisation: README section "Blocklist"',
            "# <kind>\\t<algo>:<hexdigest>[\\t<category>]",
            *header,
            "# entries: " + (", ".join(f"{k}={n}" for k, n in counts.items()) or "none"),
        ]
        out.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
        suffixes = [b"\n"] + [f"\t{c}\n".encode() for c in list(self._categories)[1:]]
        for kind, algo, raw, codes in groups:
            for start in range(0, len(raw), _WRITE_ROWS):
                block = _format_block(
                    f"{kind}\t{algo}:".encode(),
                    raw[start : start + _WRITE_ROWS],
                    codes[start : start + _WRITE_ROWS],
                    suffixes,
                )
                out.write(block)
        names = list(self._categories)
        for signature, code in self._near:
            hexsig = signature.astype(">u4").tobytes().hex()
            tail = f"\t{names[code]}" if names[code] else ""
            out.write(f"near\t{NEAR_ALGO}:{hexsig}{tail}\n".encode())
        return counts


def _format_block(
    prefix: bytes, raw: np.ndarray, codes: np.ndarray, suffixes: list[bytes]
) -> bytes:
    """Lines ``prefix + hex(raw row) + suffixes[code]`` built as one byte matrix."""
    rows, width = raw.shape
    head = len(prefix) + 2 * width
    suffix_len = np.array([len(s) for s in suffixes], dtype=np.int64)
    matrix = np.zeros((rows, head + int(suffix_len.max())), dtype=np.uint8)
    matrix[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    matrix[:, len(prefix) : head : 2] = _HEX_CHARS[raw >> 4]
    matrix[:, len(prefix) + 1 : head : 2] = _HEX_CHARS[raw & 15]
    for code in np.unique(codes):
        suffix = np.frombuffer(suffixes[code], dtype=np.uint8)
        matrix[codes == code, head : head + len(suffix)] = suffix
    lengths = head + suffix_len[codes]
    mask = np.arange(matrix.shape[1])[None, :] < lengths[:, None]
    return matrix[mask].tobytes()


def iter_text_lines(stream: BinaryIO, source: str) -> Iterator[str]:
    """Lines of a UTF-8 byte stream (BOM skipped); an undecodable line is an error naming
    the file and line."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise BlocklistInputError(
                source, number, f"not valid UTF-8 (byte {err.start + 1})"
            ) from None


def _content_lines(stream: Iterable[str]) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            yield number, text


def read_plain_lines(
    builder: BlocklistBuilder,
    kind: str,
    stream: Iterable[str],
    source: str,
    category: str | None = None,
    skip_invalid: bool = False,
) -> InputReport:
    """One URL, domain or paragraph per line (blank and ``#`` lines ignored)."""
    report = InputReport(source)
    add = {"url": builder.add_url, "domain": builder.add_domain}.get(kind)
    for number, text in _content_lines(stream):
        try:
            if add is not None:
                add(text, category)
            elif not builder.add_paragraph(text, category):
                raise ValueError(
                    f"paragraph shorter than {builder.paragraph_min_chars} normalised "
                    "characters (it would never match)"
                )
            report.added += 1
        except ValueError as err:
            report.reject(number, f"{err}: {text[:120]!r}", skip_invalid)
    return report


def read_documents_jsonl(
    builder: BlocklistBuilder,
    stream: Iterable[str],
    source: str,
    category: str | None = None,
    skip_invalid: bool = False,
) -> InputReport:
    """JSON Lines with a ``text`` field (and optionally a ``category`` field that overrides
    ``category``)."""
    report = InputReport(source)
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"invalid JSON: {err.msg} (column {err.colno})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError("expected a JSON object with a string field 'text'")
            doc_category = record.get("category", category)
            if doc_category is not None and not isinstance(doc_category, str):
                raise ValueError("field 'category' must be a string")
            if not builder.add_document(record["text"], doc_category):
                raise ValueError("text is empty after normalisation")
            report.added += 1
        except ValueError as err:
            report.reject(number, str(err), skip_invalid)
    return report


def read_digest_lines(
    builder: BlocklistBuilder,
    kind: str,
    algo: str,
    stream: Iterable[str],
    source: str,
    category: str | None = None,
    skip_invalid: bool = False,
) -> InputReport:
    """Third-party digests as delivered: one hex digest per line (an ``algo:`` prefix and
    anything after the first whitespace are ignored)."""
    report = InputReport(source)
    for number, text in _content_lines(stream):
        digest = text.split()[0]
        if digest.lower().startswith(f"{algo}:"):
            digest = digest[len(algo) + 1 :]
        try:
            builder.add_digest(kind, algo, digest, category)
            report.added += 1
        except ValueError as err:
            report.reject(number, str(err), skip_invalid)
    return report
