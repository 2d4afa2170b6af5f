"""Sections that apps above review add to review's cycle pages (the dashboard and the office's
cycle page): the awards app adds publicity, objections and certificates. Review never imports
them; each registers ``(page, template, context)`` at start, as eligibility bars are registered.

``context(request, cycle)`` returns the section's context, or ``None`` to leave it out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PAGES = ("dashboard", "cycle")
_PANELS: list[tuple[str, str, Callable]] = []


def register_cycle_panel(page: str, template: str, context: Callable) -> None:
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    if (page, template, context) not in _PANELS:
        _PANELS.append((page, template, context))


def cycle_panels(page: str, request, cycle) -> list[dict]:
    """The registered sections of ``page`` for ``cycle``, each ``{"template", "ctx"}``."""
    panels = []
    for panel_page, template, context in _PANELS:
        if panel_page != page:
            continue
        ctx = context(request, cycle)
        if ctx is not None:
            panels.append({"template": template, "ctx": ctx})
    return panels


# --- what waits for the user (issue 11) ----------------------------------------------------
# The dashboard lists, for each role, what waits for it. Review adds its own items; the apps
# above it register theirs (``waiting(user) -> list[Waiting]``), as the panels above.


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the user: ``count`` of them, said by ``label``; ``action`` is
    the link's text, ``url`` the page where the user acts."""

    label: str
    count: int
    url: str
    action: str


_WAITING: list[Callable] = []

# The dashboard lists this many things waiting: a source reads at most one more (its queries
# take ``limit=WAITING_LIMIT + 1``), so the page says there are more without reading them all
# (issue 12: one line per cycle of every programme the user serves, at province scale).
WAITING_LIMIT = 20


def register_waiting(source: Callable) -> None:
    if source not in _WAITING:
        _WAITING.append(source)


def waiting_for(user) -> list[Waiting]:
    """Everything that waits for ``user``, from every registered source, in their order."""
    return [item for source in _WAITING for item in source(user)]


def waiting_shown(user) -> tuple[list[Waiting], bool]:
    """The first ``WAITING_LIMIT`` things waiting for ``user``, and whether there are more."""
    items = waiting_for(user)
    return items[:WAITING_LIMIT], len(items) > WAITING_LIMIT
