from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "commentaries.alerts"
    label = "alerts"
    verbose_name = "E-mail alerts"
    # Read by the editors' desk (commentaries.editorial.desk.providers).
    desk_providers = ["commentaries.alerts.desk.AlertsSent"]

    def ready(self):
        from commentaries.alerts import receivers  # noqa: F401 (they register)
