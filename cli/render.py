"""Human output: aligned tables in plain text, Dutch labels."""

from __future__ import annotations

from maatwerk.engine.model import dutch
from maatwerk.engine.model.codes import WJ756, WMO757, categorie


def table(headers: list[str], rows: list[list[str]], indent: str = "") -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = lambda cells: indent + "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return [line(headers)] + [line(r) for r in rows]


def voorziening_title(i: int, vz, wet: str) -> str:
    parts = [f"Voorziening {i}", f"{vz.productcategorie} {categorie(vz.productcategorie, wet)}"]
    if vz.volume is not None and vz.eenheid:
        amount = f"{dutch.number(vz.volume)} {WJ756.get(vz.eenheid, vz.eenheid)}"
        if vz.frequentie:
            amount += f" {WMO757.get(vz.frequentie, 'frequentie ' + vz.frequentie)}"
        parts.append(amount)
    parts.append(vz.leveringsvorm.upper())
    return " · ".join(parts)


def shown(value, unit: str | None = None, cell: bool = False) -> str:
    """A value with its unit; in a table cell a list of more than three is summarised."""
    if value is None:
        return "ontbreekt"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return dutch.date(value)
    if cell and isinstance(value, (list, tuple)) and len(value) > 3:
        return f"een van {len(value)} waarden"
    return dutch.value(value, unit, with_unit=True)
