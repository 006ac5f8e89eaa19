"""Similar proposals: TF-IDF over character bigrams with cosine similarity.

Pure computation over (id, text) pairs; the cache of built indexes per congress lives in
queries.py. Bigrams find Chinese words without a segmenter (rules.bigrams)."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from zhigong.participation.rules import bigrams


def _analyzer(text: str) -> list[str]:
    return bigrams(text)


@dataclass
class Match:
    id: int
    score: float


class SimilarityIndex:
    """Rows are documents; `query` returns the most similar ones with their cosine score."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True, dtype=np.float32)
        self.matrix = self.vectorizer.fit_transform(texts) if len(texts) else None

    def __len__(self) -> int:
        return len(self.ids)

    def query(self, text: str, limit: int = 5, exclude: set[int] | None = None, floor: float = 0.12) -> list[Match]:
        if self.matrix is None or not text.strip():
            return []
        vector = self.vectorizer.transform([text])
        scores = (self.matrix @ vector.T).toarray().ravel()
        if exclude:
            scores[np.isin(self.ids, list(exclude))] = 0.0
        take = min(limit, len(scores))
        top = np.argpartition(-scores, take - 1)[:take]
        ranked = sorted(top, key=lambda i: (-scores[i], self.ids[i]))
        return [Match(int(self.ids[i]), float(scores[i])) for i in ranked if scores[i] >= floor]
