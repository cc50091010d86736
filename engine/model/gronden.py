"""The legal grounds for deviating from a kader: one list for rulesets and the log.

A kader names the powers that allow deviating from it (`afwijkbevoegdheid`, catalogue
K31); a motivering offers one of them as its `grond`. Both read the codes here, so a
ruleset cannot name a power the log does not know, nor the log accept a ground a
ruleset cannot name.

- ``awb-4:84``: a beleidsregel gives way when its application would be disproportionate
  for a belanghebbende because of bijzondere omstandigheden (Awb art. 4:84; all
  circumstances weighed, ABRvS 26-10-2016, ECLI:NL:RVS:2016:2840);
- ``hardheidsclausule``: a verordening's own clause to deviate in the client's favour
  where applying it leads to grote onredelijkheid (not 4:84, which covers only
  beleidsregels);
- ``wmo-2.3.5-lid-3`` / ``jeugdwet-2.3``: maatwerk itself: the voorziening must give a
  passende bijdrage for this person, so a norm cannot be a standard answer where the
  onderzoek shows more is needed (CRvB 2016:1402).
"""

from __future__ import annotations

from typing import Literal

GrondCode = Literal["awb-4:84", "hardheidsclausule", "wmo-2.3.5-lid-3", "jeugdwet-2.3"]
GRONDEN: dict[str, tuple[str, str]] = {   # code -> (short citation, what it allows)
    "awb-4:84": ("Awb art. 4:84", "afwijken van een beleidsregel wegens bijzondere omstandigheden"),
    "hardheidsclausule": ("hardheidsclausule verordening",
                          "afwijken van de verordening bij onbillijkheid van overwegende aard"),
    "wmo-2.3.5-lid-3": ("Wmo 2015 art. 2.3.5 lid 3", "maatwerkvoorziening passend bij de persoon"),
    "jeugdwet-2.3": ("Jeugdwet art. 2.3", "passende voorziening op maat van de jeugdige"),
}
GROND_WET = {"wmo-2.3.5-lid-3": "wmo2015", "jeugdwet-2.3": "jeugdwet"}   # others fit both laws


def bevoegdheden(codes: list[str] | tuple[str, ...]) -> str:
    """'Awb art. 4:84 of hardheidsclausule verordening': the powers a kader names, in words."""
    short = [GRONDEN[c][0] if c in GRONDEN else c for c in codes]
    return short[0] if len(short) == 1 else ", ".join(short[:-1]) + " of " + short[-1]
