"""Input resolution: globs, Common Crawl path manifests with a prefix and a shard range."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.warc_factory import conversion, html_page, http_response, rid, warc_bytes
from zhclean.pipeline.inputs import (
    InputError,
    ManifestSpec,
    join_prefix,
    manifest_paths,
    parse_shards,
    resolve_inputs,
)

CRAWL = "crawl-data/CC-MAIN-2024-10/segments/1707947473347.0"


def make_crawl(root: Path, n: int = 4, kind: str = "warc") -> list[str]:
    """A Common Crawl-like tree under ``root`` and its relative paths, in manifest order."""
    rels = []
    for i in range(n):
        suffix = "warc.wet.gz" if kind == "wet" else "warc.gz"
        rel = f"{CRAWL}/{kind}/CC-MAIN-20240301-{i:05d}.{suffix}"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"http://example.cn/{kind}/{i}"
        record = (
            conversion(url, f"第{i}页的中文文本。" * 20, record_id=rid(i))
            if kind == "wet"
            else http_response(url, html_page(f"页面{i}"), record_id=rid(i))
        )
        path.write_bytes(warc_bytes([record]))
        rels.append(rel)
    return rels


def write_manifest(path: Path, lines: list[str], gz: bool = True) -> Path:
    text = "\n".join(lines) + "\n"
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


def test_parse_shards():
    assert parse_shards("0:100") == slice(0, 100)
    assert parse_shards("5:") == slice(5, None)
    assert parse_shards(":3") == slice(None, 3)
    assert parse_shards(None) == slice(None)
    for bad in ("3", "a:b", "5:5", "7:2", "-1:4"):
        with pytest.raises(InputError, match="--shards"):
            parse_shards(bad)


def test_join_prefix_local_gs_and_absolute():
    assert join_prefix("gs://mirror/cc/", "crawl-data/x.warc.gz") == "gs://mirror/cc/crawl-data/x.warc.gz"
    assert join_prefix("gs://mirror/cc", "/abs/x.warc.gz") == "/abs/x.warc.gz"
    assert join_prefix("/data/cc", "crawl-data/x.warc.gz") == "/data/cc/crawl-data/x.warc.gz"
    assert join_prefix(None, "gs://b/x.warc.gz") == "gs://b/x.warc.gz"
    with pytest.raises(InputError, match="--input-prefix"):
        join_prefix(None, "crawl-data/x.warc.gz")


def test_manifest_with_prefix_and_shards(tmp_path):
    rels = make_crawl(tmp_path / "cc", n=5)
    manifest = write_manifest(tmp_path / "warc.paths.gz", rels)
    spec = ManifestSpec(str(manifest), str(tmp_path / "cc"), parse_shards("1:3"))
    assert manifest_paths(spec) == [str(tmp_path / "cc" / r) for r in rels[1:3]]
    files = resolve_inputs([], [spec])
    assert [f["path"] for f in files] == [str(tmp_path / "cc" / r) for r in rels[1:3]]
    assert all(f["size_bytes"] > 0 for f in files)


def test_plain_text_manifest_comments_and_blank_lines(tmp_path):
    rels = make_crawl(tmp_path / "cc", n=2)
    manifest = write_manifest(tmp_path / "paths.txt", ["# my list", "", *rels], gz=False)
    files = resolve_inputs([], [ManifestSpec(str(manifest), str(tmp_path / "cc"))])
    assert len(files) == 2


def test_wet_manifest_accepted(tmp_path):
    rels = make_crawl(tmp_path / "cc", n=2, kind="wet")
    manifest = write_manifest(tmp_path / "wet.paths.gz", rels)
    files = resolve_inputs([], [ManifestSpec(str(manifest), str(tmp_path / "cc"))])
    assert [Path(f["path"]).name for f in files] == [Path(r).name for r in rels]


def test_globs_and_manifest_combine_without_duplicates(tmp_path):
    rels = make_crawl(tmp_path / "cc", n=3)
    manifest = write_manifest(tmp_path / "warc.paths.gz", rels)
    pattern = str(tmp_path / "cc" / CRAWL / "warc" / "*.warc.gz")
    files = resolve_inputs([pattern], [ManifestSpec(str(manifest), str(tmp_path / "cc"))])
    assert len(files) == 3


def test_missing_manifest_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"cannot read input manifest .*nope\.paths\.gz"):
        resolve_inputs([], [ManifestSpec(str(tmp_path / "nope.paths.gz"), str(tmp_path))])


def test_manifest_naming_missing_shards(tmp_path):
    rels = make_crawl(tmp_path / "cc", n=2)
    manifest = write_manifest(tmp_path / "warc.paths.gz", [*rels, f"{CRAWL}/warc/gone.warc.gz"])
    missing = r"1 input file\(s\) from the manifest do not exist: .*gone"
    with pytest.raises(InputError, match=missing):
        resolve_inputs([], [ManifestSpec(str(manifest), str(tmp_path / "cc"))])


def test_shards_past_the_end(tmp_path):
    rels = make_crawl(tmp_path / "cc", n=2)
    manifest = write_manifest(tmp_path / "warc.paths.gz", rels)
    with pytest.raises(InputError, match=r"selects no line .*2 paths"):
        manifest_paths(ManifestSpec(str(manifest), str(tmp_path / "cc"), parse_shards("5:9")))


def test_pattern_without_match(tmp_path):
    with pytest.raises(InputError, match="input matches no file"):
        resolve_inputs([str(tmp_path / "*.warc.gz")])
    with pytest.raises(InputError, match="no input"):
        resolve_inputs([])
