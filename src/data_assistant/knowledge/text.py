"""Question text as the knowledge layer compares it: normalised words and their similarity."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

# Quoted values stay one token; other words split on anything but letters, digits, . ' -
_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|[^\W_]+(?:[.'-][^\W_]+)*", re.UNICODE)
# Words that do not change what a question asks for.
STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "please",
        "show",
        "me",
        "list",
        "give",
        "what",
        "whats",
        "is",
        "are",
        "was",
        "were",
        "which",
        "tell",
        "find",
        "get",
        "display",
        "do",
        "does",
        "did",
        "there",
        "i",
        "we",
        "want",
        "to",
        "know",
        "see",
        "can",
        "you",
        "could",
        "would",
        "of",
        "in",
        "for",
        "during",
        "on",
        "at",
        "with",
        "all",
        "our",
        "my",
    )
)
# Phrases that ask the same thing, rewritten to one form before comparing.
SAME = (
    (re.compile(r"\b(?:total number|number|count) of\b", re.IGNORECASE), "how many"),
    (re.compile(r"\bhow much\b", re.IGNORECASE), "how many"),
)


def tokens(question: str) -> list[str]:
    """The question's words in order, original case kept (quotes removed from values)."""
    return [t.strip("'\"") for t in _TOKEN.findall(question)]


def singular(word: str) -> str:
    """A plural English word made singular, roughly (orders -> order, categories -> category)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def norm_word(word: str) -> str:
    """One word as compared: lower case and singular."""
    return singular(word.lower())


def normalise(question: str) -> list[str]:
    """The words of a question that matter, lower-cased and singular, in order."""
    text = question
    for pattern, replacement in SAME:
        text = pattern.sub(replacement, text)
    return [norm_word(t) for t in tokens(text) if t.lower() not in STOPWORDS]


def cache_text(question: str) -> str:
    """The question as a cache key holds it: lower case, spaces collapsed, no end mark."""
    return " ".join(question.lower().split()).rstrip(" ?.!")


def similarity_ranking(
    question: str, candidates: Sequence[str], *, limit: int
) -> list[tuple[int, float]]:
    """(index, score) of the candidates most similar to `question`, best first: cosine of
    TF-IDF word vectors, words rare among the candidates weighing more. Score > 0 only."""
    if limit <= 0 or not candidates:
        return []
    docs = [Counter(normalise(c)) for c in candidates]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)

    def weights(counts: Counter[str]) -> dict[str, float]:
        return {w: c * (1.0 + math.log((1 + n) / (1 + df[w]))) for w, c in counts.items()}

    asked = weights(Counter(normalise(question)))
    asked_norm = math.sqrt(sum(v * v for v in asked.values())) or 1.0
    scores = []
    for index, doc in enumerate(docs):
        vector = weights(doc)
        dot = sum(asked.get(w, 0.0) * v for w, v in vector.items())
        if dot <= 0:
            continue
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        scores.append((index, dot / (asked_norm * norm)))
    scores.sort(key=lambda item: (-item[1], item[0]))
    return scores[:limit]
