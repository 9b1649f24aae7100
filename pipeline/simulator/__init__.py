"""Dutch contact-centre simulator: realistic member contacts with planted themes.

`simulate(scenario, start, days, seed)` yields (ContactEvent dict, truth dict) pairs;
the truth (themes, scenario role, planted PII spans) never enters the event.
`labelled_texts(scenario)` gives redacted single-theme texts with their theme ids.
"""

from pipeline.simulator.generator import simulate
from pipeline.simulator.labelled import labelled_texts
from pipeline.simulator.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "labelled_texts", "load_scenario", "simulate"]
