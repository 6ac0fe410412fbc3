"""gs:// inputs, manifests and outputs through Beam's GCS filesystem, against a real GCS API
server (gcp-storage-emulator on loopback, started by the fixture; no mocked client)."""

from __future__ import annotations

import gzip
import os

import apache_beam as beam
import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import DirectOptions
from apache_beam.testing.util import assert_that, equal_to

from tests.gcs_emulator import gcs_emulator
from tests.warc_factory import html_page, http_response, rid, warc_bytes
from zhclean.pipeline.inputs import InputError, ManifestSpec, parse_shards, resolve_inputs
from zhclean.pipeline.outputs import OutputError, OutputExistsError, check_output, open_output
from zhclean.pipeline.runner import make_options, make_runner

CRAWL = "crawl-data/CC-MAIN-2024-10/segments/1707947473347.0/warc"


@pytest.fixture(scope="module")
def gcs():
    with gcs_emulator() as server:
        server.make_bucket("zh-in")
        server.make_bucket("zh-out")
        for i in range(4):
            page = http_response(f"http://a.cn/{i}", html_page(f"页{i}"), record_id=rid(i))
            data = warc_bytes([page])
            server.upload(f"gs://zh-in/{CRAWL}/CC-MAIN-{i:05d}.warc.gz", data)
        yield server


def test_beam_gcs_client_is_anonymous_and_points_at_the_emulator(gcs):
    from apache_beam.io.gcp.gcsio import GcsIO
    from google.auth.credentials import AnonymousCredentials

    client = GcsIO().client  # what Beam's gs:// filesystem builds for every operation
    assert isinstance(client._credentials, AnonymousCredentials)
    assert gcs.url == client._connection.API_BASE_URL


def test_beam_filesystem_reads_and_writes_the_emulator(gcs):
    with FileSystems.create("gs://zh-out/probe/hello.txt") as fh:
        fh.write("你好".encode())
    with FileSystems.open("gs://zh-out/probe/hello.txt") as fh:
        assert fh.read().decode() == "你好"
    assert gcs.download("gs://zh-out/probe/hello.txt") == "你好".encode()
    FileSystems.delete(["gs://zh-out/probe/hello.txt"])


def test_glob_on_gcs(gcs):
    files = resolve_inputs([f"gs://zh-in/{CRAWL}/*.warc.gz"])
    expected = [f"gs://zh-in/{CRAWL}/CC-MAIN-{i:05d}.warc.gz" for i in range(4)]
    assert [f["path"] for f in files] == expected
    assert all(f["size_bytes"] > 100 for f in files)


def test_missing_bucket_is_one_clear_line(gcs):
    with pytest.raises(InputError) as err:
        resolve_inputs(["gs://no-such-bucket/x/*.warc.gz"])
    message = str(err.value)
    assert "\n" not in message
    assert "input bucket gs://no-such-bucket does not exist" in message


def test_missing_object(gcs):
    with pytest.raises(InputError, match=r"input matches no file: gs://zh-in/nope\.warc\.gz"):
        resolve_inputs(["gs://zh-in/nope.warc.gz"])


def test_gcs_manifest_and_prefix_with_shards(gcs):
    lines = [f"{CRAWL}/CC-MAIN-{i:05d}.warc.gz" for i in range(4)]
    gcs.upload("gs://zh-in/lists/warc.paths.gz", gzip.compress("\n".join(lines).encode()))
    spec = ManifestSpec("gs://zh-in/lists/warc.paths.gz", "gs://zh-in/", parse_shards("1:3"))
    files = resolve_inputs([], [spec])
    assert [f["path"] for f in files] == [f"gs://zh-in/{line}" for line in lines[1:3]]


def test_gcs_manifest_missing_shard_and_bucket(gcs):
    lines = f"{CRAWL}/CC-MAIN-00000.warc.gz\n{CRAWL}/gone.warc.gz\n"
    gcs.upload("gs://zh-in/lists/bad.paths", lines.encode())
    with pytest.raises(InputError, match=r"1 input file\(s\) from the manifest do not exist"):
        resolve_inputs([], [ManifestSpec("gs://zh-in/lists/bad.paths", "gs://zh-in")])
    with pytest.raises(InputError, match="input manifest bucket gs://nobucket does not exist"):
        resolve_inputs([], [ManifestSpec("gs://nobucket/warc.paths.gz", "gs://zh-in")])
    with pytest.raises(InputError, match=r"input manifest does not exist: gs://zh-in/no\.paths"):
        resolve_inputs([], [ManifestSpec("gs://zh-in/no.paths", "gs://zh-in")])


def test_gcs_output_refused_when_not_empty_or_bucket_missing(gcs):
    check_output("gs://zh-out/fresh")  # empty: fine
    gcs.upload("gs://zh-out/used/kept/part-00000-of-00001.jsonl.gz", b"x")
    with pytest.raises(OutputExistsError, match="gs://zh-out/used is not empty"):
        check_output("gs://zh-out/used")
    with pytest.raises(OutputError, match="output bucket gs://no-bucket-here does not exist"):
        check_output("gs://no-bucket-here/out")
    with pytest.raises(OutputError, match="--overwrite works for local outputs only"):
        check_output("gs://zh-out/fresh", overwrite=True)
    slot = open_output("gs://zh-out/fresh/")
    assert slot.work == slot.final == "gs://zh-out/fresh"


# Run on the workers. Compiled as if in ``__main__`` so that it is pickled by value: the worker
# then imports nothing of zhclean or of this test module for it, and anything of zhclean found
# in its sys.modules was imported through the ``beam_plugins`` the runner passed on.
_WORKER_CODE = """
def read_on_worker(path):
    import os, sys
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.io.gcp.gcsio import GcsIO
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as fh:
        size = len(fh.read())
    anonymous = type(GcsIO().client._credentials).__name__ == "AnonymousCredentials"
    return path, size, os.getpid(), "zhclean.pipeline.gcs" in sys.modules, anonymous
"""


def test_worker_processes_reach_the_emulator(gcs):
    """Multi-process local runs: each worker imports the zhclean.pipeline.gcs plugin before
    anything else, so it talks to the emulator anonymously at once instead of spending ~25 s
    searching for Google credentials."""
    namespace = {"__name__": "__main__"}
    exec(_WORKER_CODE, namespace)
    paths = [f"gs://zh-in/{CRAWL}/CC-MAIN-{i:05d}.warc.gz" for i in range(4)]
    here = os.getpid()
    options = make_options(["--direct_num_workers=2"])
    assert options.view_as(DirectOptions).direct_running_mode == "multi_processing"
    with beam.Pipeline(runner=make_runner(options), options=options) as p:
        seen = (
            p
            | beam.Create(paths)
            | beam.Reshuffle()
            | beam.Map(namespace["read_on_worker"])
            | beam.Map(lambda t, here=here: (t[0], t[1], t[2] != here, t[3], t[4]))
        )
        expected = [(path, len(gcs.download(path)), True, True, True) for path in paths]
        assert_that(seen, equal_to(expected))
