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
    Section("profile", "申报单位简介与联系人", ("summary", "contact_name", "contact_phone")),
    Section("indicators", "近两年主要指标", ("indicators",)),
    Section("management_systems", "管理体系认证", ("management_systems",)),
    Section("innovation_brand", "自主创新与品牌", ("innovation", "brand")),
    Section("self_evaluation", "自我评价", ("self_evaluation",)),
    Section("evidence", "实证材料", ()),
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
        errors.append(f"{where}应为金额（元），如 1234567.89。")
        return None
    if not amount.is_finite() or (amount < 0 and not signed) or abs(amount) >= Decimal("1e15"):
        errors.append(f"{where}超出范围。")
        return None
    return str(amount.quantize(Decimal("0.01")))


def _clean_indicators(value, application: Application) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"indicators": ["应为按年度填写的列表。"]})
    years = indicator_years(application)
    errors: list[str] = []
    cleaned: dict[int, dict] = {}
    for row in value:
        if not isinstance(row, dict):
            errors.append("每一行应包含年度和各项指标。")
            continue
        try:
            year = int(row.get("year"))
        except (TypeError, ValueError):
            errors.append("年度应为数字。")
            continue
        if year not in years:
            errors.append(f"只需填写{years[0]}年和{years[1]}年的指标，不接受{year}年。")
            continue
        if year in cleaned:
            errors.append(f"{year}年填写了两次。")
            continue
        entry: dict = {"year": year}
        for name, label in (("revenue", "营业收入"), ("profit", "利润"), ("tax", "纳税")):
            if row.get(name) in (None, ""):
                entry[name] = ""
                continue
            entry[name] = _money(row[name], f"{year}年{label}", errors, signed=name == "profit")
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
                errors.append(f"{year}年产品质量合格率应为0到100之间的数。")
        cleaned[year] = entry
    if errors:
        raise ValidationError({"indicators": errors})
    return [cleaned[y] for y in sorted(cleaned)]


def _clean_systems(value) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"management_systems": ["应为证书列表。"]})
    errors, cleaned = [], []
    for n, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            errors.append(f"第{n}项格式不正确。")
            continue
        entry = {
            k: str(row.get(k) or "").strip()[:200] for k in ("standard", "certificate_no", "issuer")
        }
        raw = row.get("valid_until") or ""
        try:
            entry["valid_until"] = dt.date.fromisoformat(str(raw)).isoformat() if raw else ""
        except ValueError:
            errors.append(f"第{n}项有效期应为日期（YYYY-MM-DD）。")
            continue
        if any(entry.values()):
            cleaned.append(entry)
    if errors:
        raise ValidationError({"management_systems": errors})
    return cleaned


def _clean_self_evaluation(value, items: list[CriteriaItem]) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError({"self_evaluation": ["应为按条款填写的列表。"]})
    by_code = {i.code: i for i in items}
    errors, cleaned = [], {}
    for row in value:
        if not isinstance(row, dict):
            errors.append("每一项应包含条款和百分比。")
            continue
        code = str(row.get("item", "")).strip()
        if code not in by_code:
            errors.append(f"评价准则中没有条款“{code}”。")
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
            errors.append(f"{code}的百分比应为0到100之间5的倍数。")
            continue
        if not (0 <= p <= 100) or p % 5:
            errors.append(f"{code}的百分比应为0到100之间5的倍数，收到{percent}。")
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
                    raise ValidationError({name: ["请填写11位手机号码（以1开头）。"]})
                cleaned[name] = phone
            else:
                if value is not None and not isinstance(value, str):
                    raise ValidationError({name: ["应为文字。"]})
                limit = 64 if name == "contact_name" else 20000
                text = (value or "").strip()
                if len(text) > limit:
                    raise ValidationError({name: [f"不能超过{limit}个字符。"]})
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
            f"申报单位简介至少{SUMMARY_MIN_CHARS}字（当前{len(a.summary.strip())}字）。"
        )
    if not a.contact_name.strip():
        missing["profile"].append("请填写联系人。")
    if not MOBILE_RE.match(a.contact_phone or ""):
        missing["profile"].append("请填写联系人手机号码。")
    rows = {r.get("year"): r for r in a.indicators or []}
    for year in indicator_years(a):
        row = rows.get(year)
        if not row or any(row.get(k) in (None, "") for k in (*MONEY_FIELDS, "quality_pass_rate")):
            missing["indicators"].append(
                f"请完整填写{year}年的营业收入、利润、纳税和产品质量合格率。"
            )
    systems = [
        s
        for s in a.management_systems or []
        if all(s.get(k) for k in ("standard", "certificate_no", "issuer", "valid_until"))
    ]
    if not systems:
        missing["management_systems"].append("至少填写一项完整的管理体系认证证书（R11.2）。")
    elif on and not any(dt.date.fromisoformat(s["valid_until"]) >= on for s in systems):
        missing["management_systems"].append("所填管理体系证书均已过期，请填写有效证书（R11.2）。")
    if not a.innovation.strip():
        missing["innovation_brand"].append("请填写自主创新情况（R11.3）。")
    if not a.brand.strip():
        missing["innovation_brand"].append("请填写品牌建设情况（R11.4）。")
    items = items if items is not None else criteria_items(a.cycle.criteria_set_id)
    scored = {r["item"] for r in a.self_evaluation or [] if r.get("percent") is not None}
    absent = [i.code for i in items if i.code not in scored]
    if absent:
        shown = "、".join(absent[:6]) + ("…" if len(absent) > 6 else "")
        missing["self_evaluation"].append(f"还有{len(absent)}个条款未自评：{shown}")
    count = documents if documents is not None else a.documents.filter(removed_at=None).count()
    if count < 1:
        missing["evidence"].append("至少上传一份实证材料。")
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
