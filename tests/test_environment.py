"""The project's set-up files agree with each other."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pip_requirements() -> dict[str, str]:
    project = _pyproject()["project"]
    reqs = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in reqs}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", dep).groups()
            found[name.lower()] = spec.replace(" ", "")
    return found


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    pip = _pip_requirements()
    conda = _conda_requirements()
    conda.pop("python")
    conda.pop("pip")
    assert conda == pip


def test_environment_yml_python_matches_requires_python():
    conda = _conda_requirements()
    assert conda["python"] == _pyproject()["project"]["requires-python"]


def test_lock_file_pins_every_dependency_exactly():
    lock = (ROOT / "requirements.lock").read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", lock, flags=re.MULTILINE))
    pins = {canonicalize_name(name): version for name, version in pins.items()}
    for name, spec in _pip_requirements().items():
        name = canonicalize_name(name)
        assert name in pins, f"{name} is not pinned in requirements.lock (run `make lock`)"
        assert pins[name] in __import__("packaging.specifiers").specifiers.SpecifierSet(spec), (
            f"{name}=={pins[name]} in requirements.lock does not satisfy {spec} (run `make lock`)"
        )


def test_jupytext_pairs_percent_scripts_with_ignored_ipynb():
    config = tomllib.loads((ROOT / "jupytext.toml").read_text())
    assert config["formats"] == "ipynb,py:percent"
    assert "notebooks/*.ipynb" in (ROOT / ".gitignore").read_text().splitlines()


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
