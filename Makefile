# Encoder–decoder course (编码-解码结构): every task from one place.
#   make lab     set up if needed, then open JupyterLab on notebooks/
#   make lab-zh  the same on the Chinese edition (中文版), notebooks/zh_CN/
#   make test    set up if needed, then unit tests + every notebook under strict nbval
# Set-up creates .venv with $(PYTHON) (3.11) and installs requirements.txt; it is skipped
# while .venv/.installed is newer than requirements.txt and pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
# Extra arguments: make test PYTEST_ARGS="-k vocabulary", make lab LAB_ARGS="--no-browser"
PYTEST_ARGS ?=
LAB_ARGS ?=
# JupyterLab refuses to run as root (containers, CI) unless told it may.
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help install lab lab-zh i18n chinese test unit execute bench student grade html html-instructor slides browser lock pins lint clean

help:
	@echo "make lab      open the course in JupyterLab (installs on first use)"
	@echo "make lab-zh   open the Chinese edition (中文版) in JupyterLab: notebooks/zh_CN/"
	@echo "make i18n     refresh the translation catalogues in locale/ after an English change"
	@echo "make chinese  rebuild README.zh-CN.md, TEACHING.zh-CN.md and notebooks/zh_CN/ from the catalogues"
	@echo "make test     run every test: unit tests and all notebooks under nbval"
	@echo "make unit     unit tests only (fast)"
	@echo "make execute  regenerate the stored outputs of notebooks (NB=notebooks/00_welcome.ipynb for one)"
	@echo "make bench    run every notebook in a fresh kernel; time and peak memory to benchmarks/"
	@echo "make student  the student edition, solutions removed, into build/student/"
	@echo "make grade SUBMISSIONS=dir/  run and score students' notebooks: build/grades/grades.csv + reports/"
	@echo "make html     the course as a static site that works offline, without solutions: build/html/"
	@echo "make html-instructor  the same site with the exercise solutions: build/html-instructor/"
	@echo "make slides   reveal.js lecture slides, one deck per notebook, offline: build/slides/"
	@echo "make browser  install Debian's chromium + chromedriver for the site tests (make test does)"
	@echo "make lock     rewrite requirements.txt from .venv (after adding a package)"
	@echo "make pins     check requirements.txt, pyproject.toml and environment.yml agree"
	@echo "make lint     ruff over helpers, scripts and tests"
	@echo "make clean    remove .venv, caches and build output"

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "Python 3.11 is needed (found %d.%d at $(PYTHON)); run: make PYTHON=/path/to/python3.11 ..." % v)'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input --no-deps --no-build-isolation -e .
	@touch $(STAMP)
	@echo "set-up done: $(VENV) matches requirements.txt"

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

# The Chinese notebooks are written from the English ones and locale/zh_CN/; a notebook you
# changed there is kept (delete it to get the course's version back).
lab-zh: $(STAMP)
	$(BIN)/python -m scripts.i18n build
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks/zh_CN $(ALLOW_ROOT) $(LAB_ARGS)

i18n: $(STAMP)
	$(BIN)/python -m scripts.i18n update

chinese: $(STAMP)
	$(BIN)/python -m scripts.i18n build

# Two pytest-xdist workers: the notebooks in course order, and the unit tests at low priority
# (conftest.py). Plain `pytest` runs everything in one process, as before.
test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

NB ?= notebooks/*.ipynb
execute: $(STAMP)
	$(BIN)/python -m scripts.execute $(NB)

bench: $(STAMP)
	$(BIN)/python -m scripts.bench

student: $(STAMP)
	$(BIN)/python -m scripts.student

# Grade a class: make grade SUBMISSIONS=path/ [GRADE_ARGS="--timeout 900 --out DIR"]
SUBMISSIONS ?=
GRADE_ARGS ?=
grade:
	@test -n "$(SUBMISSIONS)" || { echo "make grade: say where the submissions are: make grade SUBMISSIONS=path/to/folder/"; \
	  echo "  (one completed student edition per student: alice__06_seq2seq_keras.ipynb, or alice/06_seq2seq_keras.ipynb)"; exit 2; }
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python -m scripts.grade "$(SUBMISSIONS)" $(GRADE_ARGS)

html: $(STAMP)
	$(BIN)/python -m scripts.site html

html-instructor: $(STAMP)
	$(BIN)/python -m scripts.site html-instructor

slides: $(STAMP)
	$(BIN)/python -m scripts.site slides

# The site tests drive a real browser. On Debian/Ubuntu this installs chromium, its
# chromedriver and a CJK font (as root, or with sudo); elsewhere those tests are skipped.
BROWSER_PACKAGES = chromium chromium-driver fonts-wqy-microhei
SUDO = $(if $(filter 0,$(shell id -u)),,sudo)
browser:
	@if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	  if ! dpkg-query -W -f='$${Status}\n' $(BROWSER_PACKAGES) 2>/dev/null | grep -vq '^install ok installed$$' \
	     && [ "$$(dpkg-query -W -f='$${Status}\n' $(BROWSER_PACKAGES) 2>/dev/null | wc -l)" -eq $(words $(BROWSER_PACKAGES)) ]; then :; \
	  else echo "installing $(BROWSER_PACKAGES) for the browser tests of the site ..."; \
	    { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	      --no-install-recommends $(BROWSER_PACKAGES) >/dev/null && echo "browser installed"; } \
	    || echo "note: could not install $(BROWSER_PACKAGES); the browser tests will be skipped (or fail under CI)"; fi; \
	elif command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	else echo "note: no chromium/chromedriver and no apt-get; the browser tests of the site are skipped"; fi

lock: $(STAMP)
	@{ sed -n '1,3p' requirements.txt; $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check; } > requirements.txt.new
	@mv requirements.txt.new requirements.txt && echo "requirements.txt rewritten; now run: $(BIN)/python -m scripts.pins --write"

pins: $(STAMP)
	$(BIN)/python -m scripts.pins

lint: $(STAMP)
	$(BIN)/ruff check helpers scripts tests conftest.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
