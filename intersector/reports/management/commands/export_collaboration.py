import json

from django.core.management.base import BaseCommand, CommandError

from intersector.collaborations.models import Collaboration
from intersector.reports.exports import export_collaboration


class Command(BaseCommand):
    help = "Print a collaboration as JSON (the same document the facilitators' export gives)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        try:
            collaboration = Collaboration.objects.get(slug=slug)
        except Collaboration.DoesNotExist:
            raise CommandError(f"No collaboration with the slug {slug!r}.") from None
        self.stdout.write(
            json.dumps(export_collaboration(collaboration), ensure_ascii=False, indent=2)
        )
