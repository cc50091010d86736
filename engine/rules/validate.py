"""Validation: turn parsed YAML into models, with every problem placed at file:line.

Pydantic errors are translated into Dutch with a fix; unknown fields get a
"bedoelde u" suggestion. Ruleset files then get their own checks (parameter
values by date, tables, sources, kader ids, message placeholders).
"""

from __future__ import annotations

import math
import re
import string
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import LineMap, Problem, line_of
from ..model.fields import suggest
from ..model.gronden import GROND_WET, GRONDEN
from ..model.limits import LIMIT
from ..model.ruleset import Band, Ruleset

M = TypeVar("M", bound=BaseModel)
MAX_PROBLEMS = 50          # per file: enough to fix, never a flood (or minutes of suggestions)

_TYPE_WORDS = {
    "int": "een geheel getal", "float": "een getal", "string": "tekst", "bool": "true of false",
    "dict": "een mapping (sleutel: waarde)", "list": "een lijst", "model": "een mapping (sleutel: waarde)",
}


def _expected(kind: str) -> str:
    for key, words in _TYPE_WORDS.items():
        if kind.startswith(key):
            return words
    return "een andere waarde"


def _unknown_field(model: type[BaseModel], loc: tuple) -> str | None:
    """Suggest a known field for an unknown key, walking the model along loc."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return None
        current = _model_in(info.annotation)
    fields = getattr(current, "model_fields", None)
    return suggest(str(loc[-1]), fields) if fields else None


def _model_in(annotation: Any) -> Any:
    import typing
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        stack.extend(typing.get_args(a))
    return None


def display_path(loc: tuple) -> str:
    """A location as users write paths: dotted, list positions counted from 1."""
    return ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc)


def _bound(value) -> str:
    from ..model.dutch import number
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value) if abs(value) < 1e12 else f"{value:.3g}"
    return repr(value)


def real_loc(data: Any, loc: tuple) -> tuple:
    """The data path of an error location, without pydantic's union and validator tags."""
    out, current = [], data
    for i, part in enumerate(loc):
        if isinstance(current, dict):
            if part in current:
                current = current[part]
            elif i < len(loc) - 1:
                continue
            out.append(part)
        elif isinstance(current, list):
            if isinstance(part, int) and 0 <= part < len(current):
                current = current[part]
                out.append(part)
        else:
            break
    return tuple(out)


def _translate(model: type[BaseModel], err: dict, loc: tuple) -> tuple[str, str]:
    kind, name = err["type"], display_path(loc) or "bestand"
    if kind == "missing":
        return f"verplicht veld '{name}' ontbreekt", f"voeg '{loc[-1]}' toe"
    if kind == "extra_forbidden":
        near = _unknown_field(model, loc)
        return f"onbekend veld '{name}'", (f"bedoelde u '{near}'?" if near else
                                           "haal het weg; zie `maatwerk schema`")
    if kind == "literal_error":
        allowed = re.sub(r" or (?=\S+$)", " of ", err.get("ctx", {}).get("expected", ""))
        return f"'{name}' heeft een onbekende waarde {err['input']!r}", f"kies uit {allowed}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return (f"'{name}' moet {_expected(kind)} zijn, niet {err['input']!r}"[:300],
                "pas het type aan (tekst tussen aanhalingstekens, getallen zonder)")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = _bound(next(iter(err.get("ctx", {}).values()), ""))
        word = {"greater_than_equal": "minstens", "greater_than": "meer dan",
                "less_than_equal": "hooguit", "less_than": "minder dan"}[kind]
        return f"'{name}' is {_bound(err['input'])}; moet {word} {bound} zijn", "pas de waarde aan"
    if kind in ("string_pattern_mismatch",):      # the form in words, never a regex
        form = PATTERN_WORDS.get(err['ctx']['pattern'], "zie `maatwerk schema` voor de vorm")
        return f"'{name}' heeft een ongeldige vorm: {err['input']!r}"[:300], form
    if kind == "too_short":
        return f"'{name}' heeft te weinig items", f"geef er minstens {err['ctx']['min_length']}"
    if kind == "string_too_short":
        return f"'{name}' is leeg", "vul een waarde in"
    if kind == "too_long":
        return f"'{name}' heeft te veel items", f"hooguit {err['ctx']['max_length']}"
    if kind == "string_too_long":
        return f"'{name}' is te lang", f"hooguit {err['ctx']['max_length']} tekens"
    if kind == "value_error":    # a validator's own message may carry its fix after "; "
        what, _, fix = err['msg'].removeprefix('Value error, ').rpartition("; ")
        return (f"'{name}': {what}", fix) if what else (f"'{name}': {fix}", "corrigeer de waarde")
    return f"'{name}': {err['msg']}", "corrigeer de waarde"


