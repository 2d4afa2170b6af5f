"""A winner's dossier for recommendation to the city mayor's quality award (seed 000, 4(4)):
the award, the organisation, the application as submitted and the review's results."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone

from applications.models import Application
from common.pdf import render_pdf
from common.spreadsheets import append_row, new_workbook, workbook_bytes
from programmes.selectors import criteria_categories, criteria_items
from review.scores import composite
from review.selectors import with_score_inputs

from .models import Award


def _context(award: Award) -> dict:
    ctx = {
        "award": award,
        "org": award.organisation,
        "generated": timezone.localtime(),
        "content": None,
        "result": None,
        "categories": [],
    }
    if award.application_id:
        app = with_score_inputs(Application.objects.filter(pk=award.application_id)).get()
        version = app.versions.order_by("-number").first()
        items = criteria_items(app.cycle.criteria_set_id)
        result = composite(app, items, app.cycle.settings)
        scores = result.onsite.by_category or result.document.by_category
        ctx.update(
            app=app,
            content=version.content if version else None,
            result=result,
            categories=[
                (c, scores.get(c.code)) for c in criteria_categories(app.cycle.criteria_set_id)
            ],
        )
    return ctx


def dossier_pdf(award: Award) -> bytes:
    return render_pdf("awards/pdf/dossier.html", _context(award))


_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")


def _number(value):
    """An indicator as the form kept it (often text, "-1000000.5"): a number when it is a plain
    one, so that a loss is a negative number and not text, else the value as it is."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        return Decimal(value.strip())
    return value


def dossier_xlsx(award: Award) -> bytes:
    """Every cell through common.spreadsheets: names and answers stay text (issue 8 item 6)."""
    ctx = _context(award)
    book = new_workbook()
    sheet = book.create_sheet("获奖组织")
    org = award.organisation
    for row in (
        ("组织名称", org.name),
        ("统一社会信用代码", org.uscc),
        ("组织类型", org.get_kind_display()),
        ("注册地", org.region),
        ("注册登记日期", org.registered_on),
        ("所属行业", org.industry),
        ("奖项", award.programme.name),
        ("年度", award.year),
        ("公告日期", award.announced_on),
        ("有效期至", award.valid_until),
        ("状态", award.get_status_display()),
    ):
        append_row(sheet, row)
    if ctx["result"] is not None:
        r = ctx["result"]
        scores = book.create_sheet("评审结果")
        append_row(scores, ["资料评审", r.document.score])
        append_row(scores, ["现场评审", r.onsite.score])
        append_row(scores, ["满意度指数", r.satisfaction_index])
        append_row(scores, ["综合得分", r.composite])
        append_row(scores, [])
        append_row(scores, ["类目", "满分", "得分"])
        for category, points in ctx["categories"]:
            append_row(scores, [f"{category.code} {category.name}", category.points, points])
    if ctx["content"]:
        indicators = book.create_sheet("主要指标")
        append_row(
            indicators,
            ["年度", "营业收入（元）", "利润（元）", "纳税（元）", "产品质量合格率（%）"],
        )
        for row in ctx["content"].get("indicators", []):
            append_row(
                indicators,
                [
                    _number(row.get(key))
                    for key in ("year", "revenue", "profit", "tax", "quality_pass_rate")
                ],
            )
    return workbook_bytes(book)
