import os

from django.core.management.base import BaseCommand

from kairos.server import serve


class Command(BaseCommand):
    help = "Serve Kairos with the production server (granian + whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        # Threads per worker process for the public API, and for the rest (the dashboard,
        # signing in), measured in bench/README.md; see kairos.asgi.
        parser.add_argument("--threads", type=int, default=4)
        # Processes per worker process for the rest, at a lower priority: a heavy page then
        # cannot hold the public API's GIL. 0: lower-priority threads of the worker instead,
        # --dashboard-threads of them (bench/README.md, "Public API under dashboard load").
        parser.add_argument("--dashboard-processes", type=int, default=2)
        parser.add_argument("--dashboard-threads", type=int, default=2)
        parser.add_argument("--access-log", action="store_true")
        parser.add_argument("--with-worker", action="store_true",
                            help="also run `kairos worker` (webhooks, e-mails) beside the "
                                 "server, stopped with it: one command for small setups")

    def handle(self, host, port, workers, threads, dashboard_processes, dashboard_threads,
               access_log, with_worker, **options):
        self.stdout.write(f"Kairos on http://{host}:{port}/ ({workers} workers"
                          f"{', and a background worker' if with_worker else ''})")
        serve(host, port, workers, threads=threads, dashboard_threads=dashboard_threads,
              access_log=access_log, with_worker=with_worker,
              dashboard_processes=dashboard_processes)
