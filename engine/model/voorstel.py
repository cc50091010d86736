"""The voorstel: a consulent's proposed arrangement for one client.

Facts from the onderzoek (Wmo 2015 art. 2.3.2 lid 4 a-g), the procedure dates, the
huishouden and one or more voorzieningen in iWmo/iJw terms. The client appears by
pseudonym only (AVG).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .base import Aantal, Bedrag, Code2, Datum, Ident, Model, Naam, Tekst
from .codes import gemeente_code

Wet = Literal["wmo2015", "jeugdwet"]
Leveringsvorm = Literal["zin", "pgb"]
AanbiederSoort = Literal["zorgaanbieder", "zzp", "sociaal_netwerk", "huisgenoot"]


class Client(Model):
    """De cliënt, alleen met pseudoniem."""

    pseudoniem: Ident = Field(description="Pseudoniem van de cliënt; nooit naam of BSN")
    geboortedatum: Datum | None = Field(None, description="Voor leeftijd op de peildatum")


class Partner(Model):
    """Echtgenoot of partner in hetzelfde huishouden (Wmo 1.1.2)."""

    geboortedatum: Datum | None = None
    gezond: bool | None = Field(None, description="Kan huishoudelijke taken overnemen")
    overbelast: bool | None = Field(None, description="Dreigt overbelast te raken (CRvB 2010:BL9930)")
    wlz_instelling: bool | None = Field(None, description="Verblijft in een Wlz-instelling")


class Huishouden(Model):
    """Samenstelling van het huishouden."""

    personen: int = Field(1, ge=1, le=20, description="Aantal personen in het huishouden")
    partner: Partner | None = None
    kinderen_jonger_dan_18: int = Field(0, ge=0, le=20)
    geboortedata_inwonende_kinderen: list[Datum] = Field(
        default_factory=list, max_length=20,
        description="Inwonende kinderen (ook 18+), voor hun aandeel in het huishouden")
    inwonende_volwassenen: int = Field(0, ge=0, le=20, description="Naast cliënt en partner")


class Procedure(Model):
    """Procedurele data van melding tot beschikking.

    Data die niet kunnen kloppen worden geweigerd (geen afwijking): niets ligt voor de
    melding, en de beschikking ligt niet voor de aanvraag waarop zij beslist.
    """

    melding: Datum | None = None
    ontvangstbevestiging: Datum | None = Field(None, description="Bevestiging ontvangst melding")
    onderzoek_afgerond: Datum | None = None
    verslag_verstrekt: Datum | None = Field(None, description="Schriftelijke weergave (2.3.2 lid 8)")
    aanvraag: Datum | None = None
    beschikking: Datum | None = None
    spoed: bool = Field(False, description="Spoedeisend geval (Wmo 2.3.3)")
    tijdelijke_voorziening: Datum | None = Field(None, description="Besluit tijdelijke voorziening")

    @field_validator("ontvangstbevestiging", "onderzoek_afgerond", "verslag_verstrekt", "aanvraag",
                     "beschikking", "tijdelijke_voorziening")
    @classmethod
    def _after_melding(cls, day, info: ValidationInfo):
        melding = info.data.get("melding")
        if day and melding and day < melding:
            raise ValueError(f"{day} ligt voor de melding ({melding}); niets in de procedure gaat "
                             "aan de melding vooraf: corrigeer de datum")
        aanvraag = info.data.get("aanvraag")
        if info.field_name == "beschikking" and day and aanvraag and day < aanvraag:
            raise ValueError(f"{day} ligt voor de aanvraag ({aanvraag}) waarop de beschikking "
                             "beslist; corrigeer een van beide data")
        return day


class Onderzoek(Model):
    """Bevindingen van het onderzoek; Wmo 2.3.2 lid 4 a-g en de voorliggende routes."""

    behoeften: Tekst | None = Field(None, description="a: behoeften, persoonskenmerken, voorkeuren")
    eigen_kracht: Tekst | None = Field(None, description="b: eigen kracht, gebruikelijke hulp")
    mantelzorg: Tekst | None = Field(None, description="c: mantelzorg en sociaal netwerk")
    mantelzorgondersteuning: Tekst | None = Field(None, description="d: ondersteuning mantelzorger")
    algemene_voorziening: Tekst | None = Field(None, description="e: algemene voorziening")
    samenwerking: Tekst | None = Field(None, description="f: samenwerking zorg, jeugd, wonen, werk")
    bijdrage: Tekst | None = Field(None, description="g: verschuldigde bijdrage")
    algemeen_gebruikelijk: Tekst | None = Field(None, description="Afweging algemeen gebruikelijke voorziening")
    persoonlijk_plan_gewezen: bool | None = Field(None, description="Gewezen op persoonlijk plan")
    clientondersteuning_gewezen: bool | None = Field(None, description="Gewezen op cliëntondersteuning")
    pgb_uitgelegd: bool | None = Field(None, description="Pgb-mogelijkheden en gevolgen uitgelegd")
    mantelzorg_ingezet: bool | None = Field(None, description="Voorstel rekent op mantelzorg")
    mantelzorger_bereid_onbetaald: bool | None = None
    wlz_aanspraak: bool | None = Field(None, description="Aanspraak op Wlz-verblijf (aannemelijk)")
    betaalde_algemene_voorziening: bool | None = Field(
        None, description="Verwezen naar een algemene voorziening waarvoor de cliënt betaalt")
    draagkracht_onderzocht: bool | None = Field(
        None, description="Onderzocht of de cliënt die kosten kan dragen (inkomen, vermogen)")
    zvw_aanspraak: bool | None = Field(None, description="Aanspraak op Zvw-zorg voor dezelfde hulp")
    eigen_mogelijkheden_ouders: Tekst | None = Field(None, description="Jeugdwet 2.3: ouders")
    gebruikelijke_zorg: Tekst | None = Field(None, description="Jeugdwet: gebruikelijke zorg naar leeftijd")
    verlengde_jeugdhulp: bool | None = Field(None, description="Jeugdwet 1.1: 18-23 jaar")


class EigenBijdrage(Model):
    """De eigen bijdrage die het voorstel oplegt (CAK)."""

    bedrag: Bedrag = Field(description="Bedrag per periode in euro")
    periode: Literal["maand", "4 weken"] = "maand"
    aantal_in_huishouden: int = Field(1, ge=0, le=20, description="Bijdragen in dit huishouden")
    ouders_woningaanpassing: bool | None = Field(
        None, description="Bijdrage van de ouders voor een woningaanpassing van een minderjarige "
                          "(Wmo 2.1.5)")


class Aanbieder(Model):
    soort: AanbiederSoort
    naam: Naam | None = None


class Pgb(Model):
    """Voorwaarden voor een persoonsgebonden budget (Wmo 2.3.6, Jeugdwet 8.1.1)."""

    vaardig: bool | None = Field(None, description="Budgethouder pgb-vaardig (lid 2a)")
    budgetplan: bool | None = Field(None, description="Gemotiveerd verzoek / budgetplan (lid 2b)")
    kwaliteit_geborgd: bool | None = Field(None, description="Veilig, doeltreffend, cliëntgericht (lid 2c)")
    zin_niet_passend: Tekst | None = Field(None, description="Jeugdwet 8.1.1 lid 2b: motivering")


class Hbh(Model):
    """Normering huishoudelijke ondersteuning: de factoren van het normenkader."""

    extra_inzet: Literal["geen", "enig", "veel"] = "geen"
    samenstelling_huishouden: bool = False
    extra_kamers_in_gebruik: int = Field(0, ge=0, le=20)
    eigen_mogelijkheden: bool = False
    aandeel_kinderen: bool | None = Field(
        None, description="Het deel van het huishouden dat inwonende kinderen kunnen doen is "
                          "vastgesteld en verrekend")
    extra_uren_voor: list[Literal["tuin", "huisdieren", "woninggrootte", "eerdere_schoonmaakhulp",
                                  "anders"]] = Field(default_factory=list, max_length=5)


class Vervoer(Model):
    km_per_jaar: Aantal | None = None
    zone_km: Aantal | None = Field(None, description="Maximale ritafstand in km")
    noodzaak: bool | None = Field(None, description="Medische noodzaak of beperkingen in de "
                                  "zelfredzaamheid vastgesteld (Jeugdwet 2.3 lid 2)")


Ruimte = Literal["toilet", "badkamer", "slaapkamer", "keuken", "woonkamer", "toegang", "garage",
                 "zolder", "kelder", "hobbyruimte", "anders"]


class Woon(Model):
    kosten: Bedrag | None = Field(None, description="Kosten van de woonvoorziening")
    verhuisafweging: bool | None = Field(None, description="Verhuizing als alternatief afgewogen")
    goedkoopst_adequaat: bool | None = None
    eigendom: bool | None = Field(None, description="In eigendom verstrekt (anders bruikleen)")
    losse_voorziening: bool | None = Field(
        None, description="Losse woonvoorziening (bijv. douchestoel), geen bouwkundige aanpassing")
    ruimten: list[Ruimte] = Field(default_factory=list, max_length=11,
                                  description="Ruimten die de aanpassing betreft")


class Voorziening(Model):
    """Eén voorgestelde maatwerkvoorziening in iWmo/iJw-termen."""

    productcategorie: Code2 = Field(description="iWmo WMO020 / iJw JZ020 productcategorie")
    productcode: str | None = Field(None, pattern=r"^[0-9A-Z]{5}$")
    omschrijving: Naam | None = None
    eenheid: Code2 | None = Field(None, description="WJ756: 01 minuut, 04 uur, 14 etmaal, ...")
    frequentie: str | None = Field(None, pattern=r"^[0-9]{1,2}$",
                                   description="WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal")
    volume: Aantal | None = None
    leveringsvorm: Leveringsvorm = "zin"
    zwaarte: Literal["regulier", "extra"] | None = Field(
        None, description="Zwaarte of tariefklasse van de dienst, bijv. begeleiding regulier of extra")
    tarief: Bedrag | None = Field(None, description="Euro per eenheid")
    zin_tarief: Bedrag | None = Field(None, description="Kostprijs in natura per eenheid")
    aanbieder: Aanbieder | None = None
    begindatum: Datum | None = None
    einddatum: Datum | None = None
    leveringsplan: bool | None = Field(None, description="Leveringsplan maakt deel uit van besluit")
    abonnementstarief: bool | None = Field(
        None, description="Valt onder het abonnementstarief (Wmo 2.1.4a lid 4)")
    kostprijs: Bedrag | None = Field(None, description="Kostprijs hulpmiddel of woningaanpassing")
    eigen_bijdrage_totaal: Bedrag | None = Field(None, description="Totale eigen bijdrage")
    algemeen_gebruikelijk_item: Naam | None = Field(None, description="Naam van het middel")
    pgb: Pgb | None = None
    hbh: Hbh | None = None
    vervoer: Vervoer | None = None
    woon: Woon | None = None

    @model_validator(mode="after")
    def _period(self) -> "Voorziening":
        if self.begindatum and self.einddatum and self.einddatum < self.begindatum:
            raise ValueError("einddatum ligt voor begindatum")
        return self


class Motivering(Model):
    """Een concept-motivering in het voorstel (vastgelegd wordt ze met `record`)."""

    kader: Ident
    voorziening: int | None = Field(None, ge=1, le=50)
    tekst: Tekst
    grond: str | None = Field(None, max_length=40, description="awb-4:84, hardheidsclausule, "
                              "wmo-2.3.5-lid-3 of jeugdwet-2.3 (zie README)")


Gemeente = Annotated[str, BeforeValidator(gemeente_code)]


def births_after(voorstel: "Voorstel", peildatum) -> list[tuple[tuple, str, str]]:
    """(location, what, fix) for each geboortedatum after the peildatum: a birth in the
    future of the voorstel. "The future" is the peildatum (or a date the caller gives, such
    as today's date from the CLI), never a clock read here."""
    if peildatum is None:
        return []
    partner = voorstel.huishouden.partner
    found = []
    kids = [(("huishouden", "geboortedata_inwonende_kinderen", i), born)
            for i, born in enumerate(voorstel.huishouden.geboortedata_inwonende_kinderen)]
    for loc, born in ((("client", "geboortedatum"), voorstel.client.geboortedatum),
                      (("huishouden", "partner", "geboortedatum"), partner and partner.geboortedatum),
                      *kids):
        if born and born > peildatum:
            found.append((loc, f"'{'.'.join(map(str, loc))}' ({born}) ligt na de peildatum ({peildatum})",
                          "een geboortedatum kan niet in de toekomst liggen; corrigeer de datum"))
    return found


class Voorstel(Model):
    """Het voorstel dat maatwerk toetst aan de kaders op de peildatum."""

    id: Ident | None = Field(None, description="Eigen kenmerk van het voorstel")
    wet: Wet = Field(description="wmo2015 of jeugdwet; verplicht, nooit aangenomen")
    gemeente: Gemeente = Field(description="CBS-code, bijv. gm0344")
    peildatum: Datum | None = Field(None, description="Standaard: aanvraag, anders beschikking")
    client: Client
    huishouden: Huishouden = Huishouden()
    procedure: Procedure = Procedure()
    onderzoek: Onderzoek = Onderzoek()
    eigen_bijdrage: EigenBijdrage | None = None
    voorzieningen: list[Voorziening] = Field(min_length=1, max_length=50)
    motiveringen: list[Motivering] = Field(default_factory=list, max_length=200)

    def default_peildatum(self):
        """The date that selects kaders when none is given: never the clock."""
        p = self.procedure
        return self.peildatum or p.aanvraag or p.beschikking or p.melding


class Situatie(Voorstel):
    """Huishouden en situatie tot nu toe, voor 'wat kan ik toezeggen?' (`maatwerk ruimte`).

    Een voorstel zonder voorzieningen mag: de ruimte wordt gevraagd vóór er iets is
    voorgesteld. Een voorziening die er al is (bijv. hbh met de normfactoren) telt mee.
    """

    voorzieningen: list[Voorziening] = Field(default_factory=list, max_length=50)
