"""A winner's dossier for recommendation to the city mayor's quality award (seed 000, 4(4)):
the award, the organisation, the application as submitted and the review's results."""

from __future__ import annotations

import io

from django.utils import timezone

from applications.models import Application
from award_portal.pdf import render_pdf
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


def dossier_xlsx(award: Award) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only for this export

    ctx = _context(award)
    book = Workbook()
    sheet = book.active
    sheet.title = "获奖组织"
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
        sheet.append(list(row))
    if ctx["result"] is not None:
        r = ctx["result"]
        scores = book.create_sheet("评审结果")
        scores.append(["资料评审", r.document.score])
        scores.append(["现场评审", r.onsite.score])
        scores.append(["满意度指数", r.satisfaction_index])
        scores.append(["综合得分", r.composite])
        scores.append([])
        scores.append(["类目", "满分", "得分"])
        for category, points in ctx["categories"]:
            scores.append([f"{category.code} {category.name}", category.points, points])
    if ctx["content"]:
        indicators = book.create_sheet("主要指标")
        indicators.append(
            ["年度", "营业收入（元）", "利润（元）", "纳税（元）", "产品质量合格率（%）"]
        )
        for row in ctx["content"].get("indicators", []):
            indicators.append(
                [
                    row.get("year"),
                    row.get("revenue"),
                    row.get("profit"),
                    row.get("tax"),
                    row.get("quality_pass_rate"),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
