"""The blocklist file format: parsing (fast, vectorised, strict) and line formatting.

Text, UTF-8, one entry per line; blank lines and lines starting with ``#`` are ignored;
spaces and CR at either end of a line are ignored::

    <kind>\\t<algo>:<hexdigest>[\\t<category>]

- kind: ``url`` | ``domain`` | ``document`` | ``paragraph`` (exact digests) or ``near``
  (MinHash signature of a blocked document, for the fuzzy index);
- algo: ``xxh64`` (16 hex digits), ``md5`` (32), ``sha1`` (40), ``sha256`` (64) for the exact
  kinds; ``minhash`` for ``near`` (8 hex digits per permutation, 16–1024 permutations);
- category: optional, 1–64 bytes of UTF-8 without whitespace or control characters;
  entries without one are counted as ``uncategorized``.

A malformed line stops loading with :class:`BlocklistFormatError` naming the file and line;
an unknown kind or algorithm is an error, never skipped. A digest listed twice keeps the
category of its first occurrence (files in the order given).

Parsing works on whole chunks of lines with NumPy (no Python loop per entry), so a 10-million
line list loads in seconds; :func:`parse_line` is the slow reference used for error messages.
"""

from __future__ import annotations

import gzip
import io
import os
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np

from zhclean.filters.blocklist.index import UNCATEGORIZED, BlocklistIndex, DigestTable, NearTable
from zhclean.filters.blocklist.keys import ALGO_HEX_CHARS, EXACT_KINDS, KINDS, NEAR_ALGO

__all__ = [
    "MAX_CATEGORY_BYTES",
    "BlocklistFormatError",
    "BlocklistLoader",
    "format_entry",
    "load_blocklists",
    "parse_line",
    "validate_category",
]

MAX_CATEGORY_BYTES = 64
MIN_NEAR_PERM, MAX_NEAR_PERM = 16, 1024
_ALGOS = (*ALGO_HEX_CHARS, NEAR_ALGO)
_CHUNK_BYTES = 16 << 20
_PAD = 80  # ≥ longest fixed field window (64 hex digits, 64-byte category) + 1
_BOM = b"\xef\xbb\xbf"
_HEX_LUT = np.full(256, 255, dtype=np.uint8)
for _i, _ch in enumerate(b"0123456789abcdef"):
    _HEX_LUT[_ch] = _i
for _i, _ch in enumerate(b"ABCDEF"):
    _HEX_LUT[_ch] = 10 + _i
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_FORMAT = "expected <kind>\\t<algo>:<hexdigest>[\\t<category>]"


class BlocklistFormatError(ValueError):
    """A list file that cannot be used; the message names the file and line."""

    def __init__(self, source: str, line: int, message: str, text: str = "") -> None:
        self.source, self.line, self.problem = source, line, message
        shown = f" (line: {text[:120]!r})" if text else ""
        super().__init__(f"{source}:{line}: {message}{shown}")


def validate_category(name: str) -> str:
    """Return ``name`` if it is a valid category, else raise ValueError saying why."""
    size = len(name.encode("utf-8"))
    if not 1 <= size <= MAX_CATEGORY_BYTES:
        raise ValueError(f"category must be 1-{MAX_CATEGORY_BYTES} bytes of UTF-8, got {size}")
    for ch in name:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise ValueError(f"category {name!r} contains whitespace or a control character")
    return name


