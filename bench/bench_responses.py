"""POST /api/public/v1/responses end to end, against a bare django-ninja endpoint.

Both are served the same way (gunicorn, 2 workers, on this machine's loopback) and loaded
by wrk with the same varied JSON bodies in the same run; the figure that matters is the
ratio. Kairos does the whole job: validation, storing the response, deciding over the
shop's campaigns (20 live, over 5 segments, most with frequency caps), recording the
impression — on SQLite, the default.

    SECRET_KEY=x .venv/bin/python bench/bench_responses.py [--seconds 10] [--connections 32]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    return parser.parse_args()


def prepare_shop(env):
    """Migrate a fresh SQLite database and give the demo shop a realistic campaign set."""
    script = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kairos.demo import build_demo_shop
from kairos.segments.models import Segment
from kairos.campaigns.services import create_campaign
shop = build_demo_shop()
org = shop.organization
rules = [("Detractors", 0, 6), ("Passives", 7, 8), ("Promoters", 9, 10), ("Low", 0, 3),
         ("All", 0, 10)]
segments = [Segment.objects.create(organization=org, name=n, conditions={"all": [
    {"field": "answers.nps", "op": "between", "value": [lo, hi]}]}) for n, lo, hi in rules]
types = ["callback_request", "refer_friend", "onscreen_incentive", "image_display"]
for n in range(20):
    create_campaign(org, {"type": types[n % 4], "title": f"Campaign {n}", "active": True,
                          "priority": n % 7, "frequency_cap_minutes": 60 * (n % 3)},
                    [segments[n % 5].pk])
print(shop.site_key)
"""
    result = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


def start(command, env, port):
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # it answers: up
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on port {port} did not start")


def load(port, seconds, connections, env):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
               "-s", str(HERE / "support/post_responses.lua"), f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, env=env, check=True, capture_output=True,
                            text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency.get("50"), latency.get("99"), int(errors.group(1)) if errors else 0


def main():
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="kairos-bench-")
    env = {**os.environ, "DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "kairos.settings",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"), "PYTHONPATH":
           f"{ROOT / 'src'}:{HERE / 'support'}"}
    env.pop("DATABASE_URL", None)
    env["SITE_KEY"] = prepare_shop(env)
    servers = {
        "bare django-ninja": (["gunicorn", "-w", str(args.workers), "--threads",
                               str(args.threads), "-b", "127.0.0.1:8701",
                               "--chdir", str(HERE / "support"), "bare_ninja:application"],
                              8701),
        "kairos": ([sys.executable, "-m", "kairos", "serve", "--port", "8702", "--workers",
                    str(args.workers), "--threads", str(args.threads)], 8702),
    }
    results = {}
    for name, (command, port) in servers.items():
        command[0] = str(Path(sys.executable).parent / command[0]) if command[0] == "gunicorn" \
            else command[0]
        process = start(command, env, port)
        try:
            load(port, 2, args.connections, env)  # warm up: imports, caches, JIT-less paths
            results[name] = load(port, args.seconds, args.connections, env)
        finally:
            process.terminate()
            process.wait()
    report(results, args)


def report(results, args):
    print(f"\nPOST /api/public/v1/responses, {args.workers} gunicorn workers x "
          f"{args.threads} threads, wrk "
          f"{args.connections} connections, {args.seconds}s, SQLite\n")
    print(f"{'server':<20}{'req/s':>10}{'p50':>10}{'p99':>10}{'non-2xx':>10}")
    for name, (rps, p50, p99, errors) in results.items():
        print(f"{name:<20}{rps:>10.0f}{p50:>10}{p99:>10}{errors:>10}")
    ratio = results["kairos"][0] / results["bare django-ninja"][0]
    print(f"\nkairos / bare = {ratio:.0%} (target: at least 40%)")


if __name__ == "__main__":
    main()
