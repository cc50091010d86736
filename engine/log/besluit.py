"""The rules of the decision log: roles, four eyes, motiveringen, akkoorden, status. Pure.

A besluit is the fold of its events. Its status is derived, never stored:

- ``binnen kaders``: the check found no afwijkingen;
- ``afwijking gemotiveerd``: every afwijking has a motivering and, where its kader
  asks for one, an akkoord on the latest motivering by the named role;
- ``open``: anything missing.

Four eyes: the author of a motivering can never give its akkoord. An akkoord needs
exactly the role the kader names (`STAND_IN` lists roles that may stand in for
another; it is empty on purpose: the kader, i.e. the gemeente's mandaat, decides).
A new motivering replaces the previous one and needs a new akkoord.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..errors import ForbiddenError, InputError, RefusedError
from .events import (AKKOORD, AUTEUR, DATUM, MEELEZEN, MOTIVERING, OPMERKING, TERUG, VASTGELEGD,
                     AkkoordGegeven, BesluitVastgelegd, Event, MotiveringToegevoegd, RulesetPin)
from ..model.gronden import GROND_WET, GRONDEN, bevoegdheden
from .identity import ROLLEN

STAND_IN: dict[str, frozenset[str]] = {}   # e.g. {"teamleider": frozenset({"jurist"})}
BINNEN_KADERS = "binnen kaders"
GEMOTIVEERD = "afwijking gemotiveerd"
OPEN = "open"
STATUSSEN = (BINNEN_KADERS, GEMOTIVEERD, OPEN)

PLACEHOLDERS = {"", "-", "--", "x", "xx", "xxx", "nvt", "n.v.t", "n.v.t.", "nb", "n.b.", "todo",
                "to do", "tbd", "...", "…", "idem", "ok", "oké", "akkoord", "geen", "volgt",
                "later", "test", "zie dossier", "zie verslag", "zie boven", "zie onder",
                "zie bijlage", "zie notitie", "zie gespreksverslag", "?"}
MIN_TEKENS = 20
MAX_TEKENS = 4000          # as MotiveringToegevoegd.tekst
MIN_WOORDEN = 3
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

Key = tuple[str, "int | None"]


# --- roles and people --------------------------------------------------------------------
def check_rol(rol: str) -> str:
    if rol not in ROLLEN:
        raise InputError(f"onbekende rol '{_kort(rol)}'", None, None, f"kies uit: {', '.join(ROLLEN)}")
    return rol


def check_meta(door: str, rol: str) -> None:
    """A valid author id and role, or InputError."""
    if not re.fullmatch(AUTEUR, door or ""):
        raise InputError(f"ongeldige auteur '{_kort(door)}'", None, None, "geef een medewerker-id "
                         "van letters, cijfers, punt, @, _ of -, bijv. --by c.jansen")
    check_rol(rol)


def check_datum(datum: str | None) -> None:
    """A domain date (JJJJ-MM-DD) that exists, or InputError. Its bounds are the store's."""
    import datetime as dt
    if datum is None:
        return
    try:
        if not re.fullmatch(DATUM, datum):
            raise ValueError
        dt.date.fromisoformat(datum)
    except (TypeError, ValueError):
        raise InputError(f"ongeldige datum '{_kort(str(datum))}'", None, None,
                         "schrijf JJJJ-MM-DD, bijv. 2026-03-01") from None


def datum_probleem(datum: str | None, nu: str, besluit: "Besluit | None" = None) -> str | None:
    """Why a domain date cannot be used now: in the future, or before its besluit."""
    if datum is None:
        return None
    if datum > nu[:10]:
        return f"datum {datum} ligt in de toekomst (vandaag is het {nu[:10]})"
    if besluit is not None:
        start = besluit.vastgelegd.datum or besluit.vastgelegd.tijdstip[:10]
        if datum < start:
            return f"datum {datum} ligt vóór het besluit {besluit.id} ({start})"
    return None


def _kort(text: str | None, n: int = 70) -> str:
    """What the user gave, shortened for a message (a megabyte --by stays one short line)."""
    text = text or ""
    return text if len(text) <= n else f"{text[:n]}… ({len(text):,} tekens)".replace(",", ".")


def dezelfde(a: str, b: str) -> bool:
    """The same person: ids compare without regard to case or surrounding spaces."""
    return a.strip().casefold() == b.strip().casefold()


def mag_akkoord(vereist: str, rol: str) -> bool:
    return rol == vereist or rol in STAND_IN.get(vereist, frozenset())


def label(kader: str, voorziening: int | None) -> str:
    return kader if voorziening is None else f"{kader} (voorziening {voorziening})"


# --- status: the pure core ---------------------------------------------------------------
@dataclass(frozen=True)
class Motivering:
    hash: str
    door: str


