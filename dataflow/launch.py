"""Flex Template entry point: ``FLEX_TEMPLATE_PYTHON_PY_FILE`` in the Docker image points here.

The Flex Template launcher runs ``python launch.py --name=value ...`` with the template
parameters (``dataflow/metadata.json``) and Dataflow's own options (project, region, job name,
temp/staging locations, ``sdk_container_image`` ...). This turns them into one
``zhclean run`` command line: DataflowRunner unless a runner is given, the packaged default
config unless ``--config`` is given, and ``--detach`` so the launcher returns once the job is
submitted (the job writes ``stats.json`` itself; ``zhclean report OUT`` renders the report).
"""

from __future__ import annotations

import sys
from importlib.resources import files


def _has(argv: list[str], *names: str) -> bool:
    return any(a.split("=", 1)[0] in names for a in argv)


def zhclean_argv(argv: list[str]) -> list[str]:
    """The ``zhclean`` arguments for the launcher's argument list."""
    args = ["run", *argv]
    if not _has(argv, "--config"):
        args.append(f"--config={files('zhclean.configs') / 'default.yaml'}")
    if not _has(argv, "--runner"):
        args.append("--runner=DataflowRunner")
    if not _has(argv, "--detach", "--dry-run", "--dry_run"):
        args.append("--detach")
    return args


def main(argv: list[str] | None = None) -> int:
    from zhclean.pipeline.cli import main as zhclean_main

    return zhclean_main(zhclean_argv(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
