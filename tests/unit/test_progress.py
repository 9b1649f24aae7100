"""Long commands show their progress on stderr and keep stdout for their results."""

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.progress import progress_bar


def test_simulate_reports_the_days_done_on_stderr(tmp_path):
    out = tmp_path / "run.jsonl"
    result = CliRunner().invoke(
        app, ["simulate", "--days", "3", "--per-working-day", "20", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "simulate baseline (days)" in result.stderr and "3/3" in result.stderr
    assert "3/3" not in result.stdout


def test_a_bar_reaches_a_position_and_can_be_relabelled(capsys):
    with progress_bar("stap één", 4) as bar:
        bar.advance()
        bar.reach(4, "klaar")
    err = capsys.readouterr().err
    assert "klaar" in err and "4/4" in err
