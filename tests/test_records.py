from polybrief.records import Briefing, KeyPoint, SourceRef, content_id, from_dict, to_dict


def test_briefing_round_trips_through_json_dicts():
    b = Briefing("s1", "slug", "Head", "Sum", (KeyPoint("k", (1, 2)),),
                 (SourceRef(1, "a", "sl", 0.9, "2024-11", "T", "T en", "f.txt"),), ("sl",), "2024-11", "m@1")
    assert from_dict(Briefing, to_dict(b)) == b


def test_content_id_ignores_case_and_whitespace_but_not_words():
    assert content_id("Ena  dva\nTri") == content_id("ena dva tri")
    assert content_id("ena dva tri") != content_id("ena dva štiri")
