from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intersector.collaborations.registry import ImportFailed
from intersector.reports.exports import import_collaboration


class Command(BaseCommand):
    help = "Restore a JSON export into a NEW collaboration (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by the JSON export.")

    def handle(self, *args, file, **options):
        try:
            raw = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        try:
            collaboration, context = import_collaboration(raw)
        except ImportFailed as exc:
            details = "".join(f"\n  {path}: {message}" for path, message in exc.problems)
            if exc.more:
                details += f"\n  … and {exc.more} more"
            raise CommandError(f"Nothing was imported. {exc.summary}{details}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported “{collaboration.title}” as /c/{collaboration.slug}/ "
                f"({collaboration.partners.count()} partners, "
                f"{collaboration.memberships.count()} members)."
            )
        )
        for email in context.created_users:
            self.stdout.write(f"  new account without a password (use “forgot password”): {email}")
