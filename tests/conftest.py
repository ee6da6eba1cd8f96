from pathlib import Path

import pytest
from councildigital.paths import seeds_dir
from councildigital.pipeline import catalogue


@pytest.fixture(scope="session")
def seeds():
    """The folder of source documents, or a skip that says where it was looked for."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"source documents not found at {folder} (set COUNCILDIGITAL_SEEDS)")
    return folder


HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python (councildigital)
#     language: python
#     name: councildigital
# ---
"""


def notebook(path: Path, body: str, parameters: str = 'council_type = "all"\nscale = 2\n') -> Path:
    path.write_text(
        HEADER + f'\n# %% tags=["parameters"]\n{parameters}\n# %%\n{body}\n', encoding="utf-8"
    )
    return path


@pytest.fixture
def sections(tmp_path, monkeypatch):
    """Two tiny sections in a temporary folder, in place of the real ones."""
    good = notebook(tmp_path / "good.py", 'print("answer", scale * 21, council_type)')
    bad = notebook(tmp_path / "bad.py", 'raise RuntimeError("broken on purpose")')
    registry = (
        catalogue.Section("good", str(good), "Good", reads=("published",)),
        catalogue.Section("bad", str(bad), "Bad", per_council_type=False, reads=("published",)),
    )
    monkeypatch.setattr(catalogue, "SECTIONS", registry)
    return {"good": good, "bad": bad}
