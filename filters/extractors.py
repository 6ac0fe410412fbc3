"""Main-text extraction back-ends: a pure function from an HTML string to plain text.

Two back-ends, chosen by name (``extract.extractor`` in the config):

- ``trafilatura`` (default): better than resiliparse on 27 of the 69 Chinese gold pages (worse
  on 14), mean F1 0.875 after boilerplate cleaning; 12–14 ms CPU per page (median), 17–21 mean.
- ``resiliparse``: ``html2text.extract_plain_text(main_content=True)``, mean F1 0.881 (wins
  big on a few table-layout pages), 1.2 ms CPU per page (median), 1.6 mean; leaves more
  navigation text in.

(See README "Extraction" and ``scripts/eval_extraction.py``.)

Both return the text with one paragraph per line (``\\n``-separated, lines stripped, no blank
lines) via :func:`tidy_lines`, so the rest of the pipeline sees the same shape whichever
back-end ran. Everything here is deterministic: no caches, no dedup state shared between
documents (trafilatura's ``deduplicate`` would make the output depend on document order).

Forum thread pages (Discuz!, vBulletin, Tieba, phpwind, phpBB and look-alikes) skip the
general extractor: :func:`zhclean.filters.forum.forum_text` takes their post bodies, which are
the main text of such a page and which trafilatura discards (see :mod:`zhclean.filters.forum`).

This module does no bounding of its own; :mod:`zhclean.filters.extract` truncates the input
and runs these functions under a time limit. Importing it silences the loggers of
trafilatura and its helper libraries (:func:`quiet_library_logs`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from configparser import ConfigParser
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from zhclean.filters.forum import forum_text, has_engine_marker

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement

EXTRACTORS = ("trafilatura", "resiliparse")

# C0 controls other than \t \n \r, and lone surrogates: lxml refuses strings containing them
# ("All strings must be XML compatible") and they are never text.
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

# trafilatura settings, measured on the Chinese gold pages (scripts/eval_extraction.py; README
# "Extraction"). MIN_EXTRACTED_SIZE is the length under which trafilatura distrusts its main
# extractor and tries its rescue stages: 100 lost recall (F1 0.864 vs 0.875), 500 changed
# nothing, so the library value stays. EXTRACTION_TIMEOUT is trafilatura's own signal.alarm
# limit (CLI only): off, the stage bounds time itself.
TRAFILATURA_SETTINGS = {
    "MIN_EXTRACTED_SIZE": "250",
    "MIN_OUTPUT_SIZE": "1",
    "MIN_OUTPUT_COMM_SIZE": "1",
    "MAX_TREE_SIZE": "",
    "EXTRACTION_TIMEOUT": "0",
}
TRAFILATURA_FAST = True
"""Skip trafilatura's readability/jusText comparison stages. Measured on the gold pages: F1
0.877 with them vs 0.875 without, within noise; their cost is paid only on pages where the main
extractor found little, which makes the worst case slower and less predictable; and jusText's
stop-word test cannot work on unsegmented Chinese."""
TRAFILATURA_FOCUS = "recall"
"""``favor_recall``: whole paragraphs are never lost to a precision heuristic, and the
boilerplate it lets in is cut line by line afterwards. Measured: recall 0.990 vs 0.988 for the
balanced mode, F1 0.875 vs 0.879 (a difference within noise on 69 pages); precision mode lost
a tenth of the text (recall 0.893)."""


def sanitize_html(html: str) -> str:
    """Remove characters no parser accepts (C0 controls, lone surrogates)."""
    return _UNSAFE_CHARS.sub("", html)


_SPACE_RUN = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_INVISIBLE = re.compile(r"[\ufeff\u200b]")


def tidy_lines(text: str) -> str:
    """One paragraph per line: lines stripped, inner space runs collapsed, blank lines gone."""
    out = []
    for line in text.splitlines():
        line = _SPACE_RUN.sub(" ", _INVISIBLE.sub("", line)).strip()
        if line:
            out.append(line)
    return "\n".join(out)


@lru_cache(maxsize=1)
def nfc_lines(text: str) -> str:
    """``text`` in NFC with its lines tidied (the common finish of extracted text)."""
    return tidy_lines(unicodedata.normalize("NFC", text))


def trafilatura_config() -> ConfigParser:
    """A private trafilatura ``ConfigParser`` with :data:`TRAFILATURA_SETTINGS` applied."""
    from trafilatura.settings import use_config

    quiet_library_logs()  # importing trafilatura resets the htmldate level
    config = use_config()  # a fresh parser, not trafilatura's shared DEFAULT_CONFIG
    for key, value in TRAFILATURA_SETTINGS.items():
        config.set("DEFAULT", key, value)
    return config


_PARSERS = threading.local()


def parse_html(html: str) -> HtmlElement | None:
    """The ``<html>`` root of ``html`` parsed by libxml2, or None for an empty document.

    We parse instead of letting trafilatura do it: trafilatura rejects a page whose first 50
    characters lack the word "html" and that parses to a single block (a page wrapped in one
    unknown element, a fragment), which lost 2 of the 69 gold pages. Parsing UTF-8 bytes with a
    fixed parser encoding also ignores stale ``<meta charset>`` and XML encoding declarations
    (the text was decoded already). libxml2 stops nesting at depth 256, so no later recursive
    step can overflow the stack on a deeply nested page. lxml parsers are not thread-safe:
    one per thread.
    """
    from lxml.etree import ParserError
    from lxml.html import HTMLParser, document_fromstring

    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = HTMLParser(
            collect_ids=False,
            default_doctype=False,
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
        )
        _PARSERS.parser = parser
    data = sanitize_html(html).encode("utf-8")
    if not data.strip():
        return None
    try:
        return document_fromstring(data, parser=parser)
    except ParserError:  # "Document is empty": nothing but whitespace or markup
        return None


# trafilatura's output XML: everything except these inline tags starts a new line.
_INLINE_TAGS = frozenset({"hi", "ref", "span", "del", "b", "i", "u", "em", "strong", "a"})


def render_lines(body: _Element | None) -> str:
    """Text of a trafilatura output tree with one line per block (paragraph, heading, list
    item, table cell, line break). Iterative (``iterwalk``), so depth cannot overflow.

    trafilatura's own txt renderer joins table cells with ``|`` and flattens each cell to one
    line; on Chinese layout-table pages (the whole article in one cell) that produced lines of
    ``| | |`` and glued paragraphs together.
    """
    if body is None:
        return ""
    from lxml.etree import iterwalk

    parts: list[str] = []
    for event, elem in iterwalk(body, events=("start", "end")):
        tag = elem.tag if isinstance(elem.tag, str) else ""
        block = tag not in _INLINE_TAGS
        if event == "start":
            if block:
                parts.append("\n")
            if elem.text:
                parts.append(elem.text)
        else:
            if block:
                parts.append("\n")
            if elem.tail and elem is not body:
                parts.append(elem.tail)
    return "".join(parts)


def extract_trafilatura(
    html: str,
    include_comments: bool = True,
    *,
    fast: bool = TRAFILATURA_FAST,
    focus: str = TRAFILATURA_FOCUS,
    config: ConfigParser | None = None,
    forums: bool = True,
) -> str:
    """Main text (and comments, if asked) of ``html`` with trafilatura; ``""`` if none.

    A forum thread page (``forums``) gives its post bodies instead (:func:`forum_text`)."""
    tree = parse_html(html)
    if tree is None:
        return ""
    if forums:
        posts = forum_text(tree)
        if posts is not None:
            return nfc_lines(posts)
    result = _bare_extraction()(
        tree,
        fast=fast,
        favor_recall=focus == "recall",
        favor_precision=focus == "precision",
        include_comments=include_comments,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
        output_format="xml",  # keep the trees unserialised: render_lines does the text
        config=config if config is not None else trafilatura_config(),
    )
    if result is None:
        return ""
    text = render_lines(result.body)
    if include_comments and result.commentsbody is not None:
        text = f"{text}\n{render_lines(result.commentsbody)}"
    return nfc_lines(text)


def extract_resiliparse(html: str, include_comments: bool = True, *, forums: bool = True) -> str:
    """Main text of ``html`` with resiliparse's ``extract_plain_text(main_content=True)``.

    A thread page of a named forum engine (``forums``) gives its post bodies instead
    (:func:`forum_text`). The page is parsed with lxml for that only when
    :func:`has_engine_marker` finds an engine's post-body id in the HTML, so other pages keep
    resiliparse's speed; forums marked only by generic class names (``div.message``) stay
    with resiliparse, which keeps their posts (with the floor lines the boilerplate cleaner
    then cuts)."""
    from resiliparse.extract.html2text import extract_plain_text

    if forums and has_engine_marker(html):
        posts = forum_text(parse_html(html))
        if posts is not None:
            return nfc_lines(posts)

    text = extract_plain_text(
        sanitize_html(html),
        preserve_formatting=True,
        main_content=True,
        list_bullets=False,
        alt_texts=False,
        links=False,
        form_fields=False,
        noscript=False,
        comments=include_comments,
    )
    return tidy_lines(text)


def get_extractor(name: str) -> Callable[[str, bool], str]:
    """The back-end called ``name`` (one of :data:`EXTRACTORS`)."""
    if name == "trafilatura":
        return extract_trafilatura
    if name == "resiliparse":
        return extract_resiliparse
    raise ValueError(f"unknown extractor {name!r}; choose one of {', '.join(EXTRACTORS)}")


_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


def quiet_library_logs() -> None:
    """Silence trafilatura and its helpers: they log an ERROR or WARNING for every empty or
    unparseable page ("empty HTML tree", "discarding data"); the pipeline records those pages
    with their drop reason, a log line per page is only noise. Run when this module is
    imported and again right after trafilatura is (its import resets the ``htmldate`` level).
    Child loggers (``trafilatura.core``) inherit the level; none sets its own."""
    import logging

    for name in _LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


quiet_library_logs()


@lru_cache(maxsize=1)
def _bare_extraction() -> Callable[..., Any]:
    """``trafilatura.bare_extraction``, imported on first use (resiliparse users need not
    load trafilatura), with the library loggers silenced after the import."""
    from trafilatura import bare_extraction

    quiet_library_logs()
    return bare_extraction


def extract(html: str, extractor: str = "trafilatura", include_comments: bool = True) -> str:
    """Main text of ``html`` with the back-end called ``extractor``.

    The entry point run by :class:`~zhclean.filters.extract.HtmlExtractor` (in a child process
    or under a thread watchdog).
    """
    return get_extractor(extractor)(html, include_comments)
