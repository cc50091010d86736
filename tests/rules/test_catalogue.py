"""The catalogue table in rulesets/README.md is held to the bundled rulesets.

Every K01–K31 entry names kader ids that exist and is covered; every bundled kader belongs
to some entry; a kader whose rule is the gemeente's appears in both gemeenten. So the table
cannot claim a kader that is gone, nor a new kader slip in without a catalogue entry.
"""

from __future__ import annotations

import re
from pathlib import Path

from maatwerk.engine.rules.catalog import Catalog, bundled_folder

README = Path(__file__).resolve().parents[2] / "rulesets" / "README.md"
CATALOG = Catalog.load(bundled_folder(), strict=True)
KADER_IDS = {k.id for f in CATALOG.files for k in f.ruleset.kaders}
ID = re.compile(r"`((?:wmo|iwmo|jw|ijw|gm[0-9]{4})\.[a-z0-9._-]+)`")


def _rows() -> dict[str, tuple[set[str], str]]:
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"K[0-9]{2}", cells[0]):
            rows[cells[0]] = (set(ID.findall(cells[2])), cells[3])
    return rows


def test_every_catalogue_entry_is_in_the_table_and_covered():
    rows = _rows()
    assert sorted(rows) == [f"K{n:02d}" for n in range(1, 32)]
    for entry, (ids, status) in rows.items():
        assert ids, f"{entry} names no kader"
        assert status.startswith("covered"), f"{entry} is {status}"


def test_the_table_names_only_kaders_that_exist():
    named = set().union(*(ids for ids, _ in _rows().values()))
    assert not named - KADER_IDS, f"not in any bundled ruleset: {sorted(named - KADER_IDS)}"


def test_every_bundled_kader_belongs_to_a_catalogue_entry():
    named = set().union(*(ids for ids, _ in _rows().values()))
    assert not KADER_IDS - named, f"in no catalogue entry: {sorted(KADER_IDS - named)}"


def test_municipal_rules_added_for_one_gemeente_exist_in_the_other():
    """The kaders this catalogue added per gemeente (K10, K12, K13, K19, K21-K23, K26) come in
    pairs: gm0344.x and gm0847.x."""
    pairs = {"hbh.inwonende-kinderen", "hbh.norm", "hbh.onder-norm", "hbh.geen-extra-uren",
             "pgb.huisgenoot", "woon.goedkoopst-adequaat", "woon.verhuisafweging",
             "woon.verhuisdrempel", "woon.essentiele-ruimten", "woon.niet-voor-beoordeling",
             "woon.eigendom", "bijdrage.ouders-woningaanpassing", "vervoer.km-ondergrens",
             "algemeen-gebruikelijk"}
    for rest in pairs:
        assert {f"gm0344.{rest}", f"gm0847.{rest}"} <= KADER_IDS, rest


def test_a_kader_names_its_deviation_powers_by_its_level():
    """K31: statutory kaders name no power; a beleidsregel names Awb 4:84, a verordening rule
    the hardheidsclausule (never 4:84, which covers only beleidsregels)."""
    named = 0
    for f in CATALOG.files:
        for k in f.ruleset.kaders:
            powers = set(k.afwijkbevoegdheid or ())
            named += bool(powers)
            if k.niveau in ("wet", "standaard"):
                assert not powers, k.id
            if k.niveau == "verordening" and powers:
                assert "awb-4:84" not in powers, k.id
            if k.niveau == "beleidsregel" and powers:
                assert "awb-4:84" in powers, k.id
    assert named >= 20
