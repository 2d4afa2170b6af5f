"""The jurisdiction's overview as a private XLSX download."""

from __future__ import annotations

from django.http import HttpResponse

from common.dates import today
from common.downloads import private_download
from common.spreadsheets import XLSX_CONTENT_TYPE
from programmes.models import Programme

from .overview import overview_xlsx


def xlsx_response(programme: Programme) -> HttpResponse:
    day = today()
    return private_download(
        overview_xlsx(programme, day=day),
        filename=f"overview-{programme.code}-{day.isoformat()}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
