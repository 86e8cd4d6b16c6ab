"""The LLM translator against OpenAI-compatible and Azure OpenAI endpoints on loopback."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from data_assistant.errors import NoUsableQuery, Refusal
from data_assistant.schema.model import Column, SchemaSnapshot, Table
from data_assistant.settings import TranslatorSettings
from data_assistant.translate.base import Attempt, TranslationRequest
from data_assistant.translate.llm import LLMTranslator, make_client

SCHEMA = SchemaSnapshot(
    source="shop",
    dialect="postgres",
    tables=(Table(name="orders", columns=(Column("id", "INTEGER", primary_key=True),)),),
)


def request(**extra) -> TranslationRequest:
    return TranslationRequest(
        question="how many orders?", source_name="shop", dialect="postgres", schema=SCHEMA, **extra
    )


def test_an_openai_compatible_endpoint_gets_the_model_and_dialect(llm):
    llm.sql("SELECT COUNT(*) FROM orders")
    settings = TranslatorSettings(provider="openai", base_url=llm.url, model="llama3", api_key="k")
    translation = LLMTranslator(settings).translate(request())
    assert translation.query == "SELECT COUNT(*) FROM orders"
    body = llm.requests[0]["body"]
    assert body["model"] == "llama3" and body["temperature"] == 0
    assert "PostgreSQL" in body["messages"][0]["content"]


def test_earlier_attempts_are_sent_back_with_their_errors(llm):
    llm.sql("SELECT COUNT(*) FROM orders")
    settings = TranslatorSettings(provider="openai", base_url=llm.url, model="m", api_key="k")
    attempts = (Attempt(query="SELECT nope FROM orders", error="column nope does not exist"),)
    LLMTranslator(settings).translate(request(attempts=attempts))
    messages = llm.requests[0]["body"]["messages"]
    assert messages[2] == {"role": "assistant", "content": "```sql\nSELECT nope FROM orders\n```"}
    assert "column nope does not exist" in messages[3]["content"]


def test_azure_openai_uses_the_deployment_api_version_and_key(llm):
    llm.sql("SELECT 1")
    settings = TranslatorSettings(
        provider="azure",
        azure_endpoint=llm.url.removesuffix("/v1"),
        azure_deployment="gpt4o-prod",
        api_version="2024-10-21",
        api_key="azure-key",
    )
    LLMTranslator(settings).translate(request())
    seen = llm.requests[0]
    assert seen["path"] == "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"
    assert seen["headers"]["api-key"] == "azure-key"


def test_azure_openai_with_entra_id_sends_a_bearer_token(llm):
    class Credential:
        def get_token(self, *scopes, **kwargs):
            assert scopes == ("https://cognitiveservices.azure.com/.default",)
            return SimpleNamespace(token="entra-token", expires_on=int(time.time()) + 3600)

    llm.sql("SELECT 1")
    settings = TranslatorSettings(
        provider="azure",
        azure_endpoint=llm.url.removesuffix("/v1"),
        azure_deployment="d",
        api_version="2024-10-21",
        azure_ad=True,
    )
    client = make_client(settings, credential=Credential())
    LLMTranslator(settings, client=client).translate(request())
    assert llm.requests[0]["headers"]["authorization"] == "Bearer entra-token"


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("CANNOT_ANSWER: there is no salary data.", Refusal),
        ("Hmm, maybe look at the orders table.", NoUsableQuery),
        ("", NoUsableQuery),
    ],
)
def test_answers_without_a_query_raise(llm, reply, error):
    llm.reply(reply)
    settings = TranslatorSettings(provider="openai", base_url=llm.url, model="m", api_key="k")
    with pytest.raises(error):
        LLMTranslator(settings).translate(request())
