# The same commands run on a laptop and in CI (.ci/run calls `make test`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install dev worker beat fmt lint ci messages clean bench hooks

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade "pip>=24"
	$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## make run: the portal with demo data on SQLite, at http://127.0.0.1:8000/
run: $(STAMP)
	@scripts/system-deps.sh run
	DEBUG=1 $(PY) manage.py demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite (SQLite by default; DATABASE_URL/REDIS_URL switch to PostgreSQL/Redis)
test: $(STAMP)
	@scripts/system-deps.sh test
	$(PY) -m pytest -n 2 --dist loadgroup --cov --cov-report=term

worker: $(STAMP)
	$(VENV)/bin/celery -A award_portal worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A award_portal beat -l info

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check
	$(VENV)/bin/lint-imports

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages -l en -l zh_Hans --ignore=.venv

## make hooks: the checks CI runs first (scripts/pre-commit), before every commit
hooks: $(STAMP)
	mkdir -p "$$(git rev-parse --git-path hooks)"
	ln -sf "$$(pwd)/scripts/pre-commit" "$$(git rev-parse --git-path hooks)/pre-commit"

bench: $(STAMP)
	$(PY) -m bench

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