CODES = {"missing": "ontbreekt", "extra_forbidden": "onbekend-veld", "literal_error":
         "onbekende-waarde", "enum": "onbekende-waarde", "string_pattern_mismatch": "ongeldige-vorm",
         "too_short": "te-weinig", "too_long": "te-veel", "string_too_short": "leeg",
         "string_too_long": "te-lang", "value_error": "ongeldige-waarde"}


def code(kind: str) -> str:
    """The machine-readable kind of a validation problem (for the API's `errors[].code`)."""
    if kind in CODES:
        return CODES[kind]
    if kind.endswith(("_type", "_parsing")):
        return "verkeerd-type"
    if kind.startswith(("greater_than", "less_than")):
        return "buiten-bereik"
    return "ongeldige-waarde"


PATTERN_WORDS = {
    r"^[0-9]{2}$": 'schrijf twee cijfers tussen aanhalingstekens, zoals "01"; zie `maatwerk codes`',
    r"^[0-9]{1,2}$": 'schrijf een of twee cijfers tussen aanhalingstekens, zoals "2"; zie '
                     '`maatwerk codes`',
    r"^[0-9A-Z]{5}$": 'schrijf vijf cijfers of hoofdletters, zoals "01A03"',
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$": "gebruik letters, cijfers, punt, streepje of liggend "
                                          "streepje (hooguit 64 tekens), te beginnen met een "
                                          "letter of cijfer",
    r"^BWBR[0-9]{7}$": "schrijf BWBR en zeven cijfers, zoals BWBR0035362",
    r"^CVDR[0-9]{3,7}$": "schrijf CVDR en drie tot zeven cijfers, zoals CVDR123456",
    r"^ECLI:[A-Z]{2}:[A-Z]+:[0-9]{4}:[A-Z0-9.]+$": "schrijf een ECLI, zoals ECLI:NL:CRVB:2016:1402",
    r"^https?://\S+$": "schrijf een volledig webadres dat begint met https://",
    r"^(rijk|gm[0-9]{4})$": "schrijf 'rijk' of een CBS-code met kleine letters, zoals gm0344",
    r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$": "gebruik letters, cijfers, punt of streepje, zoals 2026.1",
}


def to_model(model: type[M], data: Any, file: str, lines: LineMap,
             what: str) -> tuple[M | None, list[Problem]]:
    """Validate data into a model; on failure, every problem with its line."""
    if not isinstance(data, dict):
        got = "leeg" if data is None else f"een {type(data).__name__}"
        return None, [Problem(f"een {what} moet een mapping zijn, het bestand is {got}", file,
                              lines.get(()), "begin met sleutels zoals 'id:' of 'gemeente:'", ())]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        errors = exc.errors(include_url=False)
        for err in errors[:MAX_PROBLEMS]:
            loc = real_loc(data, tuple(err["loc"]))
            what_, hint = _translate(model, err, loc)
            problems.append(Problem(what_, file, line_of(lines, loc), hint, loc, code(err["type"])))
        if len(errors) > MAX_PROBLEMS:      # 200,000 unknown keys: name the first ones only
            last = problems[-1]
            problems.append(Problem(f"en nog {len(errors) - MAX_PROBLEMS:,} problemen".replace(
                ",", "."), file, last.line, "los eerst de genoemde op", last.path))
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


# ruleset file checks ---------------------------------------------------------

def _param_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "ja/nee"
    if isinstance(value, (int, float)):
        return "getal"
    if isinstance(value, str):
        return "tekst"
    if value and all(isinstance(v, Band) for v in value):
        return "tabel"
    return "lijst"


