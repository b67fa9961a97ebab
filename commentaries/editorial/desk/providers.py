"""What other parts of the site add to the dashboard, without editorial importing them.

Alerts and the scholarly record stand beside editorial, and neither may import the other
(import-linter, pyproject.toml); yet the dashboard shows how many alerts of a piece went out,
the state of its PDF, and what failed. So an app names its providers on its AppConfig, the way
Django's admin names its site (AdminConfig.default_site):

    class AlertsConfig(AppConfig):
        desk_providers = ["commentaries.alerts.desk.AlertsSent"]

and the desk loads them the first time it is asked, after the apps are ready, in the order of
INSTALLED_APPS. An app that is not installed adds nothing. A provider is a class made with no
arguments, with any of:

- `permission`: a permission (such as "alerts.view_subscriber") the user must hold to see what
  it provides; without one, every editor does.
- `heading` and `column(pieces)`: a column of "Recently published". `column` gets the pieces
  shown (Commentary objects, their bodies deferred) and returns {piece id: (text, tone)}, in a
  fixed number of queries however many pieces; `tone` is "good", "waiting", "bad" or "".
- `attention(now, limit)`: what went wrong and waits for an editor, as at most `limit`
  (piece id, what went wrong, since when) tuples, newest first. The desk shows only pieces the
  user may see (commentaries.editorial.permissions.visible).

Providers answer for editors only: contributors' dashboards ask none of them.
"""

import functools

from django.apps import apps
from django.utils.module_loading import import_string

TONES = ("good", "waiting", "bad", "")


@functools.cache
def providers():
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, "desk_providers", ()):
            found.append(import_string(path)())
    return tuple(found)


def for_user(user):
    return [
        p for p in providers() if not getattr(p, "permission", None) or user.has_perm(p.permission)
    ]


def columns(user):
    return [p for p in for_user(user) if hasattr(p, "column")]


def attention(user):
    return [p for p in for_user(user) if hasattr(p, "attention")]
