from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("评审")

    def ready(self):
        from .panels import register_waiting  # noqa: PLC0415 - models are loaded by now
        from .waiting import review_waiting  # noqa: PLC0415

        register_waiting(review_waiting)
