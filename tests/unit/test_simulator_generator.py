"""The simulator end to end, in process: shape, truth, rhythm, scenarios, determinism."""

import json
from collections import Counter
from dataclasses import replace
from datetime import date, datetime

import pytest

from pipeline.contract.schema import ContactEvent
from pipeline.contract.vocab import PROVINCES
from pipeline.simulator import load_scenario, simulate
from pipeline.simulator.people import is_valid_bsn, is_valid_iban
from pipeline.simulator.text import PII_TYPES

MONDAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def week():
    """One baseline week (about 10,000 contacts), shared by the read-only tests."""
    return list(simulate("baseline", MONDAY, 7, seed=5))


def _lines(pairs):
    return [json.dumps(e, ensure_ascii=False) + json.dumps(t, ensure_ascii=False) for e, t in pairs]


def test_same_seed_gives_identical_output_and_another_seed_does_not():
    scenario = replace(load_scenario("surge-limburg"), per_working_day=300)
    first = _lines(simulate(scenario, date(2026, 3, 20), 5, seed=9))
    second = _lines(simulate(scenario, date(2026, 3, 20), 5, seed=9))
    other = _lines(simulate(scenario, date(2026, 3, 20), 5, seed=10))
    assert first == second
    assert first != other


def test_events_are_valid_contact_events_equal_to_to_dict(week):
    for event, _ in week[:3000]:
        parsed = dict(event)
        for key in ("occurred_at", "received_at"):
            parsed[key] = datetime.fromisoformat(parsed[key])
        contact = ContactEvent.from_dict(parsed)
        assert contact.to_dict() == event
        assert contact.source == "simulator" and contact.member_ref.startswith("M")


def test_truth_stays_out_of_the_event(week):
    for event, truth in week[:2000]:
        assert event["event_id"] == truth["event_id"]
        assert event["event_id"].startswith("sim-baseline-20260302-5-")
        assert set(event) == set(ContactEvent.__dataclass_fields__)
        assert set(event["metadata"]) <= {"duration_s"}
        # The id names the whole run (same prefix for every event), so it is left out here.
        per_event = {k: v for k, v in event.items() if k not in ("text", "subject", "event_id")}
        outside_text = json.dumps(per_event)
        for theme in truth["themes"]:
            assert theme not in outside_text
        assert truth["role"] not in outside_text


def test_volume_and_weekly_rhythm(week):
    per_day = Counter(datetime.fromisoformat(e["occurred_at"]).date() for e, _ in week)
    monday, friday, saturday = per_day[MONDAY], per_day[date(2026, 3, 6)], per_day[date(2026, 3, 7)]
    working = [per_day[date(2026, 3, d)] for d in range(2, 7)]
    assert 1800 <= sum(working) / 5 <= 2200
    assert monday > friday > 5 * saturday


def test_phones_are_closed_on_sunday_and_chat_runs_into_the_evening(week):
    by_channel = Counter(e["channel"] for e, _ in week)
    assert {"phone", "email", "chat", "webform"} <= set(by_channel)
    sunday = [e for e, _ in week if e["occurred_at"].startswith("2026-03-08")]
    assert sunday and not any(e["channel"] in ("phone", "chat") for e in sunday)
    from zoneinfo import ZoneInfo

    local_hours = Counter(
        datetime.fromisoformat(e["occurred_at"]).astimezone(ZoneInfo("Europe/Amsterdam")).hour
        for e, _ in week
        if e["channel"] == "chat"
    )
    phone_hours = {
        datetime.fromisoformat(e["occurred_at"]).astimezone(ZoneInfo("Europe/Amsterdam")).hour
        for e, _ in week
        if e["channel"] == "phone"
    }
    assert local_hours[20] > local_hours[9]
    assert phone_hours <= set(range(8, 18))


def test_province_shares_follow_population(week):
    counts = Counter(e["province"] for e, t in week if t["role"] != "surge")
    total = sum(counts.values())
    population = sum(pop for _, pop in PROVINCES.values())
    for code, (_, pop) in PROVINCES.items():
        assert abs(counts[code] / total - pop / population) < 0.012, code


