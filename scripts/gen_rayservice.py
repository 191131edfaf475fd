"""Generates the KubeRay manifests in deploy/kuberay/ from the Serve configs, so that a change to
serve_config.yaml (or serve_config.gpu.yaml) reaches Kubernetes unchanged:

    .venv/bin/python scripts/gen_rayservice.py          # rewrite the manifests
    .venv/bin/python scripts/gen_rayservice.py --check  # exit 1 when a manifest is stale

Each manifest holds the nodes' data volumes and one RayService whose `serveConfigV2` is the Serve
config with what Kubernetes changes: the proxy listens on 0.0.0.0 (the Kubernetes Service reaches
it) and so adclf requires a token (API_TOKEN_FILE, from a Secret), DATA_DIR is the pod's volume.

Nodes: the head is adclf node `node-a`, worker group `node-b` another; each group has one replica
and its own volume, because an adclf node's name (its Ray label `adclf-node`) names its DuckDB
file and must stay with its data across pod restarts. The GPU manifest adds group `llm`: GPU pods
without the adclf label (adclf puts no store or workers there; the VLM has their GPUs) that mount
the operator's model weights at /models."""

from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "deploy" / "kuberay"
# manifest -> (Serve config, image, with the GPU group)
MANIFESTS: dict[str, tuple[str, str, bool]] = {
    "rayservice.yaml": ("serve_config.yaml", "adclf:0.1.0-cpu", False),
    "rayservice.gpu.yaml": ("serve_config.gpu.yaml", "adclf:0.1.0-gpu", True),
}
RAY_VERSION = "2.60.0"
NODE_LABEL = "adclf-node"  # adclf/cluster/nodes.py
TOKEN_SECRET = "adclf-api-token"
TOKEN_FILE = "/etc/adclf/api-token/token"
ADCLF_NODES = [("node-a", "head"), ("node-b", "node-b")]  # (adclf node name, group)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # plain YAML for kubectl readers: no &id001
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(doc: Any) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, width=100)


def serve_config_v2(serve_config: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(serve_config)
    config["http_options"] = {**config.get("http_options", {}), "host": "0.0.0.0", "port": 8000}
    for app in config["applications"]:
        if app["import_path"] == "adclf.api.deployment:build_app":
            app["args"] = {**(app.get("args") or {}), "DATA_DIR": "/data",
                           "API_TOKEN_FILE": TOKEN_FILE}
    return config


def volume_claim(name: str, size: str, mode: str = "ReadWriteOnce") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
            "spec": {"accessModes": [mode], "resources": {"requests": {"storage": size}}}}


def container(name: str, image: str, cpu: str, memory: str, mounts: list[dict[str, Any]],
              gpus: int = 0) -> dict[str, Any]:
    resources: dict[str, Any] = {"cpu": cpu, "memory": memory}
    if gpus:
        resources["nvidia.com/gpu"] = gpus
    return {"name": name, "image": image, "resources": {"requests": resources,
                                                        "limits": resources},
            "volumeMounts": mounts}


def adclf_pod(node: str, image: str, head: bool) -> dict[str, Any]:
    mounts: list[dict[str, Any]] = [
        {"name": "data", "mountPath": "/data"},
        {"name": "api-token", "mountPath": str(Path(TOKEN_FILE).parent), "readOnly": True}]
    c = container("ray-head" if head else "ray-worker", image, "4", "12Gi", mounts)
    if head:
        c["ports"] = [{"containerPort": 6379, "name": "gcs-server"},
                      {"containerPort": 8265, "name": "dashboard"},
                      {"containerPort": 10001, "name": "client"},
                      {"containerPort": 8000, "name": "serve"}]
    return {"spec": {
        "securityContext": {"fsGroup": 100},  # the image's `ray` user is in group `users`
        "containers": [c],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": f"adclf-{node}-data"}},
                    {"name": "api-token", "secret": {"secretName": TOKEN_SECRET}}],
    }}


def llm_group(image: str) -> dict[str, Any]:
    mounts = [{"name": "models", "mountPath": "/models", "readOnly": True}]
    return {
        "groupName": "llm", "replicas": 1, "minReplicas": 1, "maxReplicas": 1,
        "labels": {"adclf-role": "llm"},  # no adclf-node label: not an adclf node
        "rayStartParams": {},
        "template": {"spec": {
            "securityContext": {"fsGroup": 100},
            "containers": [container("ray-worker", image, "8", "48Gi", mounts, gpus=1)],
            "volumes": [{"name": "models",
                         "persistentVolumeClaim": {"claimName": "adclf-models",
                                                   "readOnly": True}}],
        }},
    }


def rayservice(serve_config: dict[str, Any], image: str, gpu: bool) -> dict[str, Any]:
    (head_node, _), *workers = ADCLF_NODES
    groups = [{"groupName": group, "replicas": 1, "minReplicas": 1, "maxReplicas": 1,
               "labels": {NODE_LABEL: node}, "rayStartParams": {},
               "template": adclf_pod(node, image, head=False)} for node, group in workers]
    if gpu:
        groups.append(llm_group(image))
    return {
        "apiVersion": "ray.io/v1", "kind": "RayService",
        "metadata": {"name": "adclf"},
        "spec": {
            "serveConfigV2": dump(serve_config_v2(serve_config)),
            "rayClusterConfig": {
                "rayVersion": RAY_VERSION,
                "authOptions": {"mode": "token"},  # Ray 2.60's default; KubeRay keeps the token
                "headGroupSpec": {"labels": {NODE_LABEL: head_node}, "rayStartParams": {},
                                  "template": adclf_pod(head_node, image, head=True)},
                "workerGroupSpecs": groups,
            },
        },
    }


def render(manifest: str) -> str:
    config_name, image, gpu = MANIFESTS[manifest]
    serve_config = yaml.safe_load((ROOT / config_name).read_text())
    claims = [volume_claim(f"adclf-{node}-data", "50Gi") for node, _ in ADCLF_NODES]
    if gpu:
        claims.append(volume_claim("adclf-models", "40Gi", "ReadOnlyMany"))
    head = (f"# GENERATED by scripts/gen_rayservice.py from {config_name}: edit those, then run\n"
            "#   .venv/bin/python scripts/gen_rayservice.py\n"
            f"# Needs KubeRay >= 1.5 (group `labels`, authOptions) and the image {image}\n"
            "# (deploy/Dockerfile) pushed to your registry. Before `kubectl apply -f` this file:\n"
            f"#   kubectl create secret generic {TOKEN_SECRET} --from-literal=token=<token>\n")
    if gpu:
        head += ("# and put Qwen3-VL-8B-Instruct's weights in Qwen3-VL-8B-Instruct/ on the volume\n"
                 "# adclf-models (the LLM's model_source: /models/Qwen3-VL-8B-Instruct).\n")
    head += "# See docs/cluster.md (Kubernetes).\n"
    docs = [*claims, rayservice(serve_config, image, gpu)]
    return head + "".join(f"---\n{dump(doc)}" for doc in docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    args = parser.parse_args(argv)
    stale = []
    for manifest in MANIFESTS:
        path, text = OUT / manifest, render(manifest)
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {os.path.relpath(path, ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
