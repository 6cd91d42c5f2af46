"""OData query options as a Graph client uses them on users and events."""

from typing import Any

import pytest

from assistant.sandbox.odata import ODataError, order_by, parse_filter, parse_orderby, parse_top, select

EVENT = {
    "@odata.etag": 'W/"DwAAABYAAAA="',
    "id": "AAMkAD-1",
    "subject": "Ada's review",
    "start": {"dateTime": "2026-11-30T09:30:00.0000000", "timeZone": "UTC"},
    "end": {"dateTime": "2026-11-30T10:00:00.0000000", "timeZone": "UTC"},
    "isCancelled": False,
    "categories": ["Apollo", "Red category"],
    "attendees": [{"type": "required", "emailAddress": {"name": "Bo", "address": "bo@contoso.com"}}],
    "bodyPreview": "Agenda",
}
EVENT_PROPERTIES = {
    "id",
    "subject",
    "start",
    "end",
    "isCancelled",
    "categories",
    "attendees",
    "bodyPreview",
    "location",
}

USERS = [
    {"id": "1", "displayName": "Ada Park", "mail": "ada@contoso.com", "department": "IT", "jobTitle": "Lead"},
    {
        "id": "2",
        "displayName": "Bob Stone",
        "mail": "bob@contoso.com",
        "department": "Sales",
        "jobTitle": None,
    },
    {
        "id": "3",
        "displayName": "adele Wu",
        "mail": "adele@fabrikam.com",
        "department": "IT",
        "jobTitle": "CTO",
    },
    {"id": "4", "displayName": "Carl O'Neil", "mail": None, "department": "Finance", "jobTitle": "CTO"},
]


def matching(text: str, items: list[dict[str, Any]] = USERS) -> list[str]:
    predicate = parse_filter(text)
    return [item["id"] for item in items if predicate(item)]


# --- $select --------------------------------------------------------------------------------------
def test_select_keeps_id_and_etag_and_stored_casing() -> None:
    assert select(EVENT, "SUBJECT, start") == {
        "@odata.etag": EVENT["@odata.etag"],
        "id": "AAMkAD-1",
        "subject": "Ada's review",
        "start": EVENT["start"],
    }


def test_select_without_etag_on_the_item_returns_just_id() -> None:
    assert select(USERS[0], "mail") == {"id": "1", "mail": "ada@contoso.com"}


def test_no_select_returns_a_copy_of_everything() -> None:
    result = select(EVENT, None)
    assert result == EVENT and result is not EVENT
    assert select(EVENT, "*") == EVENT


def test_unknown_selected_property_is_graphs_400() -> None:
    with pytest.raises(ODataError) as info:
        select(EVENT, "subject,color", known=EVENT_PROPERTIES, type_name="microsoft.graph.event")
    assert (info.value.status, info.value.code) == (400, "BadRequest")
    assert info.value.message == "Could not find a property named 'color' on type 'microsoft.graph.event'."


def test_known_property_absent_from_the_stored_item_comes_back_null() -> None:
    assert select(EVENT, "location", known=EVENT_PROPERTIES)["location"] is None
    assert "location" not in select(EVENT, "location")  # without the schema the sandbox cannot know


def test_select_with_an_empty_name_is_rejected() -> None:
    with pytest.raises(ODataError, match="empty property name"):
        select(EVENT, "subject,")


# --- $filter --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("mail eq 'ADA@contoso.com'", ["1"]),
        ("Mail ne 'ada@contoso.com'", ["2", "3", "4"]),
        ("startswith(displayName,'ad')", ["1", "3"]),
        ("endswith(mail, '@CONTOSO.COM')", ["1", "2"]),
        ("contains(displayName,'o')", ["2", "4"]),
        ("(startswith(displayName,'A') or jobTitle eq 'CTO') and not (department eq 'IT')", ["4"]),
        ("not startswith(displayName,'a') and not (department eq 'Sales' or department eq 'Finance')", []),
        (
            "department eq 'Sales' or department eq 'IT' and jobTitle eq 'CTO'",
            ["2", "3"],
        ),  # and binds tighter
        ("(department eq 'Sales' or department eq 'IT') and jobTitle eq 'CTO'", ["3"]),
        ("displayName eq 'Carl O''Neil'", ["4"]),
        ("department in ('it', 'Finance')", ["1", "3", "4"]),
        ("jobTitle eq null", ["2"]),
        ("jobTitle ne null and mail eq null", ["4"]),
        ("startswith(mail,'a')", ["1", "3"]),  # null mail simply does not match
        ("displayName gt 'b' and displayName lt 'C'", ["2"]),
        ("id eq 1", []),  # a number never equals the string "1"
    ],
)
def test_filter_on_users(text: str, ids: list[str]) -> None:
    assert matching(text) == ids


