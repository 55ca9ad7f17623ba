import json

from polybrief.config import InputSettings
from polybrief.stages.read import parse_text, read_articles


def _by_name(result):
    return {a.source.rsplit("/", 1)[-1][:3]: a for a in result.articles}


def test_seeds_become_five_articles_with_their_metadata(seeds):
    result = read_articles([seeds])
    assert len(result.articles) == 5 and result.outcomes == ()
    a = _by_name(result)
    assert a["000"].date == "2024-11" and not a["000"].paragraphs[0].startswith("date")
    assert a["002"].title == "Rusija in Severna Koreja skupaj v boju proti sodobnemu neonacizmu"
    assert a["003"].date == "2024-11-30"
    assert a["003"].title.startswith("Észak-Korea továbbra is")
    assert a["004"].title == ""  # its first line is a sentence, not a title


def test_captions_and_credits_are_kept_apart_from_the_text(seeds):
    a = _by_name(read_articles([seeds]))
    assert any("FOTO/AFP" in c for c in a["000"].captions)
    assert "© www.kremlin.ru" in a["002"].captions
    assert any("Foto: Xinhua/STA" in c for c in a["002"].captions)
    assert any(c.startswith("Severnokorejski voditelj Kim Jong-un in ruski") for c in a["002"].captions)
    for art in a.values():
        assert not any("FOTO" in p or "©" in p or "Foto:" in p for p in art.paragraphs)


def test_no_line_of_an_article_is_lost(seeds):
    for art in read_articles([seeds]).articles:
        kept = " ".join([art.title, art.date, *art.paragraphs, *art.captions])
        raw = open(art.source, encoding="utf-8").read()
        for line in raw.splitlines():
            line = " ".join(line.split()).removeprefix("date 2024-11 ")
            if line and not (art.date == "2024-11-30" and line.startswith("2024. november 30.")):
                assert line.strip("»« ") in kept, line


def test_a_sentence_broken_across_lines_is_joined(seeds):
    hu = _by_name(read_articles([seeds]))["003"]
    assert any("hangsúlyozta, hogy kiterjesztik a két hadsereg" in p for p in hu.paragraphs)


