# Two commands: `make run` (start the app) and `make test` (lint and the whole suite, offline).
# Everything they need is installed here: a fresh clone needs only Python 3.11 and make.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Each stamp names the hash of its requirements: editing a file reinstalls what it lists.
REQ_STAMP := $(VENV)/.req-$(shell cat requirements.txt | sha1sum | cut -c1-12)
BENCH_STAMP := $(VENV)/.bench-$(shell cat requirements.txt requirements-bench.txt | sha1sum | cut -c1-12)
TEST_STAMP := $(VENV)/.test-$(shell cat requirements.txt requirements-bench.txt requirements-serve.txt requirements-test.txt | sha1sum | cut -c1-12)
SERVE_STAMP := $(VENV)/.serve-$(shell cat requirements.txt requirements-serve.txt | sha1sum | cut -c1-12)
# ../shared/models holds real weights for development and CI (never copied into the repo).
SHARED_MODELS := $(abspath ../shared/models)
export VISION_MODELS_DIR ?= $(if $(wildcard $(SHARED_MODELS)),$(SHARED_MODELS),)
# `make models MODELS="id ..."`: only those models (registry ids, or yolov8n-style names).
MODELS ?=
# `make bench-quick` writes here (ignored), never to the tracked bench/results.json.
BENCH_QUICK_OUT ?= .cache/bench-quick.json

.PHONY: setup run serve test test-fast lint browser models bench bench-quick bench-load bench-load-quick bench-soak bench-soak-quick bench-answer bench-answer-quick bench-fast bench-fast-quick bench-work screenshots clean

setup: $(REQ_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(REQ_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

$(BENCH_STAMP): requirements.txt requirements-bench.txt $(REQ_STAMP)
	$(PIP) install -r requirements-bench.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-bench.txt requirements-serve.txt requirements-test.txt $(BENCH_STAMP)
	$(PIP) install -r requirements-test.txt
	touch $@

run: setup
	$(PY) -m streamlit run app.py

$(SERVE_STAMP): requirements.txt requirements-serve.txt $(REQ_STAMP)
	$(PIP) install -r requirements-serve.txt
	touch $@

# A local Ray cluster on 127.0.0.1 and the Serve app (one deployment per model), until Ctrl-C; then, in
# another terminal, `VISION_INFERENCE=http://127.0.0.1:8000 make run`. More: SERVE_ARGS="--replicas 2".
SERVE_ARGS ?=
serve: $(SERVE_STAMP)
	$(PY) -m engine.serving.serve_app $(SERVE_ARGS)

# A Chromium for the browser tests: Debian's package where apt works as root, else Playwright's.
browser: $(TEST_STAMP)
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-color-emoji; \
	else $(PY) -m playwright install chromium; fi
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-color-emoji || true; fi

# Lint first (the same rule as `make lint`), then every test.
test: lint browser
	$(PY) -m pytest

test-fast: $(TEST_STAMP)
	$(PY) -m pytest -m "not browser and not slow"

lint: $(TEST_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The README's pictures: the browser tests with their screenshots written into docs/screenshots/
# (otherwise they go to .pytest_cache/vision/screenshots, so `make test` leaves tracked files alone).
screenshots: browser
	VISION_SCREENSHOTS=docs/screenshots $(PY) -m pytest -m browser tests/browser

models: setup
	$(PY) -m engine download $(foreach m,$(MODELS),--model $(m))

bench: $(BENCH_STAMP)
	$(PY) -m bench

# A smoke test of the benchmark (about 30 s on two idle cores): the embedded model, one process, three runs,
# no whole-app memory run; it fails when the row was not measured.
bench-quick: $(BENCH_STAMP)
	$(PY) -m bench --models efficientnet-lite0 --runs 3 --min-runs 1 --seed-runs 1 --processes 1 \
		--skip-memory --timeout-s 300 --out $(BENCH_QUICK_OUT)
	$(PY) -c 'import json, sys; bad = [m["id"] for m in json.load(open(sys.argv[1]))["models"] if m.get("status") != "ok"]; print("bench-quick:", f"not measured: {bad}" if bad else "every row measured"); sys.exit(1 if bad else 0)' $(BENCH_QUICK_OUT)

# A class against one server: N = 1..32 sessions (Streamlit's websocket protocol; --client browser for
# Chromium) on /classification and /detection
# (p50/p95 upload-to-result, throughput, errors, server RSS); writes bench/load.json and bench/load.png.
bench-load: browser
	$(PY) -m bench load

# N = 1, 2 with one upload each on /classification and /detection, written to an ignored file (CI runs it).
bench-load-quick: browser
	$(PY) -m bench load --quick --out .cache/load-quick.json

# A class left running: 8 browser sessions doing random checked actions on every page for 15 minutes
# (no exception, every result right, server RSS growth < 5 % after the first minute); writes bench/soak.json.
bench-soak: browser
	$(PY) -m bench soak --minutes 15 --sessions 8

# The soak for 1 minute with 2 sessions, written to an ignored file (CI runs it; no RSS-growth goal).
bench-soak-quick: browser
	$(PY) -m bench soak --quick --out .cache/soak-quick.json

# What a student waits for, in Chromium: each page's main action to its result and pen up to guess on
# /pictionary (p50/p95, next to the model's own time) and each page's cold start (a fresh server to its
# first result); writes bench/answer.json.
bench-answer: browser
	$(PY) -m bench answer

# 3 strokes, one cold page and each action once, written to an ignored file (CI runs it; no time is a goal here).
bench-answer-quick: browser
	$(PY) -m bench answer --quick --out .cache/answer-quick.json

# "Modo rápido" against fp32, per model: forward-time ratio of each fast mode (bf16, int8) and its memory;
# on the real models (EfficientNet-Lite0/1/2, the sketch CNN, YOLOv8n) the time per image and the agreement
# on the sample photos and drawings; writes the fast_mode section of bench/results.json.
bench-fast: $(BENCH_STAMP)
	$(PY) -m bench fast

# EfficientNet-Lite0, the sketch CNN and YOLOv8n on two photos, into an ignored copy of the results (about 30 s).
bench-fast-quick: $(BENCH_STAMP)
	$(PY) -m bench fast --quick --out .cache/bench-fast-quick.json

# Each registry model's working memory per call (activations on the page's largest photo) against the
# work_mb the registry says, which the model cache makes room for before a call; fails when one is over.
bench-work: $(BENCH_STAMP)
	$(PY) -m bench work

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(BENCH_QUICK_OUT)
