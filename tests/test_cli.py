"""The command line: help that lists what can be run, usage errors (exit 2) and input errors
(exit 1) as one clear message, and each command's output.

Commands are invoked in-process with click's CliRunner; the batch commands run the
two tiny sections of ``conftest.sections``, not the report's notebooks.
"""

import pandas as pd
import pytest
from click.testing import CliRunner
from councildigital import cli
from councildigital.cli import main
from councildigital.data import microdata, published, sources, survey
from councildigital.data.microdata import DEFAULT_PATH
from councildigital.pipeline import batch, catalogue
from councildigital.reconstruct import claims


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# --- help ---------------------------------------------------------------------------------------


def test_help_lists_every_command_and_the_version():
    result = invoke("--help")
    assert result.exit_code == 0
    commands = [line.split()[0] for line in result.output.split("Commands:\n")[1].splitlines()]
    assert commands == ["batch", "fidelity", "figures", "reconstruct", "run"]
    version = invoke("--version")
    assert version.exit_code == 0
    assert version.output.startswith("main, version ")


@pytest.mark.parametrize("command", ["batch", "run"])
def test_run_and_batch_help_list_every_section_and_council_type(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    for sec in catalogue.SECTIONS:
        assert f"  {sec.code}: {sec.title}" in result.output
    assert f"Council types: {', '.join(survey.council_type_choices())}" in result.output
    assert "council_type and data_path are set with --council-types" in result.output
    assert "      council_type (" not in result.output  # reserved: not offered as -p


def test_sections_help_shows_a_sections_declared_parameters(sections):
    text = cli._sections_help()
    assert text.splitlines()[1:4] == [
        "Sections and the parameters each declares (set with -p NAME VALUE):",
        "  good: Good",
        "      scale (int; default 2)",
    ]


# --- batch and run ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, code, expected",
    [
        (["--timeout", "2.5"], 2, "Invalid value for '--timeout': '2.5' is not a valid integer"),
        (["--timeout", "0"], 2, "Invalid value for '--timeout': 0 is not in the range x>=1"),
        (["--jobs", "0"], 2, "Invalid value for '--jobs': 0 is not in the range x>=1"),
        (["--bogus"], 2, "No such option '--bogus'"),
        (["--scheduler", "my-laptop"], 1, "is not a Dask scheduler address"),
        (["--sections", "nonsense"], 1, "Error: unknown section 'nonsense'; expected one of good"),
    ],
)
def test_bad_options_are_refused_before_any_run(sections, tmp_path, options, code, expected):
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["batch", "--out", str(out), "--quiet", *options])
    assert result.exit_code == code
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (out / "good").exists()


def test_too_many_jobs_are_capped_and_the_user_told(sections, tmp_path):
    result = CliRunner().invoke(
        main, ["batch", "--sections", "good", "--jobs", "1000", "--out", str(tmp_path), "--quiet"]
    )
    assert f"--jobs 1000 is more than the {batch.max_jobs()} cores here" in result.output
    assert result.exit_code == 0


def test_without_a_terminal_each_run_prints_a_line_with_consistent_counts(sections, tmp_path):
    result = CliRunner().invoke(
        main,
        ["batch", "--sections", "good", "--council-types", "all,county", "--out", str(tmp_path)],
    )
    lines = [line for line in result.output.splitlines() if line.startswith("[")]
    assert sorted(line.split("]")[0] for line in lines) == ["[1/2", "[2/2"]
    assert all(": ran in " in line for line in lines)


@pytest.fixture
def own_data(tmp_path, monkeypatch):
    """A section that reads respondent data, the embedded file copied as one's own, and an
    outputs folder of the test's own in place of the repository's."""
    from conftest import notebook

    reader = notebook(
        tmp_path / "reader.py",
        'print("rows from", data_path)',
        parameters='council_type = "all"\ndata_path = None\n',
    )
    monkeypatch.setattr(catalogue, "SECTIONS", (catalogue.Section("reader", str(reader), "R"),))
    outputs = tmp_path / "outputs"
    monkeypatch.setattr(cli, "OUTPUTS_DIR", outputs)
    monkeypatch.setattr(batch, "OUTPUTS_DIR", outputs)
    mine = tmp_path / "my responses.csv"
    mine.write_bytes(DEFAULT_PATH.read_bytes())
    return mine, outputs


