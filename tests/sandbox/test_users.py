"""Directory users as Graph serves them: `$skiptoken` pages, `$count` only in advanced queries, the `$count` segment."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

EVENTUAL = {"ConsistencyLevel": "eventual"}


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _pages(http, token, url, params=None, **headers):
    """Every page, following `@odata.nextLink` verbatim (re-sending the headers, as Graph requires)."""
    page = http.get(url, params=params, headers=_auth(token, **headers))
    assert page.status_code == 200, page.text
    pages = [page.json()]
    while "@odata.nextLink" in pages[-1]:
        page = http.get(pages[-1]["@odata.nextLink"], headers=_auth(token, **headers))
        assert page.status_code == 200, page.text
        pages.append(page.json())
    return pages


def test_pages_are_linked_by_an_opaque_skiptoken_that_keeps_the_query(sandbox, http, graph, token):
    pages = _pages(http, token, f"{graph}/users", {"$top": "4", "$select": "id,displayName"})

    everyone = [user["id"] for page in pages for user in page["value"]]
    assert everyone == [user["id"] for user in sandbox.state.users]
    assert [len(page["value"]) for page in pages[:-1]] == [4] * (len(pages) - 1)
    for page in pages[:-1]:
        query = parse_qs(urlsplit(page["@odata.nextLink"]).query)
        assert set(query) == {"$top", "$select", "$skiptoken"}  # like Graph's `...?$top=1&$skiptoken=...`
        assert query["$top"] == ["4"] and not query["$skiptoken"][0].isdigit()
    assert all(set(user) == {"id", "displayName"} for page in pages for user in page["value"])


def test_skip_is_refused_and_an_unknown_skiptoken_is_an_expired_page(http, graph, token):
    skipped = http.get(f"{graph}/users", params={"$skip": "2"}, headers=_auth(token))
    assert skipped.status_code == 400
    assert skipped.json()["error"]["code"] == "Request_BadRequest"
    assert skipped.json()["error"]["message"] == "'$skip' is not supported by the service."

    forged = http.get(f"{graph}/users", params={"$skiptoken": "2"}, headers=_auth(token))
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "Directory_ExpiredPageToken"


def test_count_is_given_in_an_advanced_query_on_the_first_page_only(sandbox, http, graph, token):
    pages = _pages(http, token, f"{graph}/users", {"$count": "true", "$top": "5"}, **EVENTUAL)

    assert pages[0]["@odata.count"] == len(sandbox.state.users)
    assert list(pages[0])[:2] == ["@odata.context", "@odata.count"]
    assert len(pages) > 1 and all("@odata.count" not in page for page in pages[1:])


def test_count_follows_the_filter(http, graph, token):
    query = {"$count": "true", "$filter": "startswith(displayName,'M')", "$select": "displayName"}
    body = http.get(f"{graph}/users", params=query, headers=_auth(token, **EVENTUAL)).json()

    assert body["@odata.count"] == len(body["value"]) > 0
    assert all(user["displayName"].startswith("M") for user in body["value"])


def test_count_without_consistency_level_is_ignored_silently(http, graph, token):
    """aad-advanced-queries: "...or silently ignores the $count query parameter (?$count=true)"."""
    response = http.get(f"{graph}/users", params={"$count": "true"}, headers=_auth(token))

    assert response.status_code == 200
    assert "@odata.count" not in response.json() and response.json()["value"]
    assert "@odata.count" not in http.get(f"{graph}/users", params={"$count": "false"},
                                          headers=_auth(token, **EVENTUAL)).json()  # fmt: skip


def test_count_segment_needs_consistency_level(sandbox, http, graph, token):
    counted = http.get(f"{graph}/users/$count", headers=_auth(token, **EVENTUAL))
    assert counted.status_code == 200
    assert counted.headers["Content-Type"].startswith("text/plain")
    assert counted.text == str(len(sandbox.state.users))

    refused = http.get(f"{graph}/users/$count", headers=_auth(token))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "Request_BadRequest"
    assert refused.json()["error"]["message"] == "$count is not currently supported."


def test_id_in_answers_up_to_15_ids_and_refuses_more(sandbox, http, graph, token):
    ids = [user["id"] for user in sandbox.state.users[:15]] + ["00000000-0000-0000-0000-000000000016"]
    listed = lambda n: ",".join(f"'{i}'" for i in ids[:n])  # noqa: E731
    fifteen = http.get(f"{graph}/users", params={"$filter": f"id in ({listed(15)})"}, headers=_auth(token))
    assert fifteen.status_code == 200 and sorted(u["id"] for u in fifteen.json()["value"]) == sorted(ids[:15])
    sixteen = http.get(f"{graph}/users", params={"$filter": f"id in ({listed(16)})"}, headers=_auth(token))
    assert sixteen.status_code == 400 and "at most 15" in sixteen.json()["error"]["message"]
