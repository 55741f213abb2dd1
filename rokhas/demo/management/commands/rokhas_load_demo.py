"""Everything a newcomer needs after `make run`: territory, catalogue, demo PKI, people, files."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from rokhas.accounts.models import User
from rokhas.demo.files import create_demo_files
from rokhas.demo.seed import DEMO_PIN, build_world
from rokhas.signing.models import SignerCredential
from rokhas.territory.models import Commune

SAMPLE_POPULATION = Path(settings.BASE_DIR) / "rokhas/territory/data/population-sample.csv"


class Command(BaseCommand):
    help = "Load the demo world (idempotent): territory, catalogue, test CA, demo accounts and files."

    def handle(self, *args, **options):
        call_command("rokhas_load_territory", verbosity=0)
        call_command("rokhas_import_population", str(SAMPLE_POPULATION), "--skip-invalid", verbosity=0)
        Commune.objects.filter(code="501.01.07", population__isnull=True).update(population=313500)
        call_command("rokhas_load_catalogue", verbosity=0)
        call_command("rokhas_load_fee_rates", verbosity=0)  # demo commune rates (rokhas/payments/data)
        world = build_world(Commune.objects.get(code="281.01.01"), Commune.objects.get(code="501.01.07"),
                            Commune.objects.get(code="501.03.11"))
        call_command("rokhas_dev_pki", verbosity=0)
        seal, _ = User.objects.get_or_create(username=settings.ROKHAS_SEAL_USERNAME, defaults={
            "first_name": "Rokhas", "last_name": "— cachet électronique", "email": "seal@rokhas.local",
            "kind": User.Kind.OFFICIAL})
        signers = [(world.users["president"], DEMO_PIN), (world.users["delegate"], DEMO_PIN),
                   (world.users["other_president"], DEMO_PIN), (seal, settings.ROKHAS_SEAL_PIN)]
        # Commission members sign the minutes of their sessions (rokhas.commission), same PIN.
        signers += [(world.users[key], DEMO_PIN) for key in
                    ("commune_reviewer", "urban_agency", "local_authority", "civil_protection")]
        for user, pin in signers:
            if not SignerCredential.objects.filter(user=user, revoked_at__isnull=True).exists():
                call_command("rokhas_issue_signer", user=user.username, pin=pin, verbosity=0)
        created = create_demo_files(world)
        from rokhas.commission.demo import create_demo_session

        create_demo_session(world)
        self.stdout.write(self.style.SUCCESS(
            f"Demo ready: {Commune.objects.count()} communes, {len(world.users)} demo accounts, "
            f"{created} demo files created. Password for every demo account: see README.md"))
