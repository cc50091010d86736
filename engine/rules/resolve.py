"""Resolve a ruleset and its base into one effective, type-checked ruleset.

The effective ruleset is what the engine evaluates and what the log pins: its
content hash covers every layer (base first) without the example cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Problem, RulesetError
from ..model import canonical
from ..model.fields import BOOL, LIST, NUMBER, TABLE, TEXT
from ..model.ruleset import Afgeleid, Bron, Kader, Parameter, Ruleset, RulesetFile
from .conditions import (
    Cond,
    Context,
    Expr,
    Junction,
    Lit,
    ParseProblem,
    Ref,
    first_observation,
    parse,
    scope_of,
    walk_exprs,
)
from .validate import template_fields

HASH_EXCLUDE = {"voorbeelden": True, "voorbeeld_voorstel": True,
                "kaders": {"__all__": {"voorbeelden"}}}


@dataclass(frozen=True)
class CheckedKader:
    """A kader with its parsed conditions and resolved source."""

    kader: Kader
    position: int
    origin: str                      # ruleset ref (id@versie) it comes from
    bron: Bron
    applies: Cond | None
    violation: Cond
    waargenomen: Expr | None
    grens: Expr | None
    placeholders: tuple[tuple[str, Expr], ...]
    herkomst: str | None = None
    params: frozenset[str] = frozenset()      # parameters it reads, through derived values too

    @property
    def condition(self) -> Cond:
        if self.applies is None:
            return self.violation
        return Junction("all", (self.applies, self.violation))

    @property
    def scope(self) -> str:
        return self.kader.geldt_voor


@dataclass(frozen=True)
class Effective:
    """A ruleset with its base, ready to compile and evaluate."""

    layers: tuple[Ruleset, ...]
    sha256: str
    parameters: dict[str, Parameter]
    parameter_bron: dict[str, Bron]
    derived: dict[str, Expr]
    derived_meta: dict[str, Afgeleid]
    kaders: tuple[CheckedKader, ...]
    content: tuple[dict, ...] = ()      # what the hash is taken over; see stored()

    @property
    def head(self) -> Ruleset:
        return self.layers[-1]

    @property
    def base(self) -> Ruleset | None:
        return self.layers[0] if len(self.layers) > 1 else None

    def kader(self, kader_id: str) -> CheckedKader | None:
        return next((k for k in self.kaders if k.kader.id == kader_id), None)

    def stored(self) -> list[dict]:
        """The content the log keeps by hash: every layer without example cases."""
        return list(self.content)


def layer_content(layer: Ruleset) -> dict:
    return layer.model_dump(mode="json", exclude=HASH_EXCLUDE)


def _param_type(param: Parameter) -> str:
    value = param.waarden[0].waarde
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    return TABLE if value and not isinstance(value[0], str) else LIST


class _Merger:
    """Collects names across layers and reports problems at file:line."""

    def __init__(self, files: list[RulesetFile]):
        self.files = files
        self.problems: list[Problem] = []
        self.samples: set[str] = set()          # parameters marked voorbeeld: true

    def problem(self, layer: int, loc: tuple, what: str, hint: str | None) -> None:
        f = self.files[layer]
        self.problems.append(Problem(what, f.file, f.line(loc), hint))

    def from_parse(self, found: list[ParseProblem]) -> None:
        for p in found:
            self.problem(p.loc[0], p.loc[1:], p.what, p.hint)

    def names(self, attr: str, word: str) -> dict[str, tuple[int, Any]]:
        merged: dict[str, tuple[int, Any]] = {}
        for i, f in enumerate(self.files):
            for name, value in getattr(f.ruleset, attr).items():
                if name in merged:
                    self.problem(i, (attr, name), f"{word} '{name}' bestaat al in "
                                 f"{self.files[merged[name][0]].ruleset.ref}", "kies een andere naam")
                    continue
                merged[name] = (i, value)
        return merged


def resolve(files: list[RulesetFile]) -> Effective:
    """Merge layers (base first) and type-check every condition; raise on problems."""
    m = _Merger(files)
    params = m.names("parameters", "parameter")
    m.samples = {n for n, (_, p) in params.items() if p.voorbeeld}
    derived = m.names("afgeleid", "afgeleide waarde")
    ctx = Context(
        params={n: (_param_type(p), p.eenheid) for n, (_, p) in params.items()},
        derived_raw={n: (d.waarde, d.eenheid, (i, "afgeleid", n, "waarde"))
                     for n, (i, d) in derived.items()})
    for name, (i, _) in derived.items():
        if name not in ctx.derived:
            parse(ctx, f"afgeleid.{name}", (i, "afgeleid", name), as_condition=False)
    kaders = _check_kaders(m, ctx)
    m.from_parse(ctx.problems)
    if m.problems:
        raise RulesetError(m.problems)
    layers = tuple(f.ruleset for f in files)
    content = tuple(layer_content(layer) for layer in layers)
    return Effective(
        layers=layers,
        sha256=canonical.sha256(list(content)),
        content=content,
        parameters={n: p for n, (_, p) in params.items()},
        parameter_bron={n: files[i].ruleset.bronnen[p.grondslag.bron] for n, (i, p) in params.items()},
        derived=dict(ctx.derived),
        derived_meta={n: d for n, (_, d) in derived.items()},
        kaders=tuple(kaders))


def _check_kaders(m: _Merger, ctx: Context) -> list[CheckedKader]:
    out: list[CheckedKader] = []
    seen: dict[str, str] = {}
    for i, f in enumerate(m.files):
        for j, kader in enumerate(f.ruleset.kaders):
            loc = (i, "kaders", j)
            if kader.id in seen and seen[kader.id] != f.ruleset.ref:
                m.problem(i, loc[1:] + ("id",), f"kader-id '{kader.id}' bestaat al in {seen[kader.id]}",
                          "kies een eigen id of laat het kader in de basis")
                continue
            seen[kader.id] = f.ruleset.ref
            checked = _check_kader(m, ctx, f, kader, loc, len(out))
            if checked is not None:
                out.append(checked)
    return out


def _check_kader(m: _Merger, ctx: Context, f: RulesetFile, kader: Kader, loc: tuple,
                 position: int) -> CheckedKader | None:
    before = len(ctx.problems)
    applies = None if kader.als is None else parse(ctx, kader.als, loc + ("als",), True)
    violation = parse(ctx, kader.afwijking_als, loc + ("afwijking_als",), True)
    default_w, default_g = first_observation(violation) if violation else (None, None)
    waargenomen = default_w if kader.waargenomen is None else \
        parse(ctx, kader.waargenomen, loc + ("waargenomen",), False)
    grens = default_g if kader.grens is None else parse(ctx, kader.grens, loc + ("grens",), False)
    placeholders = []
    for name in template_fields(kader.melding):
        if name not in ("waargenomen", "grens"):
            expr = parse(ctx, name, loc + ("melding",), False)
            if expr is not None:
                placeholders.append((name, expr))
    if len(ctx.problems) > before or violation is None:
        return None
    used = [e for node in (applies, violation, waargenomen, grens, *[e for _, e in placeholders])
            if node is not None for e in walk_exprs(node)]
    if kader.geldt_voor == "voorstel" and scope_of(*used) == "voorziening":
        names = sorted({e.name for e in used if isinstance(e, Ref) and e.scope == "voorziening"})
        m.problem(loc[0], loc[1:] + ("geldt_voor",), f"kader '{kader.id}' geldt voor het voorstel "
                  f"maar gebruikt {', '.join(names)}", "zet geldt_voor: voorziening")
        return None
    bron = f.ruleset.bronnen[kader.grondslag.bron]
    params = frozenset(_params_used(used, ctx))
    samples = sorted(n for n in params if n in m.samples)
    return CheckedKader(kader, position, f.ruleset.ref, bron, applies, violation, waargenomen, grens,
                        tuple(placeholders), herkomst(f.ruleset, kader, bron, samples), params)


def _params_used(exprs: list, ctx: Context, seen: set | None = None) -> set[str]:
    """Names of the parameters the expressions read, through derived values too."""
    seen = set() if seen is None else seen
    out: set[str] = set()
    for e in exprs:
        if not isinstance(e, Ref):
            continue
        head, _, name = e.name.partition(".")
        if head == "param":
            out.add(name)
        elif head == "afgeleid" and name not in seen and name in ctx.derived:
            seen.add(name)
            out |= _params_used(list(walk_exprs(ctx.derived[name])), ctx, seen)
    return out


NATIONAL = ("wet", "jurisprudentie", "standaard")      # levels no gemeente sets itself


def herkomst(rs: Ruleset, kader: Kader, bron: Bron, samples: list[str]) -> str | None:
    """Whose rule a kader is, in words a consulent reads next to the afwijking."""
    who = "de wetgever" if rs.autoriteit.code == "rijk" else f"gemeente {rs.autoriteit.naam}"
    text = {
        "vastgesteld": f"landelijk kader ({kader.niveau})" if kader.niveau in NATIONAL
        or rs.autoriteit.code == "rijk" else f"vastgesteld door {who}",
        "model": f"model uit een andere gemeente ({bron.titel}); {who} moet deze regel nog "
                 "vaststellen voordat hij geldt",
        "voorbeeld": f"voorbeeld, niet vastgesteld door {who}: bevestig of vervang deze regel",
        None: None,
    }[kader.bron_status]
    if samples:
        text = f"{text or 'herkomst onbekend'}; rekent met voorbeeldwaarde{'n' if len(samples) > 1 else ''}" \
               f" {', '.join(samples)} (niet geverifieerd)"
    return text


def from_stored(content: list[dict]) -> Effective:
    """Rebuild an effective ruleset from the content the log stored by hash."""
    layers = [Ruleset.model_validate(layer) for layer in content]
    return resolve([RulesetFile(layer, f"<log:{layer.ref}>") for layer in layers])


def literal_list(expr: Any) -> bool:
    return isinstance(expr, Lit) and expr.type == LIST