@dataclass(frozen=True)
class Akkoord:
    motivering: str
    door: str
    rol: str


def geldig_akkoord(vereist: str | None, motiveringen: Sequence[Motivering], akkoorden: Sequence[Akkoord]) -> Akkoord | None:
    """The akkoord that counts for the latest motivering, if any."""
    if not motiveringen or vereist is None:
        return None
    last = motiveringen[-1]
    return next((a for a in akkoorden if a.motivering == last.hash and mag_akkoord(vereist, a.rol)
                 and not dezelfde(a.door, last.door)), None)


def ontbreekt(vereist: str | None, motiveringen: Sequence[Motivering], akkoorden: Sequence[Akkoord]) -> list[str]:
    """What one afwijking still lacks: nothing, a motivering, an akkoord."""
    if not motiveringen:
        return ["motivering"] + ([f"akkoord van {vereist}"] if vereist else [])
    if vereist and geldig_akkoord(vereist, motiveringen, akkoorden) is None:
        return [f"akkoord van {vereist}"]
    return []


def status(complete: Iterable[bool]) -> str:
    flags = list(complete)
    if not flags:
        return BINNEN_KADERS
    return GEMOTIVEERD if all(flags) else OPEN


# --- the folded besluit ------------------------------------------------------------------
@dataclass
class Stand:
    """One afwijking of a besluit with its motiveringen and akkoorden so far."""

    afwijking: dict
    motiveringen: list[Event] = field(default_factory=list)
    akkoorden: list[Event] = field(default_factory=list)
    teruggestuurd: list[Event] = field(default_factory=list)
    meelezen: list[Event] = field(default_factory=list)
    opmerkingen: list[Event] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return self.afwijking["kader"], self.afwijking.get("voorziening")

    @property
    def vereist(self) -> str | None:
        return (self.afwijking.get("vereist") or {}).get("akkoord")

    @property
    def correctie(self) -> bool:
        """Only a corrected voorstel settles this afwijking (a code that does not exist)."""
        return bool((self.afwijking.get("vereist") or {}).get("correctie"))

    def _signed_motiveringen(self) -> list[Motivering]:
        return [Motivering(e.hash, e.door) for e in self.motiveringen]

    def _signed_akkoorden(self) -> list[Akkoord]:
        return [Akkoord(e.payload["motivering"], e.door, e.rol) for e in self.akkoorden]

    @property
    def ontbreekt(self) -> list[str]:
        if self.correctie:
            return ["correctie van het voorstel"]
        if self.terug() is not None:
            return ["nieuwe motivering (teruggestuurd)"] + ([f"akkoord van {self.vereist}"]
                                                            if self.vereist else [])
        return ontbreekt(self.vereist, self._signed_motiveringen(), self._signed_akkoorden())

    def terug(self) -> Event | None:
        """The return of the latest motivering, if it was returned."""
        last = self.laatste
        return next((e for e in self.teruggestuurd if last is not None
                     and e.payload["motivering"] == last.hash), None)

    @property
    def laatste(self) -> Event | None:
        return self.motiveringen[-1] if self.motiveringen else None

    def geldig(self) -> Event | None:
        akk = geldig_akkoord(self.vereist, self._signed_motiveringen(), self._signed_akkoorden())
        if akk is None:
            return None
        return next((e for e, a in zip(self.akkoorden, self._signed_akkoorden()) if a == akk), None)


@dataclass
class Besluit:
    id: str
    vastgelegd: Event
    inhoud: BesluitVastgelegd
    events: list[Event]
    standen: list[Stand]

    @property
    def status(self) -> str:
        return status(not s.ontbreekt for s in self.standen)

    def stand(self, key: Key) -> Stand:
        return next(s for s in self.standen if s.key == key)


def fold(events: Sequence[Event], inhoud: BesluitVastgelegd | None = None) -> Besluit:
    """Rebuild a besluit from its events (seq order, first one ``besluit vastgelegd``);
    ``inhoud``: the first event's payload as a model already (the store, just after writing)."""
    first = events[0]
    if first.soort != VASTGELEGD:
        raise ValueError(f"besluit {first.besluit} begint niet met '{VASTGELEGD}'")
    inhoud = inhoud or BesluitVastgelegd.model_validate(first.payload)
    return Besluit(first.besluit, first, inhoud, list(events),
                   standen(inhoud.afwijkingen, events[1:]))


