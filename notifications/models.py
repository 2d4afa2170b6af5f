from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a person's inbox; the same text goes out by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发送邮件"), default=False)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("recipient", "read_at"))]

    def __str__(self) -> str:
        return self.subject
