from polybrief.text.names import names_in


def test_a_name_that_opens_a_sentence_counts_when_the_text_names_it_elsewhere():
    text = ("Putin thanked Kim Jong Un and George Bush for the visit. Officials said talks went well. "
            "Bush praised Putin.")
    assert {"putin", "kim jong un", "bush"} <= names_in(text)
    assert "officials" not in names_in(text)


def test_common_words_come_off_the_start_of_a_sentence():
    found = names_in("The Bank of England raised rates. In Tokyo, markets fell.")
    assert found == {"bank of england", "tokyo"}


def test_possessives_fold_and_titles_leave_the_person():
    found = names_in("Officials met in Paris. President George Bush's plan was backed by Secretary of State Colin "
                     "Powell.")
    assert {"george bush", "colin powell", "paris"} <= found
    assert not {"george bush's", "president", "secretary", "state", "secretary of state"} & found


def test_lone_generic_words_months_and_weekdays_name_nothing():
    found = names_in("He told the Department on Monday that the State and the Government would act in May.")
    assert found == set()


def test_two_names_side_by_side_are_two_names():
    found = names_in("Police cleared Beijing's Tiananmen Square as Palestinian President Yasser Arafat spoke.")
    assert {"beijing", "tiananmen square", "palestinian", "yasser arafat"} <= found


def test_dotted_acronyms_and_headlines_in_capitals():
    found = names_in("SOMERSET BEAT KENT IN CUP FINAL\nShe won the U.S. Open in New York.")
    assert found == {"u.s. open", "new york"}


def test_a_results_table_row_opens_with_a_name():
    assert {"australia", "italy"} <= names_in("Australia 11 8 2 1\nItaly 10 7 1 2")


def test_names_do_not_run_across_lines():
    assert "pct gb\nhaitai" not in names_in("Won Lost Pct GB\nHaitai 64 2")
    assert all("\n" not in name for name in names_in("Talks in Vienna\nMoscow replied"))
