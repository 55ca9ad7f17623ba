from polybrief.config import DedupSettings
from polybrief.stages.dedup import find_duplicates, shingles
from polybrief.stages.read import read_articles
from tests.builders import article


def test_seed_000_is_a_near_duplicate_contained_in_001(seeds):
    arts = read_articles([seeds]).articles
    ids = {a.source.rsplit("/", 1)[-1][:3]: a.id for a in arts}
    (group,) = find_duplicates(arts, DedupSettings())
    assert group.primary == ids["001"]  # the fuller text
    assert group.members == (ids["000"],)
    assert group.containment[0] > 0.85


def test_articles_on_the_same_topic_are_not_duplicates():
    a = article("Rusija in Severna Koreja krepita vojaško sodelovanje. Kim je obiskal Moskvo in se srečal s Putinom.")
    b = article("Severna Koreja je poslala vojake v Rusijo. Južna Koreja in ZDA so zaskrbljene zaradi tega razvoja.")
    assert find_duplicates([a, b], DedupSettings()) == ()


def test_groups_are_transitive_and_do_not_depend_on_order():
    base = " ".join(f"beseda{i}" for i in range(60))
    a, b, c = article(base), article(base + " dodatek ena dva tri"), article(base + " drugi dodatek štiri pet")
    one = find_duplicates([a, b, c], DedupSettings())
    two = find_duplicates([c, b, a], DedupSettings())
    assert len(one) == 1 and set(one[0].members) | {one[0].primary} == {a.id, b.id, c.id}
    assert one[0].primary == two[0].primary


def test_shingles_of_short_text():
    assert shingles("Ena dva", 3) == frozenset({"ena dva"})
    assert shingles("", 3) == frozenset()
