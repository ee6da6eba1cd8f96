import pytest
from councildigital.paths import seeds_dir


@pytest.fixture(scope="session")
def seeds():
    """The folder of source documents, or a skip that says where it was looked for."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"source documents not found at {folder} (set COUNCILDIGITAL_SEEDS)")
    return folder
