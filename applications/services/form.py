"""The application form (申报表, API.md): checking what is entered and what is still missing.

Drafts may be saved incomplete, but whatever is entered must be well-formed (a percentage in
steps of 5, a date, an amount). Completeness is judged at submission.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from programmes.models import CriteriaItem
from programmes.selectors import criteria_items

from ..models import Application

FORM_FIELDS = (
    "summary",
    "indicators",
    "management_systems",
    "innovation",
    "brand",
    "self_evaluation",
    "contact_name",
    "contact_phone",
)
SUMMARY_MIN_CHARS = 50
MOBILE_RE = re.compile(r"^1\d{10}$")
MONEY_FIELDS = ("revenue", "profit", "tax")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...]


SECTIONS = (
    Section(
        "profile",
        gettext_lazy("申报单位简介与联系人"),
        ("summary", "contact_name", "contact_phone"),
    ),
    Section("indicators", gettext_lazy("近两年主要指标"), ("indicators",)),
    Section("management_systems", gettext_lazy("管理体系认证"), ("management_systems",)),
    Section("innovation_brand", gettext_lazy("自主创新与品牌"), ("innovation", "brand")),
    Section("self_evaluation", gettext_lazy("自我评价"), ("self_evaluation",)),
    Section("evidence", gettext_lazy("实证材料"), ()),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


def indicator_years(application: Application) -> list[int]:
    """The two years before the cycle's year, oldest first."""
    year = application.cycle.year
    return [year - 2, year - 1]


def _money(value, where: str, errors: list[str], *, signed: bool = False) -> str | None:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors.append(gettext("%(where)s应为金额（元），如 1234567.89。") % {"where": where})
        return None
    if not amount.is_finite() or (amount < 0 and not signed) or abs(amount) >= Decimal("1e15"):
        errors.append(gettext("%(where)s超出范围。") % {"where": where})
        return None
    return str(amount.quantize(Decimal("0.01")))


def _clean_indicators(value, application: Application) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"indicators": [gettext("应为按年度填写的列表。")]})
    years = indicator_years(application)
    errors: list[str] = []
    cleaned: dict[int, dict] = {}
    for row in value:
        if not isinstance(row, dict):
            errors.append(gettext("每一行应包含年度和各项指标。"))
            continue
        try:
            year = int(row.get("year"))
        except (TypeError, ValueError):
            errors.append(gettext("年度应为数字。"))
            continue
        if year not in years:
            errors.append(
                gettext("只需填写%(first)s年和%(second)s年的指标，不接受%(year)s年。")
                % {"first": years[0], "second": years[1], "year": year}
            )
            continue
        if year in cleaned:
            errors.append(gettext("%(year)s年填写了两次。") % {"year": year})
            continue
        entry: dict = {"year": year}
        for name, label in (
            ("revenue", gettext("营业收入")),
            ("profit", gettext("利润")),
            ("tax", gettext("纳税")),
        ):
            if row.get(name) in (None, ""):
                entry[name] = ""
                continue
            entry[name] = _money(
                row[name],
                gettext("%(year)s年%(label)s") % {"year": year, "label": label},
                errors,
                signed=name == "profit",
            )
        rate = row.get("quality_pass_rate")
        if rate in (None, ""):
            entry["quality_pass_rate"] = ""
        else:
            try:
                rate_d = Decimal(str(rate))
                if not (0 <= rate_d <= 100):
                    raise InvalidOperation
                entry["quality_pass_rate"] = str(rate_d.quantize(Decimal("0.01")))
            except (InvalidOperation, ValueError):
                errors.append(
                    gettext("%(year)s年产品质量合格率应为0到100之间的数。") % {"year": year}
                )
        cleaned[year] = entry
    if errors:
        raise ValidationError({"indicators": errors})
    return [cleaned[y] for y in sorted(cleaned)]


def _clean_systems(value) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"management_systems": [gettext("应为证书列表。")]})
    errors, cleaned = [], []
    for n, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            errors.append(gettext("第%(n)s项格式不正确。") % {"n": n})
            continue
        entry = {
            k: str(row.get(k) or "").strip()[:200] for k in ("standard", "certificate_no", "issuer")
        }
        raw = row.get("valid_until") or ""
        try:
            entry["valid_until"] = dt.date.fromisoformat(str(raw)).isoformat() if raw else ""
        except ValueError:
            errors.append(gettext("第%(n)s项有效期应为日期（YYYY-MM-DD）。") % {"n": n})
            continue
        if any(entry.values()):
            cleaned.append(entry)
    if errors:
        raise ValidationError({"management_systems": errors})
    return cleaned


