from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.RegistryView.as_view(), name="registry"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
]
