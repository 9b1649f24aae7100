from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from topics.emergence import (
    SurgeConfig,
    benjamini_hochberg,
    build_cube,
    learn_seasonality,
    overdispersion,
    scan,
)
from topics.scenario_eval import (
    Onset,
    Plant,
    evaluate_emergence,
    score_alerts,
    segment_compatible,
    synthetic_contacts,
)

START = date(2026, 1, 5)  # a Monday
SCAN_FROM = START + timedelta(days=35)


def day(n):
    return START + timedelta(days=n)


LIMBURG = Plant("T0005", day(70), daily_extra=8, province="NL-LI", sector="industrie")


@pytest.fixture(scope="module")
def quiet():
    """126 days without planted changes: weekday rhythm and overdispersed themes only."""
    return synthetic_contacts(START, 126, seed=11)


@pytest.fixture(scope="module")
def limburg():
    contacts = synthetic_contacts(START, 100, seed=11, plants=[LIMBURG])
    return contacts, scan(contacts, start=SCAN_FROM)


def test_baseline_quarter_has_at_most_one_false_alert(quiet):
    score = evaluate_emergence(quiet, [], SCAN_FROM, day(125))
    assert score.days_scanned == 91
    assert score.false_alerts_per_quarter <= 1, score.false_alert_examples


def test_weekday_rhythm_is_not_a_surge(quiet):
    mondays = [a for a in scan(quiet, start=SCAN_FROM) if a.day.weekday() == 0]
    assert mondays == []


def test_limburg_industry_surge_found_in_its_segment_within_days(limburg):
    plant = LIMBURG
    alerts = [a for a in limburg[1] if a.theme_id == "T0005" and a.day >= plant.onset]
    first = min(alerts, key=lambda a: a.day)
    assert first.day - plant.onset <= timedelta(days=3)
    assert first.segment_value in {"NL-LI", "industrie", "NL-LI|industrie"}
    assert first.kind == "surge" and first.rate_ratio >= 1.5
    assert not [a for a in alerts if a.segment_kind == "province" and a.segment_value != "NL-LI"]


def test_alert_record_carries_segment_episode_and_quotes(limburg):
    contacts, all_alerts = limburg
    alerts = [
        a for a in all_alerts if (a.theme_id, a.segment_value) == ("T0005", "NL-LI|industrie")
    ]
    first, later = alerts[0], alerts[-1]
    assert later.day > first.day and later.first_seen == first.first_seen == first.day
    assert first.iso_week == f"{first.day.isocalendar().year}-W{first.day.isocalendar().week:02d}"
    assert 0 < len(first.quote_ids) <= 3
    quoted = contacts[contacts["event_id"].isin(first.quote_ids)]
    assert set(quoted["theme_id"]) == {"T0005"}
    assert set(quoted["province"]) == {"NL-LI"} and set(quoted["sector"]) == {"industrie"}
    assert first.q_value <= SurgeConfig().fdr and first.p_value <= first.q_value


def test_three_calls_never_make_an_alert(quiet):
    extra = pd.DataFrame(
        {
            "day": [np.datetime64(day(80))] * 3,
            "theme_id": ["T0999"] * 3,
            "province": ["NL-ZE"] * 3,
            "sector": ["cultuur"] * 3,
            "event_id": ["x1", "x2", "x3"],
        }
    )
    contacts = pd.concat([quiet, extra], ignore_index=True)
    assert not [a for a in scan(contacts, start=day(78), end=day(90)) if a.theme_id == "T0999"]


def test_newborn_theme_that_grows_gives_a_new_theme_signal():
    plant = Plant("T0042", day(60), daily_extra=6, province="NL-NB", ramp_days=5)
    contacts = synthetic_contacts(START, 80, seed=5, plants=[plant])
    alerts = [a for a in scan(contacts, start=SCAN_FROM, end=day(67)) if a.theme_id == "T0042"]
    assert alerts and {a.kind for a in alerts} == {"new_theme"}
    assert min(a.day for a in alerts) - plant.onset <= timedelta(days=4)
    assert not [a for a in alerts if a.segment_kind == "province" and a.segment_value != "NL-NB"]


def test_proportional_volume_rise_is_not_a_surge():
    """A day with twice the usual volume in every theme (a campaign mail) raises nothing."""
    contacts = synthetic_contacts(START, 65, seed=2, busy_days={day(64): 2.0})
    per_day = contacts.groupby("day").size()
    assert per_day[np.datetime64(day(64))] > 1.7 * per_day[np.datetime64(day(57))]
    assert scan(contacts, start=day(64)) == []


def test_overdispersion_estimate_tracks_generated_dispersion():
    low = build_cube(synthetic_contacts(START, 40, seed=1, overdispersion=0.01))
    high = build_cube(synthetic_contacts(START, 40, seed=1, overdispersion=0.3))
    phi_low = np.median(overdispersion(low, slice(5, 40), cap=1.0))
    phi_high = np.median(overdispersion(high, slice(5, 40), cap=1.0))
    assert phi_low < 0.05 < 0.15 < phi_high < 0.6


def test_benjamini_hochberg_matches_step_up_by_hand():
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5]))
    assert q == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])


def test_segment_compatibility_and_scoring():
    limburg = Onset("T1", "province_sector", "NL-LI|industrie", date(2026, 3, 1))
    assert segment_compatible("province", "NL-LI", limburg)
    assert segment_compatible("sector", "industrie", limburg)
    assert not segment_compatible("province", "NL-NB", limburg)
    assert not segment_compatible("national", "NL", limburg)
    national = Onset("T2", "national", "NL", date(2026, 3, 1))
    assert segment_compatible("province", "NL-ZH", national)


def test_scoring_counts_lag_and_unexplained_episodes(limburg):
    alerts = limburg[1]
    right = score_alerts(alerts, [LIMBURG.as_onset()], SCAN_FROM, day(99))
    elsewhere = Onset("T0005", "province_sector", "NL-GR|bouw", day(70))
    wrong = score_alerts(alerts, [elsewhere], SCAN_FROM, day(99))
    assert right.detected == 1 and right.max_lag <= 3
    assert wrong.detected == 0 and wrong.false_alerts > right.false_alerts


def test_known_seasonal_step_is_not_news_but_unknown_one_is():
    base_rate = synthetic_contacts(START, 56, seed=4).query("theme_id == 'T0003'").shape[0] / 40
    step = Plant("T0003", date(2026, 3, 2), daily_extra=2 * base_rate, ramp_days=1)
    contacts = synthetic_contacts(START, 70, seed=4, plants=[step])
    march = {"start": date(2026, 3, 2), "end": day(69)}
    blind = [a for a in scan(contacts, **march) if a.theme_id == "T0003"]
    season = {"T0003": {1: 1.0, 2: 1.0, 3: 3.0}}
    aware = [a for a in scan(contacts, seasonality=season, **march) if a.theme_id == "T0003"]
    assert blind and not aware


def test_learned_seasonality_is_relative_monthly_share():
    rows = []
    for month, n_theme in ((4, 10), (5, 30), (6, 20)):
        for d in range(1, 29):
            day_ = date(2026, month, d)
            rows += [(day_, "T0010")] * n_theme + [(day_, None)] * (100 - n_theme)
    history = pd.DataFrame(rows, columns=["day", "theme_id"])
    levels = learn_seasonality(history, min_days=20)
    assert levels["T0010"] == pytest.approx({4: 0.5, 5: 1.5, 6: 1.0})
