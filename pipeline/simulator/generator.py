"""The simulator's core: a seeded, pure generator of (ContactEvent dict, truth dict).

One `random.Random(seed)` drives every choice in a fixed order, so a seed gives
byte-identical output. The truth record (themes, scenario role, planted PII spans)
is returned beside the event and never written into it.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.contract.schema import ContactEvent
from pipeline.contract.vocab import PROVINCES, SECTORS
from pipeline.simulator.calendar import TimeOfDay, channel_mix, day_factor
from pipeline.simulator.channels import Draft, render_contact
from pipeline.simulator.people import Person, make_person
from pipeline.simulator.registers import dagdeel
from pipeline.simulator.scenario import Effect, Scenario, load_scenario
from pipeline.simulator.text import between, pick
from pipeline.simulator.themes import Theme, load_off_topic, load_themes, phrase
from pipeline.simulator.workplace import work_slots

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SOURCE = "simulator"
# Members per sector, roughly as in a general union spanning both families.
SECTOR_WEIGHTS = {
    "bouw": 10, "industrie": 14, "transport": 10, "voeding": 6, "detailhandel": 10,
    "groothandel": 5, "dienstverlening": 8, "schoonmaak": 5, "onderwijs": 9,
    "zorg_welzijn": 14, "overheid": 7, "cultuur": 2,
}  # fmt: skip
OFF_TOPIC_WEIGHTS = {
    "adreswijziging": 35,
    "app_storing": 30,
    "verkeerd_verbonden": 15,
    "ledenpas_en_post": 20,
}
EMPLOYER_MAIL_THEMES = frozenset(
    {"ontslag", "vaststellingsovereenkomst", "reorganisatie", "proeftijd", "tijdelijk_contract",
     "beoordeling", "ziekte_reintegratie", "transitievergoeding", "rooster_werktijden", "ai_monitoring"}
)  # fmt: skip
REPEAT_MEMBER_SHARE = 0.1
RELATED_SECOND_THEME_SHARE = 0.7
VOLUNTEER_CHANCE = 0.25
SHARED_SLOTS = ("werkgever", "cao", "functie", "stad", "dagdeel", "dagdeel_klein")
DETAIL_CHANCE = {"phone": 0.5, "email": 0.6, "chat": 0.15, "webform": 0.4}


@dataclass(frozen=True)
class _Plan:
    """A contact before rendering: who, when, what about and why (its role)."""

    second: int
    order: int
    channel: str
    person: Person
    themes: tuple[str, ...]
    off_topic: str | None
    role: str
    effect: Effect | None


class _Weighted:
    def __init__(self, weights: dict[str, float]) -> None:
        self.keys = list(weights)
        self.bounds: list[float] = []
        total = 0.0
        for weight in weights.values():
            total += weight
            self.bounds.append(total)

    def pick(self, rng: Random) -> str:
        return self.keys[bisect.bisect_right(self.bounds, rng.random() * self.bounds[-1])]


def simulate(
    scenario: Scenario | str, start: date, days: int, seed: int
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (event, truth) pairs in time order for `days` days from `start`."""
    loaded = load_scenario(scenario) if isinstance(scenario, str) else scenario
    yield from _Simulation(loaded.resolve(start), seed, start).run(start, days)


