"""The LLM translator: any chat-completions endpoint through the official `openai` SDK."""

from __future__ import annotations

from typing import Any

import openai

from data_assistant.errors import (
    NoUsableQuery,
    Refusal,
    TranslatorTimeout,
    TranslatorUnavailable,
)
from data_assistant.observe import metrics
from data_assistant.settings import TranslatorSettings
from data_assistant.translate.base import Translation, TranslationRequest
from data_assistant.translate.cosmos_prompts import build_cosmos_messages
from data_assistant.translate.extract import cannot_answer_reason, extract_query
from data_assistant.translate.prompts import build_messages

AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"


def make_client(settings: TranslatorSettings, *, credential: Any = None) -> openai.OpenAI:
    """An SDK client for OpenAI, Azure OpenAI or a compatible base URL.

    The SDK itself retries 429 and 5xx answers with exponential backoff, `max_retries` times.
    For Entra ID, `credential` defaults to azure-identity's DefaultAzureCredential.
    """
    common: dict[str, Any] = {"timeout": settings.timeout_s, "max_retries": settings.max_retries}
    if settings.provider == "azure":
        if settings.azure_ad or not settings.api_key:
            from azure.identity import DefaultAzureCredential, get_bearer_token_provider

            common["azure_ad_token_provider"] = get_bearer_token_provider(
                credential or DefaultAzureCredential(), AZURE_SCOPE
            )
        else:
            common["api_key"] = settings.api_key
        # The provider requires the endpoint (translate/providers.py).
        assert settings.azure_endpoint is not None
        return openai.AzureOpenAI(
            azure_endpoint=settings.azure_endpoint,
            azure_deployment=settings.azure_deployment,
            api_version=settings.api_version,
            **common,
        )
    # Local servers (Ollama, vLLM) need no key, but the SDK insists on one.
    return openai.OpenAI(
        api_key=settings.api_key or "not-needed", base_url=settings.base_url, **common
    )


class LLMTranslator:
    """Writes queries with a chat model; the prompt names the dialect and holds the schema."""

    name = "llm"
    # A question can steer a model to any query (prompt injection): see knowledge/reuse.py.
    steerable = True
    # The prompt shows the glossary's terms: no rewriting around this translator.
    reads_glossary = True

    def __init__(self, settings: TranslatorSettings, client: openai.OpenAI | None = None) -> None:
        self.settings = settings
        self.model = settings.azure_deployment or settings.model or "gpt-4o-mini"
        self.client = client or make_client(settings)

    def translate(self, request: TranslationRequest) -> Translation:
        build = build_cosmos_messages if request.dialect == "cosmos" else build_messages
        messages = build(request, token_budget=self.settings.schema_token_budget)
        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=self.settings.temperature,
            )
        except openai.APIResponseValidationError as exc:
            raise NoUsableQuery(
                "The language model endpoint's answer is not a chat completion."
            ) from exc
        except openai.APITimeoutError as exc:
            raise TranslatorTimeout(
                f"The language model did not answer within {self.settings.timeout_s:g} s."
            ) from exc
        except openai.APIStatusError as exc:
            raise TranslatorUnavailable(
                f"The language model endpoint answered with HTTP {exc.status_code}."
            ) from exc
        except openai.APIError as exc:
            raise TranslatorUnavailable(
                "The language model endpoint could not be reached."
            ) from exc
        except ValueError as exc:  # a body that is not JSON, as a broken proxy sends
            raise NoUsableQuery(
                "The language model endpoint's answer is not a chat completion."
            ) from exc
        if not hasattr(response, "choices"):
            # Some servers answer 200 with an HTML page or plain text, which the SDK
            # hands back as it came.
            raise NoUsableQuery("The language model endpoint's answer is not a chat completion.")
        _count_tokens(self.model, response)
        content = _content(response)
        reason = cannot_answer_reason(content)
        if reason and "```" not in content:
            raise Refusal(f"The model could not answer from this data: {reason}")
        query = extract_query(content)
        if query is None:
            raise NoUsableQuery("The language model's answer held no query.")
        return Translation(query=query, explanation=f"written by {self.model}")


def _count_tokens(model: str, response: Any) -> None:
    usage = getattr(response, "usage", None)
    if usage is not None:
        metrics.translator_tokens(
            model, getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None)
        )


def _content(response: Any) -> str:
    try:
        content = response.choices[0].message.content
    except (AttributeError, IndexError, KeyError, TypeError):
        return ""
    return content if isinstance(content, str) else ""
