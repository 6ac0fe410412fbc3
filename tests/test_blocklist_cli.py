"""``zhclean blocklist build|check``: writes the documented format, reports bad input with file
and line and exit code 2."""

from __future__ import annotations

import argparse
import hashlib
import json

import pytest

from zhclean.pipeline.commands import blocklist as command


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="zhclean")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["blocklist", *argv])
    return args.func(args, [])


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "urls.txt").write_text("# urls\nhttp://Bad.example/a#x\n\nbad.example/中文\n")
    (tmp_path / "domains.txt").write_text("*.spam.example\nwww.game163.in  \n")
    (tmp_path / "docs.jsonl").write_text(
        json.dumps({"text": "被封锁的文档" * 20}, ensure_ascii=False)
        + "\n"
        + json.dumps({"text": "另一份文件内容", "category": "abuse"}, ensure_ascii=False)
        + "\n"
    )
    (tmp_path / "paras.txt").write_text("这是一段足够长的被封锁的段落内容，用于测试段落匹配。\n")
    md5 = hashlib.md5(b"http://md5.example/x").hexdigest()
    (tmp_path / "md5.txt").write_text(f"{md5}  delivered-by-hotline\n")
    return tmp_path


def test_build_then_check(inputs, capsys):
    out = inputs / "list.txt"
    code = _run(
        "build",
        "--output", str(out),
        "--urls", str(inputs / "urls.txt"),
        "--domains", str(inputs / "domains.txt"),
        "--documents", str(inputs / "docs.jsonl"),
        "--paragraphs", str(inputs / "paras.txt"),
        "--url-digests", str(inputs / "md5.txt"),
        "--algo", "md5",
        "--category", "porn",
    )  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["entries"] == {
        "url/xxh64": 2,
        "url/md5": 1,
        "domain/xxh64": 2,
        "document/xxh64": 2,
        "paragraph/xxh64": 1,
        "near/minhash": 1,
    }
    lines = out.read_text().splitlines()
    assert all(ln.startswith("#") for ln in lines[:4])
    assert "url\tmd5:" + hashlib.md5(b"http://md5.example/x").hexdigest() + "\tporn" in lines

    probes = [
        "https://bad.example:443/a",
        "http://x.y.spam.example/",
        "http://md5.example/x",
        "http://game163.in/",
        "http://bad.example/%E4%B8%AD%E6%96%87",
    ]
    code = _run("check", str(out), *(f"--url={u}" for u in probes))
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["categories"] == {"porn": 8, "abuse": 1}
    assert [(p["reason"], p["category"]) for p in report["probes"]] == [
        ("blocklist/url", "porn"),
        ("blocklist/domain", "porn"),
        ("blocklist/url", "porn"),
        (None, None),  # only www.game163.in and its subdomains are listed
        ("blocklist/url", "porn"),
    ]


def test_build_is_deterministic_and_gzip_works(inputs, capsys):
    args = ["--urls", str(inputs / "urls.txt"), "--documents", str(inputs / "docs.jsonl")]
    assert _run("build", "--output", str(inputs / "a.txt"), *args) == 0
    assert _run("build", "--output", str(inputs / "b.txt"), *args) == 0
    assert (inputs / "a.txt").read_bytes() == (inputs / "b.txt").read_bytes()
    assert _run("build", "--output", str(inputs / "c.txt.gz"), *args) == 0
    capsys.readouterr()
    assert _run("check", str(inputs / "c.txt.gz")) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert entries == {"url/xxh64": 2, "document/xxh64": 2, "near/minhash": 1}


def test_bad_input_line_is_named_and_nothing_is_written(inputs, capsys):
    (inputs / "bad_urls.txt").write_text("http://ok.example/\n# fine\nhttp://bad host/\n")
    out = inputs / "never.txt"
    assert _run("build", "--output", str(out), "--urls", str(inputs / "bad_urls.txt")) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("zhclean: error: ") and "bad_urls.txt:3: invalid host" in err
    assert "\n" not in err
    assert not out.exists() and not list(inputs.glob("never.txt.tmp*"))

    code = _run(
        "build", "--output", str(out), "--urls", str(inputs / "bad_urls.txt"), "--skip-invalid"
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["inputs"][0]["skipped"] == 1 and summary["entries"] == {"url/xxh64": 1}


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--url-digests", "{d}/md5.txt"], "--algo is required"),
        (["--urls", "{d}/missing.txt"], "input file not found"),
        (["--urls", "{d}/urls.txt", "--category", "two words"], "--category"),
        ([], "nothing to build"),
    ],
)
def test_build_usage_errors(inputs, capsys, argv, needle):
    argv = [a.format(d=inputs) for a in argv]
    assert _run("build", "--output", str(inputs / "x.txt"), *argv) == 2
    assert needle in capsys.readouterr().err


def test_unknown_algorithm_is_refused_by_the_parser(inputs):
    with pytest.raises(SystemExit) as info:
        _run("build", "--output", "x", "--url-digests", str(inputs / "md5.txt"), "--algo", "crc32")
    assert info.value.code == 2


def test_check_reports_malformed_list_with_file_and_line(tmp_path, capsys):
    path = tmp_path / "third_party.txt"
    path.write_text("# list\nurl\txxh64:0123456789abcdef\nurl\tcrc32:01234567\n")
    assert _run("check", str(path)) == 2
    err = capsys.readouterr().err
    assert f"{path}:3: unknown algorithm 'crc32'" in err
    assert _run("check", str(tmp_path / "missing.txt")) == 2
    assert "list file not found" in capsys.readouterr().err
