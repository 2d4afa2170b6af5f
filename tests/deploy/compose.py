"""What the deploy tests read: docker-compose.yml through scripts/production_run.py (imported
from its file: scripts/ is not a package), the Dockerfile and README's configuration table."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_spec = importlib.util.spec_from_file_location(
    "production_run", ROOT / "scripts" / "production_run.py"
)
production_run = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("production_run", production_run)
_spec.loader.exec_module(production_run)


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def readme_variables() -> list[str]:
    """Every variable named in the first column of README's configuration table."""
    names = []
    for line in readme_section("Configuration").splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names += re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell)
    return names


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.strip().split(None, 1) for line in joined.splitlines())
        if parts
    ]


def dockerfile_cmd() -> list[str]:
    (cmd,) = [args for name, args in dockerfile_instructions() if name == "CMD"]
    return json.loads(cmd)
