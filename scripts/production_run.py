#!/usr/bin/env python3
"""docker-compose.yml's app services started natively: the production shape without containers.

``migrate``, ``web``, ``worker`` and ``beat`` run with the commands and the environment written in
docker-compose.yml, so that what CI proves is what ``docker compose up`` runs. Only what a
container would provide differs, and only here:

- the file's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?message}`` are filled from the variables
  given (the ``.env`` beside the compose file), as compose fills them; ``SITE_URL`` defaults to
  the run's own address;
- ``DATABASE_URL`` and ``REDIS_URL`` point at the given PostgreSQL and Redis instead of the
  ``db`` and ``redis`` containers, and ``CELERY_QUEUE`` names a queue of this run's own, so that
  runs sharing a Redis never take each other's tasks;
- the container's paths map into a run directory (``/app/var`` to ``RUN/var``, ``/tmp`` to
  ``RUN/tmp``, a home in ``RUN/home``), and web listens on 127.0.0.1:PORT instead of
  0.0.0.0:8000 (the health checks are rewritten the same way);
- the image's build step (``collectstatic``, Dockerfile) runs first, into ``RUN/var/static``;
- ``python``, ``gunicorn`` and ``celery`` are this interpreter's (the project's venv).

By hand, until Ctrl-C (the database must exist; ``migrate`` brings it up to date)::

    python scripts/production_run.py \\
        --database-url postgres://award:award@127.0.0.1:5432/award_prod \\
        --redis-url redis://127.0.0.1:6379/4 [--port 8123] [--set HTTPS=1 ...]

tests/deploy/test_production_shape.py drives a whole cycle through it.
"""

# The commands run here are docker-compose.yml's own (S603); "/tmp/" is the container's (S108).
# ruff: noqa: S603, S108

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
# In the order compose starts them: migrate runs to completion first.
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("web", "worker", "beat")
CONTAINER_PORT = 8000

_REFERENCE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<plain>[A-Za-z_]\w*))")
_BRACED = re.compile(r"(?P<name>[A-Za-z_]\w*)(?:(?P<colon>:?)(?P<op>[-?+])(?P<arg>.*))?", re.S)