def parse_line(text: str) -> tuple[str, str, str, str | None] | None:
    """Reference parser of one line: ``(kind, algo, hexdigest, category)``, or None for a
    blank/comment line. Raises ValueError with the problem."""
    text = text.rstrip(" \r\n").lstrip(" ")
    if not text or text.startswith("#"):
        return None
    fields = text.split("\t")
    if not 2 <= len(fields) <= 3:
        raise ValueError(f"{_FORMAT}, found {len(fields)} tab-separated field(s)")
    kind, digest = fields[0], fields[1]
    category = fields[2] if len(fields) == 3 else None
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    algo, colon, hexdigest = digest.partition(":")
    if not colon:
        raise ValueError(f"{_FORMAT}: missing '<algo>:' before the digest")
    if algo not in _ALGOS:
        raise ValueError(
            f"unknown algorithm {algo!r} (expected one of {', '.join(ALGO_HEX_CHARS)}, "
            f"or {NEAR_ALGO} for kind near)"
        )
    if (kind == "near") != (algo == NEAR_ALGO):
        raise ValueError(f"algorithm {algo!r} is not valid for kind {kind!r}")
    if algo == NEAR_ALGO:
        perms, rest = divmod(len(hexdigest), 8)
        if rest or not MIN_NEAR_PERM <= perms <= MAX_NEAR_PERM:
            raise ValueError(
                f"minhash signature must have 8 hex digits per permutation and "
                f"{MIN_NEAR_PERM}-{MAX_NEAR_PERM} permutations, found {len(hexdigest)} digits"
            )
    elif len(hexdigest) != ALGO_HEX_CHARS[algo]:
        raise ValueError(
            f"{algo} digest must have {ALGO_HEX_CHARS[algo]} hex digits, found {len(hexdigest)}"
        )
    for pos, ch in enumerate(hexdigest):
        if ch not in _HEXDIGITS:
            raise ValueError(f"digest is not hexadecimal: {ch!r} at position {pos + 1}")
    if category is not None:
        validate_category(category)
    return kind, algo, hexdigest.lower(), category


def format_entry(kind: str, algo: str, hexdigest: str, category: str | None = None) -> str:
    """One list line (with its newline)."""
    tail = f"\t{category}" if category else ""
    return f"{kind}\t{algo}:{hexdigest}{tail}\n"


def _strip_lines(a: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
    """Move ``starts``/``ends`` past spaces (and trailing CR) at both ends, in place."""
    active = np.flatnonzero(ends > starts)
    while active.size:
        last = a[ends[active] - 1]
        active = active[(last == 13) | (last == 32)]
        ends[active] -= 1
        active = active[ends[active] > starts[active]]
    active = np.flatnonzero(ends > starts)
    while active.size:
        active = active[a[starts[active]] == 32]
        starts[active] += 1
        active = active[ends[active] > starts[active]]


_KIND_LENGTHS = tuple(sorted({len(k) for k in KINDS}))
_ALGO_LENGTHS = tuple(sorted({len(k) for k in _ALGOS}))
# Digest length per algorithm code (index -1, for unknown algorithms, is never used unmasked).
_HEX_LENGTHS = np.array([*ALGO_HEX_CHARS.values(), 0, 0], dtype=np.int64)


def _first_separator(
    a: np.ndarray, begin: np.ndarray, end: np.ndarray, lengths: tuple[int, ...], byte: int
) -> np.ndarray:
    """Position of ``byte`` after a field of one of ``lengths`` (the shortest that fits), else
    ``end``. A position past the line end is harmless: the field then contains the line break,
    so no name matches it."""
    found = end
    for length in sorted(lengths, reverse=True):  # the shortest fitting length wins
        pos = begin + length
        found = np.where(a[pos] == byte, pos, found)
    return found


_LENGTH_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)


class _Names:
    """Fast lookup of short ASCII names (kinds, algorithms) in the byte buffer."""

    def __init__(self, names: tuple[str, ...]) -> None:
        raws = [n.encode("ascii") for n in names]
        words = np.array([int.from_bytes(r[:8].ljust(8, b"\0"), "little") for r in raws], np.uint64)
        self.order = np.argsort(words)
        self.words = words[self.order]
        self.lengths = np.array([len(r) for r in raws], dtype=np.int64)
        self.tails = {code: r[8:] for code, r in enumerate(raws) if len(r) > 8}

    def match(
        self, a: np.ndarray, win: np.ndarray, begin: np.ndarray, lengths: np.ndarray
    ) -> np.ndarray:
        """Index of the name at ``begin`` of ``lengths`` bytes, -1 when none: the first 8 bytes
        masked to the field length are one word, found by binary search; then the length and
        any bytes beyond the eighth are checked."""
        words = win[begin, :8].copy().view("<u8").ravel()
        words &= _LENGTH_MASKS[np.clip(lengths, 0, 8)]
        pos = np.minimum(self.words.searchsorted(words), len(self.words) - 1)
        codes = self.order[pos]
        ok = (self.words[pos] == words) & (self.lengths[codes] == lengths)
        for code, tail in self.tails.items():
            rows = np.flatnonzero(ok & (codes == code))
            for offset, byte in enumerate(tail, start=8):
                ok[rows[a[begin[rows] + offset] != byte]] = False
        return np.where(ok, codes, -1).astype(np.int8)


