"""The JSON-ready form of a payload without pydantic's dump where the model holds it already.

The log stores the canonical JSON of ``model.model_dump(mode="json")``. For the free-form
parts of ``besluit vastgelegd`` (the voorstel and the afwijkingen: ``Any`` to pydantic) that
dump is a deep copy: some hundred new containers per besluit, which bulk recording keeps
until its transaction ends and Python's garbage collector then walks again and again.
Where those parts are plain JSON already (what `besluit.vastlegging` builds from pydantic's
own JSON dumps, and every payload read back from the log), the values the validated model
holds *are* that dump: `plain` checks it (exactly dict, list, str, int, bool, None and
finite float; text keys only) and `data` then returns the model's fields as they are.
Anything else (a date object, a tuple, a number as a key, a subclass of str) goes through
``model_dump`` as before, so the stored bytes, and every hash over them, are the same either
way (tests/log/test_recording.py, tests/log/test_payload.py).
"""

from __future__ import annotations

from pydantic import BaseModel

_SCALARS = frozenset((str, int, bool, type(None)))
_TEXT = frozenset((str,))


def plain(value) -> bool:
    """Whether ``value`` is JSON as `json.loads` gives it, so that pydantic's JSON dump of
    it (as ``Any``) is an equal value of the same types, and its canonical JSON the same."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not _TEXT.issuperset(map(type, item)):
                return False
            values = item.values()
        elif kind is list:
            values = item
        else:
            values = (item,)
        for v in values:
            kind = type(v)
            if kind in _SCALARS:
                continue
            if kind is float:
                if v - v != 0:          # inf and nan: pydantic writes null, canonical refuses
                    return False
            elif kind is dict or kind is list:
                stack.append(v)
            else:
                return False
    return True


def _fields(model: BaseModel) -> dict:
    return {k: _fields(v) if isinstance(v, BaseModel) else v for k, v in model.__dict__.items()}


def data(model: BaseModel) -> dict:
    """What ``model.model_dump(mode="json")`` gives; without the copy where the model's
    values are plain JSON already. The result shares those values: do not change it."""
    out = _fields(model)
    return out if plain(out) else model.model_dump(mode="json")
