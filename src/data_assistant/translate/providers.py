"""Translator providers: what each needs (settings, environment variables) and how it is built.

A provider is a small class that declares which settings its environment variables fill,
which settings must end up set, and how to detect that it is meant when `provider: auto`;
`resolve_translator` and `build_translator` read those declarations instead of if-chains.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from data_assistant.errors import ConfigError
from data_assistant.settings.translator import TranslatorSettings
from data_assistant.translate.base import Translator

MODEL_ENV_VAR = "DATA_ASSISTANT_MODEL"
DEFAULT_MODEL = "gpt-4o-mini"


class Provider:
    """One way of writing queries; subclasses declare their needs."""

    name: ClassVar[str]
    # Setting -> the environment variable that fills it when the setting is unset.
    env_vars: ClassVar[Mapping[str, str]] = {}
    # Settings that must be set once the environment is read.
    required: ClassVar[tuple[str, ...]] = ()
    # Whether it calls a language model (which then needs a model name).
    uses_model: ClassVar[bool] = False

    @classmethod
    def detected(cls, settings: TranslatorSettings, env: Mapping[str, str]) -> bool:
        """Whether `provider: auto` means this provider: one of its settings or variables set."""
        return any(getattr(settings, key) or env.get(var) for key, var in cls.env_vars.items())

    @classmethod
    def resolve(
        cls, settings: TranslatorSettings, env: Mapping[str, str], where: Callable[[str], str]
    ) -> TranslatorSettings:
        """The settings with this provider's variables read and its requirements checked."""
        updates: dict[str, Any] = {"provider": cls.name}
        for key, var in cls.env_vars.items():
            if not getattr(settings, key) and env.get(var):
                updates[key] = env[var]
        if cls.uses_model:
            updates["model"] = (
                settings.model
                or env.get(MODEL_ENV_VAR)
                or settings.azure_deployment
                or DEFAULT_MODEL
            )
        resolved = settings.model_copy(update=updates)
        for key in cls.required:
            if not getattr(resolved, key):
                variable = cls.env_vars.get(key)
                also = f" or {variable}" if variable else ""
                raise ConfigError(
                    f"{where('translator.' + key)}set it{also} for provider {cls.name}"
                )
        return resolved

    @classmethod
    def build(cls, settings: TranslatorSettings) -> Translator | None:
        """The translator, or None when translation is off."""
        raise NotImplementedError


class OpenAIProvider(Provider):
    """OpenAI, or any OpenAI-compatible endpoint (Ollama, vLLM, LiteLLM) by `base_url`."""

    name = "openai"
    env_vars: ClassVar[Mapping[str, str]] = {
        "api_key": "OPENAI_API_KEY",
        "base_url": "OPENAI_BASE_URL",
    }
    uses_model = True

    @classmethod
    def build(cls, settings: TranslatorSettings) -> Translator | None:
        from data_assistant.translate.llm import LLMTranslator

        return LLMTranslator(settings)


class AzureOpenAIProvider(OpenAIProvider):
    """Azure OpenAI, with a key or an Entra ID token."""

    name = "azure"
    env_vars: ClassVar[Mapping[str, str]] = {
        "azure_endpoint": "AZURE_OPENAI_ENDPOINT",
        "api_key": "AZURE_OPENAI_API_KEY",
        "api_version": "OPENAI_API_VERSION",
    }
    required = ("azure_endpoint", "api_version")

    @classmethod
    def detected(cls, settings: TranslatorSettings, env: Mapping[str, str]) -> bool:
        # An endpoint decides it: OPENAI_API_VERSION alone is set for other tools too.
        return bool(settings.azure_endpoint or env.get("AZURE_OPENAI_ENDPOINT"))


class OfflineProvider(Provider):
    """The deterministic offline translator: no network, no model, no key."""

    name = "offline"

    @classmethod
    def build(cls, settings: TranslatorSettings) -> Translator | None:
        from data_assistant.translate.offline import OfflineTranslator

        return OfflineTranslator()


class NoProvider(Provider):
    """Translation turned off: only queries written by the client run."""

    name = "none"

    @classmethod
    def build(cls, settings: TranslatorSettings) -> Translator | None:
        return None


PROVIDERS: dict[str, type[Provider]] = {
    p.name: p for p in (OpenAIProvider, AzureOpenAIProvider, OfflineProvider, NoProvider)
}
# Tried in this order for `provider: auto`; with nothing configured, the offline one.
AUTO_ORDER: tuple[type[Provider], ...] = (AzureOpenAIProvider, OpenAIProvider)


def resolve_translator(
    settings: TranslatorSettings,
    env: Mapping[str, str],
    *,
    where: Callable[[str], str] = lambda key: f"{key}: ",
) -> TranslatorSettings:
    """The translator settings with `auto` decided and the provider's variables read."""
    if settings.provider == "auto":
        provider = next((p for p in AUTO_ORDER if p.detected(settings, env)), OfflineProvider)
    else:
        provider = PROVIDERS[settings.provider]
    return provider.resolve(settings, env, where)


def build_translator(settings: TranslatorSettings) -> Translator | None:
    """The translator the (resolved) settings ask for; None when translation is off."""
    provider = "offline" if settings.provider == "auto" else settings.provider
    return PROVIDERS[provider].build(settings)
