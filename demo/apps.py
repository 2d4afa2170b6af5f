from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (``manage.py demo``): the top layer, it drives every app's services."""

    name = "demo"
    verbose_name = _("演示数据")
