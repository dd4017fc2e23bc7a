"""`manage.py purge_expired [--dry-run]`: apply the retention periods (see portal.retention)."""

from django.core.management.base import BaseCommand

from portal.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Remove working material LEV_RETENTION_WORKING_YEARS after a traject ended and the "
        "Proeve records LEV_RETENTION_RECORDS_YEARS after. --dry-run shows what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only, delete nothing")
        parser.add_argument("--working-years", type=int, default=None)
        parser.add_argument("--records-years", type=int, default=None)

    def handle(self, *args, **options):
        report = purge_expired(
            dry_run=options["dry_run"],
            working_years=options["working_years"],
            records_years=options["records_years"],
        )
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(
            f"{verb} working material of {len(report.trajecten_working)} trajecten and the "
            f"records of {len(report.trajecten_records)} trajecten ({len(report.files)} files)."
        )
        for label, count in sorted((report.working + report.records).items()):
            self.stdout.write(f"  {label}: {count}")
