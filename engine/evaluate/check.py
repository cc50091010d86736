"""Evaluate: one voorstel against one effective ruleset on one peildatum.

Pure: the peildatum is an argument, nothing reads a clock or the environment.
The engine never blocks; it returns every afwijking, in a fixed order: kaders on
the voorstel first, then per voorziening, each in the ruleset's kader order.
"""

from __future__ import annotations

import datetime as dt

from ..model.findings import Afwijking, RulesetRef, Toets
from ..model.voorstel import Voorstel
from ..rules.resolve import Effective
from .compile import Rules, compile_rules
from .derive import Evaluator, facts, lazy_facts
from .explain import describe, describe_dict


def fired(rules: Rules, eff: Effective, voorstel: Voorstel, peildatum: dt.date,
          param_date: dt.date | None = None) -> tuple[Evaluator, list[tuple[int, int]]]:
    """The evaluator and the sorted (fact idx, kader position) pairs that fired."""
    ev = Evaluator(eff, voorstel, peildatum, param_date)
    if rules.engine == "python":
        found = rules.fired_on(lazy_facts(rules.plan, ev))
    else:
        found = rules.fired(facts(rules.plan, ev))
    return ev, sorted((idx, pos) for pos, idx in found)


def afwijkingen(eff: Effective, voorstel: Voorstel, peildatum: dt.date, engine: str = "durable",
                explain: bool = False, param_date: dt.date | None = None) -> list[Afwijking]:
    """Every afwijking; parameters are read on param_date when given, else on the peildatum but
    never before the ruleset version's first day (the rule `check` and `impact` share)."""
    rules = compile_rules(eff, engine)
    ev, pairs = fired(rules, eff, voorstel, peildatum, param_date)
    out = []
    for idx, pos in pairs:
        vz = voorstel.voorzieningen[idx - 1] if idx else None
        out.append(describe(eff.kaders[pos], ev, vz, idx, explain))
    return out


def afwijkingen_data(eff: Effective, voorstel: Voorstel, peildatum: dt.date,
                     engine: str = "python", param_date: dt.date | None = None) -> list[dict]:
    """The afwijkingen as JSON data, as the log stores them (bulk replay and impact)."""
    rules = compile_rules(eff, engine)
    ev, pairs = fired(rules, eff, voorstel, peildatum, param_date)
    return [describe_dict(eff.kaders[pos], ev, voorstel.voorzieningen[idx - 1] if idx else None, idx)
            for idx, pos in pairs]


def check(eff: Effective, voorstel: Voorstel, peildatum: dt.date, engine: str = "durable",
          explain: bool = False) -> Toets:
    head = eff.head
    return Toets(ruleset=RulesetRef(id=head.id, version=head.versie, sha256=eff.sha256),
                 peildatum=peildatum.isoformat(),
                 afwijkingen=afwijkingen(eff, voorstel, peildatum, engine, explain))
