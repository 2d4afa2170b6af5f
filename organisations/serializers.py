from django.utils.translation import gettext
from rest_framework import serializers

from .enums import CreditGrade, IncidentKind, IncidentStatus
from .models import PHONE_PATTERN, Incident, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = (
            "id",
            "name",
            "uscc",
            "kind",
            "region",
            "registered_on",
            "industry",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "credit_grade",
            "credit_grade_source",
            "credit_grade_on",
        )
        read_only_fields = ("id", "uscc", "credit_grade", "credit_grade_source", "credit_grade_on")


class OrganisationPatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(
        choices=Organisation._meta.get_field("kind").choices, required=False
    )
    region = serializers.CharField(max_length=64, required=False)
    registered_on = serializers.DateField(required=False)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.RegexField(
        PHONE_PATTERN,
        required=False,
        allow_blank=True,
        error_messages={"invalid": "请填写11位手机号码或带区号的固定电话。"},
    )
    credit_grade = serializers.ChoiceField(choices=CreditGrade.choices, required=False)
    credit_grade_source = serializers.CharField(max_length=200, required=False)
    credit_grade_on = serializers.DateField(required=False)

    def validate(self, attrs):
        if "credit_grade" in attrs and not attrs.get("credit_grade_source"):
            raise serializers.ValidationError(
                {
                    "credit_grade_source": [
                        gettext("录入质量信用等级时须写明来源（评定机关或文件）。")
                    ]
                }
            )
        return attrs


class IncidentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    status = serializers.ChoiceField(choices=IncidentStatus.choices, required=False)

    class Meta:
        model = Incident
        fields = ("id", "kind", "occurred_on", "description", "status", "source", "created_at")
        read_only_fields = ("id", "created_at")
