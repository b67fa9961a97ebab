from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/code/", views.code, name="code"),
    path("sign-in/cancel/", views.cancel, name="cancel"),
    path("two-step/", views.two_factor_page, name="two_factor"),
    path("two-step/set-up/", views.set_up, name="set_up"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-step/turn-off/", views.turn_off, name="turn_off"),
]
