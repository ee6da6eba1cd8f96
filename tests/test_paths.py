"""Where things are (paths): the repository's folders, and the source documents' override."""

from pathlib import Path

from councildigital import paths


def test_the_repositorys_folders():
    root = Path(__file__).resolve().parent.parent
    assert root == paths.REPO_ROOT
    assert root / "lib" / "councildigital" == paths.PACKAGE_DIR
    assert root / "data" / "published" == paths.PUBLISHED_DIR
    assert root / "data" / "reference" == paths.REFERENCE_DIR
    assert root / "data" / "synthetic" / "lgc2024_synthetic.csv" == paths.DEFAULT_MICRODATA
    assert root / "notebooks" == paths.NOTEBOOKS_DIR
    assert root / "outputs" == paths.OUTPUTS_DIR
    for folder in (paths.PUBLISHED_DIR, paths.REFERENCE_DIR, paths.NOTEBOOKS_DIR):
        assert folder.is_dir(), folder
    assert paths.DEFAULT_MICRODATA.is_file()


def test_the_seeds_folder_is_beside_the_repository_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv("COUNCILDIGITAL_SEEDS", raising=False)
    assert paths.seeds_dir() == paths.REPO_ROOT.parent / "shared" / "seeds"
    monkeypatch.setenv("COUNCILDIGITAL_SEEDS", str(tmp_path))
    assert paths.seeds_dir() == tmp_path