def check_ruleset(rs: Ruleset, file: str, lines: LineMap) -> list[Problem]:
    problems: list[Problem] = []

    def add(loc: tuple, what: str, hint: str) -> None:
        problems.append(Problem(what, file, line_of(lines, loc), hint))

    for name, param in rs.parameters.items():
        _check_param(name, param, add)
        _check_bron(rs, param.grondslag.bron, ("parameters", name, "grondslag", "bron"), add)
    _check_numbers(rs, add)
    seen: dict[str, int] = {}
    for i, kader in enumerate(rs.kaders):
        if kader.id in seen:
            add(("kaders", i, "id"), f"kader-id '{kader.id}' komt twee keer voor "
                f"(ook kader {seen[kader.id] + 1})", "geef elk kader een eigen id")
        seen.setdefault(kader.id, i)
        _check_bron(rs, kader.grondslag.bron, ("kaders", i, "grondslag", "bron"), add)
        _check_template(kader.melding, ("kaders", i, "melding"), add)
        _check_powers(rs, kader, ("kaders", i, "afwijkbevoegdheid"), add)
        if kader.bron_status is None:
            add(("kaders", i, "id"), f"kader '{kader.id}' zegt niet wiens regel het is",
                "voeg bron_status toe: vastgesteld (door deze autoriteit), model (uit een andere "
                "gemeente) of voorbeeld")
    return problems


def _check_powers(rs: Ruleset, kader, loc: tuple, add) -> None:
    """A kader names only deviation powers that exist under its ruleset's law (K31)."""
    for j, grond in enumerate(kader.afwijkbevoegdheid or ()):
        if GROND_WET.get(grond, rs.wet) != rs.wet:
            fits = ", ".join(c for c in GRONDEN if GROND_WET.get(c, rs.wet) == rs.wet)
            add(loc + (j,), f"afwijkbevoegdheid {grond} hoort bij {GROND_WET[grond]}, niet bij "
                f"{rs.wet} (kader '{kader.id}')", f"kies uit: {fits}")