class _Simulation:
    def __init__(self, scenario: Scenario, seed: int, start: date) -> None:
        self.scenario = scenario
        self.seed = seed
        # Scenario and start in the id: runs of different scenarios with one seed must not
        # collide, because the warehouse drops an event id it has seen.
        slug = re.sub(r"[^A-Za-z0-9]+", "-", scenario.name).strip("-")[:40] or "run"
        self.id_prefix = f"sim-{slug}-{start:%Y%m%d}-{seed}"
        self.rng = Random(seed)
        self.themes = load_themes()
        self.off_topic = load_off_topic()
        self.everyday = {k: t for k, t in self.themes.items() if t.weight > 0}
        self.provinces = _Weighted({code: pop for code, (_, pop) in PROVINCES.items()})
        self.sectors = _Weighted({s: SECTOR_WEIGHTS[s] for s in SECTORS})
        self.off_topic_kinds = _Weighted(OFF_TOPIC_WEIGHTS)
        self.clock = TimeOfDay()
        self.recent: deque[Person] = deque(maxlen=3000)
        self.member_refs: set[str] = set()
        self._theme_pickers: dict[tuple[int, str], _Weighted] = {}
        self.count = 0

    def run(self, start: date, days: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        for index in range(days):
            day = start + timedelta(days=index)
            plans = self._plan_day(index, day)
            plans.sort(key=lambda p: (p.second, p.order))
            for plan in plans:
                yield self._realise(plan, day)

    def _plan_day(self, index: int, day: date) -> list[_Plan]:
        rng, scenario = self.rng, self.scenario
        factor = day_factor(day)
        mix = _Weighted(channel_mix(day))
        plans: list[_Plan] = []
        for _ in range(_poisson(rng, scenario.per_working_day * factor)):
            channel = mix.pick(rng)
            person = self._member(day)
            roll = rng.random()
            if roll < scenario.off_topic_share:
                kind = self._off_topic_kind(channel)
                plan = (channel, person, (), kind, "off_topic", None)
            else:
                primary = self._everyday_theme(day.month, person.sector)
                themes = (primary,)
                if roll < scenario.off_topic_share + scenario.multi_theme_share:
                    themes += (self._second_theme(primary),)
                plan = (channel, person, themes, None, "baseline", None)
            plans.append(_Plan(self.clock.second(channel, rng), len(plans), *plan))
        for effect in scenario.effects:
            for _ in range(_poisson(rng, effect.expected(index) * factor)):
                channel = mix.pick(rng)
                person = self._effect_member(effect, index, day)
                themes: tuple[str, ...] = (effect.theme,)
                if effect.co_themes and rng.random() < effect.co_theme_share:
                    themes += (pick(rng, effect.co_themes),)
                plan = (channel, person, themes, None, effect.kind, effect)
                plans.append(_Plan(self.clock.second(channel, rng), len(plans), *plan))
        return plans

    def _member(self, day: date) -> Person:
        if self.recent and self.rng.random() < REPEAT_MEMBER_SHARE:
            return pick(self.rng, self.recent)
        return self._new_member(self.provinces.pick(self.rng), self.sectors.pick(self.rng), day)

    def _effect_member(self, effect: Effect, index: int, day: date) -> Person:
        rng = self.rng
        inside = rng.random() >= effect.spread(index)
        province = effect.province if inside and effect.province else self.provinces.pick(rng)
        if inside and effect.sector:
            sector = effect.sector
        else:
            theme = self.themes[effect.theme]
            sector = _Weighted(
                {s: SECTOR_WEIGHTS[s] * theme.sector_affinity(s) for s in SECTORS}
            ).pick(rng)
        return self._new_member(province, sector, day)

    def _new_member(self, province: str, sector: str, day: date) -> Person:
        while True:
            ref = f"M{between(self.rng, 100_000, 1_000_000)}"
            if ref not in self.member_refs:
                self.member_refs.add(ref)
                break
        person = make_person(self.rng, ref, province, sector, day)
        self.recent.append(person)
        return person

    def _everyday_theme(self, month: int, sector: str) -> str:
        picker = self._theme_pickers.get((month, sector))
        if picker is None:
            weights = {
                key: theme.weight
                * theme.sector_affinity(sector)
                * self.scenario.seasonal_factor(key, month)
                for key, theme in self.everyday.items()
            }
            picker = self._theme_pickers[(month, sector)] = _Weighted(weights)
        return picker.pick(self.rng)

    def _second_theme(self, primary: str) -> str:
        related = [t for t in self.themes[primary].related if t in self.everyday]
        if related and self.rng.random() < RELATED_SECOND_THEME_SHARE:
            return pick(self.rng, related)
        others = [t for t in self.everyday if t != primary]
        return pick(self.rng, others)

    def _off_topic_kind(self, channel: str) -> str:
        while True:
            kind = self.off_topic_kinds.pick(self.rng)
            if channel in self.off_topic[kind].channels:
                return kind

    def _realise(self, plan: _Plan, day: date) -> tuple[dict[str, Any], dict[str, Any]]:
        rng, person = self.rng, plan.person
        local = datetime.combine(day, time(), AMSTERDAM) + timedelta(seconds=plan.second)
        slots = work_slots(rng, person.sector, person.city.name, day)
        if plan.effect:
            slots.update(plan.effect.slots)
        slots["dagdeel"] = dagdeel(local.hour)
        slots["dagdeel_klein"] = slots["dagdeel"].lower()
        topics: list[Theme] = (
            [self.off_topic[plan.off_topic]]
            if plan.off_topic
            else [self.themes[t] for t in plan.themes]
        )
        detail = DETAIL_CHANCE[plan.channel]
        phrasings = [phrase(topics[0], rng, slots, person.pii, detail)]
        for topic in topics[1:]:
            # A second question gets its own numbers and dates, but the same job and place.
            fresh = work_slots(rng, person.sector, person.city.name, day)
            fresh.update({k: slots[k] for k in SHARED_SLOTS})
            phrasings.append(phrase(topic, rng, fresh, person.pii, detail))
        primary = topics[0]
        legal = not plan.off_topic and rng.random() < primary.second_line
        volunteered = tuple(kind for kind in primary.pii if rng.random() < VOLUNTEER_CHANCE)
        draft = Draft(
            channel=plan.channel,
            person=person,
            service_line="second_line_legal" if legal else "first_line",
            phrasings=tuple(phrasings),
            subject=pick(rng, primary.subjects),
            volunteered=volunteered,
            slots=slots,
            local_time=local,
            employer_mail_fits=primary.id in EMPLOYER_MAIL_THEMES,
        )
        rendered = render_contact(draft, rng)
        occurred = local.astimezone(UTC)
        duration = between(rng, 90, 1200)
        metadata = {"duration_s": duration} if plan.channel == "phone" else {}
        event_id = f"{self.id_prefix}-{self.count:07d}"
        self.count += 1
        event = ContactEvent(
            event_id=event_id,
            occurred_at=occurred,
            received_at=occurred + timedelta(seconds=duration + between(rng, 2, 60)),
            source=SOURCE,
            channel=plan.channel,
            text=rendered.text,
            subject=rendered.subject,
            province=person.province,
            sector=person.sector,
            service_line=draft.service_line,
            member_ref=person.member_ref,
            metadata=metadata,
        )
        truth = {
            "event_id": event_id,
            "occurred_at": occurred.isoformat(),
            "themes": list(plan.themes),
            "role": plan.role,
            "effect": plan.effect.name if plan.effect else None,
            "off_topic": plan.off_topic,
            "province": person.province,
            "sector": person.sector,
            "templates": [p.template for p in phrasings],
            "pii": rendered.pii,
        }
        return _as_dict(event), truth


def _as_dict(event: ContactEvent) -> dict[str, Any]:
    """`event.to_dict()` without its deep copy, which dominated generation time."""
    data = {name: getattr(event, name) for name in _EVENT_FIELDS}
    data["occurred_at"] = event.occurred_at.isoformat()
    data["received_at"] = event.received_at.isoformat()
    return data


_EVENT_FIELDS = tuple(ContactEvent.__dataclass_fields__)


def _poisson(rng: Random, mean: float) -> int:
    """Poisson draw: exact for small means, normal approximation for large ones."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count
