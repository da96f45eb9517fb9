#!/bin/sh
# Regenerate the README's screenshots (docs/*.png) from the browser tests that take them:
# the widget on a phone and a desk, the callbacks queue on a desk and a phone.
# Usage: scripts/update-screenshots.sh   (from the repository root; needs `make setup`)
set -e
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
sh scripts/ensure-test-tools.sh
UPDATE_DOCS_SCREENSHOTS=1 SECRET_KEY=${SECRET_KEY:-screenshots} "$PYTHON" -m pytest -q -p no:cacheprovider \
  tests/browser/test_widget.py tests/browser/test_callbacks_desk.py "$@"
git status --short docs/
