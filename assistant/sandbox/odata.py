"""The OData query options Graph honours on the routes the sandbox serves: $select, $filter, $orderby, $top, $count.

Only the subset real Graph clients send is implemented, but what is implemented behaves like Graph: property
names are case-insensitive, string comparisons ignore case, an unknown $select property is a 400, a malformed
$filter is a 400 naming the problem. $filter is parsed by a small recursive-descent parser into closures;
nothing is ever `eval`ed, because filter text comes straight from an HTTP query string.

Pure: no I/O.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from .timezones import parse_query_datetime

__all__ = ["ODataError", "order_by", "parse_count", "parse_filter", "parse_orderby", "parse_top", "select"]

Item = dict[str, Any]
_Node = Callable[[Item, dict[str, Any]], Any]  # (item, lambda variables) -> value


class ODataError(Exception):
    """A query option Graph would reject; the web layer turns it into Graph's error body with `status`."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _bad_filter(detail: str) -> ODataError:
    return ODataError("BadRequest", f"Invalid filter clause: {detail}")


def _lookup(obj: Any, name: str) -> Any:
    """Case-insensitive property access (exact casing preferred), None when absent — Graph's null."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    folded = name.casefold()
    return next((value for key, value in obj.items() if key.casefold() == folded), None)


# ---------------------------------------------------------------------------------------------------- $select
def select(
    item: Item, select: str | None, known: set[str] | None = None, type_name: str = "microsoft.graph.entity"
) -> Item:
    """Project `item` to the `$select`ed properties plus `@odata.etag` and `id`, which Graph always returns.

    Output keeps the stored casing and order. With `known` (the type's property names) an unknown name is
    Graph's 400, and a known property missing from the stored item is returned as null, as Graph does.
    """
    if select is None or not select.strip():
        return dict(item)
    names = [name.strip() for name in select.split(",")]
    if "" in names:
        raise ODataError("BadRequest", f"Invalid $select value {select!r}: empty property name")
    if "*" in names:
        return dict(item)
    wanted = {name.casefold() for name in names}
    if known is not None:
        known_folded = {name.casefold(): name for name in known}
        for name in names:
            if name.casefold() not in known_folded:
                raise ODataError("BadRequest", f"Could not find a property named '{name}' on type '{type_name}'.")
    result: Item = {key: item[key] for key in ("@odata.etag", "id") if key in item}
    result.update((key, value) for key, value in item.items() if key.casefold() in wanted)
    if known is not None:
        present = {key.casefold() for key in result}
        result.update((known_folded[name], None) for name in wanted if name not in present)
    return result


# ---------------------------------------------------------------------------------------------------- $filter
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<string>'(?:[^']|'')*')"
    r"|(?P<datetime>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?)"
    r"|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),:/])"
)
_COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
_CONSTANTS = {"true": True, "false": False, "null": None}
MAX_IN_VALUES = 15
_RESERVED = {*_COMPARISONS, "and", "or", "not", "in"}
_FUNCTIONS: dict[str, Callable[[str, str], bool]] = {
    "startswith": str.startswith,
    "endswith": str.endswith,
    "contains": lambda text, part: part in text,
}
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        if (match := _TOKEN.match(text, pos)) is None:
            problem = "unterminated string literal" if text[pos] == "'" else f"unexpected {text[pos]!r}"
            raise _bad_filter(f"{problem} at position {pos}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append((kind, match.group(), pos))
        pos = match.end()
    return tokens


def _typed(value: Any) -> tuple[str, Any]:
    """(category, comparable) — values of different categories never compare equal or ordered."""
    if value is None or isinstance(value, bool):
        return ("null" if value is None else "bool"), value
    if isinstance(value, int | float):
        return "number", value
    if isinstance(value, datetime):
        return "datetime", value
    if isinstance(value, str):
        return "string", value.casefold()
    return "other", value


def _as_datetime(value: Any) -> Any:
    if isinstance(value, str) and _DATE_LIKE.match(value):
        try:
            return parse_query_datetime(value)  # offset-less Graph strings are UTC, like start/dateTime
        except ValueError:
            return value
    return value


def _compare(op: str, left: Any, right: Any) -> bool:
    """Graph-ish comparison: datetimes against ISO strings compare as instants, strings ignore case."""
    either_datetime = isinstance(left, datetime) or isinstance(right, datetime)
    if either_datetime or all(isinstance(v, str) and _DATE_LIKE.match(v) for v in (left, right)):
        left, right = _as_datetime(left), _as_datetime(right)
    (left_kind, a), (right_kind, b) = _typed(left), _typed(right)
    if op in ("eq", "ne"):
        return (left_kind == right_kind and a == b) is (op == "eq")
    if left_kind != right_kind or left_kind in ("null", "other"):
        return False
    return bool(getattr(operator, op)(a, b))


class _Parser:
    """Grammar: or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | cmp ;
    cmp := primary [op primary | 'in' '(' or (',' or)* ')'] ;
    primary := '(' or ')' | literal | function '(' or ',' or ')' | path ['/' quantifier '(' [var ':' or] ')']
    """

    def __init__(self, text: str) -> None:
        self.tokens, self.index = _tokenize(text), 0

    def _where(self) -> str:
        token = self.tokens[self.index] if self.index < len(self.tokens) else None
        return f"'{token[1]}' at position {token[2]}" if token else "end of input"

    def _take(self, kind: str, *values: str) -> tuple[str, str, int] | None:
        """Consume the next token if it has `kind` (and, for names, one of `values` ignoring case)."""
        token = self.tokens[self.index] if self.index < len(self.tokens) else None
        if token is None or token[0] != kind or (values and token[1].lower() not in values):
            return None
        self.index += 1
        return token

    def _expect(self, char: str) -> None:
        if not self._take("punct", char):
            raise _bad_filter(f"expected '{char}' but found {self._where()}")

    def parse(self) -> _Node:
        if not self.tokens:
            raise _bad_filter("empty expression")
        node = self._or()
        if self.index < len(self.tokens):
            raise _bad_filter(f"unexpected {self._where()}")
        return node

    def _or(self) -> _Node:
        return self._chain("or", self._and, any)

    def _and(self) -> _Node:
        return self._chain("and", self._not, all)

    def _chain(self, word: str, operand: Callable[[], _Node], combine: Callable[[Iterable[bool]], bool]) -> _Node:
        nodes = [operand()]
        while self._take("name", word):
            nodes.append(operand())
        if len(nodes) == 1:
            return nodes[0]
        return lambda item, env: combine(node(item, env) is True for node in nodes)  # short-circuits

    def _not(self) -> _Node:
        if self._take("name", "not"):
            inner = self._not()
            return lambda item, env: inner(item, env) is not True
        left = self._primary()
        if comparison := self._take("name", *_COMPARISONS):
            op, right = comparison[1].lower(), self._primary()
            return lambda item, env: _compare(op, left(item, env), right(item, env))
        if self._take("name", "in"):
            options = self._arguments()
            # "requests are limited to 15 expressions in a filter clause by default" when using `in`
            # (https://learn.microsoft.com/graph/filter-query-parameter, operators table note). [S] the wording.
            if len(options) > MAX_IN_VALUES:
                raise _bad_filter(f"'in' takes at most {MAX_IN_VALUES} values, not {len(options)}")
            return lambda item, env: any(_compare("eq", left(item, env), o(item, env)) for o in options)
        return left

    def _arguments(self) -> list[_Node]:
        self._expect("(")
        args = [self._or()]
        while self._take("punct", ","):
            args.append(self._or())
        self._expect(")")
        return args

    def _primary(self) -> _Node:
        if self.index >= len(self.tokens):
            raise _bad_filter("unexpected end of input")
        kind, text, pos = self.tokens[self.index]
        self.index += 1
        if (kind, text) == ("punct", "("):
            node = self._or()
            self._expect(")")
            return node
        if kind in ("string", "number", "datetime") or text.lower() in _CONSTANTS:
            value = _literal(kind, text, pos)
            return lambda item, env: value
        if kind != "name" or text.lower() in _RESERVED:
            raise _bad_filter(f"unexpected '{text}' at position {pos}")
        if self.index < len(self.tokens) and self.tokens[self.index][:2] == ("punct", "("):
            return self._function(text.lower(), pos)
        segments = [text]
        while self._take("punct", "/"):
            if not (name := self._take("name")):
                raise _bad_filter(f"expected a property name after '/' but found {self._where()}")
            if name[1].lower() in ("any", "all") and self._take("punct", "("):
                return self._lambda(segments, any if name[1].lower() == "any" else all)
            segments.append(name[1])
        return functools.partial(_resolve, segments)

    def _function(self, name: str, pos: int) -> _Node:
        if name not in _FUNCTIONS:
            raise _bad_filter(f"unknown function '{name}' at position {pos}")
        args = self._arguments()
        if len(args) != 2:
            raise _bad_filter(f"function '{name}' takes 2 arguments, got {len(args)}")
        test, (first, second) = _FUNCTIONS[name], args

        def call(item: Item, env: dict[str, Any]) -> bool:
            text, part = first(item, env), second(item, env)
            return isinstance(text, str) and isinstance(part, str) and test(text.casefold(), part.casefold())

        return call

    def _lambda(self, segments: list[str], combine: Callable[[Iterable[bool]], bool]) -> _Node:
        collection = functools.partial(_resolve, segments)
        if self._take("punct", ")"):  # `categories/any()`: the collection is non-empty
            return lambda item, env: bool(collection(item, env))
        if not (variable := self._take("name")):
            raise _bad_filter(f"expected a lambda variable but found {self._where()}")
        self._expect(":")
        body = self._or()
        self._expect(")")

        def run(item: Item, env: dict[str, Any]) -> bool:
            values = collection(item, env)
            members = values if isinstance(values, list) else []
            return combine(body(item, {**env, variable[1]: member}) is True for member in members)

        return run


def _literal(kind: str, text: str, pos: int) -> Any:
    if kind == "string":
        return text[1:-1].replace("''", "'")
    if kind == "number":
        return float(text) if "." in text else int(text)
    if kind == "name":
        return _CONSTANTS[text.lower()]
    try:
        return parse_query_datetime(text)
    except ValueError:
        raise _bad_filter(f"invalid date-time literal '{text}' at position {pos}") from None


def _resolve(segments: list[str], item: Item, env: dict[str, Any]) -> Any:
    value: Any = env[segments[0]] if segments[0] in env else _lookup(item, segments[0])
    for segment in segments[1:]:
        value = _lookup(value, segment)
    return value


def parse_filter(text: str) -> Callable[[Item], bool]:
    """Compile `$filter` text into a predicate; raises `ODataError` (400) on any syntax problem."""
    node = _Parser(text).parse()
    return lambda item: node(item, {}) is True


# --------------------------------------------------------------------------------------------------- $orderby
class _Descending:
    """Inverts one key of a composite sort so `a asc, b desc` sorts in a single stable pass."""

    __slots__ = ("key",)
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, key: Any) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:  # tuple comparison asks == first, then <
        return isinstance(other, _Descending) and self.key == other.key

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.key < self.key)


def _sort_key(value: Any) -> tuple[Any, ...]:
    # OData puts null first in ascending order; ISO strings in different spellings sort as instants.
    value = _as_datetime(value)
    rank = {"null": 0, "bool": 1, "number": 2, "datetime": 3, "string": 4}
    kind, comparable = _typed(value)
    return (rank[kind], comparable) if kind in rank else (5, repr(value))


def parse_orderby(text: str) -> tuple[Callable[[Item], Any], bool]:
    """`$orderby=start/dateTime desc, subject` → (key, reverse) for `sorted(items, key=..., reverse=...)`."""
    clauses: list[tuple[list[str], bool]] = []
    for clause in text.split(","):
        parts = clause.split()
        valid = len(parts) in (1, 2) and re.fullmatch(r"[A-Za-z_]\w*(/[A-Za-z_]\w*)*", parts[0])
        if not valid or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
            raise ODataError(
                "BadRequest", f"Invalid $orderby clause {clause.strip()!r}: expected 'property [asc|desc]'"
            )
        clauses.append((parts[0].split("/"), len(parts) == 2 and parts[1].lower() == "desc"))
    uniform = len({descending for _, descending in clauses}) == 1

    def key(item: Item) -> tuple[Any, ...]:
        keys = [(_sort_key(_resolve(segments, item, {})), descending) for segments, descending in clauses]
        return tuple(k if uniform or not descending else _Descending(k) for k, descending in keys)

    return key, uniform and clauses[0][1]


def order_by(items: Iterable[Item], orderby: str) -> list[Item]:
    """`items` sorted by an `$orderby` value (stable, so equal keys keep their stored order)."""
    key, reverse = parse_orderby(orderby)
    return sorted(items, key=key, reverse=reverse)


# ------------------------------------------------------------------------------------------------------- $top
def parse_top(text: str, maximum: int, clamp: bool = True) -> int:
    """A positive `$top`; non-numeric is a 400. Above `maximum` it is clamped (Outlook-style) unless `clamp`
    is False, when it is the 400 directory endpoints give ("Must be between 1 and 999 inclusive").

    calendarView's ceiling is commonly cited as 1000 but was not verified (GRAPH-FACTS §1.1 [K]).
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"\+?\d+", raw) or int(raw) < 1:
        raise ODataError("BadRequest", f"Invalid value {text!r} for $top: expected a positive integer")
    value = int(raw)
    if value > maximum and not clamp:
        raise ODataError(
            "BadRequest",
            f"Invalid page size specified: '{value}'. Must be between 1 and {maximum} inclusive.",
        )
    return min(value, maximum)


def parse_count(text: str | None) -> bool:
    """`$count=true|false` (OData's boolean literals, any case; absent means false). Anything else is a 400.

    https://learn.microsoft.com/graph/query-parameters#count-parameter
    """
    if text is None:
        return False
    raw = text.strip().lower()
    if raw not in ("true", "false"):
        raise ODataError("BadRequest", f"Invalid value {text!r} for $count: expected true or false")
    return raw == "true"
