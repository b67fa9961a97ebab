from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "commentaries.alerts"
    label = "alerts"
    verbose_name = "E-mail alerts"
    # Read by the editors' desk (commentaries.editorial.desk.providers).
    desk_providers = ["commentaries.alerts.desk.AlertsSent"]

    def ready(self):
        from commentaries.alerts import receivers
        from commentaries.publishing import events

        events.became_public.connect(receivers.announce, dispatch_uid="alerts.announce")
        events.clock.connect(receivers.clock, dispatch_uid="alerts.clock")
