"""docker-compose.yml, checked without Docker: what users rely on when they run `docker compose up`.

There is no Docker engine where these tests run, so nothing here starts a container. The
tests parse the file and hold it against the project itself: the `ledenradar` CLI, the
Kafka topics the pipeline needs, the settings read from the environment, and the image.
"""

import dataclasses
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.core import TyperGroup
from typer.main import get_command

from pipeline.cli import app
from pipeline.kafka_topics import DEFAULT_PARTITIONS, PIPELINE_TOPICS
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict] = COMPOSE["services"]
LEDENRADAR = {
    name: s for name, s in SERVICES.items() if s.get("command", [None])[0] == "ledenradar"
}


def parse_cli(argv: list[str]):
    """Parse `ledenradar ARGV` as the CLI would, down to the subcommand, without running it.

    Raises a usage error for an unknown command or option, or a value of the wrong type.
    """
    command, name, ctx, rest = get_command(app), "ledenradar", None, list(argv)
    while isinstance(command, TyperGroup) and rest and not rest[0].startswith("-"):
        ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        sub = command.get_command(ctx, rest[0])
        assert sub is not None, f"`{ctx.command_path}` has no command {rest[0]!r}"
        command, name, rest = sub, rest[0], rest[1:]
    return command.make_context(name, rest, parent=ctx)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def kafka_listeners(variable: str) -> dict[str, tuple[str, int]]:
    """KAFKA_LISTENERS-style value -> listener name: (host, port); an empty host stays ''."""
    kafka = environment(SERVICES["kafka"])
    result = {}
    for listener in kafka[variable].split(","):
        name, address = listener.split("://")
        host, port = address.rsplit(":", 1)
        result[name] = (host, int(port))
    return result


def test_the_pipeline_and_the_dashboard_are_there():
    assert {"worker", "sink", "dashboard"} <= set(LEDENRADAR)


@pytest.mark.parametrize("name", sorted(LEDENRADAR))
def test_each_ledenradar_command_exists_in_the_cli(name):
    command = SERVICES[name]["command"]
    assert isinstance(command, list), "exec form, so no shell mangles the arguments"
    ctx = parse_cli(command[1:])
    # It names something that runs, not a group of commands that only prints its help.
    assert not isinstance(ctx.command, TyperGroup) or ctx.command.invoke_without_command
    assert ctx.command.callback is not None


@pytest.mark.parametrize("name", sorted(LEDENRADAR))
def test_settings_from_the_environment_exist(name):
    fields = {f.name for f in dataclasses.fields(Settings)}
    for variable in environment(SERVICES[name]):
        if variable.startswith("LEDENRADAR_"):
            assert variable.removeprefix("LEDENRADAR_").lower() in fields, variable


