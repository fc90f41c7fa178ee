"""The domain's ``Literal`` types are the taxonomy's codes: one source, checked here."""

from __future__ import annotations

from typing import get_args

import pytest

from constats import domain, taxonomy


@pytest.mark.parametrize("literal, table", [
    (domain.FindingKind, taxonomy.KINDS),
    (domain.FollowUpStatus, taxonomy.STATUSES),
    (domain.BodyKind, taxonomy.BODY_KINDS),
])
def test_domain_literals_are_the_taxonomy_codes(literal, table):
    assert get_args(literal) == tuple(table)


def test_every_taxonomy_table_has_french_labels():
    for table in (taxonomy.KINDS, taxonomy.THEMES, taxonomy.SECTORS, taxonomy.STATUSES, taxonomy.BODY_KINDS):
        assert table and all(code.isascii() and code == code.lower() and label[:1].isupper()
                             for code, label in table.items())


def test_fold_is_the_one_loose_comparison_form():
    from constats.text import fold

    assert fold("  Côte-d'Or  ŒUVRE ") == "cote-d'or oeuvre"
    assert fold("Saint-Lô (Manche)", words_only=True) == "saint lo manche"
    assert fold("CRC Provence-Alpes-Côte d’Azur") == fold("crc provence-alpes-cote d’azur")
