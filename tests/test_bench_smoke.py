"""Every benchmark in bench/ runs end to end at a tiny size, so none can rot unnoticed.

The figures mean nothing at these sizes; what is checked is that each script builds its
data, runs its measurements and its own consistency checks, and exits 0. They run side
by side (each in its own process and database) to keep the suite fast.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

SMOKE_RUNS = {
    "predicate": ["bench_predicate.py"],
    "decide": ["bench_decide.py"],
    "import": ["bench_import.py", "--rows", "300"],
    "segment_size": ["bench_segment_size.py", "--rows", "2000", "--repeat", "1"],
    "dashboard": ["bench_dashboard.py", "--responses", "1500", "--impressions", "400",
                  "--callbacks", "40", "--campaigns", "6", "9", "--repeat", "1"],
    "responses": ["bench_responses.py", "--seconds", "1", "--warmup", "0",
                  "--connections", "2", "--workers", "1"],
    "hot_path_cpu": ["bench_hot_path_cpu.py", "--requests", "20", "--rounds", "1"],
    "round_trips": ["bench_round_trips.py", "--requests", "3",
                    "--pg-database", "kairos_bench_round_trips_smoke"],
    "contention": ["bench_contention.py", "--responses", "500", "--database", "sqlite",
                   "--seconds", "1", "--connections", "2", "--users", "1", "--rounds", "1"],
    "scaleout": ["bench_scaleout.py", "--seconds", "1", "--connections", "4", "--rounds", "1",
                 "--pg-database", "kairos_bench_scaleout_smoke"],
    "traffic": ["bench_traffic.py", "--seconds", "1", "--connections", "2", "--responses",
                "500", "--slow", "2", "--users", "1", "--server", "kairos"],
}


def environment():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BENCH_SCALE": "0.01",
           "SECRET_KEY": "bench-only", "DATA_DIR": tempfile.mkdtemp(prefix="bench-smoke-")}
    env.pop("DATABASE_URL", None)  # each bench makes its own SQLite database
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


# Each bench builds its own databases whatever the suite's DATABASE_URL, so the PostgreSQL
# and the clock-shifted passes of CI would only repeat the SQLite pass's run, minutes each.
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL") or os.environ.get(
    "KAIROS_CLOCK_AHEAD_DAYS")), reason="run once, in the suite's SQLite pass")
def test_every_benchmark_runs_at_a_tiny_size():
    # wrk (installed by `make test` with Chromium) and PostgreSQL (CI's, see README) are
    # needed: a bench that cannot run here fails rather than passing unseen.
    assert shutil.which("wrk"), "wrk is missing: `make test` installs it"
    runs = dict(SMOKE_RUNS)
    assert {f"bench_{name}.py" for name in SMOKE_RUNS} == {
        path.name for path in BENCH.glob("bench_*.py")}, "a benchmark has no smoke run"
    started = {}
    for name, arguments in runs.items():
        env = environment()  # a data directory of its own: the benches run side by side
        started[name] = subprocess.Popen(
            [sys.executable, str(BENCH / arguments[0]), *arguments[1:]], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failed = {}
    for name, process in started.items():
        try:
            output, _ = process.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if process.returncode != 0:
            failed[name] = output[-3000:]
    if failed:
        pytest.fail("\n\n".join(f"{name}:\n{output}" for name, output in failed.items()))