def _clean_self_evaluation(value, items: list[CriteriaItem]) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"self_evaluation": [gettext("应为按条款填写的列表。")]})
    by_code = {i.code: i for i in items}
    errors, cleaned = [], {}
    for row in value:
        if not isinstance(row, dict):
            errors.append(gettext("每一项应包含条款和百分比。"))
            continue
        code = str(row.get("item", "")).strip()
        if code not in by_code:
            errors.append(gettext("评价准则中没有条款“%(code)s”。") % {"code": code})
            continue
        percent = row.get("percent")
        if percent in (None, ""):
            cleaned[code] = {
                "item": code,
                "percent": None,
                "comment": str(row.get("comment") or "")[:2000],
            }
            continue
        try:
            p = int(str(percent))
        except (TypeError, ValueError):
            errors.append(gettext("%(code)s的百分比应为0到100之间5的倍数。") % {"code": code})
            continue
        if not (0 <= p <= 100) or p % 5:
            errors.append(
                gettext("%(code)s的百分比应为0到100之间5的倍数，收到%(percent)s。")
                % {"code": code, "percent": percent}
            )
            continue
        cleaned[code] = {
            "item": code,
            "percent": p,
            "comment": str(row.get("comment") or "")[:2000],
        }
    if errors:
        raise ValidationError({"self_evaluation": errors})
    return [cleaned[i.code] for i in items if i.code in cleaned]


def clean_form_data(application: Application, data: dict) -> dict:
    """Well-formed values for the given form fields; raises ValidationError per field."""
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name not in FORM_FIELDS:
            continue
        try:
            if name == "indicators":
                cleaned[name] = _clean_indicators(value, application)
            elif name == "management_systems":
                cleaned[name] = _clean_systems(value)
            elif name == "self_evaluation":
                cleaned[name] = _clean_self_evaluation(
                    value, criteria_items(application.cycle.criteria_set_id)
                )
            elif name == "contact_phone":
                phone = str(value or "").strip()
                if phone and not MOBILE_RE.match(phone):
                    raise ValidationError({name: [gettext("请填写11位手机号码（以1开头）。")]})
                cleaned[name] = phone
            else:
                if value is not None and not isinstance(value, str):
                    raise ValidationError({name: [gettext("应为文字。")]})
                limit = 64 if name == "contact_name" else 20000
                text = (value or "").strip()
                if len(text) > limit:
                    raise ValidationError(
                        {name: [gettext("不能超过%(limit)s个字符。") % {"limit": limit}]}
                    )
                cleaned[name] = text
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def missing_by_section(
    application: Application,
    *,
    documents: int | None = None,
    items: list[CriteriaItem] | None = None,
    on: dt.date | None = None,
) -> dict[str, list[str]]:
    """What each section still lacks for a complete submission (empty list = complete)."""
    a = application
    missing: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}
    if len(a.summary.strip()) < SUMMARY_MIN_CHARS:
        missing["profile"].append(
            gettext("申报单位简介至少%(min)s字（当前%(count)s字）。")
            % {"min": SUMMARY_MIN_CHARS, "count": len(a.summary.strip())}
        )
    if not a.contact_name.strip():
        missing["profile"].append(gettext("请填写联系人。"))
    if not MOBILE_RE.match(a.contact_phone or ""):
        missing["profile"].append(gettext("请填写联系人手机号码。"))
    rows = {r.get("year"): r for r in a.indicators or []}
    for year in indicator_years(a):
        row = rows.get(year)
        if not row or any(row.get(k) in (None, "") for k in (*MONEY_FIELDS, "quality_pass_rate")):
            missing["indicators"].append(
                gettext("请完整填写%(year)s年的营业收入、利润、纳税和产品质量合格率。")
                % {"year": year}
            )
    systems = [
        s
        for s in a.management_systems or []
        if all(s.get(k) for k in ("standard", "certificate_no", "issuer", "valid_until"))
    ]
    if not systems:
        missing["management_systems"].append(
            gettext("至少填写一项完整的管理体系认证证书（R11.2）。")
        )
    elif on and not any(dt.date.fromisoformat(s["valid_until"]) >= on for s in systems):
        missing["management_systems"].append(
            gettext("所填管理体系证书均已过期，请填写有效证书（R11.2）。")
        )
    if not a.innovation.strip():
        missing["innovation_brand"].append(gettext("请填写自主创新情况（R11.3）。"))
    if not a.brand.strip():
        missing["innovation_brand"].append(gettext("请填写品牌建设情况（R11.4）。"))
    items = items if items is not None else criteria_items(a.cycle.criteria_set_id)
    scored = {r["item"] for r in a.self_evaluation or [] if r.get("percent") is not None}
    absent = [i.code for i in items if i.code not in scored]
    if absent:
        shown = "、".join(absent[:6]) + ("…" if len(absent) > 6 else "")
        missing["self_evaluation"].append(
            gettext("还有%(count)s个条款未自评：%(shown)s") % {"count": len(absent), "shown": shown}
        )
    count = documents if documents is not None else a.documents.filter(removed_at=None).count()
    if count < 1:
        missing["evidence"].append(gettext("至少上传一份实证材料。"))
    return missing


def self_evaluation_total(rows: list[dict], items: list[CriteriaItem]) -> Decimal:
    """Points of a self-evaluation (``[{item, percent}]``) out of the set's total (SCORING.md)."""
    by_code = {i.code: i for i in items}
    total = Decimal(0)
    for row in rows or []:
        item = by_code.get(row.get("item"))
        if item is not None and row.get("percent") is not None:
            total += item.points_for(row["percent"])
    return total.quantize(Decimal("0.1"))
