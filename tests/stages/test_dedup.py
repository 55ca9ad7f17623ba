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


def test_copies_of_one_text_form_one_group_whatever_the_order():
    base = " ".join(f"beseda{i}" for i in range(60))
    a, b, c = article(base), article(base + " dodatek ena dva tri"), article(base + " drugi dodatek štiri pet")
    one = find_duplicates([a, b, c], DedupSettings())
    two = find_duplicates([c, b, a], DedupSettings())
    assert len(one) == 1 and set(one[0].members) | {one[0].primary} == {a.id, b.id, c.id}
    assert one[0].primary == two[0].primary and set(one[0].members) == set(two[0].members)


def _words(start, stop, prefix="w"):
    return " ".join(f"{prefix}{i}" for i in range(start, stop))


def test_a_chain_of_partial_overlaps_does_not_join_unrelated_articles():
    """B overlaps A, C overlaps B, but C shares almost nothing with A: before, one group."""
    a = article(_words(0, 100))
    b = article(_words(25, 100) + " " + _words(0, 20, "x"))  # 75 of its ~93 shingles are A's
    c = article(_words(70, 100) + " " + _words(0, 20, "x") + " " + _words(0, 5, "y"))
    groups = find_duplicates([a, b, c], DedupSettings())
    assert [(g.primary, g.members) for g in groups] == [(a.id, (b.id,))]
    assert all(score >= 0.7 for g in groups for score in g.containment)  # each against its primary


def test_a_short_text_is_never_a_copy_of_the_articles_it_is_contained_in():
    notice = "Spletni medij je vpisan v razvid medijev pod zaporedno številko 123."
    one = article(_words(0, 80) + " " + notice)
    two = article(_words(200, 280, "v") + " " + notice)
    page = article(notice)  # a page whose body is only the site's notice
    assert find_duplicates([one, page, two], DedupSettings()) == ()
    assert find_duplicates([one, page, two], DedupSettings(min_shingles=5)) != ()  # what the minimum prevents


def test_shingles_of_short_text():
    assert shingles("Ena dva", 3) == frozenset({"ena dva"})
    assert shingles("", 3) == frozenset()


def test_the_same_story_in_two_languages_is_a_near_duplicate_when_an_encoder_is_given():
    from polybrief.config import DedupSettings
    from polybrief.engines.multilingual import original_text
    from polybrief.stages.dedup import find_duplicates
    from tests.builders import FakeEncoder, article

    sl = article("Vlada je sprejela zakon. " + " ".join(f"beseda{i}" for i in range(40)), lang="sl")
    hu = article("A kormány elfogadta a törvényt. " + " ".join(f"szó{i}" for i in range(40)), lang="hu")
    pl = article("Mecz zakończył się remisem. " + " ".join(f"słowo{i}" for i in range(40)), lang="pl")
    sl_copy = article("Vlada je sprejela zakon. " + " ".join(f"drugo{i}" for i in range(40)), lang="sl")
    seen = {a.id: original_text(a.title, a.paragraphs, 200) for a in (sl, hu, pl, sl_copy)}
    # the Hungarian says what the Slovenian says; so does a Slovenian text, but shingles judge those
    encoder = FakeEncoder(same={seen[hu.id]: seen[sl.id], seen[sl_copy.id]: seen[sl.id]})
    assert find_duplicates([sl, hu, pl], DedupSettings()) == ()  # shingles see no copy
    (group,) = find_duplicates([sl, hu, pl], DedupSettings(), encoder)
    assert {group.primary, *group.members} == {sl.id, hu.id} and group.containment[0] >= 0.95
    # within one language the shingles judge: the same vectors make no copy of a different text
    assert find_duplicates([sl, pl, sl_copy], DedupSettings(), encoder) == ()


# a site's footer as a news site's page carries it under every article (written for these tests,
# in the shape of the Ukrainian site footers met in BSNLP: who owns the texts, how to cite them)
FOOTER = ("Матеріали сайту можна використовувати лише з посиланням на видання. Редакція не несе "
          "відповідальності за зміст рекламних оголошень та коментарів читачів. Думки авторів колонок можуть не "
          "збігатися з позицією редакції. Усі тексти, фото та відео є власністю видавця і захищені законом про "
          "авторське право. Передрук, копіювання або поширення матеріалів без письмової згоди заборонені. З питань "
          "реклами та співпраці звертайтеся до відділу продажу, з питань публікацій до редакції сайту.")


def _page(n, title, body="", footer=FOOTER, site="https://gazeta.example.ua/news/"):
    text = "\n\n".join(part for part in (body, footer) if part)
    return article(text, lang="uk", title=title, url=f"{site}{n}")


def test_a_footer_only_page_is_no_copy_of_the_pages_of_its_site():
    """A page whose body is the footer alone was 'contained' (1.0) in any article of its site."""
    footer_only = _page(1, "Безвіз: що треба знати")
    news = [_page(2, "Мей виступила в парламенті", _words(0, 80, "may")),
            _page(3, "Курс гривні знизився", _words(0, 80, "uah")),
            _page(4, "Погода на вихідні", _words(0, 80, "sun"))]
    assert find_duplicates([footer_only, *news], DedupSettings()) == ()


def test_copies_of_one_story_on_one_site_stay_copies_beside_its_footer():
    story = _words(0, 80, "story")
    copies = [_page(n, "Суд відновив арешт активів", story + extra) for n, extra in
              enumerate(["", " оновлено", " оновлено о 12:00 додано коментар"])]
    others = [_page(9, "Курс гривні знизився", _words(0, 80, "uah")), _page(8, "Безвіз: що треба знати")]
    (group,) = find_duplicates([*copies, *others], DedupSettings())
    assert {group.primary, *group.members} == {c.id for c in copies}


def test_a_copyright_notice_page_is_no_copy_even_of_the_one_other_page_of_its_site():
    notice = ("© 2000-2018, Українська правда. Всі права захищені. Використання матеріалів сайту лише за умови "
              "посилання (для інтернет-видань — гіперпосилання) на видання, не нижче третього абзацу. "
              "Матеріали з позначкою «Реклама» публікуються на правах реклами. ") * 2
    alone = article(notice, lang="uk", title="Головне за день")
    news = article(_words(0, 90, "news") + "\n\n" + notice, lang="uk", title="Новини")
    assert find_duplicates([alone, news], DedupSettings()) == ()


def test_a_registration_notice_in_russian_is_a_notice():
    from polybrief.text.boilerplate import is_notice

    assert is_notice("Сетевое издание зарегистрировано. Свидетельство о регистрации СМИ ЭЛ № ФС 77-54471.")
    # an article glued into one long paragraph is not a notice for the phrase at its end
    assert not is_notice(_words(0, 200, "слово") + " Все права защищены.")
