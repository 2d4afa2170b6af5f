from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("评审")

    def ready(self):
        from .panels import register_waiting  # noqa: PLC0415 - models are loaded by now
        from .waiting import review_waiting  # noqa: PLC0415

        register_waiting(review_waiting)
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from .models import ConsensusScore  # noqa: PLC0415
        from .services.totals import consensus_changed  # noqa: PLC0415

        # A consensus value changes the totals of its stage's sheets (issue 12).
        post_save.connect(consensus_changed, sender=ConsensusScore, dispatch_uid="totals-save")
        post_delete.connect(consensus_changed, sender=ConsensusScore, dispatch_uid="totals-del")
