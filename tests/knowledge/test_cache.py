"""The translation cache: a question asked again is translated once; a schema refresh or a
golden-query change forgets it; Redis shares it between app instances."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from data_assistant.pipeline import Assistant, Caller
from tests.knowledge.conftest import REDIS_URL, app_client, ask

QUESTION = "how many orders are pending?"
SQL = "SELECT COUNT(*) AS n FROM orders WHERE status = 'pending'"


def test_the_same_question_twice_is_translated_once(llm_client, llm):
    llm.sql(SQL)
    first = ask(llm_client, QUESTION).json()
    second = ask(llm_client, "How many orders are pending").json()
    assert len(llm.requests) == 1
    assert first["cached"] is False and "translated_at" not in first
    assert second["cached"] is True and second["results"] == first["results"] == [{"n": 1}]
    assert datetime.fromisoformat(second["translated_at"].replace("Z", "+00:00"))


def test_a_cached_query_runs_again_and_sees_new_rows(llm_client, llm, shop_db):
    llm.sql(SQL)
    assert ask(llm_client, QUESTION).json()["results"] == [{"n": 1}]
    with sqlite3.connect(shop_db) as conn:
        conn.execute("INSERT INTO orders VALUES (9, 2, 5, 'pending', '2024-06-02')")
    conn.close()
    again = ask(llm_client, QUESTION).json()
    assert again["cached"] is True and again["results"] == [{"n": 2}]


def test_a_schema_refresh_forgets_the_cached_translations(llm_client, llm):
    llm.sql(SQL, SQL)
    ask(llm_client, QUESTION)
    assert llm_client.post("/api/v1/sources/shop/refresh").status_code == 200
    assert ask(llm_client, QUESTION).json()["cached"] is False
    assert len(llm.requests) == 2


def test_a_golden_query_change_forgets_the_cached_translations(llm_client, llm):
    llm.sql(SQL, SQL)
    ask(llm_client, QUESTION)
    added = llm_client.post(
        "/api/v1/sources/shop/golden",
        json={"question": "shipped revenue", "query": "SELECT SUM(total) FROM orders"},
    )
    assert added.status_code == 201
    assert ask(llm_client, QUESTION).json()["cached"] is False
    assert len(llm.requests) == 2
    assert llm_client.delete(f"/api/v1/sources/shop/golden/{added.json()['id']}").status_code == 204
    llm.sql(SQL)
    assert ask(llm_client, QUESTION).json()["cached"] is False
    assert len(llm.requests) == 3


def test_a_failed_query_is_not_cached(llm_client, llm):
    llm.sql("SELECT nope FROM orders", SQL, SQL)
    assert ask(llm_client, QUESTION).json()["results"] == [{"n": 1}]
    assert len(llm.requests) == 2
    assert ask(llm_client, QUESTION).json()["cached"] is True
    assert len(llm.requests) == 2


def test_principals_with_other_scopes_do_not_share_translations(llm_settings, llm):
    from data_assistant.auth.principal import Principal

    llm.sql(SQL, SQL)
    assistant = Assistant(llm_settings)
    try:
        ada = Principal("ada", scopes=frozenset({"read:data"}), sources=None)
        admin = Principal("root", scopes=frozenset({"read:data", "admin"}), sources=None)
        assert not assistant.ask("shop", QUESTION, caller=Caller(ada)).cached
        assert assistant.ask("shop", QUESTION, caller=Caller(ada)).cached
        assert not assistant.ask("shop", QUESTION, caller=Caller(admin)).cached
    finally:
        assistant.close()
    assert len(llm.requests) == 2


def test_an_llm_translation_is_not_reused_for_another_user(llm_settings, llm):
    # One user's question, worded to steer the model, must not choose another user's query.
    from data_assistant.auth.principal import Principal

    steered = "SELECT COUNT(*) AS n FROM orders WHERE status <> 'pending'"
    llm.sql(steered, SQL)
    assistant = Assistant(llm_settings)
    try:
        mallory = Principal("mallory", scopes=frozenset({"read:data"}), sources=None)
        ada = Principal("ada", scopes=frozenset({"read:data"}), sources=None)
        assistant.ask("shop", QUESTION, caller=Caller(mallory))
        answer = assistant.ask("shop", QUESTION, caller=Caller(ada))
    finally:
        assistant.close()
    assert not answer.cached and answer.query.startswith(SQL)
    assert len(llm.requests) == 2


def test_llm_translations_are_shared_between_users_only_when_configured(llm_settings, llm):
    from data_assistant.auth.principal import Principal

    llm.sql(SQL)
    assistant = Assistant(llm_settings.merged({"cache": {"share_llm_translations": True}}))
    try:
        bob = Principal("bob", scopes=frozenset({"read:data"}), sources=None)
        ada = Principal("ada", scopes=frozenset({"read:data"}), sources=None)
        assistant.ask("shop", QUESTION, caller=Caller(bob))
        assert assistant.ask("shop", QUESTION, caller=Caller(ada)).cached
    finally:
        assistant.close()
    assert len(llm.requests) == 1


def test_the_cache_can_be_turned_off(llm_settings, llm):
    llm.sql(SQL, SQL)
    assistant = Assistant(llm_settings.merged({"cache": {"enabled": False}}))
    try:
        assistant.ask("shop", QUESTION)
        assert not assistant.ask("shop", QUESTION).cached
    finally:
        assistant.close()
    assert len(llm.requests) == 2


def test_two_app_instances_share_translations_through_redis(llm_settings, llm, redis_prefix):
    settings = llm_settings.merged({"cache": {"redis_url": REDIS_URL, "key_prefix": redis_prefix}})
    llm.sql(SQL, SQL)
    first, second = app_client(settings), app_client(settings)
    one, two = next(first), next(second)
    try:
        assert ask(one, QUESTION).json()["cached"] is False
        answer = ask(two, QUESTION).json()
        assert answer["cached"] is True and answer["results"] == [{"n": 1}]
        assert len(llm.requests) == 1
        # A refresh on one instance is seen by the other.
        assert one.post("/api/v1/sources/shop/refresh").status_code == 200
        assert ask(two, QUESTION).json()["cached"] is False
        assert len(llm.requests) == 2
    finally:
        for client in (first, second):
            next(client, None)


def test_an_unreachable_redis_only_turns_the_cache_off(llm_settings, llm):
    settings = llm_settings.merged(
        {"cache": {"redis_url": "redis://127.0.0.1:1/0", "key_prefix": "x:"}}
    )
    llm.sql(SQL, SQL)
    assistant = Assistant(settings)
    try:
        assert assistant.ask("shop", QUESTION).row_count == 1
        assert not assistant.ask("shop", QUESTION).cached
    finally:
        assistant.close()