def test_ids_are_stable_and_content_based(seeds, tmp_path):
    first = _by_name(read_articles([seeds]))["000"]
    copy = tmp_path / "renamed.txt"
    copy.write_text((seeds / "000_d3c4a2083c58e763.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert read_articles([copy]).articles[0].id == first.id


def test_the_same_text_twice_is_one_article_and_one_duplicate(seeds, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text((seeds / "003_e6e89a5c60dec548.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = read_articles([seeds / "003_e6e89a5c60dec548.txt", copy])
    assert len(result.articles) == 1
    assert [(o.source, o.status) for o in result.outcomes] == [(str(copy), "duplicate")]


def test_json_and_jsonl_keep_metadata_and_report_bad_records(tmp_path):
    body = "Prvi odstavek ima dovolj besedila za prevod.\n\nDrugi odstavek tudi."
    (tmp_path / "a.json").write_text(json.dumps({"title": "Naslov", "date": "2024-11-02", "url": "https://x.si/a",
                                                 "text": body}))
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"content": "Tretji članek govori o nečem povsem drugem danes."}) + "\n{broken\n"
        + json.dumps({"title": "no text"}) + "\n"
    )
    result = read_articles([tmp_path])
    a = next(x for x in result.articles if x.title == "Naslov")
    assert (a.date, a.url, len(a.paragraphs)) == ("2024-11-02", "https://x.si/a", 2)
    assert len(result.articles) == 2
    failed = {o.source.rsplit("/", 1)[-1]: o.detail for o in result.outcomes}
    assert failed["b.jsonl:2"].startswith("invalid JSON")
    assert failed["b.jsonl:3"].startswith("no text field")


def test_html_main_text_is_extracted_without_scripts(tmp_path):
    paragraph = "Ruski predsednik se je sestal s severnokorejskim voditeljem v Pekingu in govoril o sodelovanju. "
    html = (
        "<html><head><title>Srečanje v Pekingu</title><script>alert('x')</script></head><body>"
        "<nav>Domov | Novice</nav><article><h1>Srečanje v Pekingu</h1>"
        + "".join(f"<p>{paragraph * 2}{i}</p>" for i in range(4))
        + "</article><footer>© Časnik</footer></body></html>"
    )
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (a,) = read_articles([tmp_path / "a.html"]).articles
    assert a.title == "Srečanje v Pekingu"
    assert len(a.paragraphs) >= 4 and not any("alert" in p for p in a.paragraphs)


def test_bad_inputs_become_outcomes_not_exceptions(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "big.txt").write_text("beseda " * 100)
    (tmp_path / "cp1250.txt").write_bytes("Južnokorejski obrambni minister je v četrtek dejal, da so vojaki že v "
                                          "Rusiji.".encode("cp1250"))
    result = read_articles([tmp_path, tmp_path / "absent.txt"], InputSettings(max_bytes=600))
    status = {o.source.rsplit("/", 1)[-1]: (o.status, o.detail) for o in result.outcomes}
    assert status["empty.txt"][0] == "skipped"
    assert status["image.txt"] == ("failed", "not text (binary or undecodable bytes)")
    assert status["notes.docx"][0] == "skipped"
    assert status["big.txt"][0] == "skipped" and "max_bytes" in status["big.txt"][1]
    assert status["absent.txt"] == ("failed", "no such file or folder")
    (decoded,) = result.articles
    assert "Južnokorejski" in decoded.paragraphs[0] and "četrtek" in decoded.paragraphs[0]


def test_parse_text_lifts_a_leading_date_marker():
    a = parse_text(" date 2024-11 Prvi stavek članka.\n\nDrugi odstavek.", "x.txt")
    assert a.date == "2024-11" and a.paragraphs[0] == "Prvi stavek članka."


def test_awkward_names_links_and_repeats_are_all_accounted_for(tmp_path, seeds):
    odd = tmp_path / "članek z  presledki .. in ünïcode.txt"
    odd.write_text((seeds / "004_dd4d1620a2788380.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    result = read_articles([odd, odd, tmp_path / "dangling.txt"])
    assert [a.source for a in result.articles] == [str(odd)]
    status = {(o.source.rsplit("/", 1)[-1], o.status) for o in result.outcomes}
    assert status == {(odd.name, "duplicate"), ("dangling.txt", "failed")}


def test_html_styles_and_scripts_never_reach_the_text(tmp_path):
    body = "<p>" + "Vlada je danes sprejela nov zakon o medijih, ki ureja lastništvo časopisov. " * 3 + "</p>"
    html = (f"<html><head><style>p {{color: red}}</style></head><body><script>var x = 1;</script>"
            f"<article>{body * 3}</article></body></html>")
    (tmp_path / "a.htm").write_text(html)
    (a,) = read_articles([tmp_path / "a.htm"]).articles
    assert "color" not in a.text and "var x" not in a.text and "zakon o medijih" in a.text


LONG = ("Kolumnist piše, da je vlada v četrtek sprejela nov zakon o medijih, ki ureja lastništvo časopisov in "
        "televizij. Opozicija pravi, da zakon omejuje svobodo tiska in da ga bo izpodbijala na ustavnem sodišču. ")


def test_a_long_paragraph_that_ends_in_a_credit_keeps_its_text_and_loses_only_the_credit():
    a = parse_text(f"Naslov kolumne\n\n{LONG * 2}Foto: Borut Živulović/Bobo\n\n{LONG}", "x.txt")
    assert a.paragraphs == ((LONG * 2).strip(), LONG.strip())
    assert a.captions == ("Foto: Borut Živulović/Bobo",)


def test_a_paragraph_that_mentions_a_credit_mid_text_keeps_all_of_it():
    block = f"Hčere Asie Bibi z njeno fotografijo. FOTO: Adrees Latif, Reuters {LONG}"
    a = parse_text(f"Naslov\n\n{block}\n\n{LONG}", "x.txt")
    assert a.paragraphs[0] == block.strip() and a.captions == ()


def test_caption_lines_with_their_credits_are_still_captions():
    gallery = "Kitajska, Beijing. Vojaška parada. Foto: Xinhua/STA Kitajska, Beijing. Vojaška parada. Foto: Xinhua/STA"
    a = parse_text(f"Naslov\n\n{LONG}\n\n{gallery}\n\n© www.kremlin.ru\n\n{LONG}", "x.txt")
    assert a.captions == (gallery, "© www.kremlin.ru") and len(a.paragraphs) == 2


def test_max_bytes_is_per_article_and_a_feed_dump_is_read_record_by_record(tmp_path):
    import json

    good = {"title": "Zakon", "text": LONG}
    rows = [good | {"text": LONG + f" Številka {i}."} for i in range(30)] + [good | {"text": LONG * 40}]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (tmp_path / "page.html").write_text(f"<html><body><article><p>{LONG * 40}</p></article></body></html>")
    settings = InputSettings(max_bytes=2_000, max_file_bytes=200_000)
    result = read_articles([tmp_path], settings)
    assert len(result.articles) == 30  # the file is 10 times max_bytes: read, not skipped
    status = {o.source.rsplit("/", 1)[-1]: (o.status, o.detail) for o in result.outcomes}
    assert status["dump.jsonl:31"][0] == "skipped"
    assert status["dump.jsonl:31"][1].startswith("article larger than input.max_bytes (")
    assert status["page.html"][1].startswith("article larger than input.max_bytes (")
    small = read_articles([tmp_path / "dump.jsonl"], InputSettings(max_bytes=2_000, max_file_bytes=10_000))
    (only,) = small.outcomes
    assert not small.articles and only.detail.startswith("file larger than input.max_file_bytes (")


def test_html_entities_pasted_from_a_page_are_decoded():
    a = parse_text("Naslov članka\n\nSears, Roebuck &amp; Co. in AT&T sta se združila &quot;danes&quot;.", "x.txt")
    assert a.paragraphs == ('Sears, Roebuck & Co. in AT&T sta se združila "danes".',)


GOOD = "A short article with enough words to be read as news, about the harbour."


def test_json_nested_thousands_deep_fails_that_input_only(tmp_path):
    """Python's JSON parser raises RecursionError on deep nesting: that file (or JSONL line) fails
    with a reason, and the run reads the next input."""
    deep = "[" * 5000 + "]" * 5000
    (tmp_path / "deep.json").write_text(deep, encoding="utf-8")
    (tmp_path / "mixed.jsonl").write_text(deep + "\n" + json.dumps({"id": "g", "text": GOOD + " In JSON."}) + "\n",
                                          encoding="utf-8")
    (tmp_path / "fine.txt").write_text(GOOD, encoding="utf-8")
    result = read_articles([tmp_path])
    failed = {o.source.rsplit("/", 1)[-1]: o.detail for o in result.outcomes if o.status == "failed"}
    assert failed == {"deep.json": "invalid JSON: nested too deeply to read",
                      "mixed.jsonl:1": "invalid JSON: nested too deeply to read"}
    assert sorted(a.source.rsplit("/", 1)[-1] for a in result.articles) == ["fine.txt", "mixed.jsonl:2"]


def test_records_with_wrong_field_types_each_have_an_outcome(tmp_path):
    rows = [{"id": 1, "text": ["not", "a", "string"]}, {"text": GOOD, "title": 7, "date": {"y": 2024}, "url": None},
            "a bare string", {"text": GOOD + " Another one.", "source": ["x"]}]
    (tmp_path / "odd.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = read_articles([tmp_path / "odd.jsonl"])
    by_line = {o.source.rsplit(":", 1)[-1]: o for o in result.outcomes}
    assert by_line["1"].status == "failed" and by_line["3"].status == "failed"
    assert [a.source.rsplit(":", 1)[-1] for a in result.articles] == ["2", "4"]
    assert result.articles[0].title == "" and result.articles[0].date == ""


def test_an_error_no_rule_foresaw_fails_that_input_and_the_run_reads_on(tmp_path, monkeypatch):
    import polybrief.stages.read as read

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD + " Second.", encoding="utf-8")
    real = read.parse_text

    def parse(text, source, **kw):
        if source.endswith("a.txt"):
            raise ValueError("the parser broke\non two lines")
        return real(text, source, **kw)

    monkeypatch.setattr(read, "parse_text", parse)
    result = read_articles([tmp_path])
    assert [(o.source.rsplit("/", 1)[-1], o.status, o.detail) for o in result.outcomes] == [
        ("a.txt", "failed", "cannot read: ValueError: the parser broke")]
    assert [a.source.rsplit("/", 1)[-1] for a in result.articles] == ["b.txt"]


def test_a_text_source_attribution_is_not_a_photo_credit():
    """"Źródło: vg.hu." ends a news paragraph (BSNLP): the sentence is news and stays in the text to
    translate; a photo credit of the same language still goes to the captions."""
    polish = ("Warto wspomnieć, że Barack Obama nigdy nie odbył dwustronnego spotkania z Viktorem Orbánem. "
              "Premier Węgier spotkał się z nim tylko w czasie szczytów. Źródło: vg.hu.")
    a = parse_text(f"Tytuł artykułu\n\n{polish}\n\nZdjęcie: PAP/Radek Pietruszka\n\nDalszy ciąg tekstu o spotkaniu.",
                   "x.txt")
    assert polish in a.paragraphs
    assert a.captions == ("Zdjęcie: PAP/Radek Pietruszka",)
    hungarian = "A miniszter szerint a tárgyalások jövő héten folytatódnak Brüsszelben. Forrás: MTI."
    b = parse_text(f"Cím\n\n{hungarian}\n\nA második bekezdés szövege itt olvasható.", "y.txt")
    assert hungarian in b.paragraphs and b.captions == ()


def test_a_polish_credit_without_a_colon_is_a_credit():
    a = parse_text(f"Tytuł\n\n{LONG}\n\nFot. PAP/Radek Pietruszka\n\n{LONG}", "x.txt")
    assert a.captions == ("Fot. PAP/Radek Pietruszka",) and len(a.paragraphs) == 2


def test_a_title_that_several_articles_share_is_the_sites_name_and_the_first_line_is_the_headline(tmp_path):
    import json

    rows = [{"title": "The Japan Times Online", "text": f"{headline}\nBy REIJI YOSHIDA\nStaff writer\n{LONG}{n}"}
            for n, headline in enumerate(["Beijing says tech glitch led to sub intrusion",
                                          "Japan continues tracking mystery sub"])]
    rows.append({"title": "Smoking ban proposed for England", "text": f"A short line above\n{LONG}"})
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    articles = read_articles([tmp_path / "feed.jsonl"]).articles
    assert [a.title for a in articles] == ["Beijing says tech glitch led to sub intrusion",
                                           "Japan continues tracking mystery sub", "Smoking ban proposed for England"]
    assert articles[0].paragraphs[0] == "By REIJI YOSHIDA" and articles[2].paragraphs[0] == "A short line above"
