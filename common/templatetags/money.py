"""Money on pages and PDFs with thousands separators (issue 11: "200000.00" was shown)."""

from django import template

from common.labels import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """``{{ amount|money }}``: yuan with two decimals, grouped by thousands."""
    return format_money(value)


@register.filter
def yuan(value) -> str:
    """``{{ amount|yuan }}``: whole yuan grouped by thousands (amounts that are round)."""
    return format_money(value, 0)
