"""requirements.txt, pyproject.toml and environment.yml pin the same versions."""

import shutil

import pytest

from scripts import pins


def test_the_three_pin_files_agree():
    assert pins.problems() == []


def test_every_requirement_is_pinned_exactly():
    req = pins.requirements()
    assert len(req) > 50  # direct and transitive packages
    for name in ["tensorflow", "keras", "nbval", "jupyterlab", "scikit-learn", "sacrebleu"]:
        assert name in req


def test_environment_yml_is_what_the_generator_writes():
    text = (pins.ROOT / "environment.yml").read_text(encoding="utf-8")
    assert text == pins.render_environment(pins.requirements())


@pytest.fixture
def copy_of_pins(tmp_path):
    for name in ["requirements.txt", "pyproject.toml", "environment.yml"]:
        shutil.copy(pins.ROOT / name, tmp_path / name)
    return tmp_path


def test_a_version_that_differs_is_reported(copy_of_pins):
    path = copy_of_pins / "environment.yml"
    path.write_text(path.read_text().replace("keras==3.15.1", "keras==3.14.0"))
    assert any("keras" in p and "3.14.0" in p for p in pins.problems(copy_of_pins))


def test_a_package_missing_from_requirements_is_reported(copy_of_pins):
    path = copy_of_pins / "requirements.txt"
    kept = [line for line in path.read_text().splitlines() if not line.startswith("nbval==")]
    path.write_text("\n".join(kept))
    found = pins.problems(copy_of_pins)
    assert any("nbval" in p and "lacks" in p for p in found)
    assert any("nbval" in p and "environment.yml" in p for p in found)


def test_a_loose_pin_is_an_error(copy_of_pins):
    path = copy_of_pins / "requirements.txt"
    path.write_text(path.read_text().replace("keras==3.15.1", "keras>=3"))
    with pytest.raises(ValueError, match="keras>=3.*not pinned exactly"):
        pins.problems(copy_of_pins)


def test_names_compare_by_pep503():
    assert pins.canonical("PyYAML") == pins.canonical("pyyaml")
    assert pins.canonical("jupyter_client") == pins.canonical("Jupyter.Client")
    with pytest.raises(ValueError, match="listed twice"):
        pins.parse_pins(["PyYAML==6.0.4", "pyyaml==6.0.4"], "x")


def test_the_installed_packages_are_the_pinned_versions():
    # Notebook 00 only warns a learner about a mismatch; the tests fail on it.
    from importlib.metadata import PackageNotFoundError, version

    wrong = {}
    for name, pinned in pins.requirements().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert wrong == {}, f"(pinned, installed) differ: {wrong}"
