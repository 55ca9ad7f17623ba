"""Name finders: the built-in rules, and a real spaCy pipeline (built at test time with an entity
ruler, saved, and loaded by path through `spacy.load` as an installed pipeline is)."""

import pytest

from polybrief.config import BriefingSettings
from polybrief.engines.ner import SpacyNames, get_name_finder
from polybrief.errors import ModelError
from polybrief.records import Article, SentencePair, Story, Translation
from polybrief.stages.merge import merge_story
from tests.builders import FakeEmbedder, FakeSummariser, run_data

TEXT = ("Secretary of State Colin Powell resigned on Monday. The State Department said Bush's choice was "
        "Condoleezza Rice, and officials in Washington agreed.")


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Colin Powell"}, {"label": "PERSON", "pattern": "Condoleezza Rice"},
        {"label": "PERSON", "pattern": [{"TEXT": "Bush"}, {"TEXT": "'s"}]}, {"label": "GPE", "pattern": "Washington"},
        {"label": "ORG", "pattern": "State Department"}, {"label": "DATE", "pattern": "Monday"},
        {"label": "ORG", "pattern": "Secretary"},
    ])
    folder = tmp_path_factory.mktemp("spacy") / "en_test_ner"
    nlp.to_disk(folder)
    return str(folder)


def test_the_builtin_finder_is_the_default_and_needs_no_model():
    finder = get_name_finder()
    assert finder.key == "builtin"
    assert {"colin powell", "condoleezza rice", "bush", "washington"} <= finder.names(TEXT)


def test_a_spacy_pipeline_gives_names_written_as_the_builtin_finder_writes_them(pipeline):
    found = SpacyNames(pipeline).names(TEXT)
    # "Bush's" folds, "the" goes, a date is no name, a lone generic word is none
    assert found == {"colin powell", "condoleezza rice", "bush", "washington", "state department"}


def test_a_missing_spacy_pipeline_is_one_line_naming_the_download_command():
    with pytest.raises(ModelError) as caught:
        SpacyNames("en_core_web_nosuch")
    assert "python -m spacy download en_core_web_nosuch" in str(caught.value) and "\n" not in str(caught.value)


def test_the_briefing_lists_what_the_configured_finder_finds(pipeline):
    article = Article("a1", "a1.txt", (TEXT,), title="Powell resigns", lang="en", lang_confidence=1.0)
    translation = Translation("a1", "en", "", "", ((SentencePair(TEXT, TEXT),),))
    story = Story("st", "st", ("a1",))
    settings = BriefingSettings(names="spacy", spacy_pipeline=pipeline)
    briefing = merge_story(story, run_data([article], [translation]), FakeSummariser(),
                           FakeEmbedder(), settings)
    assert {name for name, _ in briefing.names} == {"Colin Powell", "Condoleezza Rice", "Bush", "Washington",
                                                    "State Department"}
