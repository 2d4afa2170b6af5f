from rest_framework import serializers

from accounts.enums import RecommenderLevel
from programmes.models import Cycle
from programmes.selectors import criteria_items

from .models import Application, Document, DocumentKind, Recommendation, RecommendationDecision
from .services.form import SECTIONS, missing_by_section, self_evaluation_total


class ApplicationCreateSerializer(serializers.Serializer):
    cycle = serializers.PrimaryKeyRelatedField(queryset=Cycle.objects.all())


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ("id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at")


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)


class ApplicationSerializer(serializers.ModelSerializer):
    """The application with its form (API.md). Read-only; the form is changed by PATCH through
    the drafting service."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    programme = serializers.IntegerField(source="cycle.programme_id", read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    self_evaluation_total = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = (
            "id",
            "cycle",
            "programme",
            "year",
            "organisation",
            "organisation_name",
            "status",
            "status_label",
            "summary",
            "indicators",
            "management_systems",
            "innovation",
            "brand",
            "self_evaluation",
            "contact_name",
            "contact_phone",
            "submitted_at",
            "last_submitted_at",
            "decision_reasons",
            "correction_due",
            "self_evaluation_total",
            "missing",
        )
        read_only_fields = fields

    def get_self_evaluation_total(self, app: Application) -> str:
        return str(
            self_evaluation_total(app.self_evaluation, criteria_items(app.cycle.criteria_set_id))
        )

    def get_missing(self, app: Application) -> dict[str, list[str]]:
        titles = {s.key: str(s.title) for s in SECTIONS}
        return {titles[k]: v for k, v in missing_by_section(app).items() if v}


class ApplicationListSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    programme = serializers.IntegerField(source="cycle.programme_id")
    year = serializers.IntegerField(source="cycle.year")

    class Meta:
        model = Application
        fields = (
            "id",
            "cycle",
            "programme",
            "year",
            "organisation",
            "organisation_name",
            "status",
            "submitted_at",
        )


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ("id", "level", "decision", "opinion", "signed_at")
        read_only_fields = ("id", "signed_at")
        extra_kwargs = {
            "level": {"choices": RecommenderLevel.choices},
            "decision": {"choices": RecommendationDecision.choices},
        }
        validators = []


class EligibilityDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("accept", "accept"), ("reject", "reject"), ("return", "return")]
    )
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    correction_due = serializers.DateField(required=False, allow_null=True)
