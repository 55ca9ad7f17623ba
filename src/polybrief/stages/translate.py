"""Translate: articles → English, sentence by sentence, paragraphs kept.

Three steps, so that an orchestrator can run the middle one as many parallel tasks:

1. `plan_translation`: every sentence of every article of the run, per language, is cut into
   model-sized pieces (long sentences at clause breaks, nothing truncated); identical pieces are
   translated once; pieces whose English is cached are set aside; the rest are pooled, sorted by
   token length and cut into batches by a token budget (padding is what a batch wastes), which
   are grouped into jobs of about `jobs_of` pieces.
2. `run_job`: a job's batches, each exactly as planned, through the translator.
3. `assemble_translations`: pieces back to sentences, sentences back to their articles, in order.

`translate_articles` does the three in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from polybrief import stopping
from polybrief.engines.translate import Translator, token_batches
from polybrief.records import Article, Outcome, SentencePair, Translation
from polybrief.text.segment import chunk_words, split_sentences


@dataclass(frozen=True)
class TranslateResult:
    translations: tuple[Translation, ...]
    outcomes: tuple[Outcome, ...]  # articles whose translation failed, with the reason


@dataclass(frozen=True)
class TranslationJob:
    lang: str
    batches: tuple[tuple[str, ...], ...]  # consecutive length-sorted batches of the run's pool

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t for batch in self.batches for t in batch)

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.batches)


@dataclass(frozen=True)
class TranslationPlan:
    jobs: tuple[TranslationJob, ...]
    pieces: Mapping[str, Mapping[str, tuple[str, ...]]]  # language → sentence → its pieces
    known: Mapping[str, Mapping[str, str]]  # language → piece → English already at hand (cache)
    models: Mapping[str, str]  # language → key of the model translating it
    segments: Mapping[str, tuple]  # article id → (title sentences, sentences per paragraph)
    failures: Mapping[str, str] = field(default_factory=dict)  # language → why it cannot be

    @property
    def from_cache(self) -> int:
        return sum(len(k) for lang, k in self.known.items() if lang != "en")

    @property
    def to_translate(self) -> int:
        return sum(job.size for job in self.jobs)

    @property
    def batch_count(self) -> int:
        return sum(len(job.batches) for job in self.jobs)


def plan_translation(
    articles: Sequence[Article], translator_for: Callable[[str], Translator], max_sentence_tokens: int,
    batch_tokens: int = 2048, max_batch_size: int = 32, jobs_of: int = 256,
) -> TranslationPlan:
    units: dict[str, set[str]] = {}  # language → sentences in it, across all articles
    segments = {a.id: segment_article(a) for a in articles}  # split once: assembly reuses it
    for a in articles:
        title, paragraphs = segments[a.id]
        units.setdefault(a.lang, set()).update(title)
        for i, sentences in enumerate(paragraphs):
            units.setdefault(a.language_of(i), set()).update(sentences)
    jobs: list[TranslationJob] = []
    pieces: dict[str, dict[str, tuple[str, ...]]] = {}
    known: dict[str, dict[str, str]] = {}
    models: dict[str, str] = {}
    failures: dict[str, str] = {}
    for lang, in_lang in sorted(units.items()):
        if lang == "en":
            pieces[lang], known[lang] = {s: (s,) for s in in_lang}, {s: s for s in in_lang}
            continue
        try:  # one language failing must not lose the others
            translator = translator_for(lang)
            pieces[lang], counts = _fit(sorted(in_lang), translator, max_sentence_tokens)
            todo: list[str] = sorted({p for ps in pieces[lang].values() for p in ps})
            known[lang] = _cached(translator, todo, lang)
            todo = [p for p in todo if p not in known[lang]]
            cut = [p for p in todo if p not in counts]  # only pieces of cut sentences are new
            counts.update(zip(cut, translator.count_tokens(cut) if cut else [], strict=False))
            jobs.extend(_jobs(lang, todo, [counts[p] for p in todo], batch_tokens, max_batch_size, jobs_of))
            models[lang] = translator.key
        except Exception as exc:
            failures[lang] = failure_message(exc)
    return TranslationPlan(tuple(jobs), pieces, known, models, segments, failures)


def run_job(job: TranslationJob, translator: Translator) -> tuple[str, ...]:
    """The English of each of the job's pieces, batch by batch as planned; a stop asked for ends
    it between batches (those done are in the cache)."""
    english: list[str] = []
    for batch in job.batches:
        stopping.check()
        english.extend(translator.translate(list(batch), job.lang))
    return tuple(english)


def assemble_translations(
    articles: Sequence[Article], plan: TranslationPlan, english: Mapping[str, Mapping[str, str]],
    failures: Mapping[str, str] = {},
) -> TranslateResult:
    """`english`: language → piece → English, from the jobs; `failures`: languages whose jobs failed."""
    failed_langs = {**plan.failures, **failures}
    done = {lang: {**plan.known.get(lang, {}), **english.get(lang, {})} for lang in plan.pieces}
    sentence_en = {lang: {s: " ".join(done[lang][p] for p in ps) for s, ps in plan.pieces[lang].items()}
                   for lang in plan.pieces if lang not in failed_langs}
    translations, outcomes = [], []
    for a in articles:
        failed = [failed_langs[lang] for lang in a.languages if lang in failed_langs]
        if failed:
            outcomes.append(Outcome(a.source, "failed", failed[0], a.id))
        else:
            translations.append(_assemble(a, plan.segments[a.id], sentence_en, plan.models.get(a.lang, "")))
    return TranslateResult(tuple(translations), tuple(outcomes))


def translate_articles(
    articles: Sequence[Article], translator_for: Callable[[str], Translator], max_sentence_tokens: int,
    batch_tokens: int = 2048, max_batch_size: int = 32,
) -> TranslateResult:
    """Plan, run every job and assemble, in this process."""
    plan = plan_translation(articles, translator_for, max_sentence_tokens, batch_tokens, max_batch_size)
    english: dict[str, dict[str, str]] = {}
    failures: dict[str, str] = {}
    for job in plan.jobs:
        if job.lang in failures:
            continue
        try:
            english.setdefault(job.lang, {}).update(zip(job.texts, run_job(job, translator_for(job.lang)),
                                                        strict=False))
        except Exception as exc:
            failures[job.lang] = failure_message(exc)
    return assemble_translations(articles, plan, english, failures)


def failure_message(exc: BaseException) -> str:
    return f"translation failed: {type(exc).__name__}: {exc}".splitlines()[0]


def segment_article(article: Article) -> tuple[list[str], list[list[str]]]:
    """(title sentences, sentences per paragraph), each paragraph split by its own language."""
    title = split_sentences(article.title, article.lang) if article.title else []
    return title, [split_sentences(p, article.language_of(i)) for i, p in enumerate(article.paragraphs)]


def _assemble(article: Article, segmented, english, model: str) -> Translation:
    title, paragraphs = segmented
    pairs = tuple(
        tuple(SentencePair(s, english[article.language_of(i)][s]) for s in para)
        for i, para in enumerate(paragraphs) if para
    )
    title_en = " ".join(english[article.lang][s] for s in title)
    return Translation(article.id, article.lang, model, title_en, pairs)


def _cached(translator: Translator, pieces: list[str], lang: str) -> dict[str, str]:
    """English already cached for these pieces (a translator without a cache has none)."""
    known = getattr(translator, "known", None)
    return known(pieces, lang) if known and pieces else {}


def _jobs(lang: str, pieces: list[str], counts: list[int], budget: int, max_size: int,
          jobs_of: int) -> list[TranslationJob]:
    """The pool's token-budget batches (shortest first), grouped into jobs of ~`jobs_of` pieces."""
    jobs: list[TranslationJob] = []
    current: list[tuple[str, ...]] = []
    for batch in token_batches(counts, budget, max_size):
        current.append(tuple(pieces[i] for i in batch))
        if sum(map(len, current)) >= jobs_of:
            jobs.append(TranslationJob(lang, tuple(current)))
            current = []
    if current:
        jobs.append(TranslationJob(lang, tuple(current)))
    return jobs


def _fit(sentences: list[str], translator: Translator,
         max_tokens: int) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Each sentence → the pieces it is translated as (itself, unless it is too long); and the
    token count of each sentence kept whole."""
    counts = translator.count_tokens(sentences) if sentences else []
    pieces: dict[str, tuple[str, ...]] = {}
    whole: dict[str, int] = {}
    for sentence, count in zip(sentences, counts, strict=False):
        if count <= max_tokens:
            pieces[sentence], whole[sentence] = (sentence,), count
            continue
        words = len(sentence.split())
        max_words = max(1, int(words * max_tokens / count * 0.9))
        pieces[sentence] = tuple(chunk_words(sentence, max_words))
    return pieces, whole
