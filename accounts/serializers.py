from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from organisations.enums import OrganisationKind
from organisations.uscc import normalise, uscc_error

from .models import User


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


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "username", "name", "roles", "organisation")

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
