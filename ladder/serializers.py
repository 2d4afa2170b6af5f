from django.utils.translation import gettext
from rest_framework import serializers

from applications.enums import ApplicationStatus
from programmes.models import Programme
from programmes.serializers import PROGRAMME_SETTINGS, ProgrammeSerializer

from .enums import NominationStatus
from .models import Nomination

LADDER_FIELDS = ("nominated_from", "requires_lower_award", "accepts_candidates")


class LadderProgrammeSerializer(ProgrammeSerializer):
    """A programme with its place on the ladder (API.md "The award ladder"): the lower
    programmes it takes nominations from, and whether a valid lower award is required."""

    nominated_from = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), many=True, required=False
    )
    requires_lower_award = serializers.BooleanField(required=False, default=False)
    accepts_candidates = serializers.BooleanField(required=False, default=False)

    class Meta(ProgrammeSerializer.Meta):
        fields = (*ProgrammeSerializer.Meta.fields, *LADDER_FIELDS)

    def to_representation(self, programme):
        data = ProgrammeSerializer(programme, context=self.context).data
        ladder = getattr(programme, "ladder", None)
        data["nominated_from"] = sorted(p.pk for p in ladder.nominated_from.all()) if ladder else []
        data["requires_lower_award"] = bool(ladder and ladder.requires_lower_award)
        data["accepts_candidates"] = bool(ladder and ladder.accepts_candidates)
        return data


class LadderPatchSerializer(serializers.Serializer):
    """What PATCH changes: the ladder fields only (the rule settings are edited in the admin,
    and a cycle keeps those it opened with)."""

    nominated_from = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), many=True, required=False
    )
    requires_lower_award = serializers.BooleanField(required=False)
    accepts_candidates = serializers.BooleanField(required=False)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(LADDER_FIELDS))
        if unknown:
            fixed = ("id", "code", "name", "region", "level", *PROGRAMME_SETTINGS)
            raise serializers.ValidationError(
                {
                    name: [
                        gettext(
                            "此处只能修改 nominated_from、requires_lower_award、"
                            "accepts_candidates；其他设置请在管理后台修改。"
                        )
                        if name in fixed
                        else gettext("未知字段。")
                    ]
                    for name in unknown
                }
            )
        return attrs


class NominationCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class NominationSerializer(serializers.ModelSerializer):
    """A nomination as the upper and the lower offices follow it. ``id`` and ``status`` are
    the upper application's (API.md); the nomination's own are ``nomination`` and
    ``nomination_status``."""

    id = serializers.IntegerField(source="application_id", read_only=True)
    status = serializers.ChoiceField(
        source="application.status", choices=ApplicationStatus.choices, read_only=True
    )
    status_label = serializers.CharField(source="application.get_status_display", read_only=True)
    nominated_from = serializers.IntegerField(source="nominated_from_id", read_only=True)
    nomination = serializers.IntegerField(source="pk", read_only=True)
    nomination_status = serializers.ChoiceField(
        source="status", choices=NominationStatus.choices, read_only=True
    )
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)
    lower_programme = serializers.CharField(
        source="nominated_from.cycle.programme.name", read_only=True
    )
    lower_year = serializers.IntegerField(source="nominated_from.cycle.year", read_only=True)
    nominated_by = serializers.CharField(source="nominated_by.display_name", read_only=True)
    nominated_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Nomination
        fields = (
            "id",
            "status",
            "status_label",
            "nominated_from",
            "nomination",
            "nomination_status",
            "organisation",
            "lower_programme",
            "lower_year",
            "nominated_by",
            "nominated_at",
            "reference",
            "withdrawn_reason",
        )
