"""Typed dependencies: the per-replica services, one per route family, and the token check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from adclf.security.auth import auth_enabled, query_token_ok, token_ok
from adclf.services.batches import BatchService
from adclf.services.benchmarks import BenchmarkService
from adclf.services.bundle import Services
from adclf.services.catalogue import CatalogueService
from adclf.services.files import FileService
from adclf.services.jobs import JobService
from adclf.services.logs import LogService
from adclf.services.nodes import NodeService
from adclf.services.submissions import SubmissionService
from adclf.services.system import SystemService
from adclf.services.uploads import UploadService

_services: Services | None = None


def set_services(services: Services) -> None:
    """Called once by the ingress replica. Serve ships the FastAPI app to the replica by value,
    so `app.state` set in the constructor is not the one requests see: a process global is."""
    global _services
    _services = services


# Dependencies are `async def` although they never await: FastAPI runs plain `def` dependencies
# in a thread pool, and two thread hops per request were a measurable part of GET latency.
async def get_services(request: Request) -> Services:
    services = _services or getattr(request.app.state, "services", None)
    if services is None:
        raise RuntimeError("adclf services are not initialised in this process")
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def _submissions(services: ServicesDep) -> SubmissionService:
    return services.submissions


async def _uploads(services: ServicesDep) -> UploadService:
    return services.uploads


async def _jobs(services: ServicesDep) -> JobService:
    return services.jobs


async def _files(services: ServicesDep) -> FileService:
    return services.files


async def _nodes(services: ServicesDep) -> NodeService:
    return services.nodes


async def _catalogue(services: ServicesDep) -> CatalogueService:
    return services.catalogue


async def _system(services: ServicesDep) -> SystemService:
    return services.system


async def _logs(services: ServicesDep) -> LogService:
    return services.logs


async def _benchmarks(services: ServicesDep) -> BenchmarkService:
    return services.benchmarks


async def _batches(services: ServicesDep) -> BatchService:
    return services.batches


SubmissionsDep = Annotated[SubmissionService, Depends(_submissions)]
UploadsDep = Annotated[UploadService, Depends(_uploads)]
JobsDep = Annotated[JobService, Depends(_jobs)]
FilesDep = Annotated[FileService, Depends(_files)]
NodesDep = Annotated[NodeService, Depends(_nodes)]
CatalogueDep = Annotated[CatalogueService, Depends(_catalogue)]
SystemDep = Annotated[SystemService, Depends(_system)]
LogsDep = Annotated[LogService, Depends(_logs)]
BenchmarksDep = Annotated[BenchmarkService, Depends(_benchmarks)]
BatchesDep = Annotated[BatchService, Depends(_batches)]


async def require_token(request: Request, services: ServicesDep) -> None:
    tokens = services.settings.api_tokens()
    if not auth_enabled(tokens):
        return
    if token_ok(request.headers.get("authorization"), tokens):
        return
    # Browsers cannot put headers on EventSource, <img> or <video>: those GETs may use ?token=.
    if request.method == "GET" and query_token_ok(request.query_params.get("token"), tokens):
        return
    raise HTTPException(status_code=401, detail="missing or invalid API token",
                        headers={"WWW-Authenticate": "Bearer"})


Authenticated = [Depends(require_token)]
