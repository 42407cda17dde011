"""The direction of dependencies: domain depends on nothing of ours, nor on Flask or SQLAlchemy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module or ""]).rstrip("."))
            else:
                found.add(node.module or "")
    return found


def files(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("path", files("domain"), ids=lambda p: p.name)
def test_domain_imports_neither_flask_nor_sqlalchemy_nor_the_app(path: Path) -> None:
    for module in imported_modules(path):
        root = module.split(".")[0]
        assert root not in {
            "flask",
            "flask_sqlalchemy",
            "flask_login",
            "flask_wtf",
            "sqlalchemy",
            "wtforms",
        }, module
        if root == "quizapp":
            assert module.startswith("quizapp.domain"), f"{path.name} imports {module}"


@pytest.mark.parametrize("path", files("services"), ids=lambda p: p.name)
def test_services_do_not_import_blueprints(path: Path) -> None:
    for module in imported_modules(path):
        for blueprint in ("quizapp.auth", "quizapp.student", "quizapp.teacher"):
            assert not module.startswith(blueprint), f"{path.name} imports {module}"


def test_the_import_scanner_sees_relative_imports() -> None:
    assert "quizapp.domain.model" in imported_modules(PACKAGE / "domain" / "grading.py")
    assert "quizapp.extensions" in imported_modules(PACKAGE / "services" / "accounts.py")
