from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from organisations.enums import OrganisationKind
from organisations.uscc import normalise, uscc_error

from .models import ClaimEvidence, OrganisationClaim, User


class RegisterOrganisationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=32)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    region = serializers.CharField(max_length=64)
    registered_on = serializers.DateField()
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate_uscc(self, value: str) -> str:
        error = uscc_error(value)
        if error:
            raise serializers.ValidationError(error)
        return normalise(value)


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_ 字符。")},
    )
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    email = serializers.EmailField(required=False, allow_blank=True)
    name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    organisation = RegisterOrganisationSerializer()


class RegisteredSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "username", "name", "roles", "organisation", "claims")

    def get_claims(self, user: User) -> list[dict]:
        """The person's organisation claims (issue 8 item 13), newest first."""
        return MyClaimSerializer(user.organisation_claims.all(), many=True).data

    def get_roles(self, user: User) -> list[str]:
        return user.role_names()


class TokenRequestSerializer(AuthTokenSerializer):
    """``{username, password}`` of API.md, and ``otp`` (the six-digit code of the authenticator
    app) for users who log in with two factors."""

    otp = serializers.CharField(
        label=_("动态验证码"), required=False, allow_blank=True, max_length=16, write_only=True
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ClaimEvidenceSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = ClaimEvidence
        fields = ("id", "kind", "original_name", "content_type", "size", "sha256", "file")

    def get_file(self, evidence: ClaimEvidence) -> str:
        return f"/api/v1/accounts/claims/{evidence.claim_id}/evidence/{evidence.pk}/file/"


class ClaimAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "name", "email", "phone")


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as its claimant sees it; the office and the supervisor also see the accounts."""

    evidence = ClaimEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = OrganisationClaim
        fields = (
            "id",
            "status",
            "uscc",
            "submitted_name",
            "submitted_data",
            "statement",
            "evidence",
            "created_at",
            "submitted_at",
            "decided_at",
            "reasons",
        )


class OfficeClaimSerializer(ClaimSerializer):
    claimant = ClaimAccountSerializer(read_only=True)
    holders = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = (*ClaimSerializer.Meta.fields, "organisation", "claimant", "holders")

    def get_holders(self, claim: OrganisationClaim) -> list[dict]:
        users = getattr(claim.organisation, "holder_list", None)
        if users is None:
            users = claim.organisation.users.order_by("pk")
        return ClaimAccountSerializer(users, many=True).data


class ClaimSubmitSerializer(serializers.Serializer):
    licence = serializers.FileField()
    authorisation = serializers.FileField(required=False)
    statement = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ClaimDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reasons = serializers.CharField(max_length=2000)
    keep_other_users = serializers.BooleanField(required=False, default=False)


class MyClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationClaim
        fields = ("id", "status", "uscc")
