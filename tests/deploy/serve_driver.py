"""Runs in its own process (a process holds one Ray connection, and the session's Ray already has
adclf's workers, made with other settings): starts a local Ray, deploys every application of a
Serve config file the way `serve deploy` does (the builder at `import_path` called with `args`,
under its name and route prefix, http_options as given), writes `{"url": ...}` to the ready file,
then keeps the applications up until its stdin closes.

    python serve_driver.py CONFIG.yaml READY.json"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml


def import_attr(path: str) -> Any:
    """`module:attr` or `module.attr`, as Serve reads import_path."""
    module, sep, attr = path.partition(":")
    if not sep:
        module, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def main() -> int:
    config_path, ready = Path(sys.argv[1]), Path(sys.argv[2])
    import ray
    from ray import serve
    from ray.serve.schema import ServeDeploySchema

    config = ServeDeploySchema.model_validate(yaml.safe_load(config_path.read_text()))
    for app in config.applications:  # the same flags for every app: set once, inherited by all
        os.environ.update((app.runtime_env or {}).get("env_vars") or {})
    ray.init(address="local", num_cpus=4, include_dashboard=False, namespace="adclf-deploy-test",
             log_to_driver=False)
    try:
        http = config.http_options
        serve.start(http_options={"host": http.host, "port": http.port},
                    proxy_location=config.proxy_location)
        for app in config.applications:
            builder = import_attr(app.import_path)
            serve.run(builder(app.args), name=app.name, route_prefix=app.route_prefix,
                      blocking=False)
        ready.write_text(json.dumps({"url": f"http://{http.host}:{http.port}"}))
        sys.stdin.read()  # until the test closes it
    finally:
        serve.shutdown()
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
