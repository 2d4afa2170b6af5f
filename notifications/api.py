from rest_framework import generics, serializers

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "subject", "body", "url", "created_at", "read_at")


class NotificationListApi(generics.ListAPIView):
    """The caller's own inbox."""

    serializer_class = NotificationSerializer
    # The schema's model; get_queryset scopes the list to the caller.
    queryset = Notification.objects.none()

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)
