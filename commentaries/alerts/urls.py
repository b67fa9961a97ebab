from django.urls import path

from commentaries.alerts import views
from commentaries.alerts.admin_views import test_email
from commentaries.caching.pages import cached_page

app_name = "alerts"

urlpatterns = [
    # The readers' page: e-mail alerts and feeds. Its form, like every page's, posts to
    # alerts:subscribe, whose GET answers 301 here.
    path("subscribe/", cached_page(views.subscribe_page, params=["follow"]), name="page"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/preferences/<str:token>/", views.preferences, name="preferences"),
    path("alerts/test-email/<int:pk>/", test_email, name="test-email"),
]
