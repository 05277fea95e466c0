import pytest

from defkg.textnorm import fold, slug, tr_lower, tr_title, tr_upper


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İLKAY", "ilkay"),
        ("ISPARTA", "ısparta"),
        ("Işık", "ışık"),
        ("Yaşar GÜLER", "yaşar güler"),
    ],
)
def test_tr_lower(text, expected):
    assert tr_lower(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("ilkay", "İLKAY"), ("ışık", "IŞIK")])
def test_tr_upper(text, expected):
    assert tr_upper(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("ALTINDAĞ", "Altındağ"), ("İLKAY", "İlkay"), ("ışık", "Işık")]
)
def test_tr_title(text, expected):
    assert tr_title(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yaşar Güler", "Yasar GULER"),
        ("Selçuk Bayraktaroğlu", "Selcuk Bayraktaroglu"),
        ("Fikri Işık", "Fikri Isik"),
        ("Londra’da", "Londra'da"),
    ],
)
def test_fold_equates_spellings(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("text", ["", "  ", "<script>", 'İstanbul\'da "x" \n\t', "日本", "a/b?c#d e"])
def test_slug_is_iri_safe(text):
    s = slug(text)
    assert s and all(c.isascii() and (c.isalnum() or c == "-") for c in s)
