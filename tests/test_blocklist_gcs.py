"""Blocklists on gs:// (Beam FileSystems) against a real GCS API server (gcp-storage-emulator
on loopback): built to gs://, validated by config, loaded by the stage, errors name the object."""

from __future__ import annotations

import gzip
import io

import pytest

from tests.gcs_emulator import gcs_emulator
from tests.test_blocklist_cli import _run
from zhclean.filters.blocklist import BlocklistBuilder, BlocklistFormatError
from zhclean.filters.document import Document
from zhclean.pipeline.config import ConfigError, parse_config
from zhclean.transforms.blocklist import build_rules


@pytest.fixture(scope="module")
def gcs():
    with gcs_emulator() as server:
        server.make_bucket("zh-lists")
        builder = BlocklistBuilder()
        builder.add_domain("bad.example", "spam")
        out = io.BytesIO()
        builder.write(out)
        server.upload("gs://zh-lists/domains.txt", out.getvalue())
        builder = BlocklistBuilder()
        builder.add_url("http://reported.example/page", "abuse")
        out = io.BytesIO()
        builder.write(out)
        server.upload("gs://zh-lists/urls.txt.gz", gzip.compress(out.getvalue()))
        server.upload("gs://zh-lists/broken.txt", b"# ok\nurl\tcrc32:01234567\n")
        yield server


def test_stage_loads_lists_from_gcs(gcs):
    config = parse_config(
        {"blocklist": {"lists": ["gs://zh-lists/domains.txt", "gs://zh-lists/urls.txt.gz"]}}
    )
    rules = build_rules(config)
    assert [r.reason for r in rules] == ["url", "domain"]
    verdicts = [r.check(Document(id="1", url="https://www.bad.example/x")) for r in rules]
    assert [(v.keep, v.detail) for v in verdicts] == [(True, ""), (False, "spam")]
    verdict = rules[0].check(Document(id="2", url="https://REPORTED.example/page#c"))
    assert (verdict.keep, verdict.reason, verdict.detail) == (False, "url", "abuse")


def test_missing_list_on_gcs_fails_config_validation(gcs):
    with pytest.raises(ConfigError, match=r"file not found: gs://zh-lists/nope\.txt"):
        parse_config({"blocklist": {"lists": ["gs://zh-lists/nope.txt"]}})


def test_malformed_list_on_gcs_names_object_and_line(gcs):
    config = parse_config({"blocklist": {"lists": ["gs://zh-lists/broken.txt"]}})
    with pytest.raises(BlocklistFormatError, match=r"^gs://zh-lists/broken\.txt:2: unknown algo"):
        build_rules(config)


def test_build_to_gcs_and_check_it(gcs, tmp_path, capsys):
    urls = tmp_path / "urls.txt"
    urls.write_text("http://built.example/a\n")
    assert _run("build", "--output", "gs://zh-lists/built.txt", "--urls", str(urls)) == 0
    assert b"url\txxh64:" in gcs.download("gs://zh-lists/built.txt")
    capsys.readouterr()
    assert _run("check", "gs://zh-lists/built.txt", "--url", "https://built.example/a") == 0
    assert '"blocklist/url"' in capsys.readouterr().out
