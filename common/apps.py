from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("公共")

    def ready(self):
        from celery.signals import task_failure, task_success  # noqa: PLC0415 - app registry ready

        from . import outbox  # noqa: PLC0415 - models are loaded only now
        from .choices import install_cached_displays  # noqa: PLC0415 - needs the models

        install_cached_displays()

        def succeeded(sender=None, **kwargs):
            outbox.task_succeeded(getattr(getattr(sender, "request", None), "id", None))

        def failed(task_id=None, exception=None, **kwargs):
            outbox.task_failed(task_id, exception or RuntimeError("task failed"))

        # The worker tells the outbox how its jobs ended (weak=False: these are closures).
        task_success.connect(succeeded, weak=False, dispatch_uid="outbox-success")
        task_failure.connect(failed, weak=False, dispatch_uid="outbox-failure")
