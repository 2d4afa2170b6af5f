"""List and fill the English catalogue's untranslated and fuzzy entries.

    python scripts/po_todo.py list [--all] > todo.json     # what still needs English
    python scripts/po_todo.py apply done.json              # write translations, drop fuzzy flags

`done.json` maps a msgid (with "\\x04"-joined msgctxt, as gettext keys it) to a string, or for a
plural entry to a list [singular, plural]. Only the standard library: polib is not a dependency.
"""

import ast
import json
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    return ast.literal_eval(line) if line.startswith('"') else ""


def parse(text: str) -> list[dict]:
    """Entries in file order; obsolete (#~) entries are skipped."""
    entries = []
    for block in text.split("\n\n"):
        lines = [ln for ln in block.strip("\n").split("\n") if ln]
        if not lines or all(ln.startswith("#~") for ln in lines):
            continue
        entry = {"comments": [], "flags": [], "msgctxt": None, "msgid": "", "plural": None}
        entry["msgstr"] = {}
        field = None
        for ln in lines:
            if ln.startswith("#,"):
                entry["flags"] += [f.strip() for f in ln[2:].split(",")]
            elif ln.startswith("#|"):
                continue  # the previous msgid of a fuzzy entry; gone once translated
            elif ln.startswith("#"):
                entry["comments"].append(ln)
            elif ln.startswith('"'):
                value = _unquote(ln)
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += value
                elif field[0] == "msgid":
                    entry["msgid"] += value
                elif field[0] == "plural":
                    entry["plural"] += value
                else:
                    entry["msgctxt"] += value
            else:
                keyword, _, rest = ln.partition(" ")
                if keyword == "msgctxt":
                    field, entry["msgctxt"] = ("msgctxt",), _unquote(rest)
                elif keyword == "msgid":
                    field, entry["msgid"] = ("msgid",), _unquote(rest)
                elif keyword == "msgid_plural":
                    field, entry["plural"] = ("plural",), _unquote(rest)
                elif keyword == "msgstr":
                    field = ("msgstr", 0)
                    entry["msgstr"][0] = _unquote(rest)
                elif keyword.startswith("msgstr["):
                    index = int(keyword[7:-1])
                    field = ("msgstr", index)
                    entry["msgstr"][index] = _unquote(rest)
        entries.append(entry)
    return entries


def key(entry: dict) -> str:
    return entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"


def todo(entries: list[dict]) -> list[dict]:
    """Entries Django would not translate: an empty msgstr, or the fuzzy flag."""
    return [
        e
        for e in entries
        if e["msgid"] and ("fuzzy" in e["flags"] or not all(e["msgstr"].values()))
    ]


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _field(keyword: str, value: str) -> list[str]:
    if "\n" in value[:-1]:
        parts = value.splitlines(keepends=True)
        return [f'{keyword} ""'] + [_quote(p) for p in parts]
    return [f"{keyword} {_quote(value)}"]


def render(entry: dict) -> str:
    lines = list(entry["comments"])
    flags = [f for f in entry["flags"] if f]
    if flags:
        lines.append("#, " + ", ".join(flags))
    if entry["msgctxt"] is not None:
        lines += _field("msgctxt", entry["msgctxt"])
    lines += _field("msgid", entry["msgid"])
    if entry["plural"] is not None:
        lines += _field("msgid_plural", entry["plural"])
        for index in sorted(entry["msgstr"]):
            lines += _field(f"msgstr[{index}]", entry["msgstr"][index])
    else:
        lines += _field("msgstr", entry["msgstr"][0])
    return "\n".join(lines)


def apply(done: dict) -> int:
    text = PO.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    changed = 0
    out = []
    for block in blocks:
        parsed = parse(block)
        if not parsed or not parsed[0]["msgid"] or key(parsed[0]) not in done:
            out.append(block)
            continue
        entry = parsed[0]
        value = done[key(entry)]
        if entry["plural"] is not None:
            singular, plural = value if isinstance(value, list) else (value, value)
            entry["msgstr"] = {0: singular, 1: plural}
        else:
            entry["msgstr"] = {0: value}
        entry["flags"] = [f for f in entry["flags"] if f != "fuzzy"]
        out.append(render(entry) + ("\n" if block.endswith("\n") else ""))
        changed += 1
    PO.write_text("\n\n".join(out), encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if argv[:1] == ["list"]:
        entries = parse(PO.read_text(encoding="utf-8"))
        chosen = entries if "--all" in argv else todo(entries)
        listing = {
            key(e): {
                "plural": e["plural"],
                "fuzzy": "fuzzy" in e["flags"],
                "now": e["msgstr"].get(0, ""),
                "where": " ".join(c[3:] for c in e["comments"] if c.startswith("#:"))[:80],
            }
            for e in chosen
        }
        json.dump(listing, sys.stdout, ensure_ascii=False, indent=1)
        print(f"\n{len(chosen)} entries", file=sys.stderr)
        return 0
    if argv[:1] == ["apply"] and len(argv) == 2:
        done = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        print(f"{apply(done)} entries written", file=sys.stderr)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
