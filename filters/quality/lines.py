"""Line-level rules: mean line length, terminal punctuation, duplicate lines, "read more" lines.

Lines are the stripped non-empty lines of the extracted text (one paragraph, heading or list
item each, as extractors emit them).
"""

from __future__ import annotations

import re
from abc import abstractmethod

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.quality.base import ThresholdRule, fmt
from zhclean.filters.quality.profile import text_profile
from zhclean.filters.verdict import KEEP, Verdict

# Sentence-final marks, Chinese and ASCII. Ellipses are not among them: a line cut with "…" or
# "..." is a teaser, counted by ReadMoreLines instead.
TERMINAL_MARKS = frozenset("。！？!?；;.．")
# Closing quotes and brackets that may follow the final mark: 他说：“好。”
CLOSERS = "”\"’'」』）)】》〉]"
_ELLIPSIS_END = re.compile(r"(?:\.{2,}|。{2,}|…+|⋯+)$")
# Link-like endings of teaser and navigation lines (MAP-CC: 展开 / 更多 / 。。。). A cut
# teaser ends in "..." / "。。。" / a single "…"; the doubled "……" is ordinary prose punctuation
# (measured: a real blog on extraction_zh ends a third of its paragraphs with it).
_READ_MORE_END = re.compile(
    r"(?:\.{3,}|。{3,}|(?<!…)…|⋯+|展开(?:全文)?|更多|全文|详情|>>|»)[\]】>）)]?$"
)


def ends_with_terminal_mark(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    if not stripped or _ELLIPSIS_END.search(stripped):
        return False
    return stripped[-1] in TERMINAL_MARKS


class MeanLineLength(ThresholdRule):
    """Drops documents whose lines average fewer than ``min_chars`` non-whitespace
    characters: menus, tag clouds, lists of links or product names (ChineseWebText: ≥ 10).

    Signal ``mean_line_chars``.
    """

    reason = "short_lines"
    signal = "mean_line_chars"

    def __init__(self, min_chars: float) -> None:
        self.minimum = min_chars

    def measure(self, doc: Document) -> float:
        prof = text_profile(doc.text)
        return prof.chars / len(prof.lines) if prof.lines else 0.0


class _LineShareRule(ThresholdRule):
    """The share of lines that :meth:`matches`; texts with fewer than ``min_lines`` lines are
    not judged (the signal is still recorded)."""

    min_lines = 3

    @abstractmethod
    def matches(self, line: str) -> bool:
        """Whether ``line`` counts towards the share."""

    def check(self, doc: Document) -> Verdict:
        verdict = super().check(doc)
        if len(text_profile(doc.text).lines) < self.min_lines:
            return KEEP  # a one- or two-line text has no line structure to judge
        return verdict

    def measure(self, doc: Document) -> float:
        lines = text_profile(doc.text).lines
        if not lines:
            return 0.0
        return sum(1 for ln in lines if self.matches(ln)) / len(lines)


class TerminalPunctuation(_LineShareRule):
    """Drops documents where fewer than ``min_share`` of the lines end in a sentence-final
    mark (。！？；.!?; possibly followed by a closing quote): prose ends its paragraphs,
    lists of titles and specs do not (FineWeb-2 cmn: ≥ 0.106). Texts with fewer than
    ``min_lines`` lines are not judged (the signal is still recorded).

    Signal ``terminal_punct_share``.
    """

    reason = "few_terminal_punct"
    signal = "terminal_punct_share"

    def __init__(self, min_share: float | None, min_lines: int = 3) -> None:
        self.minimum = min_share
        self.min_lines = min_lines

    def matches(self, line: str) -> bool:
        return ends_with_terminal_mark(line)


class DuplicateLines(DocumentRule):
    """Drops documents where more than ``max_share`` of the lines, or more than
    ``max_char_share`` of the characters, are in lines repeating an earlier line: templated
    pages, repeated navigation, spam that repeats a paragraph (FineWeb-2 cmn: ≤ 0.287 lines).

    Signals ``dup_line_share`` and ``dup_line_char_share``.
    """

    reason = "duplicate_lines"

    def __init__(self, max_share: float | None, max_char_share: float | None = None) -> None:
        self.max_share = max_share
        self.max_char_share = max_char_share

    def check(self, doc: Document) -> Verdict:
        prof = text_profile(doc.text)
        seen: set[str] = set()
        dup_lines = dup_chars = 0
        for line in prof.lines:
            if line in seen:
                dup_lines += 1
                dup_chars += len(line)
            else:
                seen.add(line)
        share = dup_lines / len(prof.lines) if prof.lines else 0.0
        char_share = min(1.0, dup_chars / prof.chars) if prof.chars else 0.0
        doc.quality["dup_line_share"] = round(share, 4)
        doc.quality["dup_line_char_share"] = round(char_share, 4)
        if self.max_share is not None and share > self.max_share:
            return self.drop(f"dup_line_share={fmt(share)} > {fmt(self.max_share)}")
        if self.max_char_share is not None and char_share > self.max_char_share:
            return self.drop(f"dup_line_char_share={fmt(char_share)} > {fmt(self.max_char_share)}")
        return KEEP


class ReadMoreLines(_LineShareRule):
    """Drops documents where more than ``max_share`` of the lines end like a teaser or a link
    (a single …, ..., 。。。, 展开, 更多, 全文, 详情, >>): lists of truncated article teasers
    (MAP-CC: ≤ 0.3). Texts with fewer than ``min_lines`` lines are not judged.

    Signal ``read_more_share``.
    """

    reason = "read_more_lines"
    signal = "read_more_share"

    def __init__(self, max_share: float | None, min_lines: int = 3) -> None:
        self.maximum = max_share
        self.min_lines = min_lines

    def matches(self, line: str) -> bool:
        return bool(_READ_MORE_END.search(line))