EVENTS = [
    EVENT,
    {**EVENT, "id": "AAMkAD-2", "categories": [], "isCancelled": True, "percent": 50,
     "start": {"dateTime": "2026-12-01T08:00:00.0000000", "timeZone": "UTC"}},
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("categories/any(c:c eq 'apollo')", ["AAMkAD-1"]),
        ("categories/any(c: c in ('Blue category', 'Red category'))", ["AAMkAD-1"]),
        ("not categories/any(c:c eq 'Apollo')", ["AAMkAD-2"]),
        ("categories/any()", ["AAMkAD-1"]),
        ("attendees/any(a:a/emailAddress/address eq 'BO@contoso.com')", ["AAMkAD-1", "AAMkAD-2"]),
        ("attendees/any(a:a/emailAddress/address eq 'ada@contoso.com')", []),
        ("categories/all(c:startswith(c,'a'))", ["AAMkAD-2"]),  # vacuously true for no categories
        ("start/dateTime ge 2026-11-30T10:00:00Z", ["AAMkAD-2"]),
        ("Start/DateTime le 2026-11-30T10:30:00+01:00", ["AAMkAD-1"]),
        ("start/dateTime lt 2026-11-30T10:30:00+01:00", []),
        ("start/dateTime ge '2026-11-30T09:30'", ["AAMkAD-1", "AAMkAD-2"]),
        ("start/dateTime eq '2026-11-30T09:30:00Z'", ["AAMkAD-1"]),
        ("isCancelled eq true", ["AAMkAD-2"]),
        ("isCancelled eq false", ["AAMkAD-1"]),
        ("isCancelled", ["AAMkAD-2"]),
        ("not isCancelled", ["AAMkAD-1"]),
        ("percent ge 50 and percent lt 50.5", ["AAMkAD-2"]),
        ("percent eq '50'", []),
        ("subject eq 'Ada''s review' and isCancelled eq false", ["AAMkAD-1"]),
    ],
)
def test_filter_on_events(text: str, ids: list[str]) -> None:
    assert matching(text, EVENTS) == ids


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty expression"),
        ("subject eq", "unexpected end of input"),
        ("subject eq 'abc", "unterminated string literal at position 11"),
        ("subject eq 'a')", "unexpected ')' at position 14"),
        ("(subject eq 'a'", "expected ')' but found end of input"),
        ("subject eq 'a' and", "unexpected end of input"),
        ("subject eq and", "unexpected 'and' at position 11"),
        ("subject eq 'a' subject", "unexpected 'subject' at position 15"),
        ("subject $ 'a'", "unexpected '$' at position 8"),
        ("frobnicate(subject,'a')", "unknown function 'frobnicate' at position 0"),
        ("startswith(subject)", "function 'startswith' takes 2 arguments, got 1"),
        ("categories/any(c c eq 'a')", "expected ':' but found 'c' at position 17"),
        ("start/'x' eq 1", "expected a property name after '/' but found ''x'' at position 6"),
        ("start/dateTime ge 2026-13-45T00:00:00Z", "invalid date-time literal '2026-13-45T00:00:00Z'"),
        ("__import__('os')", "unknown function '__import__'"),
        ("__import__('os').system('id')", "unexpected '.' at position 16"),
        ("department in 'IT'", "expected '(' but found ''IT''"),
    ],
)
def test_bad_filter_is_a_400_naming_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ODataError) as info:
        parse_filter(text)
    assert (info.value.status, info.value.code) == (400, "BadRequest")
    assert info.value.message.startswith("Invalid filter clause: ")
    assert problem in info.value.message


# --- $orderby -------------------------------------------------------------------------------------
def ordered(text: str, items: list[dict[str, Any]] = USERS) -> list[str]:
    key, reverse = parse_orderby(text)
    return [item["id"] for item in sorted(items, key=key, reverse=reverse)]


def test_orderby_single_property_ignores_case_and_puts_nulls_first() -> None:
    assert ordered("displayName") == ["1", "3", "2", "4"]
    assert ordered("DisplayName desc") == ["4", "2", "3", "1"]
    assert ordered("mail asc") == ["4", "1", "3", "2"]


def test_orderby_nested_datetime_desc() -> None:
    assert ordered("start/dateTime desc", EVENTS) == ["AAMkAD-2", "AAMkAD-1"]


def test_orderby_mixed_directions() -> None:
    assert ordered("department asc, displayName desc") == ["4", "3", "1", "2"]
    assert ordered("jobTitle desc, id") == ["1", "3", "4", "2"]


@pytest.mark.parametrize("text", ["subject sideways", "subject desc extra", "", "start/", "sub-ject"])
def test_bad_orderby_is_a_400(text: str) -> None:
    with pytest.raises(ODataError, match=r"Invalid \$orderby"):
        parse_orderby(text)


# --- $top -----------------------------------------------------------------------------------------
def test_top_is_clamped_to_the_maximum() -> None:
    assert parse_top("5", 1000) == 5
    assert parse_top(" 1000 ", 1000) == 1000
    assert parse_top("5000", 1000) == 1000


@pytest.mark.parametrize("text", ["abc", "", "0", "-1", "2.5", "1e3", "ten"])
def test_bad_top_is_a_400(text: str) -> None:
    with pytest.raises(ODataError) as info:
        parse_top(text, 1000)
    assert info.value.status == 400
    assert "$top" in info.value.message


def test_top_above_maximum_can_be_an_error_like_the_directory() -> None:
    with pytest.raises(ODataError, match="Must be between 1 and 999 inclusive"):
        parse_top("1000", 999, clamp=False)


def test_order_by_sorts_a_collection_stably() -> None:
    assert [u["id"] for u in order_by(USERS, "department")] == ["4", "1", "3", "2"]
