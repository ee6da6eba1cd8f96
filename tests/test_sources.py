"""The source documents (data.sources): keys, files, id prefixes, titles, and quote look-up."""

import pytest
from councildigital.data import sources


def test_five_documents_with_their_keys_in_order():
    assert sources.DOCUMENT_KEYS == (
        "lgc2024",
        "roundtable2024",
        "ldt2013",
        "future_councils",
        "essay2025",
    )
    assert [d.id_prefix for d in sources.DOCUMENTS] == ["LGC24", "RT24", "LDT13", "FC", "ESS25"]
    assert [d.file[:4] for d in sources.DOCUMENTS] == ["000_", "001_", "002_", "003_", "004_"]


def test_each_document_is_found_by_its_key():
    lgc = sources.document("lgc2024")
    assert lgc.citation == "LGC and Hitachi Solutions (2024), survey of 78 UK council respondents"
    assert sources.document("ldt2013").title == "Local Digital Today"
    with pytest.raises(KeyError) as caught:
        sources.document("lgc")
    assert caught.value.args[0] == (
        "unknown document 'lgc'; expected one of lgc2024, roundtable2024, ldt2013, "
        "future_councils, essay2025"
    )


def test_every_document_file_is_in_the_seeds_folder(seeds):
    for doc in sources.DOCUMENTS:
        assert (seeds / doc.file).is_file(), doc.file


@pytest.mark.parametrize(
    "text, folded",
    [
        ("  two\nlines\r\n\tand  tabs ", "two lines and tabs"),
        ("already folded", "already folded"),
        ("\u00a0non-breaking\u00a0space", "non-breaking space"),
        ("", ""),
    ],
)
def test_fold_whitespace(text, folded):
    assert sources.fold_whitespace(text) == folded


def test_folded_text_reads_a_document_from_a_given_folder(tmp_path):
    (tmp_path / sources.document("essay2025").file).write_text(
        "The state of\n  digital\tin local\n\ngovernment", encoding="utf-8"
    )
    assert sources.folded_text("essay2025", tmp_path) == "The state of digital in local government"
    with pytest.raises(FileNotFoundError):
        sources.folded_text("ldt2013", tmp_path)
    with pytest.raises(KeyError):
        sources.folded_text("nonsense", tmp_path)


def test_quotes_are_found_in_the_folded_text_of_the_real_documents(seeds):
    text = sources.folded_text("lgc2024", seeds)
    assert "(79%) said that their organisation does have such a vision" in text
    assert "\n" not in text
    assert "  " not in text
