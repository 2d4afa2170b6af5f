from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("行政区划")

    def ready(self):
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from .models import Division  # noqa: PLC0415
        from .selectors import forget_divisions  # noqa: PLC0415

        post_save.connect(forget_divisions, sender=Division, dispatch_uid="divisions-save")
        post_delete.connect(forget_divisions, sender=Division, dispatch_uid="divisions-del")
