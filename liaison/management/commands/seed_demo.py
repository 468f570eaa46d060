from django.core.management.base import BaseCommand

from liaison import demo


class Command(BaseCommand):
    help = "Load the demo county (idempotent: running it again adds nothing twice)."

    def handle(self, *args, **options):
        from representatives.demo import seed_representatives

        network = demo.seed_network()
        self.stdout.write(f"Stations: {len(network['stations'])}")
        reps = seed_representatives(admin=network["admin"], network=network)
        self.stdout.write(f"Representatives: {reps['total']} ({reps['created']} new)")
        from liaison.activities.demo import seed_activities

        activities = seed_activities(admin=network["admin"], network=network)
        self.stdout.write(f"Activities: {activities['activities']} ({activities['created']} new)")

        from voters.demo_people import seed_voters_and_grid

        people = seed_voters_and_grid(admin=network["admin"], network=network)
        self.stdout.write(f"Voters: {people['voters']}; households on the grid: {people['households']}")

        from voters.demo import seed_reception

        reception = seed_reception(admin=network["admin"])
        self.stdout.write(
            f"Reception days: {reception['days']} ({reception['created']} new), visits: {reception['visits']}"
        )
        from representatives.demo_performance import seed_performance

        performance = seed_performance(admin=network["admin"], network=network)
        self.stdout.write(f"Performance records: {performance['records']}; report-backs: {performance['report_backs']}")
        from suggestions.demo import seed_suggestions

        sugg = seed_suggestions(admin=network["admin"], network=network)
        self.stdout.write(
            f"Suggestions: {sugg['suggestions']} ({sugg['created']} new), handling units: {sugg['units']}"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo county is ready. Logins (password: {demo.DEMO_PASSWORD}):"))
        for login in demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<14} {login.full_name:<6} {login.role:<16} {login.place}")
