# Two commands: `make run` (start the app) and `make test` (the whole suite, offline).
# Everything they need is installed here: a fresh clone needs only Python 3.11 and make.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
REQ_STAMP := $(VENV)/.req-$(shell cat requirements.txt | sha1sum | cut -c1-12)
TEST_STAMP := $(VENV)/.test-$(shell cat requirements.txt requirements-test.txt | sha1sum | cut -c1-12)
# ../shared/models holds real weights for development and CI (never copied into the repo).
SHARED_MODELS := $(abspath ../shared/models)
export VISION_MODELS_DIR ?= $(if $(wildcard $(SHARED_MODELS)),$(SHARED_MODELS),)

.PHONY: setup run test test-fast lint browser models bench clean

setup: $(REQ_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(REQ_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt $(REQ_STAMP)
	$(PIP) install -r requirements-test.txt
	touch $@

run: setup
	$(PY) -m streamlit run Home.py

# A Chromium for the browser tests: Debian's package where apt works as root, else Playwright's.
browser: $(TEST_STAMP)
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-color-emoji; \
	else $(PY) -m playwright install chromium; fi
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-color-emoji || true; fi

test: $(TEST_STAMP) browser
	$(PY) -m ruff check .
	$(PY) -m pytest

test-fast: $(TEST_STAMP)
	$(PY) -m pytest -m "not browser and not slow"

lint: $(TEST_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

models: setup
	$(PY) -m engine download

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
