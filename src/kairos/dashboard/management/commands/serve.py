import os

from django.core.management.base import BaseCommand

from kairos.server import serve


class Command(BaseCommand):
    help = "Serve Kairos with the production server (gunicorn + whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        # Sync workers measured best for the public API on SQLite (bench/README.md);
        # threads help when requests wait on something slower than the database.
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--access-log", action="store_true")
        parser.add_argument("--with-worker", action="store_true",
                            help="also run `kairos worker` (webhooks, e-mails) beside the "
                                 "server, stopped with it: one command for small setups")

    def handle(self, host, port, workers, threads, access_log, with_worker, **options):
        self.stdout.write(f"Kairos on http://{host}:{port}/ ({workers} workers"
                          f"{', and a background worker' if with_worker else ''})")
        serve(host, port, workers, threads=threads, access_log=access_log,
              with_worker=with_worker)
