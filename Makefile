# gongkai — the two set-up commands of the README:
#   make run    create .venv, install, read the bundled example reports
#   make test   install what the tests need (Debian packages too), lint, type-check, test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests use: LibreOffice (DOCX -> PDF), CJK fonts, pdftoppm, Chromium, PostgreSQL,
# a C compiler and Python's headers (the compiled reader, tests/test_compiled.py)
DEB_TEST := libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils chromium postgresql libgl1 libglib2.0-0 gcc python3-dev
DEB_RUN := python3-venv

.PHONY: run test lint typecheck pytest test-compiled deb-test bench docs clean

$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "installing python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_RUN) >/dev/null && \
	  $(PYTHON) -m venv $(VENV); }
	@$(PIP) install -q --upgrade pip >/dev/null

$(VENV)/.installed: $(PY) pyproject.toml
	$(PIP) install -q -e . 2>&1 | grep -v -i "warning" || true
	@$(PY) -c "import gongkai" && touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -q -e '.[dev]' 2>&1 | grep -v -i "warning" || true
	@$(PY) -c "import pytest, hypothesis, mypy" && touch $@

EXAMPLES := $(wildcard examples/*.txt examples/*.html examples/*.md)

run: $(VENV)/.installed
	@$(VENV)/bin/gongkai parse $(EXAMPLES)
	@echo
	@$(VENV)/bin/gongkai check examples/with-mistakes/qingshan-jiaoyu-2024.txt examples/qingshan-minzheng-2024.html examples/qingshan-szf-2024.html || true
	@echo
	@mkdir -p out
	@$(VENV)/bin/gongkai corpus --db out/corpus.db add examples
	@$(VENV)/bin/gongkai corpus --db out/corpus.db stats --by level
	@$(VENV)/bin/gongkai corpus --db out/corpus.db rank
	@$(VENV)/bin/gongkai corpus --db out/corpus.db chart outcomes -o out/outcomes.png --force
	@echo
	@echo "下一步 / what to try next:"
	@echo "  $(VENV)/bin/gongkai parse examples/qingshan-minzheng-2024.txt --explain    # 哪段文字成了哪一格 / which text became which cell"
	@echo "  $(VENV)/bin/gongkai parse examples/qingshan-minzheng-2024.html --json      # 报告记录 / the report record"
	@echo "  $(VENV)/bin/gongkai --lang en check examples/*.html                         # 英文检查结果 / findings in English"
	@echo "  $(VENV)/bin/gongkai template --xlsx out/2025.xlsx --from examples/qingshan-minzheng-2024.html"
	@echo "  $(VENV)/bin/gongkai render examples/qingshan-minzheng-2024.yaml --to docx -o out/report.docx"
	@echo "  $(VENV)/bin/gongkai rules                                                   # 检查规则 / the rule catalogue"
	@echo "  $(VENV)/bin/gongkai corpus --db out/corpus.db rank --explain                # 评分公式 / how the score is made"
	@echo "  $(VENV)/bin/gongkai corpus --db out/corpus.db findings --xlsx out/整改.xlsx --force   # 整改工作簿 / follow-up workbook"
	@echo "  $(VENV)/bin/gongkai corpus --db out/corpus.db export -o out/corpus.csv --force         # 导出 / export"
	@echo "  $(VENV)/bin/gongkai serve --db out/corpus.db                                # 浏览器查看 http://127.0.0.1:8000 / in a browser"
	@echo "  $(VENV)/bin/gongkai ledger deadline --received 2025-09-28                   # 答复期限（含调休） / a statutory deadline, explained"

deb-test:
	@missing=""; for p in $(DEB_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "apt-get install$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check src tests bench setup.py
	$(VENV)/bin/ruff format --check src tests bench setup.py

typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

pytest: $(VENV)/.installed-dev
	$(VENV)/bin/python -m pytest -q -n auto --cov=gongkai --cov-report=term:skip-covered --cov-fail-under=80 tests

test: deb-test $(VENV)/.installed-dev lint typecheck pytest

# the whole suite again, against the wheel whose hot modules mypyc compiled (setup.py)
test-compiled: deb-test $(VENV)/.installed-dev
	@rm -rf build/compiled && mkdir -p build/compiled
	$(PY) bench/compiled.py build/compiled
	PYTHONPATH=build/compiled/site $(PY) -m pytest -q -n auto tests --deselect tests/test_compiled.py

bench: $(VENV)/.installed-dev
	$(PY) bench/accuracy.py
	$(PY) bench/throughput.py
	$(PY) bench/web.py --n 400 --seconds 5

docs: $(VENV)/.installed
	$(PY) -m gongkai.docs docs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache out
