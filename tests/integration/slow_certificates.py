"""Loaded into a test worker with ``celery worker --include``: each certificate render
announces that it started (a marker file) and then takes long enough to be killed mid-way.

Nothing here runs in the portal itself; it is the fault the test injects."""

import os
import time
from pathlib import Path

from celery.signals import task_prerun


@task_prerun.connect(weak=False)
def _slow_certificate(sender=None, **kwargs):
    if getattr(sender, "name", "") != "awards.render_certificate":
        return
    Path(os.environ["SLOW_CERTIFICATE_MARKER"]).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("SLOW_CERTIFICATE_SECONDS", "30")))