def standen(afwijkingen: Sequence[dict], later: Iterable[Event]) -> list[Stand]:
    """Each afwijking with the events about it (``later``: the besluit's events after
    ``besluit vastgelegd``, in seq order)."""
    out = [Stand(a) for a in afwijkingen]
    by_key = {s.key: s for s in out}
    for e in later:
        stand = by_key.get((e.payload.get("kader"), e.payload.get("voorziening")))
        if stand is None:
            continue
        lists = {MOTIVERING: stand.motiveringen, AKKOORD: stand.akkoorden,
                 TERUG: stand.teruggestuurd, MEELEZEN: stand.meelezen, OPMERKING: stand.opmerkingen}
        lists[e.soort].append(e)
    return out


def vastlegging(voorstel, toets, eff, backend: str = "durable",
                team: str | None = None) -> BesluitVastgelegd:
    """The payload that pins a besluit: engine version, ruleset, peildatum, voorstel, afwijkingen."""
    from .. import __version__
    head = eff.head
    return BesluitVastgelegd(
        engine_versie=__version__, backend=backend,
        ruleset=RulesetPin(id=head.id, versie=head.versie, sha256=eff.sha256),
        peildatum=toets.peildatum, voorstel=voorstel.model_dump(mode="json", exclude_none=True),
        afwijkingen=toets.public()["afwijkingen"], team=team)


# --- what a new motivering or akkoord must satisfy ---------------------------------------
def resolve_key(afwijkingen: Sequence[dict], kader: str, voorziening: int | None,
                besluit: str | None = None) -> Key:
    """The afwijking a motivering or akkoord is about; refused when it did not fire."""
    fired = [(a["kader"], a.get("voorziening")) for a in afwijkingen]
    where = f"besluit {besluit}" if besluit else "dit voorstel"
    same = [k for k in fired if k[0] == kader]
    if (kader, voorziening) in fired:
        return kader, voorziening
    if voorziening is None and len(same) == 1:
        return same[0]
    if same:
        options = ", ".join("voorstel" if v is None else f"voorziening {v}" for _, v in same)
        asked = "het voorstel" if voorziening is None else f"voorziening {voorziening}"
        raise RefusedError(f"kader {kader} wijkt in {where} af bij {options}, niet bij {asked}",
                           None, None, "noem de voorziening: 'voorziening: N' in het voorstel, "
                           "KADER@N bij --motivering, --voorziening N bij justify en approve")
    names = ", ".join(dict.fromkeys(label(k, v) for k, v in fired)) or "geen"
    near = difflib.get_close_matches(kader, [k for k, _ in fired], n=1, cutoff=0.6)
    raise RefusedError(f"kader {kader} wijkt niet af in {where}; alleen een afwijking kan een "
                       f"motivering of akkoord krijgen", None, None,
                       (f"bedoelde u {near[0]}? " if near else "") + f"afwijkende kaders: {names}")