class MissingVariable(ValueError):
    """A ``${VAR:?message}`` of the compose file with VAR unset: compose refuses to start."""


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    """Compose's variable substitution: ``$$`` is a literal ``$``; ``${VAR:-x}`` gives x when VAR
    is unset or empty, ``${VAR-x}`` only when unset; ``${VAR:?msg}`` / ``${VAR?msg}`` refuse;
    ``${VAR:+x}`` gives x when VAR is set and not empty; an unset ``${VAR}`` is empty."""

    def replace(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        if match["plain"]:
            return variables.get(match["plain"], "")
        parts = _BRACED.fullmatch(match["braced"])
        if parts is None:
            raise ValueError(f"invalid interpolation: ${{{match['braced']}}}")
        value = variables.get(parts["name"])
        missing = value is None or (parts["colon"] == ":" and value == "")
        op, arg = parts["op"], parts["arg"]
        if op == "-":
            return interpolate(arg, variables) if missing else value
        if op == "?":
            if missing:
                raise MissingVariable(f"{parts['name']}: {arg}")
            return value
        if op == "+":
            return "" if missing else interpolate(arg, variables)
        return value or ""

    return _REFERENCE.sub(replace, text)


@dataclass
class Service:
    """One service of the compose file, with its variables filled in."""

    name: str
    command: list[str]
    environment: dict[str, str]
    healthcheck: list[str] | None


def load_services(variables: Mapping[str, str], path: Path = COMPOSE_FILE) -> dict[str, Service]:
    """The app services of ``path`` (merge keys resolved), interpolated with ``variables``."""
    compose = yaml.safe_load(path.read_text())
    services = {}
    for name in APP_SERVICES:
        spec = compose["services"][name]
        if "command" not in spec:
            raise ValueError(f"{path.name}: service {name} has no command")
        command = spec["command"]
        if isinstance(command, str):
            command = shlex.split(command)
        environment = spec.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        test = (spec.get("healthcheck") or {}).get("test")
        services[name] = Service(
            name=name,
            command=[interpolate(str(arg), variables) for arg in command],
            environment={
                key: interpolate("" if value is None else str(value), variables)
                for key, value in environment.items()
            },
            healthcheck=None if test is None else [interpolate(str(t), variables) for t in test],
        )
    return services


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ProductionRun:
    """The app services of docker-compose.yml as native processes (see the module docstring).

    ``variables`` play the part of the ``.env`` file; ``extra_env`` is added to every process
    (the clock of tests/deploy). ``start()`` builds, migrates, starts and waits for /healthz/;
    ``stop()`` ends every process it started, by pid."""

    database_url: str
    redis_url: str
    run_dir: Path
    variables: dict[str, str] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    queue: str = field(default_factory=lambda: f"production-run-{secrets.token_hex(4)}")
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self):
        self.run_dir = Path(self.run_dir)
        self.variables = {"SITE_URL": self.url, **self.variables}
        self.services = load_services(self.variables)
        for name in ("var/media", "var/static", "tmp", "home", "logs"):
            (self.run_dir / name).mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what a container would provide -------------------------------------------------
    def native(self, value: str) -> str:
        """A container path or address as it is on this machine."""
        for container, here in (
            (f"0.0.0.0:{CONTAINER_PORT}", f"127.0.0.1:{self.port}"),
            (f"127.0.0.1:{CONTAINER_PORT}", f"127.0.0.1:{self.port}"),
            ("/app/var", str(self.run_dir / "var")),
            ("/tmp/", f"{self.run_dir / 'tmp'}/"),
        ):
            value = value.replace(container, here)
        return value

    def environment(self, service: Service) -> dict[str, str]:
        env = {key: self.native(value) for key, value in service.environment.items()}
        for key in ("DATABASE_URL", "REDIS_URL"):
            if key not in env:
                raise ValueError(f"docker-compose.yml does not pass {key} to {service.name}")
        env.update(DATABASE_URL=self.database_url, REDIS_URL=self.redis_url)
        bin_dir = str(Path(sys.executable).parent)
        return {
            # The image's own environment (Dockerfile ENV, the python base image).
            "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "/usr/bin:/bin")]),
            "HOME": str(self.run_dir / "home"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "STATIC_ROOT": str(self.run_dir / "var" / "static"),
            "CELERY_QUEUE": self.queue,
            **env,
            **self.extra_env,
        }

    def argv(self, command: list[str]) -> list[str]:
        executable, *args = (self.native(arg) for arg in command)
        if executable in ("python", "python3"):
            executable = sys.executable
        else:
            executable = str(Path(sys.executable).parent / executable)
        return [executable, *args]

    # --- running --------------------------------------------------------------------------
    def log_path(self, name: str) -> Path:
        return self.run_dir / "logs" / f"{name}.log"

    def log(self, name: str) -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""

    def run_to_completion(self, name: str, argv: list[str], env: dict, timeout: float) -> None:
        with open(self.log_path(name), "w") as log:
            done = subprocess.run(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout
            )
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed ({done.returncode}):\n{self.log(name)[-3000:]}")

    def start(self, *, timeout: float = 60) -> None:
        """Build and migrate in parallel (static files do not need the database), then start
        worker, beat and, once the static files exist, web; return when /healthz/ answers."""
        build = self._spawn("build", [sys.executable, "manage.py", "collectstatic", "--noinput"])
        migrate = self.services["migrate"]
        self.run_to_completion(
            "migrate", self.argv(migrate.command), self.environment(migrate), 300
        )
        for name in ("worker", "beat"):
            self._spawn(name, self.argv(self.services[name].command), self.services[name])
        returncode = build.wait(timeout=300)
        self.processes.pop("build").log_file.close()
        if returncode != 0:
            raise RuntimeError(f"collectstatic failed:\n{self.log('build')[-3000:]}")
        self._spawn("web", self.argv(self.services["web"].command), self.services["web"])
        self.wait_healthy(timeout=timeout)

    def _spawn(self, name: str, argv: list[str], service: Service | None = None):
        env = self.environment(service or self.services["web"])
        log = open(self.log_path(name), "w")  # noqa: SIM115 (closed in stop())
        # A session of its own: a child left behind by a killed parent can still be found.
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_file = log
        self.processes[name] = process
        return process

    def wait_healthy(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}"
                    )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"web did not answer /healthz/:\n{self.log('web')[-3000:]}")
            time.sleep(0.2)

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """``docker compose exec web python manage.py ...``: with web's environment."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(self.services["web"]),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def healthcheck(self, name: str, timeout: float = 30) -> subprocess.CompletedProcess:
        """The service's compose health check, run as the container runs it (CMD or CMD-SHELL)."""
        service = self.services[name]
        kind, *test = (self.native(arg) for arg in service.healthcheck)
        argv = ["/bin/sh", "-c", test[0]] if kind == "CMD-SHELL" else test
        return subprocess.run(
            argv,
            cwd=ROOT,
            env=self.environment(service),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to each process started here (gunicorn and Celery end their own children),
        then SIGKILL to the process group of any that did not end in time."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            process.log_file.close()
        self.processes.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--run-dir", type=Path, help="default: a new directory under var/")
    parser.add_argument(
        "--set", action="append", default=[], metavar="VAR=VALUE", help="as a line of .env"
    )
    args = parser.parse_args(argv)
    # SIGTERM ends the run as Ctrl-C does: every process is stopped first.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    variables = dict(item.split("=", 1) for item in args.set)
    variables.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    run_dir = args.run_dir or ROOT / "var" / f"production-run-{secrets.token_hex(3)}"
    run = ProductionRun(
        database_url=args.database_url,
        redis_url=args.redis_url,
        run_dir=run_dir,
        variables=variables,
        **({"port": args.port} if args.port else {}),
    )
    try:
        run.start()
        print(f"{run.url}/ (logs in {run.run_dir / 'logs'}); Ctrl-C stops it.", flush=True)
        while all(p.poll() is None for p in run.processes.values()):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # A second Ctrl-C must not interrupt the stopping and leave processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        run.stop()
        if not args.run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
