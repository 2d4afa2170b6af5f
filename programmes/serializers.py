from django.utils.translation import gettext
from rest_framework import serializers

from regions.models import Division

from .models import Cycle, Programme

PROGRAMME_SETTINGS = (
    "quota",
    "validity_years",
    "min_operating_years",
    "lookback_years",
    "required_credit_grade",
    "watch_years",
    "ban_years",
    "fraud_ban_years",
    "reward_amount",
    "publicity_days",
    "document_experts",
    "onsite_group_size",
    "weight_document",
    "weight_onsite",
    "weight_satisfaction",
    "min_composite_score",
    "trimmed_mean",
    "dispersion_threshold",
    "evidence_total_mb",
    "correction_days",
)


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = (
            "id",
            "code",
            "name",
            "region",
            "level",
            "government_name",
            "office_name",
            *PROGRAMME_SETTINGS,
        )
        read_only_fields = ("id",)
        extra_kwargs = {
            "government_name": {"required": False},
            "code": {"validators": []},  # the service answers a taken code in Chinese
        }

    def validate(self, attrs):
        weights = [
            attrs.get(f, Programme._meta.get_field(f).default)
            for f in ("weight_document", "weight_onsite", "weight_satisfaction")
        ]
        if sum(weights) != 100:
            raise serializers.ValidationError(
                {
                    "weight_satisfaction": [
                        gettext("三项权重之和必须为100%%，当前为%(t)d%%。") % {"t": sum(weights)}
                    ]
                }
            )
        if not attrs.get("government_name"):
            found = Division.objects.filter(pk=attrs.get("region")).first()
            if found is None:
                raise serializers.ValidationError(
                    {
                        "region": [
                            gettext("“%(code)s”不是已知的行政区划代码（GB/T 2260）。")
                            % {"code": attrs.get("region")}
                        ]
                    }
                )
            attrs["government_name"] = f"{found.name}人民政府"
        return attrs


class CycleCreateSerializer(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    opens_on = serializers.DateField(required=False, allow_null=True)
    submission_deadline = serializers.DateField()
    recommendation_deadline = serializers.DateField()
    document_review_deadline = serializers.DateField(required=False, allow_null=True)
    onsite_review_deadline = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs["recommendation_deadline"] < attrs["submission_deadline"]:
            raise serializers.ValidationError(
                {"recommendation_deadline": [gettext("推荐截止日期不能早于申报截止日期。")]}
            )
        return attrs


class CycleSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    criteria_set = serializers.CharField(source="criteria_set.code", read_only=True)
    phase = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = (
            "id",
            "programme",
            "programme_name",
            "year",
            "criteria_set",
            "status",
            "phase",
            "opens_on",
            "submission_deadline",
            "recommendation_deadline",
            "document_review_deadline",
            "onsite_review_deadline",
            "publicity_starts_on",
            "publicity_ends_on",
            "announced_on",
            "counts",
        )

    def get_phase(self, cycle: Cycle) -> str:
        return self.context["phase"]

    def get_counts(self, cycle: Cycle) -> dict[str, int]:
        return self.context["counts"]
