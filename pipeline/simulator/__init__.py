"""Dutch contact-centre simulator: realistic member contacts with planted themes.

`simulate(scenario, start, days, seed)` yields (ContactEvent dict, truth dict) pairs;
the truth (themes, scenario role, planted PII spans) never enters the event.
"""

from pipeline.simulator.generator import simulate
from pipeline.simulator.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario", "simulate"]
