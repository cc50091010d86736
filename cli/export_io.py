"""What `maatwerk audit export` writes besides JSON lines: the Parquet fact columns, and the
key file read for the HMAC of a masked export."""

from __future__ import annotations

from pathlib import Path

import click


def export_parquet(open_log, db: str, folder: Path, masks) -> None:
    """Write the Parquet partitions of the fact columns under folder: the columns a mask
    reaches left out, the values of afwijkingen it reaches as "***"."""
    from maatwerk.engine.audit.masks import kader_sources, reaches
    from maatwerk.engine.audit.parquet import partitions
    from maatwerk.engine.errors import InputError
    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"map {folder} is niet leeg", str(folder), None,
                         "kies een nieuwe of lege map: een export overschrijft niets")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("voor --parquet is pyarrow nodig", None, None,
                         "installeer het met: pip install 'maatwerk[parquet]'") from None
    files = rows = 0
    with open_log(db) as store:
        sources: dict = {}

        def reach(sha: str, afwijking: dict) -> bool:
            if sha not in sources:
                sources[sha] = kader_sources(store.ruleset(sha))
            return reaches(masks, afwijking, sources[sha])
        for relative, table in partitions(store, masks.columns(), reach):
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path)
            files += 1
            rows += table.num_rows if relative.rsplit("/", 1)[-1].startswith("besluiten") else 0
    click.echo(f"{rows} besluiten in {files} Parquet-bestanden geschreven naar {folder}")


def read_key(path: Path) -> bytes:
    """The gemeente's key for the HMAC of a masked export (at least 32 bytes)."""
    from maatwerk.engine.errors import InputError
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise InputError(f"kan de sleutel niet lezen: {exc.strerror}", str(path), None,
                         "geef een leesbaar bestand met --sleutel-bestand") from None
    if len(key) < 32:
        raise InputError(f"de sleutel is {len(key)} bytes; minstens 32 nodig", str(path), None,
                         "maak er een met: head -c 32 /dev/urandom > gemeente.sleutel")
    return key
