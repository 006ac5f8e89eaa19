import getpass

from django.core.management.base import BaseCommand, CommandError

from zhigong.core import actions
from zhigong.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a platform administrator."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="read from the terminal when omitted")

    def handle(self, *args, username, password, **options):
        password = password or getpass.getpass("Password: ")
        try:
            actions.create_platform_admin(username, password)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(self.style.SUCCESS(f"platform admin {username} created"))
