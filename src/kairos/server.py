"""The production server behind `kairos serve`: gunicorn running Kairos' WSGI app."""

import subprocess
import sys

from django.conf import settings
from django.utils.module_loading import import_string
from gunicorn.app.base import BaseApplication


class KairosServer(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return import_string(settings.WSGI_APPLICATION)  # kairos.wsgi.application


def start_worker(server):
    """gunicorn's when_ready hook: `kairos worker` as a child of the server's master."""
    server.kairos_worker = subprocess.Popen([sys.executable, "-m", "kairos", "worker"])


def stop_worker(server):
    """gunicorn's on_exit hook: the worker finishes its task under way and stops."""
    worker = getattr(server, "kairos_worker", None)
    if worker is not None and worker.poll() is None:
        worker.terminate()
        worker.wait(timeout=60)


def serve(host, port, workers, threads=1, access_log=False, with_worker=False):
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # Workers import Django once, before forking, so each starts warm.
        "preload_app": True,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "timeout": 30,
        "graceful_timeout": 10,
    }
    if with_worker:
        options.update(when_ready=start_worker, on_exit=stop_worker)
    KairosServer(options).run()