def test_kafka_runs_in_kraft_mode():
    kafka = environment(SERVICES["kafka"])
    assert SERVICES["kafka"]["image"].startswith("apache/kafka:")
    assert not any("ZOOKEEPER" in variable for variable in kafka)
    assert set(kafka["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    listeners = kafka_listeners("KAFKA_LISTENERS")
    controller = kafka["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert controller in listeners
    protocols = dict(p.split(":") for p in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(listeners) <= set(protocols)
    # The one voter is this broker itself, on its controller listener.
    node, address = kafka["KAFKA_CONTROLLER_QUORUM_VOTERS"].split("@")
    host, port = address.rsplit(":", 1)
    assert (node, host, int(port)) == (kafka["KAFKA_NODE_ID"], "kafka", listeners[controller][1])
    # A single broker: internal topics cannot ask for more replicas than there are.
    for variable, value in kafka.items():
        if variable.endswith(("REPLICATION_FACTOR", "MIN_ISR")):
            assert value == "1", variable
    assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_every_bootstrap_address_is_a_listener_kafka_advertises():
    advertised = kafka_listeners("KAFKA_ADVERTISED_LISTENERS")
    listening = kafka_listeners("KAFKA_LISTENERS")
    for name, (host, port) in advertised.items():
        assert host == "kafka", "advertised under its service name, which the others resolve"
        assert listening[name][1] == port
    addresses = {(host, port) for host, port in advertised.values()}
    bootstraps = {
        name: environment(s)["LEDENRADAR_KAFKA_BOOTSTRAP"]
        for name, s in LEDENRADAR.items()
        if "LEDENRADAR_KAFKA_BOOTSTRAP" in environment(s)
    }
    assert {"worker", "sink"} <= set(bootstraps)
    for name, bootstrap in bootstraps.items():
        host, port = bootstrap.rsplit(":", 1)
        assert (host, int(port)) in addresses, name
        assert "kafka" in SERVICES[name]["depends_on"] or "topics" in SERVICES[name]["depends_on"]
    # The topic job talks to the same address.
    script = " ".join(SERVICES["topics"]["command"])
    used = set(re.findall(r"--bootstrap-server (\S+)", script))
    assert used and all(
        tuple(u.rsplit(":", 1)) in {(h, str(p)) for h, p in addresses} for u in used
    )


def test_the_topic_job_creates_the_topics_the_pipeline_uses():
    script = " ".join(SERVICES["topics"]["command"])
    loop = re.search(r"for t in ([^;]+);", script)
    assert loop and set(loop[1].split()) == set(PIPELINE_TOPICS)
    assert f"--partitions {DEFAULT_PARTITIONS}" in script
    assert SERVICES["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    for name in ("worker", "sink"):
        assert (
            SERVICES[name]["depends_on"]["topics"]["condition"] == "service_completed_successfully"
        )


def test_volumes_are_declared_and_the_data_dir_is_shared():
    declared = set(COMPOSE.get("volumes") or {})
    mounts = {}
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
            mounts[name] = (source, target)
    # The worker, the sink and the dashboard share one data dir: the sink writes the
    # warehouse and the snapshot there, the dashboard reads the snapshot from it.
    for name in ("worker", "sink", "dashboard"):
        data_dir = environment(SERVICES[name])["LEDENRADAR_DATA_DIR"]
        assert mounts[name] == (mounts["sink"][0], data_dir), name


def test_the_dashboard_listens_where_its_port_is_published():
    service = SERVICES["dashboard"]
    ctx = parse_cli(service["command"][1:])
    assert ctx.info_name == "dashboard"
    # Inside a container 127.0.0.1 is unreachable from the published port.
    assert ctx.params["host"] == "0.0.0.0"
    published = []
    for mapping in service["ports"]:
        *_, host_port, container_port = str(mapping).split(":")
        published.append(int(container_port))
        assert int(host_port)
    assert ctx.params["port"] in published
    assert "sink" in service["depends_on"], "the sink writes the snapshot it reads"
    # No snapshot yet makes it exit 1; it is restarted until the sink has written one.
    assert service.get("restart") in ("on-failure", "unless-stopped", "always")


def test_the_image_has_the_packages_and_the_command():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package in pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]:
        assert re.search(rf"^COPY {package} {package}$", dockerfile, re.MULTILINE), package
    assert re.search(r"ln -s \S+/ledenradar /usr/local/bin/ledenradar", dockerfile)
    built = [name for name, s in LEDENRADAR.items() if s.get("build") == "."]
    assert built == list(LEDENRADAR)


def test_the_readme_commands_for_compose_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runs = re.findall(r"docker compose run --rm (\S+) ledenradar ([^`\n]+)", readme)
    assert runs
    for service, args in runs:
        assert service in LEDENRADAR
        argv = shlex.split(args)
        if "adduser" in argv:  # it asks for the password; give one instead of a prompt
            argv += ["--password", "not-asked-in-a-test"]
        parse_cli(argv)


def published_ports(service: dict) -> list[tuple[str, str]]:
    """Each published port as (host address, container port); '' is every interface."""
    result = []
    for mapping in service.get("ports", []):
        if isinstance(mapping, dict):  # long syntax
            result.append((str(mapping.get("host_ip", "")), str(mapping["target"])))
            continue
        parts = str(mapping).rsplit(":", 2)
        host_ip = parts[0] if len(parts) == 3 else ""
        result.append((host_ip.strip("[]"), parts[-1].split("/")[0]))
    return result


def test_published_port_parsing():
    service = {"ports": ["9092:9092", "127.0.0.1:8050:8050", "0.0.0.0:1:2/tcp", "9", {"target": 3}]}
    assert published_ports(service) == [
        ("", "9092"),
        ("127.0.0.1", "8050"),
        ("0.0.0.0", "2"),
        ("", "9"),
        ("", "3"),
    ]


def test_kafka_is_reachable_only_on_the_internal_network():
    # Its listener is PLAINTEXT without authentication: a published port on every interface
    # would hand the member contacts to anyone on the network.
    kafka = SERVICES["kafka"]
    assert all(host not in ("", "0.0.0.0", "::") for host, _ in published_ports(kafka))
    assert published_ports(kafka) == [], "nothing needs the broker from outside the containers"
    networks = kafka.get("networks")
    assert networks, "on its own network, not the default one the dashboard publishes from"
    declared = COMPOSE.get("networks") or {}
    for network in networks:
        assert declared[network].get("internal") is True, network
    # Everything that talks to the broker is on that network; the dashboard is not.
    for name in ("topics", "worker", "sink"):
        assert set(networks) <= set(SERVICES[name].get("networks", [])), name
    assert not set(networks) & set(SERVICES["dashboard"].get("networks", ["default"]))


def test_no_service_publishes_on_every_interface():
    for name, service in SERVICES.items():
        for host, port in published_ports(service):
            assert host not in ("", "0.0.0.0", "::"), f"{name} publishes {port} on every interface"
