"""What Dataflow workers get: the sdist built for ``--setup_file`` and the Docker image spec.

The sdist is built the way Beam's stager builds it when ``build`` is not installed
(``python setup.py sdist``), in a copy of the source tree so the shared checkout is not touched,
then installed with pip (no dependencies, no network) to check that the data files really land
in the installed package.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "out", ".pytest_cache",
    ".ruff_cache", "examples",
)


def worker_data_files() -> list[str]:
    """Repository paths of every data file workers need."""
    resources = REPO / "filters" / "resources"
    files = [p for p in resources.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += list((REPO / "configs").glob("*.yaml"))
    files += [p for p in (REPO / "pipeline" / "templates").glob("*") if p.is_file()]
    return sorted(str(p.relative_to(REPO)) for p in files)


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src") / "zhclean"
    shutil.copytree(REPO, src, ignore=IGNORE)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "setup.py", "-q", "sdist", "--dist-dir", str(dist)],
        cwd=src, check=True, capture_output=True,
    )
    (archive,) = dist.glob("zhclean-*.tar.gz")
    return archive


def test_worker_data_files_exist_in_the_checkout():
    names = worker_data_files()
    assert "filters/resources/lid.176.ftz" in names, "run scripts/vendor_langid_model.py"
    assert "configs/default.yaml" in names
    assert any(n.startswith("filters/resources/lexicon/") for n in names), "default lexicon"


def test_sdist_contains_configs_model_lexicon_and_templates(sdist):
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    missing = [name for name in worker_data_files() if name not in members]
    assert not missing, f"not in the sdist: {missing}"
    assert not any(m.startswith(("tests/", "benchmarks/", "examples/")) for m in members)


def test_sdist_installs_the_data_into_the_package(sdist, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(sdist)],
        check=True, capture_output=True,
    )
    package = target / "zhclean"
    for name in worker_data_files():
        top, rest = name.split("/", 1)
        assert (package / top / rest).is_file(), f"{name} not installed from the sdist"
    assert (package / "pipeline" / "cli.py").is_file()


def _from_lines() -> list[str]:
    text = (REPO / "Dockerfile").read_text()
    return re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)


def test_dockerfile_base_image_matches_installed_beam_and_python():
    images = [i for i in _from_lines() if i.startswith("apache/beam_python")]
    assert len(images) == 1, _from_lines()
    match = re.fullmatch(r"apache/beam_python(\d+\.\d+)_sdk:(\S+)", images[0])
    assert match, images[0]
    python, beam = match.groups()
    assert beam == metadata.version("apache-beam")
    # Dataflow needs the same Python minor version on workers as where the job is submitted.
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert _from_lines()[-1] == images[0], "the Beam SDK image must be the final stage"
    pin = re.search(r'"apache-beam\[gcp\]==([^"]+)"', (REPO / "setup.py").read_text())
    assert pin and pin.group(1) == beam


def test_dockerfile_flex_entry_point_exists():
    text = (REPO / "Dockerfile").read_text()
    entry = re.search(r"FLEX_TEMPLATE_PYTHON_PY_FILE=(\S+)", text)
    assert entry and entry.group(1).startswith("/opt/zhclean/")
    assert (REPO / entry.group(1).removeprefix("/opt/zhclean/")).is_file()
    assert 'ENTRYPOINT ["/opt/apache/beam/boot"]' in text
