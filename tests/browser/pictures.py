"""Screenshots of browser tests: for people in test-artifacts/ (git-ignored) and, when
asked with UPDATE_DOCS_SCREENSHOTS=1, for the README in docs/."""

import os
import shutil
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = ARTIFACTS.parent / "docs"


def save_screenshot(page, name, docs_name=None, full_page=False):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    # The README's pictures change only when asked: a test run leaves the tree clean.
    if docs_name and os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS / docs_name)
    return path
