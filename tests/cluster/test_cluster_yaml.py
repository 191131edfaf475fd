"""cluster.yaml is a launcher config Ray accepts, and it names every node the way adclf needs."""

from __future__ import annotations

import copy
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from adclf.cluster.nodes import NODE_LABEL
from adclf.config import Settings

CLUSTER_YAML = Path(__file__).resolve().parents[2] / "cluster.yaml"
NAME_RE = Settings.model_fields["NODE_NAME"].metadata[0].pattern


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(CLUSTER_YAML.read_text())
    return loaded


def test_ray_up_accepts_it(config: dict[str, Any]) -> None:
    # What `ray up` does first: fill in the local provider's defaults, then check the schema
    # (ray/autoscaler/ray-schema.json, with jsonschema).
    from ray.autoscaler._private.util import prepare_config, validate_config

    prepared = prepare_config(copy.deepcopy(config))
    validate_config(prepared)
    assert prepared["provider"]["type"] == "local"
    assert prepared["provider"]["head_ip"] and len(prepared["provider"]["worker_ips"]) >= 1
    assert prepared["max_workers"] == len(prepared["provider"]["worker_ips"])
    broken = copy.deepcopy(prepared)
    broken["head_start_commands"] = broken.pop("head_start_ray_commands")  # a typo
    with pytest.raises(Exception, match="head_start_commands"):
        validate_config(broken)


def test_setup_installs_adclf_and_start_commands_label_the_nodes(config: dict[str, Any]) -> None:
    from ray._private.label_utils import parse_node_labels_string

    setup = " ".join(config["setup_commands"])
    assert "git clone" in setup and "git checkout" in setup and "scripts/setup.sh" in setup
    head = " ".join(config["head_start_ray_commands"])
    assert "ray start --head" in head and "RAY_AUTH_MODE=token" in head
    labels = re.search(r'--labels "([^"]+)"', head)
    assert labels is not None
    assert parse_node_labels_string(labels.group(1)) == {NODE_LABEL: "node-a"}
    worker = " ".join(config["worker_start_ray_commands"])
    assert "--address=$RAY_HEAD_IP:6379" in worker and f'--labels "{NODE_LABEL}=$NAME"' in worker
    assert config["file_mounts"].get("~/.ray/auth_token") == "~/.ray/auth_token"


@pytest.mark.parametrize(("hostname", "name_file", "expected"), [
    ("Worker_07.lab", None, "worker-07-lab"),
    ("gpu-box", "node-b\n", "node-b"),
])
def test_worker_node_name_comes_from_its_file_or_host_name(
        config: dict[str, Any], tmp_path: Path, hostname: str, name_file: str | None,
        expected: str) -> None:
    """Runs the worker start command's naming step in bash with a stand-in `hostname`."""
    worker = " ".join(config["worker_start_ray_commands"])
    match = re.search(r"NAME=\$\((.*?)\);", worker, re.S)
    assert match is not None, worker
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "hostname").write_text(f"#!/bin/sh\necho {shlex.quote(hostname)}\n")
    (bin_dir / "hostname").chmod(0o755)
    if name_file is not None:
        (tmp_path / ".adclf-node-name").write_text(name_file)
    env = {**os.environ, "HOME": str(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    out = subprocess.run(["bash", "-c", f"NAME=$({match.group(1)}); printf %s \"$NAME\""],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out == expected
    assert re.fullmatch(NAME_RE, out)
