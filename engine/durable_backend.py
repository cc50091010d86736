"""The durable-rules backend: the only module that imports `durable`.

It stays inside the subset that `durable-rules-notes.md` measured as safe:
* one pattern per rule (joins segfault), and every pattern tests a positive
  discriminator (`kind`);
* facts, not events; one fact at a time, so an unhandled fact never hides others;
* a fresh sid per evaluation and `delete_state` in `finally`;
* a catch-all rule per fact kind, so that every fact is handled: measured here, a
  sid whose facts matched no rule still holds state (the 1,025th raises
  MemoryError), and `delete_state` on it segfaults or corrupts the heap (found by
  the generated boundary tests; reproduced in 1 of 1 runs with a single fact);
* a Host whose dispatcher threads never start: actions run inline in the caller;
* one registration per ruleset content hash (a name can never be registered twice);
* every compared field is guarded by `$ex` (a missing `$m` reference compares as
  true in the C core), `$or` duplicates are removed by using a set;
* an action only records (kader, fact); exceptions swallowed into the state are
  raised again;
* at most 255 properties per fact: kaders are split over several rulesets when
  their slots would not fit in one fact.
"""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

from durable import engine as _durable

from .conditions import Compare, Cond, Contains, Junction, Lit, Member, Presence
from .derive import Plan, normalize
from .errors import EngineFault

MAX_KEYS = 200
_OPS = {"gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte", "eq": "$eq", "ne": "$neq"}


class _InlineHost(_durable.Host):
    """A Host without dispatcher threads (they race and segfault under load)."""

    def _run(self) -> None:
        return None


_HOST: _InlineHost | None = None
_LOCK = threading.Lock()
_FIRED: dict[str, set] = {}
_SIDS = itertools.count(1)


def _host() -> _InlineHost:
    global _HOST
    with _LOCK:
        if _HOST is None:
            _HOST = _InlineHost()
        return _HOST


def _ex(key: str) -> dict:
    return {"$ex": {key: 1}}


def to_durable(cond: Cond, plan: Plan) -> dict:
    """The durable-rules JSON of one condition over slot keys."""
    if isinstance(cond, Compare):
        left = plan.key(cond.left)
        if isinstance(cond.right, Lit):
            return {"$and": [_ex(left), {_OPS[cond.op]: {left: normalize(cond.right.value)}}]}
        right = plan.key(cond.right)
        return {"$and": [_ex(left), _ex(right), {_OPS[cond.op]: {left: {"$m": right}}}]}
    if isinstance(cond, Presence):
        return {("$ex" if cond.present else "$nex"): {plan.key(cond.ref): 1}}
    if isinstance(cond, Member):
        return _member(cond, plan)
    if isinstance(cond, Contains):
        key = plan.key(cond.ref)
        anyof = [{"$i": normalize(o.value)} for o in cond.options]
        test = anyof[0] if len(anyof) == 1 else {"$or": anyof}
        return {"$and": [_ex(key), {"$iany": {key: test}}]}
    if isinstance(cond, Junction):
        return {("$and" if cond.op == "all" else "$or"): [to_durable(c, plan) for c in cond.items]}
    raise AssertionError(f"unknown condition {cond!r}")


def _member(cond: Member, plan: Plan) -> dict:
    item = plan.key(cond.item)
    if isinstance(cond.options, tuple):
        values = [normalize(o.value) for o in cond.options]
        if cond.negate:
            return {"$and": [_ex(item)] + [{"$neq": {item: v}} for v in values]}
        tests = [{"$eq": {item: v}} for v in values]
        return {"$and": [_ex(item), tests[0] if len(tests) == 1 else {"$or": tests}]}
    options = plan.key(cond.options)
    if cond.negate:
        none_equal = {"$iall": {options: {"$neq": {"$i": {"$m": item}}}}}
        return {"$and": [_ex(item), _ex(options), {"$or": [{options + "n": 0}, none_equal]}]}
    return {"$and": [_ex(item), _ex(options), {"$iany": {options: {"$i": {"$m": item}}}}]}


