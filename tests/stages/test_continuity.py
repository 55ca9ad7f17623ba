import pytest

from polybrief.errors import StoreError
from polybrief.records import Story
from polybrief.stages.continuity import StoryStore, continue_stories
from tests.builders import article, translation


def _saved(tmp_path):
    a, b = article("Prvi članek o vojakih.", lang="sl"), article("Drugi članek o vojakih.", lang="sl")
    store = StoryStore(tmp_path / "s.sqlite")
    story = Story("old", "soldiers-old", (a.id, b.id), (1.0, 0.0))
    store.save([story], [a, b], [translation(a), translation(b)], "2024-11-30 10:00 UTC")
    return store, a, b


def test_a_fresh_store_changes_nothing(tmp_path):
    story = Story("s1", "slug-s1", ("x",), (1.0, 0.0))
    result = continue_stories([story], StoryStore(tmp_path / "s.sqlite"), 0.5)
    assert result.stories == (story,) and result.articles == ()


def test_a_story_sharing_an_article_continues_with_its_id_slug_and_old_articles(tmp_path):
    store, a, b = _saved(tmp_path)
    c = article("Tretji, nov članek.", lang="sl")
    result = continue_stories([Story("fresh", "other-slug", (a.id, c.id), (0.0, 1.0))], store, 0.9)
    (story,) = result.stories
    assert (story.id, story.slug, story.new_since) == ("old", "soldiers-old", "2024-11-30 10:00 UTC")
    assert set(story.article_ids) == {a.id, b.id, c.id} and story.new_articles == (c.id,)
    assert [x.id for x in result.articles] == [b.id]  # the stored one this run did not bring
    assert [t.article_id for t in result.translations] == [b.id]


def test_a_close_centroid_continues_a_story_and_a_far_one_starts_a_new_one(tmp_path):
    store, _a, _b = _saved(tmp_path)
    close = continue_stories([Story("n1", "n1", ("z",), (0.95, 0.31))], store, 0.9).stories[0]
    far = continue_stories([Story("n2", "n2", ("y",), (0.2, 0.98))], store, 0.9).stories[0]
    assert close.id == "old" and close.new_articles == ("z",)
    assert far.id == "n2" and far.new_since == ""


def test_a_damaged_store_is_an_error_not_a_reset(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged"):
        StoryStore(path)
    assert path.read_bytes().startswith(b"this is not")
