"""The two Ray Data stages of a batch.

- `read_inputs` (CPU tasks, only in a batch with URLs): make each input a readable local video,
  or a reason why not. URLs are fetched by the service's SSRF-safe fetcher and travel as bytes,
  so any node can classify them; local files are probed where they are. A batch of local files
  has no read stage: the classify actor takes each path as it comes (as the service's by-folder
  jobs do, so on a multi-node cluster the folder must be on storage every node sees) and the
  pipeline's own checks and probe, which run before anything is decoded, fail a missing, empty,
  HTML or undecodable file with its reason.
- `Classify` (an actor pool): the service's `Pipeline`, built and warmed once per actor, run on
  each input exactly as a worker runs a job."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa

from adclf.batch import rows
from adclf.config import Settings
from adclf.errors import AdclfError

log = logging.getLogger("adclf.batch")
NODE_LABEL = "adclf-node"  # adclf.cluster.nodes.NODE_LABEL (not imported: it loads the actors)


def node_name(default: str | None = None) -> str:
    """This process's adclf node: its Ray node's `adclf-node` label, else `default` (what the
    service calls the node of an unlabelled cluster: NODE_NAME), else the Ray node id."""
    import ray

    ctx = ray.get_runtime_context()
    label = (ctx.get_node_labels() or {}).get(NODE_LABEL)
    return str(label) if label else default or ctx.get_node_id()[:12]


def use_node_models(settings: Settings, node: str) -> bool:
    """Serve this process's models from the node's model actor when the service runs one there
    (MODEL_ACTOR=node): the actor is warm and batches calls from every pipeline on the node, so a
    classify actor starts in about a second instead of loading ~0.7 GB of models. Without one (a
    bare Ray cluster, `python -m adclf.batch`) the models load here, on first use."""
    if settings.MODEL_ACTOR != "node":
        return False
    import ray

    from adclf.models.actor import model_actor_name
    from adclf.models.client import ModelClient
    from adclf.models.proxies import RemoteModels
    from adclf.pipeline import model_source
    from adclf.store.client import NAMESPACE

    try:
        ray.get_actor(model_actor_name(node), namespace=NAMESPACE)
    except ValueError:
        return False
    model_source.install(RemoteModels(ModelClient(node, settings.MODEL_CALL_TIMEOUT_SECONDS)))
    return True


def read_inputs(batch: pa.Table, settings: Settings) -> pa.Table:
    return pa.Table.from_pylist([_read_one(r, settings) for r in batch.to_pylist()],
                                schema=rows.READ_SCHEMA)


def _read_one(item: dict[str, Any], settings: Settings,
              probe_files: bool = True) -> dict[str, Any]:
    """`probe_files=False` (in the classify actor): a local file is left to the pipeline's own
    checks and probe, which run before it decodes anything and fail with the same reasons."""
    from adclf.pipeline.probe import probe

    started = time.perf_counter()
    out = {"input": item["input"], "source_kind": item["source_kind"], "path": None,
           "data": None, "suffix": None, "error": item.get("error") or None,
           "read_seconds": 0.0}
    if out["error"]:
        return out
    try:
        if item["source_kind"] == "url":
            out["data"], out["suffix"] = _fetch(item["input"], settings)
        else:
            path = Path(item["input"])
            if probe_files:
                probe(path)
            out["path"] = str(path)
    except AdclfError as err:
        out["error"] = str(err)
    except Exception as err:  # an unexpected failure of one input must not stop the run
        out["error"] = f"cannot read: {type(err).__name__}: {err}"
    out["read_seconds"] = time.perf_counter() - started
    return out


def _fetch(url: str, settings: Settings) -> tuple[bytes, str]:
    from adclf.net.fetch import download
    from adclf.pipeline.probe import probe
    from adclf.pipeline.sources import check_local_file

    tmp = Path(tempfile.mkdtemp(prefix="adclf-batch-fetch-"))
    try:
        path = check_local_file(download(url, tmp, settings))
        probe(path)
        return path.read_bytes(), path.suffix
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class Classify:
    """One actor of the pool: a `Pipeline` built once, then one input after another."""

    def __init__(self, settings: Settings, job_settings: dict[str, Any], mode: str,
                 cpus: float) -> None:
        from adclf.pipeline.runner import Pipeline

        logging.basicConfig(level=settings.LOG_LEVEL)
        # this actor is the only pipeline on its CPU share: its threads are that share
        self.settings = settings.model_copy(update={"WORKERS_PER_NODE": 1})
        self.pipeline = Pipeline(self.settings, cpus=max(1.0, cpus))
        self.job_settings = job_settings
        self.mode = mode
        self.node = node_name(settings.NODE_NAME)
        self.node_models = use_node_models(self.settings, self.node)
        self.tmp = Path(tempfile.mkdtemp(prefix="adclf-batch-"))
        # no warm-up: the first input loads the models (an actor that only sees failed inputs
        # loads none); a model that cannot load fails rows with its reason

    def __call__(self, batch: pa.Table) -> pa.Table:
        return rows.table([self._one(r) for r in batch.to_pylist()])

    def _one(self, item: dict[str, Any]) -> dict[str, Any]:
        if "read_seconds" not in item:  # no read stage (a batch of local files): read here
            item = _read_one(item, self.settings, probe_files=False)
        value, kind = item["input"], item["source_kind"]
        read = float(item.get("read_seconds") or 0.0)
        if item.get("error"):
            return rows.failed_row(value, kind, item["error"], read, self.node)
        started = time.perf_counter()
        job_id = f"batch-{uuid.uuid4().hex[:12]}"
        work_dir = self.tmp / job_id
        try:
            work_dir.mkdir(parents=True)
            path = item["path"]
            if path is None:  # fetched bytes
                path = str(work_dir / f"input{item.get('suffix') or '.mp4'}")
                Path(path).write_bytes(item["data"])
            result = self.pipeline.run(self._spec(job_id, path), work_dir, _Quiet())
            return rows.completed_row(value, kind, result.result_row(), result.explanation(),
                                      result.duration, read + time.perf_counter() - started,
                                      self.node)
        except AdclfError as err:
            reason = str(err)
        except Exception as err:  # the service would retry; a batch records it and goes on
            log.error("batch input %s crashed:\n%s", value, traceback.format_exc())
            reason = f"internal error: {type(err).__name__}: {err}"
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
        return rows.failed_row(value, kind, reason, read + time.perf_counter() - started,
                               self.node)

    def _spec(self, job_id: str, path: str) -> Any:
        from adclf.domain import JobSettings, JobSpec

        return JobSpec(job_id=job_id, node=self.node, mode=self.mode, source_kind="file",
                       source=path, settings=JobSettings.model_validate(self.job_settings))


class _Quiet:
    """The pipeline's Reporter for a batch: nobody watches one input's stages."""

    def stage(self, stage: Any, detail: str = "", progress: float | None = None) -> None:
        pass

    def event(self, message: str) -> None:
        pass