def _stuurteken(c: str) -> bool:
    """A control, line-separator or bidi character (newline and tab are text)."""
    return c in BIDI or (c not in "\n\t\r" and unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp"))


def tekst_probleem(tekst: str) -> str | None:
    """Why a text is not a motivering (empty, a placeholder, too short), or None."""
    flat = " ".join(tekst.split())
    norm = flat.casefold().strip(" .,:;!?-–—…'\"")
    if not flat:
        return "de tekst is leeg"
    if len(tekst) > MAX_TEKENS:
        return f"de tekst is te lang ({len(tekst):,} tekens; hooguit {MAX_TEKENS:,})".replace(",", ".")
    hidden = next((c for c in tekst if _stuurteken(c)), None)
    if hidden is not None:        # an ANSI escape or bidi override would act on whoever reads it
        return f"de tekst bevat het stuurteken U+{ord(hidden):04X}"
    if norm in PLACEHOLDERS or flat.casefold() in PLACEHOLDERS:
        return f"'{flat}' is een plaatshouder, geen motivering"
    words = re.findall(r"[^\W\d_]{2,}", flat)
    if len(flat) < MIN_TEKENS or len(words) < MIN_WOORDEN:
        return f"'{flat}' is te kort voor een motivering"
    if len({c for c in norm if c.isalpha()}) < 5:
        return f"'{flat[:40]}' is geen leesbare tekst"
    if norm.startswith(("zie ", "conform ", "volgens ")) and len(words) < 8:
        return f"'{flat}' verwijst alleen naar elders"
    return None


def grond_label(code: str | None) -> str | None:
    if code not in GRONDEN:
        return code
    short, what = GRONDEN[code]
    return f"{short}: {what}"


def check_tekst(tekst: str, key: Key) -> str:
    problem = tekst_probleem(tekst)
    if problem:
        hint = (f"kort de motivering in tot {MAX_TEKENS:,} tekens".replace(",", ".")
                if "te lang" in problem else "haal stuur- en richtingstekens weg"
                if "stuurteken" in problem else f"schrijf in eigen woorden waarom hier wordt "
                f"afgeweken (ten minste {MIN_WOORDEN} woorden en {MIN_TEKENS} tekens)")
        raise RefusedError(f"motivering bij {label(*key)} geweigerd: {problem}", None, None, hint)
    return " ".join(tekst.split()) if "\n" not in tekst else tekst.strip()


def check_grond(grond: str | None, wet: str | None = None) -> str | None:
    """An offered legal ground (by code) that fits the law of the besluit, or RefusedError."""
    if grond is None:
        return None
    code = grond.strip().casefold()
    if code not in GRONDEN:
        options = ", ".join(f"{c} ({short})" for c, (short, _) in GRONDEN.items())
        raise RefusedError(f"onbekende grond '{grond}'", None, None, f"kies uit: {options}")
    if wet and GROND_WET.get(code, wet) != wet:
        fits = ", ".join(c for c in GRONDEN if GROND_WET.get(c, wet) == wet)
        raise RefusedError(f"grond {code} ({GRONDEN[code][0]}) past niet bij een besluit onder "
                           f"{wet}", None, None, f"kies uit: {fits}")
    return code


def motivering(afwijkingen: Sequence[dict], kader: str, voorziening: int | None, tekst: str,
               grond: str | None = None, bron: str = "cli", besluit: str | None = None,
               wet: str | None = None) -> MotiveringToegevoegd:
    """A motivering that the log accepts, or RefusedError."""
    key = resolve_key(afwijkingen, kader, voorziening, besluit)
    found = next(a for a in afwijkingen if (a["kader"], a.get("voorziening")) == key)
    if (found.get("vereist") or {}).get("correctie"):
        raise RefusedError(f"afwijking {label(*key)} vraagt correctie van het voorstel; een "
                           "motivering kan haar niet dekken", None, None,
                           "verbeter het voorstel (zie de melding en `maatwerk codes`) en leg het "
                           "opnieuw vast")
    code = check_grond(grond, wet)
    powers = (found.get("vereist") or {}).get("bevoegdheid") or []
    if code and powers and code not in powers:
        raise RefusedError(f"grond {code} ({GRONDEN[code][0]}) is geen bevoegdheid om van "
                           f"{label(*key)} af te wijken", None, None,
                           f"het kader noemt: {bevoegdheden(powers)}; kies daaruit of laat de "
                           "grond weg")
    return MotiveringToegevoegd(kader=key[0], voorziening=key[1], tekst=check_tekst(tekst, key),
                                grond=code, bron=bron)


def akkoord(besluit: Besluit, kader: str, voorziening: int | None, door: str,
            rol: str) -> AkkoordGegeven:
    """An akkoord that the log accepts, or RefusedError (four eyes, role, order)."""
    key = resolve_key(besluit.inhoud.afwijkingen, kader, voorziening, besluit.id)
    stand = besluit.stand(key)
    what = label(*key)
    if stand.correctie:
        raise RefusedError(f"afwijking {what} vraagt correctie van het voorstel, geen akkoord",
                           None, None, "verbeter het voorstel en leg het opnieuw vast")
    if stand.vereist is None:
        raise RefusedError(f"afwijking {what} vraagt geen akkoord, alleen een motivering",
                           None, None, "er is niets te accorderen; zie `maatwerk show "
                           f"{besluit.id}`")
    last = stand.laatste
    if last is None:
        raise RefusedError(f"afwijking {what} heeft nog geen motivering; een akkoord kan pas "
                           "na de motivering", None, None, f"laat eerst motiveren met `maatwerk "
                           f"justify {besluit.id} {key[0]} --tekst …`")
    if dezelfde(door, last.door):
        raise ForbiddenError(f"vier ogen: {door} schreef de motivering bij {what} en kan er zelf "
                           "geen akkoord op geven", None, None,
                           f"laat een andere {stand.vereist} het akkoord geven")
    if stand.terug() is not None:
        raise RefusedError(f"de motivering bij {what} is teruggestuurd en vraagt eerst een nieuwe "
                           "motivering", None, None, f"zie `maatwerk show {besluit.id}`")
    if not mag_akkoord(stand.vereist, rol):
        raise ForbiddenError(f"akkoord bij {what} vraagt de rol {stand.vereist}, niet {rol}",
                           None, None, f"laat een {stand.vereist} het akkoord geven")
    if any(e.payload["motivering"] == last.hash and mag_akkoord(stand.vereist, e.rol)
           for e in stand.akkoorden):
        raise RefusedError(f"afwijking {what} heeft al een akkoord op deze motivering", None,
                           None, f"zie `maatwerk show {besluit.id}`")
    return AkkoordGegeven(kader=key[0], voorziening=key[1], motivering=last.hash)

