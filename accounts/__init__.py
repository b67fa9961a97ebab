"""Staff sign-in: the password step, the two-step code, and throttling of both.

Owns the admin's sign-in views (the password step, the code step), each person's two-step
set-up (an authenticator app through django-otp's TOTP devices, and recovery codes through its
static devices), the rule of who must use it (ADMIN_REQUIRE_2FA), the admin site mixin that
enforces it, and django-axes' lock-out handler (logins.py). It may import Django, django-otp,
django-axes and segno; it imports nothing of the content (commentaries, authors) and nothing of
config. config.admin_site and config.urls wire it in.
"""
