from django.conf import settings

from kairos.command import KairosCommand
from kairos.demo import build_demo_shop


class Command(KairosCommand):
    help = "Create or refresh the demo shop, its user, keys and sample data."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default=settings.SITE_URL)

    def handle(self, site_url, **options):
        self.stdout.write("Preparing the demo shop and its sample data (a few seconds)…")
        shop = build_demo_shop(site_url, sample_data=True)
        base = site_url.rstrip("/")
        self.stdout.write(
            "\n".join(
                [
                    "",
                    self.style.SUCCESS(f"Demo shop ready: {shop.organization.name}"),
                    f"  Dashboard   {base}/dashboard/",
                    f"  Demo page   {base}/demo/   (a shop's thank-you page with the widget)",
                    f"  Login       {shop.email} / {shop.password}",
                    f"  Site key    {shop.site_key}   (public, for the widget)",
                    f"  API key     {shop.api_key}   (secret, shown once)",
                    f"  API docs    {base}/api/v1/docs",
                    f"  Responses   {shop.responses.total:,} sample responses "
                    f"({shop.responses.created:,} added now)",
                    "",
                ]
            )
        )
