"""Finding registry entities in a text (kg.mentions): one automaton, whole words, longest match."""

from __future__ import annotations

import yaml
from conftest import DATA, SEEDS

from kg.curation import paragraphs_of, read_seeds
from kg.mentions import Matcher, candidates, dates_in, figures_in, find_mentions, fold, registry_names, surnames

ARTICLE = DATA / "articles" / "river-crossing.txt"


def _matcher() -> Matcher:
    return Matcher(registry_names(read_seeds(SEEDS).entities))


def test_a_new_article_is_found_with_95_percent_recall_and_precision():
    gold = {tuple(row) for row in yaml.safe_load((DATA / "articles" / "river-crossing.gold.yaml").read_text())}
    found = {(m.paragraph, m.words, m.entity) for m in find_mentions(paragraphs_of(ARTICLE.read_text()), _matcher())}
    right = found & gold
    assert len(right) / len(gold) >= 0.95, sorted(gold - found)
    assert len(right) / len(found) >= 0.95, sorted(found - gold)
    assert found == gold  # today every mention, and nothing else


def test_the_longest_name_wins_and_the_matched_name_is_kept():
    matcher = Matcher([("islamic-state", "Islamic State"), ("iskp", "Islamic State Khorasan Province")])
    [mention] = matcher.find("Fighters of the Islamic State Khorasan Province struck.", 4)
    assert (mention.paragraph, mention.words, mention.entity, mention.alias) == (
        4,
        "Islamic State Khorasan Province",
        "iskp",
        "Islamic State Khorasan Province",
    )


def test_short_capitals_match_only_in_capitals_and_whole_words():
    matcher = Matcher([("islamic-state", "IS"), ("us", "US"), ("ttp", "TTP")])
    assert [m.words for m in matcher.find("This is what IS wants; tell us, US. TTPs and the TTP's men.")] == [
        "IS",
        "US",
        "TTP",
    ]


def test_case_accents_hyphens_and_possessives():
    matcher = Matcher([("ttp", "Tehrik-e-Taliban Pakistan"), ("qurghonteppa", "Qurghonteppa")])
    found = matcher.find("tehrik e taliban pakistan’s men reached Qurghontéppa's outskirts")
    assert [(m.words, m.entity) for m in found] == [
        ("tehrik e taliban pakistan", "ttp"),
        ("Qurghontéppa", "qurghonteppa"),
    ]


def test_fold_maps_back_to_the_text():
    folded = fold("Ansarullah’s  fighters")
    assert folded.text == "Ansarullah's fighters"
    assert len(folded.origin) == len(folded.text)


def test_candidates_dates_and_figures_of_a_paragraph():
    matcher = _matcher()
    names = registry_names(read_seeds(SEEDS).entities)
    text = "Officials in Khorog said 12 fighters of the Northern Legion crossed on 4 May 2021, five of them wounded."
    mentions = matcher.find(text, 3)
    found = candidates(3, text, mentions, names)
    assert [(c.words, c.closest) for c in found] == [("Khorog", ()), ("Northern Legion", ())]
    close = candidates(1, "Fighters of Jamaat Ansarulla crossed.", [], names)
    assert [(c.words, c.closest[:1]) for c in close] == [("Jamaat Ansarulla", ("jamaat-ansarullah",))]
    assert dates_in(text) == ["4 May 2021"]
    assert figures_in(text) == ["12", "five"]


def test_figures_keep_the_words_that_qualify_them():
    text = "About 40 kg of explosives, at least 19 suspects, some 5,000 troops and over 12."
    assert figures_in(text) == ["About 40", "at least 19", "some 5,000", "over 12"]


def test_the_spelling_the_text_writes_is_the_name_shown():
    matcher = Matcher([("asia-plus", "ASIA-Plus"), ("asia-plus", "Asia-Plus"), ("asia-plus", "Asia Plus")])
    assert [(m.words, m.alias) for m in matcher.find("Asia-Plus, ASIA-Plus and asia plus reported.")] == [
        ("Asia-Plus", "Asia-Plus"),
        ("ASIA-Plus", "ASIA-Plus"),
        ("asia plus", "ASIA-Plus"),
    ]


def test_a_surname_opening_a_sentence_is_a_name_once_given_in_full():
    first = candidates(1, "The spokesman, Saidali Mirzoev, spoke.", [], [])
    assert [c.words for c in first] == ["Saidali Mirzoev"]
    assert surnames(first) == {"Mirzoev": "Saidali Mirzoev"}
    later = "Mirzoev said more. Officials agreed."
    assert [c.words for c in candidates(2, later, [], [])] == []
    assert [c.words for c in candidates(2, later, [], [], surnames(first))] == ["Mirzoev"]


def test_a_format_character_inside_a_name_does_not_hide_it():
    text = "Fighters of the Red\u200d Hand crossed; Free\u200bland said so."
    found = Matcher([("red-hand", "Red Hand"), ("freeland", "Freeland")]).find(text, 1)
    assert [(m.words, m.entity) for m in found] == [("Red\u200d Hand", "red-hand"), ("Free\u200bland", "freeland")]
