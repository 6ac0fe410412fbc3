"""The report's HTML without a browser: escaping of hostile text, the embedded JSON, the CSP,
thresholds, histogram geometry and the ``zhclean report`` command."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report_fixtures import (
    HOSTILE_CATEGORY,
    HOSTILE_ERROR,
    HOSTILE_ID,
    HOSTILE_SIGNAL,
    HOSTILE_TEXT,
    HOSTILE_URL,
    STRICTER,
    cached_run,
)
from zhclean.pipeline.cli import main
from zhclean.pipeline.config import Config, parse_config
from zhclean.pipeline.report import load_run, render_run
from zhclean.pipeline.report.figures import histogram_figure, reason_colors
from zhclean.pipeline.report.page import json_block, link, text
from zhclean.pipeline.report.thresholds import thresholds_for


class Elements(HTMLParser):
    """Start tags with their attributes, and the raw text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("report") / "out"
    cached_run(str(out))
    assert main(["report", str(out)]) == 0
    return out, (out / "stats" / "report.html").read_text("utf-8")


def test_text_and_links_are_escaped():
    assert text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert text("\"'&") == "&quot;&#x27;&amp;"
    assert "⟨U+202E⟩" in text("a\u202eb") and "⟨U+0000⟩" in text("\x00")
    assert text("第一行\n第二行\t。") == "第一行\n第二行\t。"  # newlines and tabs stay
    assert "⟨U+D800⟩" in text("\ud800")  # a lone surrogate cannot break UTF-8 output
    assert link("javascript:alert(1)") == '<span class="url">javascript:alert(1)</span>'
    for bad in (" javascript:x", "java\nscript:x", "data:text/html,<b>", "http://a b", "//x"):
        assert "<a " not in link(bad)
    good = link("https://例子.example/a?b=1&c=2")
    assert good.startswith('<a href="https://例子.example/a?b=1&amp;c=2"') and "noreferrer" in good
    assert link('https://x.example/"onmouseover="x').startswith("<span")  # quotes: plain text


def test_json_block_cannot_close_its_script_element():
    payload = {"s": "</script><!--<script>", "t": "\u2028&"}
    block = json_block(payload)
    assert "<" not in block and ">" not in block and "&" not in block
    assert block.isascii() and json.loads(block) == payload


def test_page_structure_is_ours_only(page):
    _, html = page
    parser = Elements()
    parser.feed(html)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "zhclean-data"}, {}, {}]
    assert not any(tag in ("img", "iframe", "object", "embed", "textarea", "style", "form")
                   for tag, _ in parser.tags[parser.tags.index(("body", {})):]
                   if tag != "style")  # fmt: skip
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith(("#", "http://", "https://")), attrs
    # the CSP lets exactly the page's own two inline scripts run
    csp = next(
        a["content"] for t, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    hashes = re.findall(r"'sha256-([^']+)'", csp)
    own = [
        base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in parser.scripts[1:]
    ]
    assert (
        sorted(hashes) == sorted(own)
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "default-src 'none'" in csp
    data = json.loads(parser.scripts[0])
    assert set(data) == {"figures", "template"} and "fig-funnel" in data["figures"]


def test_hostile_samples_are_text(page):
    _, html = page
    body = html.split("<main>", 1)[1].split("</main>", 1)[0]
    for hostile in (HOSTILE_TEXT, HOSTILE_URL, HOSTILE_CATEGORY, HOSTILE_SIGNAL, HOSTILE_ID,
                    HOSTILE_ERROR):  # fmt: skip
        assert hostile not in html
        assert text(hostile) in body
    assert "<script" not in body and "javascript:" not in re.sub(r"<[^>]*>", "", "".join(
        re.findall(r'href="[^"]*"', body)))  # fmt: skip
    assert 'lang="zh"' in body


def test_report_is_self_contained(page):
    _, html = page
    parser = Elements()
    parser.feed(html)
    for _, attrs in parser.tags:
        for name in ("src", "srcset", "data"):
            assert name not in attrs
        assert attrs.get("rel") != "stylesheet"
    assert "Plotly" in parser.scripts[1] and len(parser.scripts[1]) > 1_000_000


def test_thresholds_come_from_the_config():
    config = parse_config(
        {"quality": {"min_chars": 150, "max_top_3gram_share": None,
                     "lexicon": {"max_density": {"gambling": 2.5}}}}
    ).to_dict()  # fmt: skip
    assert [(t.bound, t.value) for t in thresholds_for("chars", config)] == [
        ("min", 150.0),
        ("max", 100_000.0),
    ]
    assert thresholds_for("top_3gram_share", config) == []  # null: no bound
    assert thresholds_for("top_2gram_share", config)[0].key == "quality.max_top_2gram_share"
    dup10 = config["quality"]["max_dup_10gram_share"]
    assert thresholds_for("dup_10gram_share", config)[0].value == dup10
    assert thresholds_for("lexicon_gambling", config)[0].value == 2.5
    assert thresholds_for("lexicon_mine", config)[0].key == "quality.lexicon.default_max_density"
    assert thresholds_for("quality_score", config) == []  # min 0 drops nothing: not drawn
    assert thresholds_for("lang_score", config)[0].value == 0.5
    assert thresholds_for("unknown", config) == [] and thresholds_for("chars", {}) == []


def test_histogram_threshold_on_uneven_bins_sits_inside_its_bin():
    hist = {"edges": [0, 10, 20, 50, 100, 200], "counts": {"kept": [1, 2, 3, 4, 5]}}
    fig = histogram_figure("chars", hist, Config().to_dict(), reason_colors([]))
    lines = [s["x0"] for s in fig["layout"]["shapes"]]
    assert lines == [4.0, 5.0]  # min_chars 100 = start of bin 4; max 100,000 beyond: last edge
    assert fig["data"][0]["y"] == [1, 2, 3, 4, 5]
    even = {"edges": [0, 0.5, 1.0], "counts": {"kept": [1, 1], "quality/a": [0, 2]}}
    fig = histogram_figure("cjk_share", even, Config().to_dict(), reason_colors(["quality/a"]))
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [0.3]
    assert [t["name"] for t in fig["data"]] == ["kept", "quality/a"]


def test_report_command(page, tmp_path, capsys):
    out, html = page
    assert load_run(str(out)).stats["kept"] > 0
    assert render_run(load_run(str(out))) == html  # deterministic re-rendering
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "no run in" in capsys.readouterr().err
    other = tmp_path / "b"
    cached_run(str(other), n=45, seed=3, config=STRICTER, samples_per_reason=2)
    target = tmp_path / "cmp.html"
    assert main(["report", str(out), "--compare", str(other), "--html", str(target)]) == 0
    compare = target.read_text("utf-8")
    assert "zhclean run comparison" in compare and HOSTILE_TEXT not in compare
    assert main(["report", str(out), "--compare", str(other)]) == 0
    assert (out / "stats" / "compare.html").exists()


def test_report_of_a_gcs_run(page):
    from tests.gcs_emulator import gcs_emulator

    out, html = page
    with gcs_emulator() as server:
        server.make_bucket("zh-report")
        for name in ("stats/stats.json", "dropped/samples.jsonl", "stats/kept_samples.jsonl"):
            server.upload_file(f"gs://zh-report/run/{name}", out / name)
        assert main(["report", "gs://zh-report/run"]) == 0
        remote = server.download("gs://zh-report/run/stats/report.html").decode("utf-8")
        assert main(["report", "gs://zh-report/missing"]) == 2
    # the same page, but for the subtitle naming where the run is
    assert remote.replace("gs://zh-report/run", str(out)) == html
