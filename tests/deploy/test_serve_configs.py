"""serve_config.yaml and serve_config.gpu.yaml validate against Ray's own schemas (the Serve config
schema, adclf's Settings for adclf's args, Ray Serve LLM's LLMConfig for the LLM's), and the GPU
config's adclf app points at its LLM application."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from ray.serve.schema import DeploymentSchema, ServeDeploySchema

from adclf.config import Settings

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ["serve_config.yaml", "serve_config.gpu.yaml"]


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / name).read_text())


def apps(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in config["applications"]}


def llm_config_model() -> Any:
    # ray.serve.llm re-exports this class but imports vLLM first; the class itself does not.
    from ray.llm._internal.serve.core.configs.llm_config import LLMConfig

    return LLMConfig


@pytest.mark.parametrize("name", CONFIGS)
def test_config_validates_against_rays_serve_schema(name: str) -> None:
    schema = ServeDeploySchema.model_validate(load(name))
    assert schema.applications[0].name == "adclf"
    assert schema.applications[0].import_path == "adclf.api.deployment:build_app"
    assert schema.http_options.host == "127.0.0.1"  # loopback unless API_TOKEN is set


@pytest.mark.parametrize("name", CONFIGS)
def test_adclf_args_are_valid_settings(name: str, tmp_path: Path) -> None:
    args = apps(load(name))["adclf"]["args"] or {}
    Settings(**{**args, "DATA_DIR": str(tmp_path)})


def test_gpu_config_keeps_adclfs_app_as_in_serve_config() -> None:
    base = apps(load("serve_config.yaml"))["adclf"]
    gpu = apps(load("serve_config.gpu.yaml"))["adclf"]
    for key in ("route_prefix", "import_path", "runtime_env"):
        assert gpu[key] == base[key], key


def test_llm_app_is_ray_serve_llms_openai_app_with_valid_llm_configs() -> None:
    llm = apps(load("serve_config.gpu.yaml"))["llm"]
    assert llm["import_path"] == "ray.serve.llm:build_openai_app"
    assert llm["route_prefix"] == "/llm"
    (raw,) = llm["args"]["llm_configs"]
    config = llm_config_model().model_validate(raw)
    DeploymentSchema.model_validate({"name": "llm", **raw["deployment_config"]})
    assert config.placement_group_config["bundles"][0]["GPU"] >= 1  # on a GPU node
    assert config.engine_kwargs["limit_mm_per_prompt"]["image"] >= 4  # adclf sends <= 4 frames


def test_weights_come_from_a_local_path_never_the_hub() -> None:
    llm = apps(load("serve_config.gpu.yaml"))["llm"]
    source = llm["args"]["llm_configs"][0]["model_loading_config"]["model_source"]
    assert source.startswith("/")  # a directory the operator fills, not a Hugging Face id
    assert llm["runtime_env"]["env_vars"]["HF_HUB_OFFLINE"] == "1"


def test_adclf_provider_points_at_the_llm_route() -> None:
    config = load("serve_config.gpu.yaml")
    adclf, llm = apps(config)["adclf"], apps(config)["llm"]
    http = config["http_options"]
    args = adclf["args"]
    assert args["OPENAI_BASE_URL"] == \
        f"http://{http['host']}:{http['port']}{llm['route_prefix']}/v1"
    assert args["OPENAI_MODEL"] == \
        llm["args"]["llm_configs"][0]["model_loading_config"]["model_id"]
    assert args["DEFAULT_PROVIDER"] == "openai"
    # Every node's proxy answers on that address, so each worker uses its own node's proxy.
    assert config["proxy_location"] == "EveryNode"


def test_a_wrong_llm_config_is_refused() -> None:
    raw = copy.deepcopy(apps(load("serve_config.gpu.yaml"))["llm"]["args"]["llm_configs"][0])
    raw["accelerator_type"] = "NO-SUCH-GPU"
    with pytest.raises(pydantic.ValidationError):
        llm_config_model().model_validate(raw)
    bad = load("serve_config.gpu.yaml")
    bad["applications"][1]["route_prefix"] = "/"  # adclf's: one prefix per application
    with pytest.raises(pydantic.ValidationError):
        ServeDeploySchema.model_validate(bad)
