import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from representatives.models import RefreshCampaign
from representatives.services import refresh as refresh_services


class Command(BaseCommand):
    help = (
        "Open the half-yearly refresh of the mobile register (idempotent: a period has one campaign). "
        "Without --period, the current half-year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="First day of the half-year, YYYY-01-01 or YYYY-07-01.")

    def handle(self, *args, **options):
        if options["period"]:
            try:
                period = datetime.date.fromisoformat(options["period"])
            except ValueError as exc:
                raise CommandError("--period must be a date such as 2025-07-01.") from exc
        else:
            period = refresh_services.half_year_start(timezone.localdate())
        existed = RefreshCampaign.objects.filter(period_start=period).exists()
        try:
            campaign = refresh_services.register_refresh_open(actor=None, period_start=period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        count = campaign.confirmations.count()
        state = "was already open" if existed else "is open"
        self.stdout.write(self.style.SUCCESS(f"Refresh {period:%Y-%m-%d} {state}: {count} entries to confirm."))
