"""Question -> query translators: LLM providers and the offline engine."""

from data_assistant.translate.base import Attempt, Translation, TranslationRequest, Translator

__all__ = ["Attempt", "Translation", "TranslationRequest", "Translator"]
