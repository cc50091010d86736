"""Rulesets as data for people and machines: the rows of `ruleset list` and the content of
`ruleset show` (the same JSON for the CLI's --json and the API)."""

from __future__ import annotations

from ..model.ruleset import RulesetFile
from ..rules.catalog import Catalog
from .explain import grondslag


def ruleset_row(f: RulesetFile, cat: Catalog) -> dict:
    """One version; valid_until is its last day (the day before its successor, or its repeal)."""
    rs, until = f.ruleset, cat.until(f)
    return {"ref": rs.ref, "id": rs.id, "version": rs.versie, "authority": rs.autoriteit.code,
            "authority_name": rs.autoriteit.naam, "law": rs.wet, "extends": rs.extends,
            "valid_from": rs.geldig_vanaf.isoformat(),
            "valid_until": until.isoformat() if until else None,
            "kaders": len(rs.kaders), "file": f.file}


def ruleset_rows(cat: Catalog) -> list[dict]:
    return [ruleset_row(f, cat) for f in sorted(cat.files, key=lambda f: (f.ruleset.id,
                                                                      f.ruleset.geldig_vanaf))]


def ruleset_detail(cat: Catalog, ref: str) -> dict:
    """Every kader (with those of the base on the first day of validity) and parameter."""
    f = cat.by_ref(ref)
    eff = cat.effective(f, f.ruleset.geldig_vanaf)
    return ruleset_row(f, cat) | {
        "sha256": eff.sha256,
        "kaders": [{"id": checked.kader.id, "titel": checked.kader.titel,
                    "niveau": checked.kader.niveau, "bron_status": checked.kader.bron_status,
                    "herkomst": checked.herkomst, "ruleset": checked.origin,
                    "geldt_voor": checked.kader.geldt_voor,
                    "grondslag": grondslag(checked.bron, checked.kader.grondslag).model_dump(
                        mode="json"),
                    "vereist": _vereist(checked.kader)}
                   for checked in eff.kaders],
        "parameters": {name: {"omschrijving": p.omschrijving, "eenheid": p.eenheid,
                              "voorbeeld": p.voorbeeld,
                              "waarden": [w.model_dump(mode="json") for w in p.waarden]}
                       for name, p in eff.parameters.items()},
    }


def _vereist(kader) -> dict:
    data = kader.vereist.model_dump(exclude_defaults=True) or {"akkoord": None}
    if kader.afwijkbevoegdheid:
        data["bevoegdheid"] = list(kader.afwijkbevoegdheid)
    return data
