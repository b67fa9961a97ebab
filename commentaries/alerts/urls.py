from django.urls import path

from commentaries.alerts import views
from commentaries.alerts.admin_views import test_email

app_name = "alerts"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("test-email/<int:pk>/", test_email, name="test-email"),
]
