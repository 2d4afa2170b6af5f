from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from common.exceptions import ApplicationError
from common.forms import add_service_error
from programmes.selectors import programme_regions

from .forms import RegisterForm
from .services.users import register_enterprise

# The form's names for the organisation's fields, where they differ from the model's.
_ORG_FIELD_ON_FORM = {"name": "org_name"}


class LoginView(auth_views.LoginView):
    """The password step of logging in."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.GET.get("reason") == "idle":
            ctx["notice"] = _(
                "您已超过%(minutes)d分钟未操作，为保护评审数据安全，系统已自动退出登录。请重新登录。"
            ) % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES}
        return ctx


class RegisterView(FormView):
    template_name = "accounts/register.html"
    form_class = RegisterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": programme_regions()}

    def form_valid(self, form):
        try:
            user = register_enterprise(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                organisation=form.organisation_data(),
                email=form.cleaned_data.get("email", ""),
                name=form.cleaned_data["name"],
                phone=form.cleaned_data.get("phone", ""),
            )
        except ApplicationError as exc:
            exc.field = _ORG_FIELD_ON_FORM.get(exc.field, exc.field)
            add_service_error(form, exc)
            return self.form_invalid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError(
                    {_ORG_FIELD_ON_FORM.get(k, k): v for k, v in exc.error_dict.items()}
                )
            add_service_error(form, exc)
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("注册成功，欢迎使用质量奖申报系统。"))
        return redirect("home")