def test_own_data_goes_to_its_own_folder_unless_out_says_otherwise(own_data, tmp_path):
    import hashlib

    mine, outputs = own_data
    folder = outputs / f"data-my-responses-{hashlib.sha256(mine.read_bytes()).hexdigest()[:12]}"
    args = ["batch", "--council-types", "all", "--quiet", "--data", str(mine)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"pages from {mine} go to {folder} (choose another folder with --out)" in result.output
    assert (folder / "reader" / "all.html").exists() and (folder / "index.html").exists()
    assert not (outputs / "index.html").exists() and not (outputs / "reader").exists()
    chosen = tmp_path / "chosen"
    result = CliRunner().invoke(main, [*args, "--out", str(chosen)])
    assert result.exit_code == 0, result.output
    assert (chosen / "reader" / "all.html").exists() and "go to" not in result.output
    result = CliRunner().invoke(main, ["batch", "--quiet", "--council-types", "all"])
    assert result.exit_code == 0, result.output
    assert (outputs / "reader" / "all.html").exists()  # the embedded data: outputs/ itself


def test_without_chromium_the_batch_makes_the_rest_and_says_once_how_to_get_briefings(
    own_data, tmp_path, monkeypatch
):
    from councildigital.pipeline import briefing

    monkeypatch.setenv(briefing.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    out = tmp_path / "site"
    args = ["batch", "--council-types", "all,county", "--quiet", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.count("PDF briefings were not made") == 1
    assert "apt-get install chromium" in result.output
    assert (out / "reader" / "county.html").exists() and (out / "index.html").exists()
    assert not (out / "briefings").exists()
    assert "briefings/" not in (out / "index.html").read_text(encoding="utf-8")


def test_own_data_that_is_not_there_is_named_before_any_run(own_data):
    _, outputs = own_data
    result = CliRunner().invoke(main, ["batch", "--quiet", "--data", "nowhere.csv"])
    assert result.exit_code == 1
    assert "Error: data file nowhere.csv does not exist" in result.output
    assert not outputs.exists()


def test_help_lists_sections_council_types_parameters_and_formats():
    result = CliRunner().invoke(main, ["batch", "--help"])
    assert result.exit_code == 0
    assert "future_councils_costs: Future Councils cost estimates" in result.output
    assert "min_base (whole number, 1 or more; default 10)" in result.output
    assert "draws (whole number, 1 to 10,000,000; default 200000)" in result.output
    assert "Council types: all, county," in result.output
    assert "--data formats:" in result.output
    assert "councildigital batch --sections vision" in result.output


def test_reconstruct_without_out_does_not_overwrite_the_embedded_data():
    before = DEFAULT_PATH.read_bytes()
    result = CliRunner().invoke(main, ["reconstruct"])
    assert result.exit_code == 2
    assert "--out FILE, or --replace-embedded" in result.output
    assert DEFAULT_PATH.read_bytes() == before


def test_cli_exit_status_and_summary_name_the_failure(sections, tmp_path):
    result = CliRunner().invoke(
        main, ["batch", "--council-types", "all", "--out", str(tmp_path / "o"), "--quiet"]
    )
    assert result.exit_code == 1
    assert "FAILED bad/all (cell 3): RuntimeError: broken on purpose" in result.output
    assert "2 runs: 1 ran, 0 cached, 1 failed" in result.output
    assert (tmp_path / "o" / "index.html").exists()


def test_cli_bad_input_is_an_error_message_not_a_traceback(sections, tmp_path):
    result = CliRunner().invoke(main, ["run", "good", "--council-type", "parish"])
    assert result.exit_code == 1
    assert "Error: unknown council type 'parish'" in result.output


def test_run_needs_a_section():
    result = invoke("run")
    assert result.exit_code == 2
    assert "Error: Missing argument 'SECTION'." in result.output


def test_lists_are_split_on_commas_and_blanks_dropped():
    assert cli._split(" vision, ,barriers ,") == ["vision", "barriers"]
    assert cli._split(None) is None
    assert cli._split("") is None


# --- figures -------------------------------------------------------------------------------------


def test_figures_summary_command_counts_per_document():
    figures = published.load_figures()
    result = CliRunner().invoke(main, ["figures", "--summary"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[2:]}
    for key in sources.DOCUMENT_KEYS:
        assert int(lines[key][0]) == (figures["document"] == key).sum()
    assert int(lines["total"][0]) == len(figures)


def test_an_unknown_document_key_lists_the_valid_ones():
    result = CliRunner().invoke(main, ["figures", "--document", "lgc"])
    assert result.exit_code == 2
    assert "Invalid value for '--document': unknown document key 'lgc'" in result.output
    assert "the document keys are: lgc2024, roundtable2024, ldt2013" in result.output
    with pytest.raises(published.UnknownDocumentError, match="essay2025"):
        published.load_figures(documents=["lgc2024", "lgc"])


def test_a_known_document_key_prints_its_figures():
    result = CliRunner().invoke(main, ["figures", "--document", "essay2025", "--summary"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2].split()[0] == "essay2025"


def test_figures_prints_the_validated_figures_as_csv():
    result = invoke("figures", "--document", "essay2025")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ",".join(published.load_figures(documents=["essay2025"]).columns)
    assert len(lines) - 1 == len(published.load_figures(documents=["essay2025"]))
    assert all(line.startswith("ESS25-") for line in lines[1:] if line[:1].isupper())


def test_figures_from_a_folder_that_is_not_there_is_a_usage_error(tmp_path):
    result = invoke("figures", "--folder", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "Invalid value for '--folder'" in result.output
    assert "does not exist" in result.output


def test_figures_from_a_broken_folder_names_the_file(tmp_path):
    (tmp_path / "lgc2024.csv").write_text("id,document\nLGC24-0001,lgc2024\n", encoding="utf-8")
    result = invoke("figures", "--folder", str(tmp_path), "--document", "lgc2024")
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'lgc2024.csv'}" in result.output
    assert "Traceback" not in result.output


# --- fidelity and reconstruct -----------------------------------------------------------------


def test_fidelity_command(tmp_path):
    table = tmp_path / "fidelity.csv"
    result = CliRunner().invoke(main, ["fidelity", "--table", str(table)])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC DATA" in result.output
    assert "2024 figures: 165 published, 165 checked, 165 within tolerance" in result.output
    assert "largest difference, stated number: +0.49" in result.output
    assert len(pd.read_csv(table)) == len(claims.claims())


def test_reconstruct_command_writes_a_synthetic_file(tmp_path):
    out = tmp_path / "seed7.csv"
    result = CliRunner().invoke(main, ["reconstruct", "--seed", "7", "--out", str(out)])
    assert result.exit_code == 0, result.output
    loaded = microdata.load_microdata(out)
    assert loaded.synthetic
    assert loaded.sha256 != microdata.load_microdata().sha256


def test_fidelity_fails_when_a_figure_is_out_of_tolerance(tmp_path):
    frame = pd.read_csv(DEFAULT_PATH, dtype=str, keep_default_na=False)
    frame["has_capability"] = "1"
    wrong = tmp_path / "wrong.csv"
    frame.to_csv(wrong, index=False, lineterminator="\n")
    result = invoke("fidelity", "--data", str(wrong))
    assert result.exit_code == 1
    assert "OUTSIDE tolerance: LGC24-0001, LGC24-0056" in result.output  # 46% yes, 54% no


def test_fidelity_on_a_file_that_is_not_microdata_is_one_error(tmp_path):
    result = invoke("fidelity", "--data", "/etc/passwd")
    assert result.exit_code == 1
    assert result.output.startswith("Error: /etc/passwd: ")
    assert "header: missing column 'respondent_id' (respondent id)" in result.output
    assert "Traceback" not in result.output


def test_reconstruct_out_and_replace_embedded_are_one_or_the_other(tmp_path):
    before = DEFAULT_PATH.read_bytes()
    result = invoke("reconstruct", "--out", str(tmp_path / "x.csv"), "--replace-embedded")
    assert result.exit_code == 2
    assert "Error: --out and --replace-embedded cannot be used together" in result.output
    assert not (tmp_path / "x.csv").exists()
    assert DEFAULT_PATH.read_bytes() == before
