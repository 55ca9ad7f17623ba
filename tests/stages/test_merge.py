from polybrief.config import BriefingSettings
from polybrief.records import DuplicateGroup, Story
from polybrief.stages.merge import merge_story
from tests.builders import FakeEmbedder, FakeSummariser, article, summary, translation


def _story(texts, dates, sums):
    arts = [article(t, lang="sl", date=d, title=f"Naslov {i}") for i, (t, d) in enumerate(zip(texts, dates))]
    trs = [translation(a, title_en=f"Title {i}") for i, a in enumerate(arts)]
    summaries = [summary(a, s) for a, s in zip(arts, sums)]
    return arts, trs, summaries, Story("st1", "title-0-st1", tuple(a.id for a in arts))


def test_key_points_cite_every_source_that_says_them():
    arts, trs, sums, story = _story(
        ["Prvi članek.", "Drugi članek.", "Tretji članek."], ["2024-11-01", "2024-11-03", "2024-11-02"],
        ["Pentagon says ten thousand troops are in Russia. Markets were calm.",
         "Pentagon says ten thousand troops are in Russia.",
         "Kim thanked Putin for the warm welcome today."],
    )
    b = merge_story(story, arts, trs, sums, (), FakeSummariser(), FakeEmbedder(), BriefingSettings())
    number = {s.article_id: s.number for s in b.sources}
    assert [s.date for s in b.sources] == ["2024-11-03", "2024-11-02", "2024-11-01"]  # newest first
    top = b.key_points[0]
    assert top.text == "Pentagon says ten thousand troops are in Russia."
    assert top.sources == tuple(sorted((number[arts[0].id], number[arts[1].id])))
    assert all(p.sources for p in b.key_points)
    assert b.headline == "Title 0" and b.date == "2024-11-03" and b.languages == ("sl",)


def test_a_single_article_story_reuses_its_summary():
    arts, trs, sums, story = _story(["Edini članek."], [""], ["The only summary sentence here."])
    fake = FakeSummariser()
    b = merge_story(story, arts, trs, sums, (), fake, FakeEmbedder(), BriefingSettings())
    assert b.summary == "The only summary sentence here." and fake.inputs == []


def test_several_summaries_are_summarised_together():
    arts, trs, sums, story = _story(["A.", "B."], ["", ""], ["First summary text here.", "Second summary text there."])
    fake = FakeSummariser(keep=3)
    b = merge_story(story, arts, trs, sums, (), fake, FakeEmbedder(), BriefingSettings())
    assert fake.inputs == ["First summary text here. Second summary text there."]
    assert b.summary == "First summary text"


def test_near_duplicates_are_marked_in_the_source_table():
    arts, trs, sums, story = _story(["A a.", "B b."], ["", ""], ["One two three.", "One two three."])
    group = DuplicateGroup(arts[1].id, (arts[0].id,), (0.9,))
    b = merge_story(story, arts, trs, sums, (group,), FakeSummariser(), FakeEmbedder(), BriefingSettings())
    dup = {s.article_id: s.duplicate_of for s in b.sources}
    assert dup == {arts[0].id: arts[1].id, arts[1].id: ""}
