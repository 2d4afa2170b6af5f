from django.urls import path

from . import views

app_name = "ladder"

urlpatterns = [
    path("cycles/<int:pk>/nominations/", views.NominationsView.as_view(), name="nominations"),
]
