"""The public register's endpoints (API.md "Trust that travels"): the register as JSON or CSV,
its Atom feed of changes, its detached signature and the signer's certificate. Anonymous,
cacheable, conditional (``ETag``, ``Last-Modified``, ``304``). Reading is in ``register``."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from common.api import StandardPagination
from common.dates import add_years, today

from . import register
from .enums import AwardStatus
from .register import RegisterUnavailable

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
FORMATS = ("json", "csv")
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


class JsonOnly(BaseContentNegotiation):
    """``?format=`` is the register's own parameter (json or csv, 400 otherwise), not DRF's
    renderer override (which would answer an unknown one with 404); errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RegisterQuerySerializer(serializers.Serializer):
    changed_since = serializers.CharField(required=False, allow_blank=True)
    format = serializers.ChoiceField(
        choices=FORMATS,
        required=False,
        default="json",
        error_messages={"invalid_choice": _("格式应为 json 或 csv。")},
    )

    def validate_changed_since(self, value: str) -> dt.date:
        value = value.strip()
        try:
            if not _DAY.fullmatch(value):
                raise ValueError(value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise serializers.ValidationError(
                gettext("日期格式应为 YYYY-MM-DD，如 2026-01-31。")
            ) from None
        if day > today():
            raise serializers.ValidationError(gettext("日期不能晚于今天。"))
        return day


class Public(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly


def conditional(
    request,
    body: bytes,
    *,
    content_type: str,
    last_modified: dt.datetime,
    max_age: int = register.CACHE_SECONDS,
    headers: dict | None = None,
) -> HttpResponse:
    """``body`` with its ``ETag`` (SHA-256 of the bytes) and ``Last-Modified``, or ``304`` when
    the client's copy is current (If-None-Match first, then If-Modified-Since, as RFC 9110)."""
    etag = register.etag_of(body)
    stamp = int(last_modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = f"public, max-age={max_age}"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _params(request) -> dict:
    serializer = RegisterQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


_FIELDS_DOC = (
    "每条记录：`code`（核验码，/verify/{code}/）、`serial`（现行证书编号，无证书时为 null）、"
    "`organisation`、`uscc`、`programme`、`year`、`region`（注册地）、`division`（行政区划代码）、"
    "`announced_on`、`valid_until`、`status`（`active|expired|revoked`，按当日计算）；"
    "变更另有 `change`（`awarded|expired|revoked`）、`changed_on`、`rule`"
    "（awarded R12.8，expired R6，revoked R20 或 R21）、`recorded_on`（系统记录日期）。"
)


class RegisterApi(Public):
    """The register: today's valid awards, or every change since a day."""

    @extend_schema(
        operation_id="public_register",
        summary="公开获奖登记册（有效奖项或变更）",
        description=(
            "不带参数：今天（Asia/Shanghai）有效的全部奖项，按公告日期倒序，完整不分页，"
            "其字节即 `/api/v1/public/register/signature/` 签名所覆盖的内容；`as_of` 为所指日期。"
            "`changed_since=YYYY-MM-DD`：该日（含）以来发生或记录的每一项变更，按日期排序。"
            "JSON 默认完整返回；带 `page`（及 `page_size`，至多 200）则分页。CSV 总是完整，"
            "UTF-8 带 BOM，含表头行。响应带 `ETag`（正文 SHA-256）与 `Last-Modified`，"
            "条件请求返回 304；`Cache-Control: public, max-age=300`。" + _FIELDS_DOC
        ),
        parameters=[
            OpenApiParameter(
                "changed_since",
                OpenApiTypes.DATE,
                description="YYYY-MM-DD，不晚于今天；格式错误或未来日期为 400",
            ),
            OpenApiParameter("format", str, enum=list(FORMATS), description="默认 json"),
            OpenApiParameter("page", int, description="分页（仅 JSON）"),
            OpenApiParameter("page_size", int, description="每页条数（仅 JSON，至多 200）"),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                examples=[
                    OpenApiExample(
                        "valid",
                        value={
                            "as_of": "2026-12-03",
                            "count": 1,
                            "next": None,
                            "previous": None,
                            "results": [
                                {
                                    "code": "Zk3…",
                                    "serial": "ETKQQ-2025-001",
                                    "organisation": "绿原乳业有限公司",
                                    "uscc": "91150623MA0N000000",
                                    "programme": "鄂托克前旗旗长质量奖",
                                    "year": 2025,
                                    "region": "鄂托克前旗",
                                    "division": "150623",
                                    "announced_on": "2025-12-20",
                                    "valid_until": "2028-12-20",
                                    "status": "active",
                                }
                            ],
                        },
                    )
                ],
            ),
            (200, "text/csv"): OpenApiTypes.STR,
            304: OpenApiResponse(description="未修改"),
            400: OpenApiResponse(description="日期格式错误、未来日期或未知格式"),
            404: OpenApiResponse(description="页码超出范围或无效"),
        },
        auth=[],
    )
    def get(self, request):
        params = _params(request)
        since, fmt = params.get("changed_since"), params["format"]
        paged = fmt == "json" and ({"page", "page_size"} & set(request.query_params))
        if since is None and fmt == "json" and not paged:
            snapshot = register.current_snapshot()
            return conditional(
                request,
                snapshot.body,
                content_type=CONTENT_TYPES["json"],
                last_modified=snapshot.last_modified,
            )
        day = today()
        rows = register.change_rows(since, day) if since else register.valid_rows(day)
        if fmt == "csv":
            body = register.render_csv(rows, changes=since is not None)
        else:
            page = None
            if paged:
                paginator = StandardPagination()
                rows = paginator.paginate_queryset(rows, request, view=self)
                page = (
                    paginator.page.paginator.count,
                    paginator.get_next_link(),
                    paginator.get_previous_link(),
                )
            body = register.render_json(register.envelope(rows, day=day, since=since, page=page))
        response = conditional(
            request,
            body,
            content_type=CONTENT_TYPES[fmt],
            last_modified=register.last_modified(day),
        )
        if fmt == "csv":
            name = f"register-changes-{since}" if since else f"register-{day}"
            response["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return response


class RegisterSignatureApi(Public):
    """A detached CMS signature over today's unparameterised register."""

    @extend_schema(
        operation_id="public_register_signature",
        summary="登记册的分离式 CMS 签名（DER）",
        description=(
            "对此刻 `GET /api/v1/public/register/`（不带参数）响应正文的精确字节所作的分离式 "
            "CMS 签名（DER），与证书同一密钥。响应头 `X-Register-ETag` 为所签正文的 ETag，"
            "`X-Register-SHA256` 为其 SHA-256：与所取登记册的 `ETag` 不同时（两次请求之间"
            "登记册有变），请重取两者。核验：`openssl cms -verify -inform DER -in register.p7s "
            "-content register.json -binary -CAfile signer.pem`，证书见 "
            "`/api/v1/public/register/certificate.pem`。未配置签名密钥时为 503。"
        ),
        responses={
            (200, "application/pkcs7-signature"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="未修改"),
            503: OpenApiResponse(description="未配置签名密钥"),
        },
        auth=[],
    )
    def get(self, request):
        snapshot = register.current_snapshot()
        try:
            signature = register.snapshot_signature(snapshot)
        except RegisterUnavailable:
            return unavailable()
        response = conditional(
            request,
            signature,
            content_type="application/pkcs7-signature",
            last_modified=snapshot.last_modified,
            headers={
                "X-Register-ETag": snapshot.etag,
                "X-Register-SHA256": snapshot.sha256,
                "X-Register-As-Of": snapshot.as_of.isoformat(),
                "Content-Disposition": 'attachment; filename="register.json.p7s"',
            },
        )
        return response


def unavailable() -> HttpResponse:
    response = HttpResponse(
        register.render_json({"detail": gettext("尚未配置签名密钥，暂不能提供签名。")}),
        content_type="application/json",
        status=503,
    )
    response["Cache-Control"] = "no-store"
    return response


class RegisterCertificateApi(Public):
    """The signer's certificate, to verify the register's signature (and the PDFs') with."""

    @extend_schema(
        operation_id="public_register_certificate",
        summary="签名证书（PEM）",
        description="登记册签名与证书 PDF 签名所用的证书，PEM 格式，供 openssl 等核验。",
        responses={(200, "application/x-pem-file"): OpenApiTypes.STR, 503: OpenApiResponse()},
        auth=[],
    )
    def get(self, request):
        try:
            pem = register.signer_certificate_pem()
        except RegisterUnavailable:
            return unavailable()
        response = HttpResponse(pem, content_type="application/x-pem-file")
        response["Content-Disposition"] = 'inline; filename="signer.pem"'
        response["ETag"] = register.etag_of(pem)
        response["Cache-Control"] = "public, max-age=3600"
        return response


class ChangesFeed(Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"


_CHANGE_TITLES = {
    register.AWARDED: _("获奖"),
    register.EXPIRED: _("期满"),
    register.REVOKED: _("撤销"),
}


def atom_feed(rows: list[dict], *, since: dt.date) -> bytes:
    """The changes, newest first, as Atom 1.0 (RFC 4287). Entry ids are stable
    (``tag:`` URIs of the award's code and the change), so a reader never sees one twice."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    feed_url = settings.SITE_URL + reverse("api-public-register-feed")
    feed = ChangesFeed(
        title=gettext("获奖登记册变更"),
        link=settings.SITE_URL + reverse("awards:registry"),
        description=gettext("%(since)s 以来的获奖、期满与撤销") % {"since": since.isoformat()},
        feed_url=feed_url,
        feed_guid=f"tag:{host},2026:register/changes",
        language="zh-hans",
    )
    for row in reversed(rows):
        changed = timezone.make_aware(
            dt.datetime.combine(dt.date.fromisoformat(row["changed_on"]), dt.time.min)
        )
        rule = row["rule"] or ""
        feed.add_item(
            title=f"{_CHANGE_TITLES[row['change']]}：{row['organisation']} "
            f"{row['year']}年度{row['programme']}",
            link=settings.SITE_URL + reverse("awards:verify", args=[row["code"]]),
            description=gettext(
                "%(change)s（%(rule)s）于 %(on)s；统一社会信用代码 %(uscc)s；证书编号 %(serial)s；"
                "公告日期 %(announced)s，有效期至 %(until)s；当前状态 %(status)s。"
            )
            % {
                "change": _CHANGE_TITLES[row["change"]],
                "rule": rule or "-",
                "on": row["changed_on"],
                "uscc": row["uscc"],
                "serial": row["serial"] or "-",
                "announced": row["announced_on"],
                "until": row["valid_until"],
                "status": AwardStatus(row["status"]).label,
            },
            unique_id=f"tag:{host},{row['changed_on']}:register/{row['code']}/{row['change']}",
            unique_id_is_permalink=False,
            pubdate=changed,
            updateddate=changed,
            categories=[row["change"], *([rule] if rule else [])],
        )
    return feed.writeString("utf-8").encode()


class RegisterFeedApi(Public):
    """The register's changes as an Atom feed."""

    @extend_schema(
        operation_id="public_register_feed",
        summary="登记册变更的 Atom 订阅源",
        description=(
            "获奖（awarded）、期满（expired）、撤销（revoked）变更的 Atom 1.0 订阅源，最新在前；"
            "默认为最近一年，`changed_since=YYYY-MM-DD` 可指定起始日（含）。"
            "条目 id 稳定（`tag:` URI），分类为变更种类与规则编号。带 ETag / Last-Modified。"
        ),
        parameters=[OpenApiParameter("changed_since", OpenApiTypes.DATE)],
        responses={
            (200, "application/atom+xml"): OpenApiTypes.STR,
            304: OpenApiResponse(description="未修改"),
            400: OpenApiResponse(description="日期格式错误或未来日期"),
        },
        auth=[],
    )
    def get(self, request):
        params = _params(request)
        day = today()
        since = params.get("changed_since") or add_years(day, -1)
        rows = register.change_rows(since, day)
        return conditional(
            request,
            atom_feed(rows, since=since),
            content_type=ChangesFeed.content_type,
            last_modified=register.last_modified(day),
        )
