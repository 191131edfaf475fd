"""deploy/kuberay/*.yaml are what scripts/gen_rayservice.py makes from the Serve configs today, and
their RayService is shaped for adclf: a valid Serve config, one labelled group per adclf node with
its own volume, and the GPU group for the LLM outside adclf's nodes."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from ray.serve.schema import ServeDeploySchema

from adclf.cluster.nodes import NODE_LABEL

ROOT = Path(__file__).resolve().parents[2]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rayservice",
                                                  ROOT / "scripts" / "gen_rayservice.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = generator()
MANIFESTS = list(GEN.MANIFESTS)


def documents(manifest: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all((ROOT / "deploy" / "kuberay" / manifest).read_text()))


def rayservice(manifest: str) -> dict[str, Any]:
    (service,) = [d for d in documents(manifest) if d["kind"] == "RayService"]
    return service


def groups(manifest: str) -> list[dict[str, Any]]:
    cluster = rayservice(manifest)["spec"]["rayClusterConfig"]
    return [cluster["headGroupSpec"], *cluster["workerGroupSpecs"]]


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_committed_manifest_is_what_the_generator_makes(manifest: str) -> None:
    committed = (ROOT / "deploy" / "kuberay" / manifest).read_text()
    assert committed == GEN.render(manifest), \
        "stale: run .venv/bin/python scripts/gen_rayservice.py"


def test_check_mode_reports_a_stale_manifest(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    assert GEN.main(["--check"]) == 0
    (tmp_path / "rayservice.yaml").write_text("# an old manifest\n")
    monkeypatch.setattr(GEN, "OUT", tmp_path)
    assert GEN.main(["--check"]) == 1


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_serve_config_v2_is_the_serve_config_made_for_kubernetes(manifest: str) -> None:
    source = yaml.safe_load((ROOT / GEN.MANIFESTS[manifest][0]).read_text())
    v2 = yaml.safe_load(rayservice(manifest)["spec"]["serveConfigV2"])
    ServeDeploySchema.model_validate(v2)
    assert v2["http_options"]["host"] == "0.0.0.0"
    adclf = next(a for a in v2["applications"] if a["name"] == "adclf")
    # Reachable from outside the pod, so never without a token.
    assert adclf["args"]["API_TOKEN_FILE"] == GEN.TOKEN_FILE
    assert adclf["args"]["DATA_DIR"] == "/data"
    # Apart from those, exactly the Serve config.
    for app in v2["applications"]:
        if app["name"] == "adclf":
            del app["args"]["API_TOKEN_FILE"], app["args"]["DATA_DIR"]
    del v2["http_options"]["host"], source["http_options"]["host"]
    for app in source["applications"]:
        app["args"] = app.get("args") or {}
    assert v2 == source


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_each_adclf_node_is_a_labelled_group_of_one_with_its_own_volume(manifest: str) -> None:
    adclf_groups = [g for g in groups(manifest) if NODE_LABEL in g.get("labels", {})]
    names = [g["labels"][NODE_LABEL] for g in adclf_groups]
    assert names[0] == "node-a" and len(set(names)) == len(names) >= 2
    claims = {d["metadata"]["name"] for d in documents(manifest)
              if d["kind"] == "PersistentVolumeClaim"}
    for group, name in zip(adclf_groups, names, strict=True):
        assert group.get("replicas", 1) == group.get("maxReplicas", 1) == 1, group
        pod = group["template"]["spec"]
        data = next(v for v in pod["volumes"] if v["name"] == "data")
        assert data["persistentVolumeClaim"]["claimName"] == f"adclf-{name}-data"
        assert f"adclf-{name}-data" in claims
        (container,) = pod["containers"]
        assert {"name": "data", "mountPath": "/data"} in container["volumeMounts"]


def test_gpu_manifest_runs_the_llm_on_gpu_pods_outside_adclfs_nodes() -> None:
    llm = next(g for g in groups("rayservice.gpu.yaml") if g.get("groupName") == "llm")
    assert NODE_LABEL not in llm.get("labels", {})
    (container,) = llm["template"]["spec"]["containers"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] >= 1
    v2 = yaml.safe_load(rayservice("rayservice.gpu.yaml")["spec"]["serveConfigV2"])
    llm_app = next(a for a in v2["applications"] if a["name"] == "llm")
    source = llm_app["args"]["llm_configs"][0]["model_loading_config"]["model_source"]
    mount = next(m for m in container["volumeMounts"] if source.startswith(m["mountPath"] + "/"))
    assert mount["readOnly"] is True
    assert not any("nvidia.com/gpu" in g["template"]["spec"]["containers"][0]["resources"]
                   ["limits"] for g in groups("rayservice.yaml"))