def _numbers(value: Any, loc: tuple):
    """Every number in a data tree (conditions, calculations, values), with its place."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, loc + (key,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _numbers(item, loc + (i,))
    elif isinstance(value, BaseModel):
        yield from _numbers(value.model_dump(), loc)


def _check_numbers(rs: Ruleset, add) -> None:
    """Numbers the engines can compute with: finite and below 10^15 (`model.limits.LIMIT`).

    A larger value is treated as missing by the engines, so a kader with such a
    bound would silently never fire; a ruleset must not rely on it.
    """
    trees = [(("kaders", i, key), getattr(k, key)) for i, k in enumerate(rs.kaders)
             for key in ("als", "afwijking_als", "waargenomen", "grens")]
    trees += [(("afgeleid", name, "waarde"), a.waarde) for name, a in rs.afgeleid.items()]
    trees += [(("parameters", name, "waarden", i, "waarde"), w.waarde)
              for name, p in rs.parameters.items() for i, w in enumerate(p.waarden)]
    for loc, tree in trees:
        for at, number in _numbers(tree, loc):
            if not math.isfinite(number) or abs(number) >= LIMIT:
                add(at, f"getal {_bound(number)} ligt buiten het bereik waarmee maatwerk rekent",
                    f"gebruik getallen kleiner dan {LIMIT:.0e} (in absolute waarde)")


def _check_bron(rs: Ruleset, bron: str, loc: tuple, add) -> None:
    if bron not in rs.bronnen:
        near = suggest(bron, rs.bronnen)
        add(loc, f"onbekende bron '{bron}'",
            f"bedoelde u '{near}'?" if near else "voeg de bron toe onder bronnen")


def _check_param(name: str, param, add) -> None:
    loc = ("parameters", name, "waarden")
    kinds = {_param_kind(w.waarde) for w in param.waarden}
    if len(kinds) > 1:
        add(loc, f"parameter '{name}' wisselt van soort: {', '.join(sorted(kinds))}",
            "geef elke waarde dezelfde soort")
    dates = [w.vanaf for w in param.waarden]
    if dates != sorted(set(dates)):
        add(loc, f"parameter '{name}': data 'vanaf' staan niet oplopend of dubbel",
            "zet de waarden op volgorde van datum, elke datum één keer")
    for i, w in enumerate(param.waarden):
        if _param_kind(w.waarde) == "tabel":
            check_bands(w.waarde, loc + (i, "waarde"), name, add)


def _edge(bound: float, inclusive: bool, lower: bool) -> str:
    from ..model.dutch import number
    word = ("van" if inclusive else "boven") if lower else ("tot en met" if inclusive else "tot")
    return f"{word} {number(bound)}"


def check_bands(bands: list[Band], loc: tuple, name: str, add) -> None:
    """A table covers every key from 0 up without gaps or overlaps (bounds explicit per row)."""
    low, low_in = bands[0].lower
    if low > 0 or (low == 0 and not low_in):
        add(loc + (0,), f"tabel '{name}' begint pas bij rij 1 ({_edge(low, low_in, True)}): sleutels "
            "vanaf 0 daaronder vinden geen rij (gat)", "laat de eerste rij beginnen met van: 0")
    for i, band in enumerate(bands):
        high, high_in = band.upper
        if high is not None and (high < band.lower[0] or (high == band.lower[0]
                                                          and not (high_in and band.lower[1]))):
            add(loc + (i,), f"tabel '{name}': rij {i + 1} is leeg ({_edge(*band.lower, True)} "
                f"{_edge(high, high_in, False)})", "maak de bovengrens groter dan de ondergrens")
        if i:
            _check_join(bands[i - 1], band, loc + (i,), f"tabel '{name}'", i + 1, add)
    if bands[-1].upper[0] is not None:
        add(loc + (len(bands) - 1,), f"tabel '{name}' houdt op bij rij {len(bands)} "
            f"({_edge(*bands[-1].upper, False)}): grotere sleutels vinden geen rij (gat)",
            "laat de laatste rij open (zonder tot) of voeg een rij toe, desnoods met waarde: null")


def _check_join(prev: Band, band: Band, loc: tuple, what: str, row: int, add) -> None:
    """Row `row` must start exactly where the previous one stops, the bound in one of them."""
    high, high_in = prev.upper
    low, low_in = band.lower
    if high is None:
        add(loc, f"{what}: rij {row} overlapt met rij {row - 1}, die open is naar boven",
            f"geef rij {row - 1} een bovengrens (tot of tot_en_met {_num(low)})")
    elif low < high or (low == high and high_in and low_in):
        add(loc, f"{what}: rij {row} ({_edge(low, low_in, True)}) overlapt met rij {row - 1} "
            f"({_edge(high, high_in, False)})",
            f"laat rij {row} beginnen waar rij {row - 1} ophoudt ({_fix(high, high_in)})")
    elif low > high or not (high_in or low_in):
        hole = f"de sleutel {_num(low)} zelf" if low == high else "sleutels daartussen"
        add(loc, f"{what}: gat tussen rij {row - 1} ({_edge(high, high_in, False)}) en rij {row} "
            f"({_edge(low, low_in, True)}): {hole} vind{'t' if low == high else 'en'} geen rij",
            f"laat rij {row} beginnen waar rij {row - 1} ophoudt ({_fix(high, high_in)})")


def _num(value: float) -> str:
    return f"{value:g}"


def _fix(high: float, high_in: bool) -> str:
    return f"{'boven' if high_in else 'van'}: {_num(high)}"


_PLACEHOLDER = re.compile(r"^(waargenomen|grens|(voorstel|voorziening|param|afgeleid)\.[a-z0-9_.]+"
                          r"|peildatum)$")


def template_fields(template: str) -> list[str]:
    try:
        return [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError:
        return ["{"]


def _check_template(template: str, loc: tuple, add) -> None:
    for name in template_fields(template):
        if not _PLACEHOLDER.match(name):
            add(loc, f"melding bevat een onbekende plaatshouder '{{{name}}}'",
                "gebruik {waargenomen}, {grens} of een verwijzing als {param.naam}")
