"""The decision engine stays pure: standard library (and re2) only, no Django, no web
framework, nothing from the rest of Kairos. A lean process can then serve decisions
without Django, and engine tests run in milliseconds."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "src" / "kairos" / "engine"
FORBIDDEN = ("django", "ninja")
THIRD_PARTY_ALLOWED = ("re2",)


def module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[str]:
    """Absolute names of every module the file imports, relative imports resolved."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append(absolute(node, package))
    return names


def absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def top(name: str) -> str:
    return name.partition(".")[0]


@pytest.mark.parametrize("path", engine_files(), ids=lambda path: str(path.relative_to(ENGINE)))
def test_the_engine_imports_no_framework_and_no_other_app(path):
    for name in imported_modules(path):
        assert top(name) not in FORBIDDEN, f"{path} imports {name}"
        if top(name) == "kairos":
            assert name == "kairos.engine" or name.startswith("kairos.engine."), (
                f"{path} imports {name}, outside the engine"
            )


@pytest.mark.parametrize("path", engine_files(), ids=lambda path: str(path.relative_to(ENGINE)))
def test_the_engine_uses_only_the_standard_library_and_re2(path):
    for name in imported_modules(path):
        allowed = (top(name) in sys.stdlib_module_names or top(name) in THIRD_PARTY_ALLOWED
                   or top(name) in ("kairos", "__future__"))
        assert allowed, f"{path} imports the third-party module {name}"


def test_importing_the_engine_loads_no_django():
    modules = ", ".join(module_name(path) for path in engine_files())
    program = (
        f"import sys, {modules};"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja'));"
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ENGINE.parent.parent), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