def _keys(node: Any) -> set[str]:
    """Slot keys a durable condition mentions (for the 255-properties limit)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if not k.startswith("$"):
                found.add(k)
            found |= _keys(v)
    elif isinstance(node, list):
        for v in node:
            found |= _keys(v)
    elif isinstance(node, str) and node.startswith("x"):
        found.add(node)
    return found


def _noop(c: Any) -> None:
    return None


def _action(position: int):
    def run(c: Any) -> None:
        fact = c.m
        _FIRED[fact["sid"]].add((position, fact["idx"]))
    return run


class DurableRules:
    """A ruleset compiled into one or more durable-rules rulesets in the shared host."""

    engine = "durable"

    def __init__(self, plan: Plan, kaders: list[tuple[int, str, Cond]], name: str):
        self.plan = plan
        self.groups: list[tuple[str, set[str], frozenset[str]]] = []  # name, keys, kinds
        rules: list[tuple[int, str, dict, set[str]]] = []
        for pos, scope, cond in kaders:
            body = to_durable(cond, plan)
            rules.append((pos, scope, {"$and": [{"kind": scope}, body]}, _keys(body)))
        self._register(name, rules)

    def _register(self, name: str, rules: list) -> None:
        groups: list[tuple[dict, set[str], set[str]]] = []
        for pos, scope, pattern, keys in rules:
            if not groups or len(groups[-1][1] | keys) > MAX_KEYS:
                groups.append(({}, set(), set()))
            definition, used, kinds = groups[-1]
            definition[f"k{pos}"] = {"all": [{"m": pattern}], "run": _action(pos)}
            used |= keys
            kinds.add(scope)
        host = _host()
        for g, (definition, used, kinds) in enumerate(groups):
            for kind in sorted(kinds):
                definition[f"all_{kind}"] = {"all": [{"m": {"kind": kind}}], "run": _noop}
            rs_name = f"{name}_{g}"
            with _LOCK:
                if rs_name not in host._ruleset_directory:
                    host.register_rulesets({rs_name: _copy(definition)})
            self.groups.append((rs_name, used, frozenset(kinds)))

    def fired(self, facts: list[dict]) -> set[tuple[int, int]]:
        sid = f"s{next(_SIDS)}"
        found: set = set()
        _FIRED[sid] = found
        host = _host()
        with_state: list[str] = []
        try:
            for rs_name, keys, kinds in self.groups:
                for fact in facts:
                    if fact["kind"] in kinds:
                        if self._assert(host, rs_name, _slice(fact, keys, sid)) and \
                                rs_name not in with_state:
                            with_state.append(rs_name)
        finally:
            for rs_name in with_state:
                host.delete_state(rs_name, sid)
            del _FIRED[sid]
        return found

    @staticmethod
    def _assert(host: _InlineHost, rs_name: str, fact: dict) -> bool:
        """Assert one fact; True when the engine handled it (and so holds state)."""
        try:
            state = host.assert_fact(rs_name, fact)
        except _durable.MessageNotHandledException:
            raise EngineFault("durable-rules liet een feit onbehandeld ondanks de vangregel", None,
                              None, "meld dit als fout in maatwerk; gebruik zolang --engine python")
        except Exception as exc:  # the C core reports errors as plain exceptions
            raise EngineFault(f"durable-rules weigerde een feit: {exc}", None, None,
                              "meld dit als fout in maatwerk; gebruik zolang --engine python") from exc
        if isinstance(state, dict) and "exception" in state:
            raise EngineFault(f"actie in durable-rules faalde: {state['exception']}", None, None,
                              "meld dit als fout in maatwerk")
        return True


def _slice(fact: dict, keys: set[str], sid: str) -> dict:
    out = {"kind": fact["kind"], "idx": fact["idx"], "sid": sid}
    for k in keys:
        if k in fact:
            out[k] = fact[k]
    return out


def _copy(definition: dict) -> dict:
    """register_rulesets mutates its argument: give it a copy (actions shared)."""
    return {name: {**copy.deepcopy({k: v for k, v in rule.items() if k != "run"}), "run": rule["run"]}
            for name, rule in definition.items()}
