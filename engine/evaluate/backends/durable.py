"""The durable-rules backend: the only module that imports durable-rules.

It drives durable-rules' C core (`durable_rules_engine`, the Rete engine that the
`durable` package wraps) directly, inside the subset that `durable-rules-notes.md`
measured as safe:
* one pattern per rule (joins segfault), and every pattern tests a positive
  discriminator (`kind`);
* facts, not events; one fact at a time, so an unhandled fact never hides others;
* a fresh sid per evaluation and `delete_state` in `finally`;
* a catch-all rule per fact kind, so that every fact is handled: measured here, a
  sid whose facts matched no rule still holds state (the 1,025th raises
  MemoryError), and `delete_state` on it segfaults or corrupts the heap (found by
  the generated boundary tests; reproduced in 1 of 1 runs with a single fact);
* no `Host` at all, so no dispatcher threads: this module asserts a fact, then walks
  the activations the core returns (`start_action_for_state`,
  `complete_and_start_action`) and records each rule name. The `durable` wrapper
  would run a Python action per activation with a JSON round trip of the state and
  the whole fact; reading the rule name from the activation is ~3x cheaper per
  fact and cannot swallow an exception;
* one compiled ruleset per content hash, never registered twice;
* every compared field is guarded by `$ex` (a missing `$m` reference compares as
  true in the C core), `$or` duplicates are removed by using a set;
* at most 255 properties per fact: kaders are split over several rulesets when
  their slots would not fit in one fact;
* the core compares numbers as doubles and rejects exponent floats: `derive`
  normalises every value first (see its docstring).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from typing import Any

import durable_rules_engine as _core

from ...errors import EngineFault
from ...rules.conditions import Compare, Cond, Contains, Junction, Lit, Member, Presence
from ..derive import Plan, normalize

MAX_KEYS = 200
_OPS = {"gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte", "eq": "$eq", "ne": "$neq"}
_NAME = re.compile(r'\{"([^"]+)"')
_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_NOT_HANDLED, _OBSERVED, _QUEUED = 1, 2, 3


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


class DurableRules:
    """A ruleset compiled into one or more durable-rules rulesets (C core handles)."""

    engine = "durable"

    def __init__(self, plan: Plan, kaders: list[tuple[int, str, Cond]], name: str):
        self.plan = plan
        self.groups: list[tuple[int, set[str], frozenset[str]]] = []  # handle, keys, kinds
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
            definition[f"k{pos}"] = {"all": [{"m": pattern}]}
            used |= keys
            kinds.add(scope)
        for g, (definition, used, kinds) in enumerate(groups):
            for kind in sorted(kinds):
                definition[f"all_{kind}"] = {"all": [{"m": {"kind": kind}}]}
            with _LOCK:
                handle = _core.create_ruleset(f"{name}_{g}", json.dumps(definition))
            self.groups.append((handle, used, frozenset(kinds)))

    def fired(self, facts: list[dict]) -> set[tuple[int, int]]:
        sid = f"s{next(_SIDS)}"
        found: set[tuple[int, int]] = set()
        with_state: list[int] = []
        try:
            for handle, keys, kinds in self.groups:
                for fact in facts:
                    if fact["kind"] not in kinds:
                        continue
                    if handle not in with_state:
                        with_state.append(handle)
                    for rule in _assert(handle, _slice(fact, keys, sid)):
                        if rule[0] == "k":
                            found.add((int(rule[1:]), fact["idx"]))
        finally:
            for handle in with_state:
                _core.delete_state(handle, sid)
        return found


def _assert(handle: int, fact: dict) -> list[str]:
    """Assert one fact; the names of the rules it activated (catch-all included)."""
    try:
        result = _core.assert_fact(handle, json.dumps(fact, ensure_ascii=False))
        if result[0] in (_NOT_HANDLED, _OBSERVED):
            raise EngineFault(f"durable-rules behandelde een feit niet (code {result[0]})", None,
                              None, "meld dit als fout in maatwerk; gebruik zolang --engine python")
        state = 0 if result[0] == _QUEUED else result[1]
        names = []
        action = _core.start_action_for_state(handle, state)
        message = action[1] if action else None
        while message:
            names.append(_NAME.match(message).group(1))
            message = _core.complete_and_start_action(handle, state)
        return names
    except EngineFault:
        raise
    except Exception as exc:  # the C core reports its errors as plain exceptions
        raise EngineFault(f"durable-rules weigerde een feit: {exc}", None, None,
                          "meld dit als fout in maatwerk; gebruik zolang --engine python") from exc


def _slice(fact: dict, keys: set[str], sid: str) -> dict:
    out = {"kind": fact["kind"], "idx": fact["idx"], "sid": sid}
    for k in keys:
        if k in fact:
            out[k] = fact[k]
    return out
