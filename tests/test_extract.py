"""Extract stage: main text out of HTML, bounded in size and time, never crashing the worker."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import threading
import time

import pytest

from zhclean.filters.document import Document
from zhclean.filters.extract import HtmlExtractor, truncate_utf8
from zhclean.filters.extractors import extract, tidy_lines
from zhclean.filters.timeout import (
    CallTimeout,
    ProcessRunner,
    ThreadRunner,
    WorkerCrashed,
    WorkerError,
)
from zhclean.filters.verdict import KEEP

# resiliparse is the optional "fast" extra of the package
EXTRACTORS = [
    "trafilatura",
    pytest.param(
        "resiliparse",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("resiliparse") is None, reason="zhclean[fast] not installed"
        ),
    ),
]

PARAGRAPHS = [
    f"第{i}段：今天我们讨论城市公共交通的发展，地铁线路不断延伸，公交站点更加密集，"
    "市民出行越来越方便。"
    for i in range(1, 7)
]
COMMENTS = [
    "网友甲：我家门口新开了地铁站，上班时间缩短了一半，非常感谢规划部门。",
    "网友乙：希望公交车的班次再多一些，晚上十点以后很难等到车。",
]


def article_page(paragraphs: list[str] = PARAGRAPHS, tail: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    comments = "".join(f'<div class="comment"><p>{c}</p></div>' for c in COMMENTS)
    return (
        "<html><head><title>城市交通</title></head><body>"
        '<div class="nav"><a href="/">首页</a> | <a href="/news">新闻</a></div>'
        f'<div class="article"><h1>城市公共交通的新变化</h1>{body}</div>'
        f'<div id="comments" class="comments"><h3>网友评论</h3>{comments}</div>'
        '<div class="footer"><p>版权所有 © 2024 某某新闻网 京ICP备12345678号</p></div>'
        f"{tail}</body></html>"
    )


def deep_page(levels: int, tag: str = "div") -> str:
    text = "深层嵌套的正文内容。" * 20
    return f"<html><body>{f'<{tag}>' * levels}{text}{f'</{tag}>' * levels}</body></html>"


@pytest.fixture(scope="module")
def rules():
    """One extractor per back-end and isolation mode, shared by the module (children start once)."""
    made: dict[tuple[str, str], HtmlExtractor] = {}

    def get(extractor: str = "trafilatura", isolation: str = "process", **kw) -> HtmlExtractor:
        key = (extractor, isolation, tuple(sorted(kw.items())))
        if key not in made:
            made[key] = HtmlExtractor(extractor=extractor, isolation=isolation, **kw)
        return made[key]

    yield get
    for rule in made.values():
        rule.close()


# ------------------------------------------------------------------------------ extraction


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_article_paragraphs_come_out_one_per_line(rules, extractor, isolation):
    doc = Document(id="a", html=article_page())
    assert rules(extractor, isolation).check(doc) == KEEP
    lines = doc.text.split("\n")
    positions = [lines.index(p) for p in PARAGRAPHS]  # every paragraph is a line of its own
    assert positions == sorted(positions)
    assert doc.html is None  # freed once the text is out
    assert all(line == line.strip() and line for line in lines)


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_comments_are_kept_by_default_and_dropped_on_request(rules, extractor):
    with_comments = Document(id="c", html=article_page())
    without = Document(id="c", html=article_page())
    rules(extractor).check(with_comments)
    rules(extractor, include_comments=False).check(without)
    for comment in COMMENTS:
        assert comment in with_comments.text
        assert comment not in without.text
    assert PARAGRAPHS[0] in without.text


def test_extraction_is_deterministic(rules):
    texts = set()
    for _ in range(3):
        doc = Document(id="d", html=article_page())
        rules().check(doc)
        texts.add(doc.text)
    assert len(texts) == 1


def test_page_wrapped_in_one_unknown_element_is_still_extracted(rules):
    # trafilatura's own loader rejects such pages (no "html" in the first 50 characters and a
    # single top-level block); we parse ourselves. Two of the 69 gold pages look like this.
    html = '<text id="http://example.cn/a.html" title="t">' + "".join(
        f"<div><p>{p}</p></div>" for p in PARAGRAPHS
    ) + "</text>"
    doc = Document(id="w", html=html)
    assert rules().check(doc) == KEEP
    assert PARAGRAPHS[0] in doc.text


def test_plain_text_records_skip_extraction(rules):
    text = "  第一行 WET 文本 <b>不是标签</b>  \r\n\r\n\u3000\u3000第二行\t内容\n\n"
    doc = Document(id="p", html=text, is_plain_text=True)
    assert rules().check(doc) == KEEP
    assert doc.text == "第一行 WET 文本 <b>不是标签</b>\n第二行 内容"
    assert doc.html is None


@pytest.mark.parametrize(
    "html",
    [
        None,
        "",
        "   \n\t ",
        "<html></html>",
        "<html><body><script>var a = 1;</script></body></html>",
    ],
)
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_empty_pages_are_dropped_as_empty(rules, extractor, html):
    doc = Document(id="e", html=html)
    verdict = rules(extractor).check(doc)
    assert not verdict.keep
    assert verdict.reason == "empty"
    assert doc.text == ""


def test_min_chars_drops_short_text_and_keeps_html_for_the_excerpt(rules):
    html = "<html><body><p>太短了。</p></body></html>"
    doc = Document(id="s", html=html)
    verdict = rules(min_chars=50).check(doc)
    assert (verdict.keep, verdict.reason) == (False, "empty")
    assert "min_chars 50" in verdict.detail
    assert doc.html == html


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_binary_junk_does_not_crash(rules, extractor, isolation):
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(200_000)).decode("latin-1")
    junk += "\x00\udcff\ud800<p>\x00正文\x01</p>\x7f"
    doc = Document(id="j", html=junk)
    verdict = rules(extractor, isolation).check(doc)
    assert verdict.keep or verdict.reason == "empty"
    assert "\x00" not in doc.text and "\ud800" not in doc.text


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_nul_in_the_middle_of_an_article_loses_nothing_else(rules, extractor):
    doc = Document(id="n", html=article_page().replace("第3段", "第\x003段"))
    assert rules(extractor).check(doc) == KEEP
    assert PARAGRAPHS[0] in doc.text and PARAGRAPHS[5] in doc.text


@pytest.mark.parametrize("isolation", ["process", "thread"])
@pytest.mark.parametrize("tag", ["div", "span", "font"])
def test_html_nested_100000_levels_deep_survives_with_trafilatura(rules, isolation, tag):
    # libxml2 stops nesting at depth 256: no RecursionError, no stack overflow, no segfault;
    # the page simply has no extractable text at a sane depth
    doc = Document(id="deep", html=deep_page(100_000, tag))
    verdict = rules("trafilatura", isolation).check(doc)
    assert verdict.keep or verdict.reason == "empty"


@pytest.mark.skipif(importlib.util.find_spec("resiliparse") is None, reason="no resiliparse")
def test_deep_nesting_that_stalls_resiliparse_is_cut_by_the_time_limit(rules):
    # resiliparse's main-content pass is quadratic in nesting depth and runs in C++:
    # 100,000 levels take minutes. Only the child-process limit can stop it.
    rule = rules("resiliparse", timeout_seconds=1.0)
    t0 = time.monotonic()
    verdict = rule.check(Document(id="deep", html=deep_page(100_000)))
    assert (verdict.keep, verdict.reason) == (False, "timeout")
    assert time.monotonic() - t0 < 30  # generous: the limit really interrupted the call
    # and the next document is served by a fresh child
    doc = Document(id="after", html=article_page())
    assert rule.check(doc) == KEEP and PARAGRAPHS[0] in doc.text


def test_30_mb_page_is_truncated_and_the_top_is_extracted(rules):
    filler = "<div><p>" + "填充" * 20 + "</p></div>\n"
    html = article_page(tail=filler * (30_000_000 // len(filler.encode())))
    assert len(html.encode()) > 29_000_000
    doc = Document(id="big", html=html)
    verdict = rules(max_html_bytes=200_000).check(doc)
    assert verdict == KEEP
    assert PARAGRAPHS[0] in doc.text
    assert doc.signals["html_truncated_bytes"] == len(html.encode())


def test_truncate_utf8_never_splits_a_character():
    data, size = truncate_utf8("中文" * 10, 7)
    assert (data.decode("utf-8"), size) == ("中文", 60)
    data, size = truncate_utf8("abc", 10)
    assert (data, size) == (b"abc", 3)
    data, _ = truncate_utf8("a\udcffb", 100)  # lone surrogates pass through
    assert data.decode("utf-8", "surrogatepass") == "a\udcffb"


def test_constructor_rejects_unknown_names():
    with pytest.raises(ValueError, match="extractor"):
        HtmlExtractor(extractor="boilerpipe")
    with pytest.raises(ValueError, match="isolation"):
        HtmlExtractor(isolation="fork")
    assert HtmlExtractor.reason == "empty"


def test_errors_carry_the_kind_the_stage_reports():
    # the stage records exceptions as extract/error:KIND, KIND from the exception's ``kind``
    from zhclean.transforms.events import error_kind

    assert error_kind(WorkerCrashed("died")) == "crash"
    assert error_kind(WorkerError("memory_error", "")) == "memory_error"


def test_tidy_lines():
    assert tidy_lines("\ufeff a \u3000 b \n\n\t\n c\u200b \r\n") == "a b\nc"


def test_extract_dispatches_by_name():
    html = article_page()
    assert PARAGRAPHS[0] in extract(html, extractor="trafilatura")
    with pytest.raises(ValueError):
        extract(html, extractor="nope")


# ---------------------------------------------------------------------------- process runner

# Targets from the standard library, so the child needs nothing from the tests:
# re.sub with a catastrophically backtracking pattern spends minutes inside the C regex engine.
SLOW_SUB = {"repl": "", "string": "a" * 40 + "c"}


def test_process_runner_interrupts_c_code_and_recovers():
    runner = ProcessRunner("re:sub", SLOW_SUB)
    try:
        assert runner.run(b"a", 10) == "c"
        t0 = time.monotonic()
        with pytest.raises(CallTimeout):
            runner.run(b"(a+)+b", 0.5)
        assert time.monotonic() - t0 < 10
        assert runner.children == 0  # the stuck child was killed, not returned to the pool
        assert runner.run(b"a+", 10) == "c"  # a fresh child serves the next call
        assert runner.children == 1
    finally:
        runner.close()
    assert runner.children == 0


def test_process_runner_reports_a_crash_as_an_error():
    # a child that dies mid-call (here: SIGSEGV delivered while it is stuck in C code) is an
    # error of that document, not a hang and not a dead worker
    runner = ProcessRunner("re:sub", SLOW_SUB)
    try:
        assert runner.run(b"a", 10) == "c"
        pid = runner._idle[0].proc.pid
        caught: list[BaseException] = []

        def call() -> None:
            try:
                runner.run(b"(a+)+b", 30)
            except BaseException as exc:
                caught.append(exc)

        worker = threading.Thread(target=call)
        worker.start()
        time.sleep(0.3)
        os.kill(pid, signal.SIGSEGV)
        worker.join(30)
        assert len(caught) == 1 and isinstance(caught[0], WorkerCrashed)
        assert caught[0].kind == "crash" and "-11" in str(caught[0])
        assert runner.run(b"a", 10) == "c"  # replaced by a fresh child
    finally:
        runner.close()


def test_process_runner_reports_exceptions_with_their_kind():
    runner = ProcessRunner("json:loads")
    try:
        with pytest.raises(WorkerError) as info:
            runner.run(b"{not json", 10)
        assert info.value.kind.endswith("decode_error")
        with pytest.raises(WorkerError, match="not str"):
            runner.run(b"[1, 2]", 10)  # a non-string result is an error, the child lives on
        assert runner.run(b'"\xe4\xb8\xad"', 10) == "中"
    finally:
        runner.close()


def test_process_runner_restarts_a_child_that_died_while_idle():
    runner = ProcessRunner("re:sub", SLOW_SUB)
    try:
        assert runner.run(b"a", 10) == "c"
        runner._idle[0].proc.kill()
        runner._idle[0].proc.wait()
        assert runner.run(b"a", 10) == "c"
    finally:
        runner.close()


def test_process_runner_serves_threads_concurrently():
    runner = ProcessRunner("re:sub", SLOW_SUB)
    results: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        pattern = b"(a+)+b" if i % 2 else b"a"
        try:
            out = runner.run(pattern, 0.5)
        except CallTimeout:
            out = "timeout"
        with lock:
            results.append(out)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runner.close()
    assert sorted(results) == ["c", "c", "timeout", "timeout"]


# ----------------------------------------------------------------------------- thread runner


def _busy(seconds: float) -> str:
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
    return "done"


def test_thread_runner_interrupts_a_python_loop():
    runner = ThreadRunner(lambda text: _busy(float(text)))
    assert runner.run("0.001", 5) == "done"
    t0 = time.monotonic()
    with pytest.raises(CallTimeout):
        runner.run("30", 0.2)
    assert time.monotonic() - t0 < 10


def test_thread_runner_is_not_swallowed_by_except_exception():
    def stubborn(text: str) -> str:
        while True:
            try:
                _busy(10)
            except Exception:  # library code like this must not swallow the time limit
                continue

    with pytest.raises(CallTimeout):
        ThreadRunner(stubborn).run("", 0.2)


def test_thread_runner_never_leaks_the_interrupt_after_returning():
    # calls finishing right around their deadline: the interrupt either stops the call
    # (CallTimeout) or is withdrawn; it must never surface later in unrelated code
    runner = ThreadRunner(lambda text: _busy(float(text)))
    rng = random.Random(3)
    outcomes = set()
    for _ in range(150):
        try:
            outcomes.add(runner.run(str(rng.uniform(0.002, 0.008)), 0.005))
        except CallTimeout:
            outcomes.add("timeout")
        _busy(0.002)  # an escaped interrupt would be raised in here
    assert outcomes == {"done", "timeout"}
    _busy(1.2)  # longer than the watchdog's re-fire interval


def test_thread_runner_times_out_only_the_slow_threads():
    runner = ThreadRunner(lambda text: _busy(float(text)))
    results: dict[int, str] = {}

    def work(i: int) -> None:
        try:
            results[i] = runner.run("5" if i % 2 else "0.01", 0.3)
        except CallTimeout:
            results[i] = "timeout"

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: "done", 1: "timeout", 2: "done", 3: "timeout"}


def test_text_left_empty_by_boilerplate_cleaning_is_extract_empty():
    """The extract stage as configured: a page whose text is all boilerplate ends as
    ``extract/empty`` (not ``language/not_zh`` later), with the cut lines in the excerpt."""
    from zhclean.pipeline.config import parse_config
    from zhclean.transforms.stage import run_rules
    from zhclean.transforms.stages import extract_rules

    html = (
        "<html><body><p>京ICP备12345678号</p><p>版权所有 © 2024 某某网</p>"
        "<p>登录 | 注册</p></body></html>"
    )
    for clean, expected in ((True, "empty"), (False, None)):
        extract = {"isolation": "thread", "clean_boilerplate_lines": clean}
        rules = extract_rules(parse_config({"extract": extract}))
        out = list(run_rules(Document(id="b", url="u", html=html), "extract", rules, 200))
        assert len(out) == 1
        if expected is None:
            assert isinstance(out[0], Document) and "京ICP备12345678号" in out[0].text
            continue
        event = out[0].value
        assert (event.stage, event.reason) == ("extract", "empty")
        assert "after boilerplate cleaning" in event.detail and "icp 1" in event.detail
        assert "京ICP备12345678号" in event.text_excerpt
