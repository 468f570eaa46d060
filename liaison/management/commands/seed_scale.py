"""`manage.py seed_scale --profile small|county|province`: realistic data at scale (empty database).

See liaison/scale_seed.py for what each profile holds and how the rows are made.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from liaison.scale_seed import PROFILES, Seeder, summary


class Command(BaseCommand):
    help = "Fill an empty database with a county's or a province's realistic data, for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="county")
        parser.add_argument("--seed", type=int, default=20261125, help="Random seed (the same data every time).")

    def handle(self, *args, profile, seed, **options):
        started = time.perf_counter()
        seeder = Seeder(PROFILES[profile], seed=seed, log=lambda line: self.stdout.write(line))
        try:
            results = seeder.run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary(results))
        self.stdout.write(f"profile {profile}: {time.perf_counter() - started:.1f} s wall clock")
