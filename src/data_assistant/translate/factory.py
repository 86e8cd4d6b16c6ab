"""Choose the translator the settings ask for."""

from __future__ import annotations

from data_assistant.config import Settings
from data_assistant.translate.base import Translator


def build_translator(settings: Settings) -> Translator | None:
    """The LLM translator when one is configured, the offline one by default, None if off."""
    provider = settings.translator.provider
    if provider in ("openai", "azure"):
        from data_assistant.translate.llm import LLMTranslator

        return LLMTranslator(settings.translator)
    if provider == "offline":
        from data_assistant.translate.offline import OfflineTranslator

        return OfflineTranslator()
    return None
