"""docs/lifecycle.md, generated from the state machines (issue 10 §1).

``python -m award_portal.lifecycle`` rewrites the document; a test fails when the maps and the
document disagree."""

from __future__ import annotations

from pathlib import Path

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "lifecycle.md"


def machines():
    from applications.enums import APPLICATION_MACHINE  # noqa: PLC0415 - apps must be ready
    from awards.enums import AWARD_MACHINE, CASE_MACHINE, OBJECTION_MACHINE  # noqa: PLC0415
    from ladder.enums import NOMINATION_MACHINE  # noqa: PLC0415
    from organisations.enums import INCIDENT_MACHINE  # noqa: PLC0415
    from programmes.enums import CYCLE_MACHINE  # noqa: PLC0415
    from review.enums import ASSIGNMENT_MACHINE, EXPERT_MACHINE  # noqa: PLC0415

    return [
        ("applications/enums.py", APPLICATION_MACHINE),
        ("programmes/enums.py", CYCLE_MACHINE),
        ("review/enums.py", ASSIGNMENT_MACHINE),
        ("review/enums.py", EXPERT_MACHINE),
        ("awards/enums.py", AWARD_MACHINE),
        ("awards/enums.py", CASE_MACHINE),
        ("awards/enums.py", OBJECTION_MACHINE),
        ("organisations/enums.py", INCIDENT_MACHINE),
        ("ladder/enums.py", NOMINATION_MACHINE),
    ]


def render() -> str:
    from django.utils import translation  # noqa: PLC0415

    lines = [
        "# Lifecycles",
        "",
        "Generated from the `TRANSITIONS` maps by `python -m award_portal.lifecycle`; "
        "`tests/test_lifecycle.py` fails when this file and the maps disagree. Every change of "
        "status goes through `common.states.transition` (applications: "
        "`applications.services.workflow.transition_application`), which locks the row, checks "
        "the map, saves, and writes the audit entry.",
        "",
    ]
    with translation.override("zh-hans"):
        for source, machine in machines():
            lines += [f"## {machine.name}", "", f"Map: `{source}`.", "", "```mermaid"]
            lines.append("stateDiagram-v2")
            if machine.initial:
                lines.append(f"    [*] --> {machine.initial}")
            for status in machine.statuses.values:
                lines.append(f"    {status}: {status} {machine.label(status)}")
            for current, targets in machine.transitions.items():
                for target in sorted(targets):
                    lines.append(f"    {current} --> {target}")
                if not targets:
                    lines.append(f"    {current} --> [*]")
            lines += ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "award_portal.settings")
    django.setup()
    DOCUMENT.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCUMENT}")
