"""URL and domain normalisation: the one implementation used by the builder and the matcher.

A blocklist entry is a digest of a normalised key, so two spellings of the same address must
normalise to the same string, and the builder and the matcher must agree byte for byte. The
rules (README "Blocklist") are, for a URL:

1. Leading/trailing whitespace is stripped; tab, CR and LF inside are removed.
2. A URL without ``scheme://`` gets ``http://`` (``//host/x`` gets ``http:``).
3. Scheme and host are lowercased; userinfo (``user:pass@``) and the fragment are removed.
4. Host: leading and trailing dots removed; a non-ASCII host is converted to its ASCII
   (IDNA, ``xn--``) form (an ideographic full stop ``。`` separates labels).
5. Default ports are removed (http 80, https 443, ftp 21, ws 80, wss 443); other ports are
   kept as decimal without leading zeros.
6. Path: empty becomes ``/``; ``.`` and ``..`` segments are resolved.
7. Percent-encoding of path and query: escapes of unreserved characters (``A-Z a-z 0-9 - . _
   ~``) are decoded, every other escape is written with uppercase hex; characters that are
   neither unreserved nor reserved (non-ASCII, space, controls, ``" < > \\ ^ ` { | }``) are
   percent-encoded as UTF-8; a ``%`` not followed by two hex digits becomes ``%25``.
8. An empty query (a trailing ``?``) is removed; a non-empty query is kept in its order.

A domain (builder input) is a host, optionally written as ``*.host``, ``.host``, ``host:port``,
``host/path`` or a full URL; it normalises to the host of rule 4. At match time the host of a
document's URL and every parent domain (``a.b.example.com``, ``b.example.com``,
``example.com``, ``com``) are looked up.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "InvalidUrlError",
    "NormalizedUrl",
    "host_and_parents",
    "normalize_domain",
    "normalize_host",
    "normalize_url",
    "url_lookup_keys",
]

DEFAULT_PORTS = {"http": "80", "https": "443", "ftp": "21", "ws": "80", "wss": "443"}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_INNER_WHITESPACE = re.compile(r"[\t\r\n]")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_RESERVED = frozenset(b":/?#[]@!$&'()*+,;=")
_HEX = frozenset(b"0123456789abcdefABCDEF")
# Unreserved and reserved characters only, no '%': rule 7 leaves such a string unchanged.
_ALREADY_CANONICAL = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*")
_HOST_CHARS = re.compile(r"^[a-z0-9_\-.]+$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_HOST_DOTS = str.maketrans({"。": ".", "．": ".", "｡": "."})


class InvalidUrlError(ValueError):
    """The string cannot be normalised into a URL or domain (no host, bad port, ...)."""


@dataclass(frozen=True)
class NormalizedUrl:
    """The parts of a normalised URL; :meth:`key` is the string that is hashed."""

    scheme: str
    host: str
    port: str  # "" when absent or default
    path_query: str  # path plus "?query" when the query is not empty

    def key(self) -> str:
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{self.host}{port}{self.path_query}"

    def with_scheme(self, scheme: str) -> NormalizedUrl:
        """The same URL under another scheme (an explicit port that is that scheme's default
        is dropped)."""
        port = self.port
        if port == DEFAULT_PORTS.get(scheme):
            port = ""
        return NormalizedUrl(scheme, self.host, port, self.path_query)


def normalize_host(host: str) -> str:
    """Lowercase, no leading/trailing dots, IDNA ``xn--`` form for non-ASCII labels."""
    host = host.strip().translate(_HOST_DOTS).strip(".")
    if not host:
        raise InvalidUrlError("empty host")
    host = host.lower() if host.isascii() else _idna(host)
    if not (_HOST_CHARS.match(host) or _IPV6.match(host)) or ".." in host:
        raise InvalidUrlError(f"invalid host {host!r}")
    return host


def _idna(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label.lower())
            continue
        try:
            labels.append(label.encode("idna").decode("ascii"))
        except UnicodeError:
            # Labels nameprep refuses (too long, prohibited code points): plain punycode of
            # the NFKC-lowercased label, still deterministic on both sides.
            folded = unicodedata.normalize("NFKC", label).lower()
            labels.append("xn--" + folded.encode("punycode").decode("ascii"))
    return ".".join(labels).lower()


def _split_authority(authority: str, scheme: str) -> tuple[str, str]:
    authority = authority.rpartition("@")[2]
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            raise InvalidUrlError("unterminated IPv6 host")
        host, rest = authority[: end + 1].lower(), authority[end + 1 :]
        if rest and not rest.startswith(":"):
            raise InvalidUrlError(f"invalid authority {authority!r}")
        port = rest[1:]
    else:
        host, _, port = authority.partition(":")
    if port:
        if not port.isascii() or not port.isdigit():
            raise InvalidUrlError(f"invalid port {port!r}")
        port = str(int(port))
    if port == DEFAULT_PORTS.get(scheme):
        port = ""
    return normalize_host(host), port


def _normalize_percent(part: str) -> str:
    """Rule 7: one canonical percent-encoding for a path or query string."""
    if _ALREADY_CANONICAL.fullmatch(part):
        return part
    raw = part.encode("utf-8", "surrogatepass")
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        b = raw[i]
        if b == 0x25:  # '%'
            if i + 2 < n and raw[i + 1] in _HEX and raw[i + 2] in _HEX:
                value = int(raw[i + 1 : i + 3], 16)
                if value in _UNRESERVED:
                    out.append(value)
                else:
                    out += b"%%%02X" % value
                i += 3
                continue
            out += b"%25"
        elif b in _UNRESERVED or b in _RESERVED:
            out.append(b)
        else:
            out += b"%%%02X" % b
        i += 1
    return out.decode("ascii")


def _remove_dot_segments(path: str) -> str:
    if "/." not in path:
        return path
    segments = path.split("/")
    output: list[str] = []
    for segment in segments[1:]:
        if segment == ".":
            continue
        if segment == "..":
            if output:
                output.pop()
            continue
        output.append(segment)
    if segments[-1] in (".", ".."):
        output.append("")
    return "/" + "/".join(output)


def _parse(url: str) -> NormalizedUrl:
    url = _INNER_WHITESPACE.sub("", url.strip())
    if not url:
        raise InvalidUrlError("empty URL")
    match = _SCHEME.match(url)
    if match:
        scheme, rest = match.group(1).lower(), url[match.end() :]
    else:
        scheme, rest = "http", url[2:] if url.startswith("//") else url
    cut = len(rest)
    for sep in "/?#":
        pos = rest.find(sep)
        if 0 <= pos < cut:
            cut = pos
    authority, tail = rest[:cut], rest[cut:]
    host, port = _split_authority(authority, scheme)
    tail = tail.partition("#")[0]
    path, has_query, query = tail.partition("?")
    path = _remove_dot_segments(_normalize_percent(path) or "/")
    query = _normalize_percent(query) if has_query else ""
    return NormalizedUrl(scheme, host, port, f"{path}?{query}" if query else path)


def normalize_url(url: str) -> NormalizedUrl:
    """Normalise ``url`` by the rules in the module docstring; raise :class:`InvalidUrlError`."""
    return _parse(url)


@functools.lru_cache(maxsize=64)
def url_lookup_keys(url: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys looked up for a document URL: ``(url keys, domain keys)``.

    URL keys are the normalised URL plus its http/https twin: a listed URL is blocked under
    both schemes (the same page is served by both, and lists are often written without a
    scheme, which normalises to ``http``). Domain keys are the host and every parent domain.
    Cached for the few most recent URLs, so the URL and domain rules parse a URL once.
    """
    norm = _parse(url)
    keys = [norm.key()]
    twin = {"http": "https", "https": "http"}.get(norm.scheme)
    if twin:
        keys.append(norm.with_scheme(twin).key())
    return tuple(keys), tuple(host_and_parents(norm.host))


def normalize_domain(text: str) -> str:
    """Builder input → host: accepts ``host``, ``*.host``, ``.host``, ``host:port``,
    ``host/path`` and full URLs."""
    text = _INNER_WHITESPACE.sub("", text.strip())
    if text.startswith("*."):
        text = text[2:]
    text = text.lstrip(".")
    if not text:
        raise InvalidUrlError("empty domain")
    return _parse(text).host


def host_and_parents(host: str) -> list[str]:
    """``a.b.example.com`` → ``[a.b.example.com, b.example.com, example.com, com]``.

    IP addresses are looked up whole (their "parents" are not domains).
    """
    if host.startswith("[") or _IPV4.match(host):
        return [host]
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]
