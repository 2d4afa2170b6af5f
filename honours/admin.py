from django.contrib import admin

from common.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import Honour, HonourRewardAmount


@admin.register(Honour)
class HonourAdmin(ReadOnlyAdmin):
    """Honours are entered on the organisation's page, by the API or by import (one service);
    the admin shows them."""

    list_display = ("organisation", "kind", "title", "issuer", "granted_on", "valid_until")
    list_filter = ("kind",)
    search_fields = ("organisation__name", "organisation__uscc", "title", "issuer")
    list_select_related = ("organisation",)


@admin.register(HonourRewardAmount)
class HonourRewardAmountAdmin(AuditedModelAdmin):
    """A programme's art. 13 reward per kind of honour (without a row: 50,000 CNY for the
    city mayor's award and a famous-brand title, no default for the others)."""

    list_display = ("programme", "kind", "amount")
    list_filter = ("programme", "kind")
