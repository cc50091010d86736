"""Hypothesis strategies for hostile input: mutated rulesets and voorstellen, arbitrary YAML.

Seeds are the bundled rulesets (`rulesets/**/*.yaml`) and example voorstellen
(`examples/voorstellen/*.yaml`). A mutation works on the text (dropped, doubled or
swapped lines, broken indentation, hostile tokens, misspelt keys, cut-off files),
on the bytes (invalid UTF-8, BOMs, NUL) or on the parsed tree (swapped types,
renamed or dropped keys, huge numbers, NaN and infinities, wrong dates, deep
nesting, megabyte strings, quotes and SQL in text), one to four at a time. Giant
inputs (alias bombs, > 8 MB files, half a million values) are `giants()`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
RULESETS = sorted((ROOT / "rulesets").rglob("*.yaml"))
EXAMPLES = sorted((ROOT / "examples" / "voorstellen").glob("*.yaml"))

HOSTILE_SCALARS = [
    ".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e400", "-1e400", "1e308", "5e-324", "-0.0",
    "9" * 400, "-" + "9" * 40, "1" + "0" * 4001, "0x1F", "0o17", "1_000", "01", "007", "2026-02-30",
    "2026-13-01", "2026-00-10", "0000-01-01", "9999-12-31", "2026-1-1", "20260101",
    "2026-01-01T10:00:00Z", "2026-01-01 10:00", "yes", "no", "on", "~", "null", "true", "True",
    "''", '""', "[]", "{}", "[[]]", "{a: {b: {c: []}}}", "'x''; DROP TABLE events; --'",
    "\"B-1' OR '1'='1\"", "\"\\u202eevil\"", "\"\\0\"", "\"\\x00\"", "\"\\ud800\"", "é", "ｇｍ０３４４",
    "gm0344\u200b", "\"😀\"", "\"a\\nb\"", "'", '"', "&a x", "*a", "!!python/object/apply:os.system ['id']",
    "!!binary aGVsbG8=", "!tag x", "<<: *a", "? x", "| \n  x", "> \n  x", "- x", ": x", "{", "[", "]",
    "}", "#", "%", "@x", "`x", "\t", "=", "---", "...",
]
HOSTILE_TEXT = [
    "x'; DROP TABLE events; --", "B-1' OR '1'='1", "../../etc/passwd", "C:\\\\Windows",
    "\u202eevil", "zero\u200bwidth", "😀" * 10, "a\u0301", "ǅ", "ß", "İ", "\u00a0", "\ufeff",
    "Robert'); DROP TABLE Students;--", "%s%s%n", "{0}{waargenomen}", "${HOME}", "$(id)",
]
TOKENS = [":", ": ", "- ", "-", "{", "}", "[", "]", ",", "&a ", "*a", "!!str ", "!!python/name:os.system ",
          "---\n", "...\n", "%YAML 1.1\n", '"', "'", "#", "|", ">", "? ", "\t", "\x00", "\x7f",
          "\ufeff", "\u2028", "\u0085", "<<: ", "~", "\\", "\r", "\r\n", "\x1b[31m", "@", "`"]
BAD_BYTES = [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80",
             b"\xef\xbb\xbf", b"\x00", b"\x80", b"\xe2\x82"]
OTHER_VALUES = [None, True, False, 0, -1, 2**63, -(2**64), 10**300, 1.5, 1e308, -1e308, 5e-324,
                float("nan"), float("inf"), float("-inf"), "", " ", "tekst", "2026-02-30",
                "26-01-01", "2026-01-01T00:00:00", "01", [], {}, [1, "a", None], {"a": 1},
                {"eq": ["a", "b"]}]


@lru_cache(maxsize=None)
def seed_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def seed_tree(path: str):
    from maatwerk.engine.rules import yamlsafe
    return yamlsafe.parse(seed_text(path), path)[0]


# --- text mutations ---------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    return text.split("\n")


def drop_line(text: str, draw) -> str:
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    n = draw(st.integers(1, 3))
    return "\n".join(lines[:at] + lines[at + n:])


def double_line(text: str, draw) -> str:
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:at + 1] + [lines[at]] + lines[at + 1:])


def swap_lines(text: str, draw) -> str:
    lines = _lines(text)
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def indent(text: str, draw) -> str:
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    shift = draw(st.sampled_from([-4, -2, -1, 1, 2, 3, 8, "tab"]))
    line = lines[at]
    if shift == "tab":
        lines[at] = "\t" + line
    elif shift < 0:
        lines[at] = line[min(-shift, len(line) - len(line.lstrip(" "))):]
    else:
        lines[at] = " " * shift + line
    return "\n".join(lines)


def insert_token(text: str, draw) -> str:
    at = draw(st.integers(0, len(text)))
    token = draw(st.sampled_from(TOKENS) | st.text(max_size=6))
    return text[:at] + token + text[at:]


def replace_value(text: str, draw) -> str:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    if not keyed:
        return text
    at = draw(st.sampled_from(keyed))
    key = lines[at].split(": ", 1)[0]
    lines[at] = f"{key}: {draw(st.sampled_from(HOSTILE_SCALARS))}"
    return "\n".join(lines)


def misspell_key(text: str, draw) -> str:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if ":" in line and line.strip()[:1].isalpha()]
    if not keyed:
        return text
    at = draw(st.sampled_from(keyed))
    head, sep, rest = lines[at].partition(":")
    body = head.lstrip(" -")
    prefix = head[:len(head) - len(body)]
    if len(body) < 2:
        return text
    i = draw(st.integers(0, len(body) - 2))
    how = draw(st.sampled_from(["swap", "drop", "double", "upper", "unicode"]))
    body = {"swap": body[:i] + body[i + 1] + body[i] + body[i + 2:], "drop": body[:i] + body[i + 1:],
            "double": body[:i] + body[i] * 2 + body[i + 1:], "upper": body.upper(),
            "unicode": body[:i] + "\u0435" + body[i + 1:]}[how]
    lines[at] = prefix + body + sep + rest
    return "\n".join(lines)


def cut(text: str, draw) -> str:
    return text[:draw(st.integers(0, len(text)))]


def megabyte_value(text: str, draw) -> str:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if ": " in line]
    at = draw(st.sampled_from(keyed)) if keyed else 0
    key = lines[at].split(": ", 1)[0] if keyed else "x"
    size = draw(st.sampled_from([5000, 70_000, 1_100_000]))
    lines[at] = f"{key}: {draw(st.sampled_from(['a', 'é', '9', ' x']))[-1] * size}"
    return "\n".join(lines)


def deep_nest(text: str, draw) -> str:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if ": " in line]
    at = draw(st.sampled_from(keyed)) if keyed else 0
    key = lines[at].split(": ", 1)[0] if keyed else "x"
    depth = draw(st.sampled_from([8, 63, 64, 65, 200, 5000]))
    value = "[" * depth + "]" * depth if draw(st.booleans()) else "{a: " * depth + "1" + "}" * depth
    lines[at] = f"{key}: {value}"
    return "\n".join(lines)


TEXT_MUTATIONS = [drop_line, double_line, swap_lines, indent, insert_token, replace_value,
                  misspell_key, cut, megabyte_value, deep_nest]


# --- byte mutations -----------------------------------------------------------------------
def bad_bytes(raw: bytes, draw) -> bytes:
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.sampled_from(BAD_BYTES)) + raw[at:]


def flip_byte(raw: bytes, draw) -> bytes:
    if not raw:
        return raw
    at = draw(st.integers(0, len(raw) - 1))
    return raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1:]


# --- tree mutations -----------------------------------------------------------------------
def _paths(tree, prefix=()):
    yield prefix
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _paths(v, prefix + (i,))


def _get(tree, path):
    for p in path:
        tree = tree[p]
    return tree


def mutate_tree(tree, draw):
    """One change at a random place of a deep copy of the tree."""
    import copy
    tree = copy.deepcopy(tree)
    paths = list(_paths(tree))
    path = draw(st.sampled_from(paths))
    how = draw(st.sampled_from(["other", "drop", "rename", "nest", "long", "hostile", "grow"]))
    if not path:
        return draw(st.sampled_from(OTHER_VALUES)) if how == "other" else tree
    parent, key = _get(tree, path[:-1]), path[-1]
    if how == "other":
        parent[key] = draw(st.sampled_from(OTHER_VALUES) | st.integers() | st.floats())
    elif how == "drop":
        del parent[key]
    elif how == "rename" and isinstance(parent, dict):
        parent[str(key)[::-1] or "x"] = parent.pop(key)
    elif how == "nest":
        value = parent[key]
        for _ in range(draw(st.integers(1, 70))):
            value = draw(st.sampled_from([[value], {"a": value}, {"eq": [value, value]}]))
        parent[key] = value
    elif how == "long":
        parent[key] = draw(st.sampled_from(["x", "é", "9"])) * draw(st.sampled_from([4001, 65, 300_000]))
    elif how == "hostile":
        parent[key] = draw(st.sampled_from(HOSTILE_TEXT))
    elif how == "grow" and isinstance(parent[key], list):
        parent[key] = parent[key] * draw(st.integers(2, 60))
    return tree


def gentle(tree, draw):
    """Changes that keep the types: other numbers (edges included), shifted dates, flipped
    flags, dropped or doubled items. Most results still load and reach both engines."""
    import copy
    import datetime as dt
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 6))):
        paths = [p for p in _paths(tree) if p]
        path = draw(st.sampled_from(paths))
        parent, key = _get(tree, path[:-1]), path[-1]
        value = parent[key]
        if isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, (int, float)):
            parent[key] = type(value)(draw(st.sampled_from([0, 1, 2, 3, 4, 7, 20, 52, 99, 365,
                                                            1000, 10**6, value, value + 1])))
            if isinstance(value, float) and draw(st.booleans()):
                parent[key] = draw(st.floats(0, 10**6, allow_nan=False)) if value >= 0 else value
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value) + dt.timedelta(days=draw(st.integers(-800, 800)))
            parent[key] = day.isoformat()
        elif isinstance(parent, list) and draw(st.booleans()):
            parent.append(copy.deepcopy(value))
        elif isinstance(parent, dict) and key not in ("gemeente", "wet", "client", "pseudoniem",
                                                      "productcategorie", "id", "voorzieningen"):
            del parent[key]
    return tree


def dump(tree) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10**6)


# --- the strategies -----------------------------------------------------------------------
@st.composite
def mutated(draw, seeds: list[Path]) -> bytes:
    """A seed with type-keeping changes (a third), or with one to four hostile mutations."""
    path = str(draw(st.sampled_from(seeds)))
    if draw(st.integers(0, 2)) == 0:                 # a third stays close to valid
        return dump(gentle(seed_tree(path), draw)).encode("utf-8")
    if draw(st.integers(0, 3)) == 0:
        text = dump(mutate_tree(seed_tree(path), draw))
    else:
        text = seed_text(path)
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.sampled_from(TEXT_MUTATIONS))(text, draw)
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0:
        raw = draw(st.sampled_from([bad_bytes, flip_byte]))(raw, draw)
    return raw


def voorstellen() -> st.SearchStrategy[bytes]:
    return mutated(EXAMPLES)


def rulesets() -> st.SearchStrategy[bytes]:
    return mutated(RULESETS)


KEYS = ["id", "wet", "gemeente", "client", "pseudoniem", "voorzieningen", "procedure", "aanvraag",
        "productcategorie", "volume", "kaders", "afwijking_als", "parameters", "waarden", "vanaf",
        "waarde", "extends", "geldig_vanaf", "bronnen", "gt", "eq", "sum", "lookup", "in", "all"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.dates().map(str), st.sampled_from(HOSTILE_TEXT + OTHER_VALUES[:16]))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=12), inner, max_size=6)), max_leaves=40)


@st.composite
def yaml_trees(draw) -> bytes:
    """An arbitrary YAML tree, dumped in block or flow style."""
    tree = draw(trees)
    flow = draw(st.booleans())
    text = yaml.safe_dump(tree, allow_unicode=True, default_flow_style=flow)
    return text.encode("utf-8", "surrogatepass")


def giants() -> list[tuple[str, bytes]]:
    """Inputs that must be refused within bounded time and memory."""
    laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    example = seed_text(str(EXAMPLES[0]))
    return [
        ("alias-bom", "\n".join(laughs).encode()),
        ("te-groot-bestand", example.encode() + b"# " + b"x" * (8 * 1024 * 1024) + b"\n"),
        ("halfmiljoen-waarden", b"x: [" + b"0," * 600_000 + b"0]\n"),
        ("diepe-nesting", b"x: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
        ("megabyte-tekst", re.sub(r"(?m)^wet: .*$", "wet: " + "w" * 3_000_000, example, 1).encode()),
        ("lange-regel-getal", b"x: " + b"9" * 1_000_000 + b"\n"),
        ("veel-sleutels", b"".join(b"k%d: 1\n" % i for i in range(200_000))),
    ]


def example(strategy, seed: int):
    """One value of a strategy, reproducibly from a seed (outside a @given test)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed
    found = []

    @settings(max_examples=1, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(raw=strategy)
    def draw(raw):
        found.append(raw)
    fixed(seed)(draw)()
    return found[0]