def test_every_planted_span_is_in_the_text_and_checksums_hold(week):
    seen_types = set()
    for event, truth in week:
        for span in truth["pii"]:
            field = event[span["field"]]
            assert field[span["start"] : span["end"]] == span["value"]
            assert span["type"] in PII_TYPES
            seen_types.add(span["type"])
            if span["type"] == "BSN":
                assert is_valid_bsn(span["value"])
            if span["type"] == "IBAN":
                assert is_valid_iban(span["value"])
    assert seen_types == set(PII_TYPES)
    assert any(s["field"] == "subject" for _, t in week for s in t["pii"])


def test_phone_transcripts_have_turns_and_no_staff_names(week):
    for event, truth in week:
        if event["channel"] != "phone":
            continue
        lines = event["text"].split("\n")
        assert lines[0].startswith("Medewerker: ")
        assert all(line.startswith(("Medewerker: ", "Lid: ")) for line in lines)
        offset = 0
        for line in lines:
            if line.startswith("Medewerker: "):
                names = [
                    s
                    for s in truth["pii"]
                    if s["type"] == "NAAM" and offset <= s["start"] < offset + len(line)
                ]
                assert not names, line
            offset += len(line) + 1


def test_roles_off_topic_and_two_theme_contacts(week):
    roles = Counter(t["role"] for _, t in week)
    assert set(roles) == {"baseline", "off_topic"}
    assert 0.04 < roles["off_topic"] / len(week) < 0.10
    two = sum(1 for _, t in week if len(t["themes"]) == 2)
    assert 0.05 < two / len(week) < 0.11


def test_second_line_legal_gets_dismissal_questions(week):
    legal = Counter(t["themes"][0] for e, t in week if e["service_line"] == "second_line_legal")
    assert legal.most_common(1)[0][0] in {"ontslag", "vaststellingsovereenkomst"}


def test_new_theme_does_not_exist_before_its_onset():
    scenario = replace(load_scenario("new-theme"), per_working_day=300)
    onset = date(2026, 1, 5).toordinal() + scenario.effects[0].onset_day
    first_seen = None
    for event, truth in simulate(scenario, date(2026, 1, 5), 40, seed=2):
        if "ai_monitoring" in truth["themes"]:
            day = datetime.fromisoformat(event["occurred_at"]).date().toordinal()
            first_seen = day if first_seen is None else min(first_seen, day)
            assert day >= onset
            assert truth["role"] == "new_theme"
    assert first_seen is not None


def test_surge_lands_in_its_province_and_sector():
    scenario = replace(load_scenario("surge-limburg"), per_working_day=100)
    surge = [(e, t) for e, t in simulate(scenario, MONDAY, 28, seed=3) if t["role"] == "surge"]
    assert len(surge) > 200
    assert {(e["province"], e["sector"]) for e, _ in surge} == {("NL-LI", "industrie")}
    assert all(t["themes"][0] == "reorganisatie" for _, t in surge)
    assert any("Kunststoffabriek Roerdal" in e["text"] for e, _ in surge)


def test_national_spike_reaches_every_province():
    scenario = replace(load_scenario("national-spike"), per_working_day=50)
    spike = [e for e, t in simulate(scenario, MONDAY, 55, seed=4) if t["role"] == "spike"]
    assert {e["province"] for e in spike} == set(PROVINCES)
    sectors = Counter(e["sector"] for e in spike)
    assert sectors["zorg_welzijn"] > sectors["bouw"]


def test_holiday_is_quiet():
    kings_day = [e for e, _ in simulate("baseline", date(2026, 4, 27), 2, seed=1)]
    per_day = Counter(e["occurred_at"][:10] for e in kings_day)
    assert per_day["2026-04-27"] * 5 < per_day["2026-04-28"]


def test_vakantiegeld_peaks_in_may():
    def share(start):
        truths = [t for _, t in simulate("baseline", start, 2, seed=12)]
        return sum("vakantiegeld" in t["themes"] for t in truths) / len(truths)

    assert share(date(2026, 5, 19)) > 3 * share(date(2026, 3, 17))
