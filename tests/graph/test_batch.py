"""JSON batching against the sandbox: chunks of 20, dependsOn and 424, per-item throttling."""

from __future__ import annotations

import threading

import pytest

from assistant.graph.batch import BatchItem, BatchPipeline, run_batch
from assistant.graph.errors import NotFound
from tests.conftest import FakeTime


def user_items(demo_tenant: dict, times: int = 1) -> list[BatchItem]:
    ids = [u["id"] for u in demo_tenant["users"]] * times
    return [BatchItem(id=f"u{n}", url=f"/users/{uid}?$select=id,displayName") for n, uid in enumerate(ids)]


def test_more_than_twenty_requests_go_twenty_per_round_trip(client, exchanges, demo_tenant):
    items = user_items(demo_tenant, times=3)  # 45 requests
    results = run_batch(client, items)
    assert len(exchanges) == 3
    names = {u["id"]: u["displayName"] for u in demo_tenant["users"]}
    for item in items:
        body = results[item.id].json()
        assert body["displayName"] == names[body["id"]]


def test_a_failed_dependency_gives_424_and_the_error_is_typed(client, exchanges):
    items = [
        BatchItem(id="missing", url="/planner/tasks/nope"),
        BatchItem(id="after", url="/users?$top=1", depends_on=("missing",)),
    ]
    results = run_batch(client, items)
    assert results["missing"].status == 404 and results["after"].status == 424
    with pytest.raises(NotFound):
        results["missing"].json()
    assert len(exchanges) == 1


def test_a_dependency_answered_in_an_earlier_chunk_is_honoured(client, exchanges, demo_tenant):
    items = [*user_items(demo_tenant, times=2)[:19], BatchItem(id="bad", url="/planner/tasks/nope")]
    items += [BatchItem(id="needs-bad", url="/users?$top=1", depends_on=("bad",))]
    items += [BatchItem(id="needs-good", url="/users?$top=1", depends_on=("u0",))]
    results = run_batch(client, items)
    assert results["needs-bad"].status == 424
    assert results["needs-good"].status == 200
    assert len(exchanges) == 2  # the 424 was decided here, without sending it


def test_only_the_throttled_items_go_again(client, faults, fake_time: FakeTime, exchanges, demo_tenant):
    target = demo_tenant["users"][3]["id"]
    faults(script=[{"status": 429, "path": f"/users/{target}", "times": 2, "retry_after": 2}])
    items = user_items(demo_tenant)
    results = run_batch(client, items)
    assert all(r.status == 200 for r in results.values())
    assert len(exchanges) == 3 and fake_time.sleeps == [2, 2]


def test_dependants_of_a_throttled_item_go_again_with_it(client, faults, demo_tenant):
    plan = demo_tenant["plans"][0]["id"]
    faults(script=[{"status": 429, "path": f"/planner/plans/{plan}$", "times": 1}])
    items = [
        BatchItem(id="plan", url=f"/planner/plans/{plan}"),
        BatchItem(id="buckets", url=f"/planner/plans/{plan}/buckets", depends_on=("plan",)),
    ]
    results = run_batch(client, items)
    assert results["plan"].json()["id"] == plan
    assert results["buckets"].json()["value"]


def test_ids_must_be_unique_ignoring_case_and_dependencies_must_come_first(client):
    with pytest.raises(ValueError, match="used twice"):
        run_batch(client, [BatchItem(id="a", url="/users"), BatchItem(id="A", url="/users")])
    with pytest.raises(ValueError, match="must come before"):
        run_batch(client, [BatchItem(id="a", url="/users", depends_on=("b",)), BatchItem(id="b", url="/users")])


def test_independent_chunks_can_be_in_flight_together(client, exchanges, demo_tenant):
    items = user_items(demo_tenant, times=4)  # 60 requests: 3 chunks
    results = run_batch(client, items, concurrency=3)
    assert len(exchanges) == 3 and client.round_trips == 3
    assert all(results[item.id].ok for item in items)


def sizes_of(client) -> list[int]:
    """The number of requests in each `$batch` the client sends from now on."""
    sizes: list[int] = []
    send = client.request

    def request(method, path, **kwargs):
        if path == "/$batch":
            sizes.append(len(kwargs["json_body"]["requests"]))
        return send(method, path, **kwargs)

    client.request = request
    return sizes


def test_a_lead_takes_waiting_requests_first_and_only_full_batches_go_beside_it(client, demo_tenant):
    sizes = sizes_of(client)
    items = user_items(demo_tenant, times=4)  # 60 requests
    with BatchPipeline(client) as pipe:
        pipe.lead([BatchItem(id="first", url="/users?$top=1")])
        assert pipe.lead_answer()["first"].ok
        pipe.add(items[:45])
        pipe.lead([BatchItem(id="second", url="/users?$top=2")])  # takes 19; 20 go beside; 6 wait
        assert set(pipe.lead_answer()) == {"second"}
        pipe.add(items[45:])  # 21 waiting: one more full batch, 1 waits for the end
        answers = pipe.finish()
    assert sorted(sizes) == [1, 1, 20, 20, 20]
    assert all(answers[item.id].json()["id"] for item in items)


def test_the_pipeline_keeps_a_slot_for_the_lead_and_four_in_flight_at_most(client, demo_tenant, faults):
    faults(latency_ms=40)
    in_flight, most = [0], [0]
    lock = threading.Lock()
    send = client.request

    def request(method, path, **kwargs):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        try:
            return send(method, path, **kwargs)
        finally:
            with lock:
                in_flight[0] -= 1

    client.request = request
    items = user_items(demo_tenant, times=15)  # 225 requests
    with BatchPipeline(client, concurrency=4) as pipe:
        pipe.add(items[:160])
        pipe.lead([BatchItem(id="lead", url="/users?$top=1")])
        assert most[0] <= 4
        assert pipe.lead_answer()["lead"].ok
        pipe.add(items[160:])
        answers = pipe.finish()
    assert most[0] == 4 and client.round_trips == 1 + -(-(len(items) - 19) // 20)
    assert all(answers[item.id].ok for item in items)


def test_throttled_requests_in_a_pipeline_go_again(client, faults, fake_time: FakeTime, demo_tenant):
    target = demo_tenant["users"][3]["id"]
    faults(script=[{"status": 429, "path": f"/users/{target}", "times": 1, "retry_after": 3}])
    items = user_items(demo_tenant)
    with BatchPipeline(client) as pipe:
        pipe.add(items)
        answers = pipe.finish()
    assert all(answers[item.id].status == 200 for item in items) and fake_time.sleeps == [3]


def test_a_pipeline_refuses_repeated_ids_and_dependencies(client):
    with BatchPipeline(client) as pipe:
        pipe.add([BatchItem(id="a", url="/users")])
        with pytest.raises(ValueError, match="used twice"):
            pipe.add([BatchItem(id="A", url="/users")])
        with pytest.raises(ValueError, match="dependsOn"):
            pipe.add([BatchItem(id="b", url="/users", depends_on=("a",))])
