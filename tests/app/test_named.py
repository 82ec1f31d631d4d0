"""ui.text.named: library messages name criteria and countries as the pages do (label, then the id)."""

from __future__ import annotations

import re

from ui.text import esc, named, plain

NAMES = {
    "wgi_ge": "Government effectiveness",
    "wgi": "Worldwide Governance Indicators",  # an id that starts another id
    "ARG": "Argentina",
    "gdp": "GDP",  # the same word in another case: left alone
    "a.b": "Dotted",  # regex characters in an id are taken literally
    "evil": "![x](http://evil.example/a.png)",  # names come from data files
}


def test_ids_get_their_names_at_first_mention_and_whole_words_only():
    text = "wgi_ge cannot be ranked on a log scale: ARG has -0.38. Keep wgi_ge linear; gdp, wgi_gex, xwgi_ge, ARGO"
    assert named(text, NAMES) == (
        "Government effectiveness (wgi_ge) cannot be ranked on a log scale: Argentina (ARG) has -0.38. "
        "Keep wgi_ge linear; gdp, wgi_gex, xwgi_ge, ARGO"
    )


def test_cell_coordinates_keep_the_table_ids():
    text = "row ARG, column wgi_ge: wgi_ge cannot be ranked: ARG has -0.38; rows ARG and wgi, columns wgi_ge, x"
    assert named(text, NAMES) == (
        "row ARG, column wgi_ge: Government effectiveness (wgi_ge) cannot be ranked: Argentina (ARG) has -0.38; "
        "rows ARG and wgi, columns wgi_ge, x"
    )


def test_a_message_that_already_names_an_id_is_not_named_twice():
    text = "Government effectiveness (wgi_ge) is switched off; wgi is not"
    assert named(text, NAMES) == (
        "Government effectiveness (wgi_ge) is switched off; Worldwide Governance Indicators (wgi) is not"
    )
    assert named("gdp is GDP", NAMES) == "gdp is GDP"  # a name that is the id in another case adds nothing


def test_regex_characters_and_empty_inputs():
    assert named("a.b and aXb", NAMES) == "Dotted (a.b) and aXb"
    assert named("", NAMES) == "" and named("wgi_ge", {}) == "wgi_ge"
    assert named("wgi_ge", {"wgi_ge": "  "}) == "wgi_ge"  # a blank label is no name


def test_a_hostile_name_stays_text_after_esc():
    text = named("evil is off", NAMES)
    assert text == "![x](http://evil.example/a.png) (evil) is off"
    shown = plain(esc(text))
    assert not re.search(r"(?<!\\)[\[\]]", shown), shown  # every bracket escaped: no link, no image
