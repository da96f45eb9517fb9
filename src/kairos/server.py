"""The production server behind `kairos serve`: gunicorn running Kairos' WSGI app."""

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


def serve(host, port, workers, threads=1, access_log=False):
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
    KairosServer(options).run()