_KIND_NAMES = _Names(KINDS)
_ALGO_NAMES = _Names(_ALGOS)


def _mix(x: np.ndarray) -> np.ndarray:
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> np.uint64(33)
    return x


def _iter_chunks(stream: BinaryIO, chunk_bytes: int) -> Iterator[bytes]:
    """Complete lines in chunks of about ``chunk_bytes`` (each chunk ends with ``\\n``)."""
    rest = b""
    data = stream.read(chunk_bytes)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    while data:
        buf = rest + data
        cut = buf.rfind(b"\n")
        if cut < 0:
            rest = buf
        else:
            chunk, rest = buf[: cut + 1], buf[cut + 1 :]
            yield chunk
        data = stream.read(chunk_bytes)
    if rest:
        yield rest + b"\n"


class BlocklistLoader:
    """Reads list files (streams) and combines them into one :class:`BlocklistIndex`.

    ``near_threshold`` configures the fuzzy table; ``load_near=False`` skips ``near`` entries
    (fuzzy matching disabled; they are still validated). All ``near`` signatures must have the
    same number of permutations.
    """

    def __init__(
        self,
        near_threshold: float = 0.5,
        load_near: bool = True,
        chunk_bytes: int = _CHUNK_BYTES,
    ) -> None:
        self.near_threshold = near_threshold
        self.load_near = load_near
        self.chunk_bytes = chunk_bytes
        self._categories: dict[str, int] = {}
        self._parts: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
        self._near: list[tuple[np.ndarray, int, str, int]] = []  # signature, code, source, line
        self.lines_read = 0

    # -- input -------------------------------------------------------------------------------

    def add_stream(self, stream: BinaryIO, source: str) -> None:
        """Parse one list file from a binary stream; ``source`` names it in errors."""
        line = 1
        for chunk in _iter_chunks(stream, self.chunk_bytes):
            line += self._parse_chunk(chunk, line, source)
        self.lines_read += line - 1

    def add_path(self, path: str | os.PathLike[str]) -> None:
        """Parse a local list file (gzip-compressed when its name ends in ``.gz``)."""
        opener = gzip.open if os.fspath(path).endswith(".gz") else open
        with opener(path, "rb") as fh:
            self.add_stream(fh, os.fspath(path))

    def add_bytes(self, data: bytes, source: str = "<bytes>") -> None:
        self.add_stream(io.BytesIO(data), source)

    def _category_code(self, name: str) -> int:
        code = self._categories.get(name)
        if code is None:
            code = self._categories[name] = len(self._categories)
            if code >= 2**16:
                raise ValueError(f"more than {2**16} distinct categories")
        return code

    def _parse_chunk(self, buf: bytes, first_line: int, source: str) -> int:
        """Parse complete lines; returns how many lines the chunk had.

        The structure is checked without searching for separators: the first tab must follow
        one of the kind names, the colon one of the algorithm names, and the digest has the
        algorithm's length, after which comes the end of the line or a tab and a category.
        Every field is then validated exactly (names, hex digits, category), so a line that
        passes is well formed; the first line that does not is explained by
        :func:`parse_line`.
        """
        size = len(buf)
        a = np.frombuffer(buf + b"\0" * _PAD, dtype=np.uint8)
        ends = np.flatnonzero(a[:size] == 10)
        if not len(ends):
            return 0
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        _strip_lines(a, starts, ends)
        entry_lines = np.flatnonzero((ends > starts) & (a[starts] != ord("#")))
        if not len(entry_lines):
            return len(ends)
        s, e = starts[entry_lines], ends[entry_lines]
        win = np.lib.stride_tricks.sliding_window_view(a, _PAD)

        t1 = _first_separator(a, s, e, _KIND_LENGTHS, 9)
        kind = _KIND_NAMES.match(a, win, s, t1 - s)
        colon = _first_separator(a, t1 + 1, e, _ALGO_LENGTHS, 58)
        algo = _ALGO_NAMES.match(a, win, t1 + 1, colon - t1 - 1)
        bad = (kind < 0) | (algo < 0)
        is_near = kind == KINDS.index("near")
        bad |= is_near != (algo == _ALGOS.index(NEAR_ALGO))
        t2 = colon + 1 + _HEX_LENGTHS[algo]
        for row in np.flatnonzero(is_near & ~bad):  # variable length: find the tab
            tab = buf.find(b"\t", int(colon[row]), int(e[row]))
            t2[row] = e[row] if tab < 0 else tab
        bad |= t2 > e
        t2 = np.minimum(t2, e)
        has_cat = t2 < e
        bad |= has_cat & (a[t2] != 9)
        cat_len = e - t2 - 1
        bad |= has_cat & ((cat_len < 1) | (cat_len > MAX_CATEGORY_BYTES))

        codes = np.full(len(s), self._category_code(UNCATEGORIZED), dtype=np.uint16)
        with_cat = np.flatnonzero(has_cat & ~bad)
        if len(with_cat):
            self._categorise(buf, win, t2[with_cat] + 1, cat_len[with_cat], with_cat, codes, bad)

        parts: list[tuple[tuple[str, str], np.ndarray, np.ndarray]] = []
        for k, kind_name in enumerate(EXACT_KINDS):
            for g, algo_name in enumerate(ALGO_HEX_CHARS):
                rows = np.flatnonzero((kind == k) & (algo == g) & ~bad)
                if not len(rows):
                    continue
                width = ALGO_HEX_CHARS[algo_name]
                nibbles = _HEX_LUT[win[colon[rows] + 1, :width]]
                bad_hex = (nibbles > 15).any(axis=1)
                if bad_hex.any():
                    bad[rows[bad_hex]] = True
                    continue  # the chunk is rejected below
                raw = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
                if algo_name == "xxh64":
                    digests = raw.view(">u8").ravel().astype(np.uint64)
                else:
                    digests = np.ascontiguousarray(raw).view(f"S{width // 2}").ravel()
                parts.append(((kind_name, algo_name), digests, codes[rows]))

        near: list[tuple[np.ndarray, int, str, int]] = []
        for row in np.flatnonzero(is_near & ~bad):
            text = buf[colon[row] + 1 : t2[row]]
            perms, rest = divmod(len(text), 8)
            try:
                if rest or not MIN_NEAR_PERM <= perms <= MAX_NEAR_PERM:
                    raise ValueError
                sig = np.frombuffer(bytes.fromhex(text.decode("ascii")), dtype=">u4")
            except ValueError:
                bad[row] = True
                continue
            if self.load_near:
                line = first_line + int(entry_lines[row])
                near.append((sig.astype(np.uint32), int(codes[row]), source, line))

        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            self._raise_for(buf, starts, int(entry_lines[row]), first_line, source)
        for key, digests, part_codes in parts:
            self._parts.setdefault(key, []).append((digests, part_codes))
        self._near.extend(near)
        return len(ends)

    def _categorise(
        self,
        buf: bytes,
        win: np.ndarray,
        begin: np.ndarray,
        length: np.ndarray,
        rows: np.ndarray,
        codes: np.ndarray,
        bad: np.ndarray,
    ) -> None:
        """Map each category field to a code: hash the bytes, decode each distinct one."""
        width = -(-int(length.max()) // 8) * 8
        field = win[begin, :width].copy()
        field[np.arange(width)[None, :] >= length[:, None]] = 0
        words = field.view("<u8")
        h = length.astype(np.uint64)
        for col in range(words.shape[1]):
            h ^= words[:, col]
            _mix(h)
        uniq, first, inverse = np.unique(h, return_index=True, return_inverse=True)
        # Exact, not just hashed: a field that differs from its hash group's first field (a
        # 64-bit collision) is looked up on its own.
        representative = first[inverse]
        same = (field == field[representative]).all(axis=1) & (length == length[representative])
        mapped = np.empty(len(uniq), dtype=np.uint16)
        invalid = np.zeros(len(uniq), dtype=bool)
        for u in range(len(uniq)):
            mapped[u], invalid[u] = self._decode_category(buf, begin[first[u]], length[first[u]])
        codes[rows] = mapped[inverse]
        bad[rows[invalid[inverse]]] = True
        for i in np.flatnonzero(~same):
            codes[rows[i]], invalid_row = self._decode_category(buf, begin[i], length[i])
            bad[rows[i]] |= invalid_row

    def _decode_category(self, buf: bytes, begin: int, length: int) -> tuple[int, bool]:
        """``(code, invalid)`` of the category bytes at ``buf[begin:begin+length]``."""
        try:
            name = validate_category(buf[begin : begin + length].decode("utf-8"))
        except ValueError:
            return 0, True
        return self._category_code(name), False

    @staticmethod
    def _raise_for(
        buf: bytes, starts: np.ndarray, index: int, first_line: int, source: str
    ) -> None:
        end = buf.find(b"\n", int(starts[index]))
        raw = buf[int(starts[index]) : end]
        text = raw.decode("utf-8", "replace")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise BlocklistFormatError(
                source, first_line + index, f"not valid UTF-8 (byte {err.start + 1})", text
            ) from None
        try:
            parse_line(text)
            problem = f"malformed line ({_FORMAT})"
        except ValueError as err:
            problem = str(err)
        raise BlocklistFormatError(source, first_line + index, problem, text)

    # -- output ------------------------------------------------------------------------------

    def build(self) -> BlocklistIndex:
        """Sort and deduplicate every table; build the fuzzy index."""
        categories = tuple(self._categories) or (UNCATEGORIZED,)
        code_dtype = np.uint8 if len(categories) <= 256 else np.uint16
        tables: dict[str, list[DigestTable]] = {}
        order = {
            key: i for i, key in enumerate((k, a) for k in EXACT_KINDS for a in ALGO_HEX_CHARS)
        }
        for (kind, algo), parts in sorted(self._parts.items(), key=lambda item: order[item[0]]):
            digests = np.concatenate([p[0] for p in parts])
            codes = np.concatenate([p[1] for p in parts]).astype(code_dtype)
            if len(digests) > 1 and not bool(np.all(digests[:-1] < digests[1:])):
                order = np.argsort(digests, kind="stable")
                digests, codes = digests[order], codes[order]
                first = np.empty(len(digests), dtype=bool)
                first[0] = True
                np.not_equal(digests[1:], digests[:-1], out=first[1:])
                digests, codes = digests[first], codes[first]
            tables.setdefault(kind, []).append(DigestTable(kind, algo, digests, codes))
        self._parts.clear()
        near = None
        if self._near:
            near = self._build_near(code_dtype)
        return BlocklistIndex(
            categories=categories,
            tables={kind: tuple(ts) for kind, ts in tables.items()},
            near=near,
        )

    def _build_near(self, code_dtype: type) -> NearTable:
        num_perm = len(self._near[0][0])
        for sig, _, source, line in self._near:
            if len(sig) != num_perm:
                first = self._near[0]
                raise BlocklistFormatError(
                    source,
                    line,
                    f"near signature has {len(sig)} permutations, but the one at "
                    f"{first[2]}:{first[3]} has {num_perm}; all must have the same",
                )
        signatures = np.stack([sig for sig, *_ in self._near])
        codes = np.array([code for _, code, *_ in self._near], dtype=code_dtype)
        self._near.clear()
        return NearTable.build(signatures, codes, self.near_threshold)


def load_blocklists(
    paths: list[str], near_threshold: float = 0.5, load_near: bool = True
) -> BlocklistIndex:
    """Load and combine local list files (``.gz`` files are decompressed)."""
    loader = BlocklistLoader(near_threshold=near_threshold, load_near=load_near)
    for path in paths:
        loader.add_path(path)
    return loader.build()
