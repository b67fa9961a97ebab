"""django-otp's own device admins are not offered: they would show every person's secret key
and recovery codes to superusers and list "OTP_TOTP" on the admin's home. Each person manages
their own on the Two-step sign-in page; `manage.py reset_two_factor USERNAME` helps someone who
lost both their phone and their recovery codes."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
