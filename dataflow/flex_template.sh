#!/usr/bin/env bash
# Build the zhclean image and Flex Template spec, or launch a job from it.
#
#   export PROJECT=my-project REGION=us-central1 BUCKET=my-bucket REPO=zhclean
#   dataflow/flex_template.sh build
#   dataflow/flex_template.sh run output=gs://$BUCKET/runs/cc-0-100,input_manifest=gs://$BUCKET/cc/warc.paths.gz,input_prefix=gs://$BUCKET/cc/,shards=0:100 [--max-workers 50 ...]
#
# build: docker build + push of the Dockerfile's image to Artifact Registry, then the template
#        spec (dataflow/metadata.json + image) to gs://$BUCKET/templates/zhclean.json.
# run:   gcloud dataflow flex-template run with the template parameters (NAME=VALUE,... as in
#        dataflow/metadata.json) and the workers on the same image (sdk_container_image: they
#        need zhclean, its model and lexicon, and the launcher's code); further gcloud
#        flags (--max-workers, --worker-machine-type, --service-account-email ...) pass through.
set -euo pipefail
: "${PROJECT:?set PROJECT}" "${REGION:?set REGION}" "${BUCKET:?set BUCKET}"
REPO="${REPO:-zhclean}"
TAG="${TAG:-$(cd "$(dirname "$0")/.." && python3 setup.py --version 2>/dev/null || echo latest)}"
IMAGE="${IMAGE:-${REGION}-docker.pkg.dev/${PROJECT}/${REPO}/zhclean:${TAG}}"
SPEC="${SPEC:-gs://${BUCKET}/templates/zhclean.json}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

case "${1:-}" in
  build)
    docker build -t "$IMAGE" "$ROOT"
    docker push "$IMAGE"
    gcloud dataflow flex-template build "$SPEC" \
      --project "$PROJECT" \
      --image "$IMAGE" \
      --sdk-language PYTHON \
      --metadata-file "$ROOT/dataflow/metadata.json"
    echo "template: $SPEC  image: $IMAGE"
    ;;
  run)
    PARAMS="${2:?give the template parameters, e.g. output=gs://...,input=gs://...}"
    shift 2
    gcloud dataflow flex-template run "zhclean-$(date +%Y%m%d-%H%M%S)" \
      --project "$PROJECT" \
      --region "$REGION" \
      --template-file-gcs-location "$SPEC" \
      --temp-location "gs://${BUCKET}/tmp" \
      --staging-location "gs://${BUCKET}/staging" \
      --additional-user-labels "app=zhclean" \
      --additional-pipeline-options "sdk_container_image=${IMAGE}" \
      --parameters "${PARAMS}" \
      "$@"
    ;;
  *)
    echo "usage: $0 build | run output=gs://...,input=gs://... [gcloud flags]" >&2
    exit 2
    ;;
esac
