from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import two_factor


class Command(BaseCommand):
    help = (
        "Turn off a person's two-step sign-in (their authenticator app and recovery codes), "
        "for someone who lost both. Where it is required, they set it up again at their next "
        "sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}.")
        two_factor.turn_off(user)
        self.stdout.write(f"Two-step sign-in is off for {username}.")
