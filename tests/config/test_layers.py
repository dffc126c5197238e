"""The layering contract of `make lint` (import-linter, in pyproject.toml) bites: run on a copy
of the project, it passes as the project is, and fails on one deliberate upward import, at
module level or inside a function, naming it. No database: a few seconds on any settings."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def layer_names(contract):
    return {
        name.strip().strip("()")
        for layer in contract["layers"]
        for name in layer.replace("|", ":").split(":")
    }


@pytest.fixture
def project(tmp_path):
    """A copy of the packages the contract reads, and its configuration."""
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(project):
    result = subprocess.run(  # noqa: S603 (a fixed command, no shell)
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def add_lines(path, text):
    with path.open("a") as module:
        module.write(text)


def test_the_project_as_it_is_keeps_every_contract(project):
    returncode, output = lint_imports(project)
    assert returncode == 0, output
    assert "0 broken" in output


UPWARD_IMPORTS = {
    "module level": (
        "publications/reports.py",
        "\nfrom home import models as home_models  # noqa: E402, F401\n",
        "publications is not allowed to import home",
        "publications.reports -> home.models",
    ),
    "inside a function": (
        "publications/filters.py",
        "\n\ndef upward():\n    from home import models\n\n    return models\n",
        "publications is not allowed to import home",
        "publications.filters -> home.models",
    ),
    "a model importing its app's views": (
        "publications/models.py",
        "\n\ndef serve_form(request, page):\n"
        "    from .views import white_paper_page\n\n"
        "    return white_paper_page(request, page)\n",
        "publications.models is not allowed to import publications.views",
        "publications.models -> publications.views",
    ),
}


@pytest.mark.parametrize("where", UPWARD_IMPORTS)
def test_an_upward_import_breaks_the_contract_and_is_named(project, where):
    module, lines, verdict, chain = UPWARD_IMPORTS[where]
    add_lines(project / module, lines)

    returncode, output = lint_imports(project)

    assert returncode != 0, output
    assert verdict in output
    assert chain in output
    assert "1 broken" in output


def test_every_top_level_package_is_a_layer():
    """A new app (contacts/, pagecache/) is checked only once it is a root package: this test
    fails until it is named there, in the apps' layers, and, as a Django app, among the
    containers whose views stay above their models."""
    packages = {
        path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests"
    }
    assert packages == set(CONFIG["root_packages"])
    assert packages <= layer_names(CONTRACTS["apps"])
    django_apps = {package for package in packages if (ROOT / package / "apps.py").exists()}
    assert django_apps == set(CONTRACTS["inside-apps"]["containers"])
