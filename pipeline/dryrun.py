"""``zhclean run --dry-run``: everything up to running or submitting the job.

Config, options, inputs and output are checked as for a real run; then the graph is built.
Locally it is translated to Beam's portable form. With a remote runner Beam's own ``dry_run``
option is set, so e.g. the Dataflow runner does all its work — option validation, graph
translation and Dataflow-specific rewrites, building the sdist of ``--setup_file`` and the other
files it would stage — and returns just before creating the job. The sdist it built is then
opened to check that workers would get the configs, the language model and the lexicon.
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.portability.api import beam_runner_api_pb2

from zhclean.pipeline.runner import RunnerOptionError, is_local, runner_name

#: Members (prefixes) the package shipped to workers must contain.
REQUIRED_IN_SDIST = (
    "configs/default.yaml",
    "filters/resources/lid.176.ftz",
    "filters/resources/lexicon/",
)
SDIST_STAGED_NAME = "workflow.tar.gz"


@dataclass
class DryRunReport:
    """What a dry run built: runner, size of the graph, files that would be staged."""

    runner: str
    inputs: int
    transforms: int
    output: str
    artifacts: dict[str, str] = field(default_factory=dict)  # staged name -> local file
    job: Any = None  # the Dataflow job description (apiclient.Job) for remote runners

    def summary(self) -> str:
        staged = ", ".join(sorted(self.artifacts)) or "nothing"
        return (
            f"dry run OK: {self.runner}, {self.inputs} input file(s), {self.transforms} "
            f"transforms, output {self.output}; would stage: {staged}; nothing was run or "
            "submitted"
        )


def staged_artifacts(pipeline_proto: Any) -> dict[str, str]:
    """Files the runner would upload for the workers, by staged name."""
    found: dict[str, str] = {}
    for env in pipeline_proto.components.environments.values():
        for dep in env.dependencies:
            try:
                path = beam_runner_api_pb2.ArtifactFilePayload.FromString(dep.type_payload).path
                role = beam_runner_api_pb2.ArtifactStagingToRolePayload.FromString(
                    dep.role_payload
                )
            except Exception:  # other artifact kinds (URLs, embedded): not ours to check
                continue
            found[role.staged_name or path] = path
    return found


def sdist_missing(path: str) -> list[str]:
    """Required members absent from the sdist at ``path``."""
    with tarfile.open(path) as tar:
        names = [m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name]
    return [req for req in REQUIRED_IN_SDIST if not any(n.startswith(req) for n in names)]


def dry_run(
    p: beam.Pipeline, options: PipelineOptions, inputs: int, output: str
) -> DryRunReport:
    """Translate/validate the built pipeline ``p`` without running or submitting it."""
    if is_local(options):
        proto = p.to_runner_api()
        return DryRunReport(runner_name(options), inputs, len(proto.components.transforms), output)
    result = p.run()  # the runner sees TestOptions.dry_run and stops before submitting
    job = getattr(result, "job", None)
    if job is None:
        raise RunnerOptionError(f"{runner_name(options)} does not support --dry-run")
    proto = job.proto_pipeline
    report = DryRunReport(
        runner_name(options),
        inputs,
        len(proto.components.transforms),
        output,
        staged_artifacts(proto),
        job,
    )
    sdist = report.artifacts.get(SDIST_STAGED_NAME)
    if sdist:
        missing = sdist_missing(sdist)
        if missing:
            raise RunnerOptionError(
                f"the package staged for the workers lacks {', '.join(missing)}: run "
                "scripts/vendor_langid_model.py (or `make install`) and check MANIFEST.in"
            )
    return report
