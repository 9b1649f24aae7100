"""The Dutch theme catalogue: size, variety and the registers it is written in."""

from pipeline.simulator.stats import sample_phrasings
from pipeline.simulator.themes import load_off_topic, load_themes

MIN_THEMES = 30
MIN_PHRASINGS = 40


def _phrasings(theme_id: str, draws: int, seed: int = 11) -> set[str]:
    return set(sample_phrasings(load_themes()[theme_id], draws, seed))


def test_at_least_thirty_everyday_themes():
    everyday = [t for t in load_themes().values() if t.weight > 0]
    assert len(everyday) >= MIN_THEMES


def test_every_theme_has_forty_template_combinations_and_forty_distinct_phrasings():
    for theme_id, theme in load_themes().items():
        assert theme.template_count >= MIN_PHRASINGS, theme_id
        distinct = _phrasings(theme_id, draws=300)
        assert len(distinct) >= MIN_PHRASINGS, (theme_id, len(distinct))


def test_phrasings_do_not_repeat_one_fixed_keyword():
    """The theme's label should not be the signal: most phrasings avoid its words."""
    for theme_id, theme in load_themes().items():
        label_words = {w.lower() for w in theme.label.replace("-", " ").split() if len(w) > 4}
        phrasings = _phrasings(theme_id, draws=120)
        with_label = [p for p in phrasings if any(w in p.lower() for w in label_words)]
        assert len(with_label) < 0.9 * len(phrasings), theme_id


def test_templates_fill_without_leftover_placeholders():
    for theme_id in [*load_themes()]:
        for text in _phrasings(theme_id, draws=60, seed=5):
            assert "{" not in text and "[" not in text and "|" not in text, text


def test_off_topic_kinds_exist_for_the_address_the_app_and_a_wrong_number():
    assert {"adreswijziging", "app_storing", "verkeerd_verbonden"} <= set(load_off_topic())
