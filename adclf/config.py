"""The one settings object. Every component receives a `Settings`; nothing reads os.environ
itself."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _default_workers() -> int:
    # Each worker runs OCR + embeddings on CPU; more workers than cores just thrash.
    return max(1, min(4, (os.cpu_count() or 2)))


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # identity and storage
    NODE_NAME: str = Field("node-a", pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    DATA_DIR: Path = Path("./data")
    UPLOAD_DIR: Path | None = None
    ARTIFACTS_DIR: Path | None = None

    # HTTP
    HOST: str = "127.0.0.1"
    PORT: int = Field(8000, ge=1, le=65535)
    CORS_ORIGINS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    API_TOKEN: str | None = None
    API_TOKEN_FILE: Path | None = None
    INGRESS_REPLICAS: int = Field(1, ge=1, le=64)

    # inputs
    MAX_UPLOAD_MB: int = Field(500, ge=1, le=100_000)
    URL_FETCH_TIMEOUT: float = Field(60.0, gt=0, le=3600)
    URL_MAX_REDIRECTS: int = Field(5, ge=0, le=20)
    URL_ALLOW_PRIVATE: bool = False
    URL_HOST_ALLOWLIST: Annotated[list[str], NoDecode] = Field(default_factory=list)
    URL_HOST_DENYLIST: Annotated[list[str], NoDecode] = Field(default_factory=list)
    ALLOWED_FOLDER_ROOTS: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    MAX_URLS_PER_REQUEST: int = Field(1000, ge=1, le=100_000)
    MAX_PENDING_JOBS_PER_NODE: int = Field(50_000, ge=1)
    # inputs of one POST /batches (a batch does not go through the job store's queues)
    MAX_BATCH_INPUTS: int = Field(200_000, ge=1, le=10_000_000)

    # jobs
    WORKERS_PER_NODE: int = Field(default_factory=_default_workers, ge=0, le=64)
    MAX_ATTEMPTS: int = Field(3, ge=1, le=20)
    LEASE_SECONDS: float = Field(60.0, ge=1, le=3600)
    HEARTBEAT_SECONDS: float = Field(10.0, gt=0, le=600)
    JOB_TTL_DAYS: float = Field(30.0, gt=0)
    CLEANUP_INTERVAL_HOURS: float = Field(6.0, gt=0)
    CLEANUP_ENABLED: bool = True
    # Niceness of the pipeline threads of workers (decoding, their ffmpeg children) and of the
    # model actor's compute threads: on a busy box the ingress, the proxy and the store keep
    # answering first.
    WORKER_NICE: int = Field(10, ge=0, le=19)
    # Where the models live (issue #14): "node" = one model actor per node (adclf.models) that
    # the node's workers share and that batches their calls; "worker" = each worker loads its own.
    MODEL_ACTOR: Literal["node", "worker"] = "node"
    # The model actor's batching (measured in benchmarks/models.py): how long the first request
    # of a batch waits for others, the largest batch, and how long a request may wait in all
    # (past it the caller gets an error instead of a late answer).
    # Off by default (1 = every call on its own): on a 2-core CPU node batching lost throughput
    # (68 vs 81 ads/min) and latency (p50 0.99 vs 0.72 s); raise it on a GPU node.
    MODEL_BATCH_WAIT_MS: float = Field(5.0, ge=0, le=10_000)
    MODEL_BATCH_MAX: int = Field(1, ge=1, le=256)
    MODEL_CALL_TIMEOUT_SECONDS: float = Field(180.0, gt=0, le=3600)
    # What runs the embedded default's MiniLM and EfficientNet-Lite0 (adclf.pipeline.embedded.
    # runtime): "auto" = ONNX Runtime on CPU (exported at setup from the packages' weights, ~300
    # MB less per process that holds them, never imports torch), torch on CUDA; "onnx" = a missing
    # export is an error; "torch" = torch everywhere.
    EMBEDDED_RUNTIME: Literal["auto", "onnx", "torch"] = "auto"

    # pipeline / providers
    DEFAULT_PROVIDER: Literal["embedded", "ollama", "openai"] = "embedded"
    OLLAMA_HOST: str = "http://127.0.0.1:11434"
    OLLAMA_MODEL: str = "qwen3-vl:8b-instruct"
    OPENAI_BASE_URL: str = "http://127.0.0.1:8080/v1"
    OPENAI_API_KEY: str | None = None
    OPENAI_MODEL: str = "qwen3-vl-8b-instruct"
    PROVIDER_TIMEOUT: float = Field(120.0, gt=0)
    PROVIDER_RETRIES: int = Field(2, ge=0, le=10)
    TAXONOMY_PATH: Path | None = None
    # mode=agent: model calls (steps) and wall-clock seconds one job's tool-calling loop may use
    AGENT_MAX_STEPS: int = Field(8, ge=1, le=100)
    AGENT_TIMEOUT_SECONDS: float = Field(300.0, gt=0, le=86_400)

    # evidence beyond on-screen text (all offline)
    ASR_ENABLED: bool = True
    # listen again for brand names the first pass misheard (pipeline/speech/confirm.py)
    ASR_SECOND_LISTEN: bool = True
    LOGOS_ENABLED: bool = True
    LOGO_DIR: Path | None = None
    LOGO_MIN_SCORE: float = Field(0.5, ge=0, le=1)
    BRANDS_PATH: Path | None = None

    # watch folders (adclf.watch): "/abs/dir" on every node, or "node-name:/abs/dir" on one
    WATCH_FOLDERS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    WATCH_RESULTS: str = "off"  # off | next_to | /abs/results/folder
    WATCH_SETTLE_SECONDS: float = Field(5.0, ge=0, le=3600)
    WATCH_SCAN_SECONDS: float = Field(2.0, gt=0, le=3600)
    WATCH_RECURSIVE: bool = True

    # signed webhooks (adclf.webhooks): a callback_url per submission, or this default for all
    WEBHOOK_SECRET: str | None = None  # HMAC-SHA256 key; callbacks are refused without it
    WEBHOOK_DEFAULT_URL: str | None = None
    WEBHOOK_TIMEOUT_SECONDS: float = Field(10.0, gt=0, le=300)
    WEBHOOK_RETRY_BASE_SECONDS: float = Field(10.0, gt=0, le=3600)  # first retry's delay
    WEBHOOK_RETRY_MAX_SECONDS: float = Field(3600.0, gt=0, le=86_400)  # backoff's cap
    WEBHOOK_RETRY_HOURS: float = Field(24.0, gt=0, le=24 * 30)  # then the callback is given up

    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    @field_validator(
        "CORS_ORIGINS", "URL_HOST_ALLOWLIST", "URL_HOST_DENYLIST", "ALLOWED_FOLDER_ROOTS",
        "WATCH_FOLDERS", mode="before",
    )
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("LOGO_DIR", "BRANDS_PATH")
    @classmethod
    def _existing(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().exists():
            raise ValueError(f"{value} does not exist")
        return value.expanduser().resolve() if value is not None else None

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("ALLOWED_FOLDER_ROOTS")
    @classmethod
    def _absolute_roots(cls, roots: list[Path]) -> list[Path]:
        for root in roots:
            if not root.is_absolute():
                raise ValueError(f"ALLOWED_FOLDER_ROOTS entries must be absolute paths: {root}")
        return [root.resolve() for root in roots]

    @model_validator(mode="after")
    def _derive_dirs(self) -> Settings:
        self.DATA_DIR = self.DATA_DIR.expanduser().resolve()
        if self.UPLOAD_DIR is None:
            self.UPLOAD_DIR = self.DATA_DIR / "uploads"
        if self.ARTIFACTS_DIR is None:
            self.ARTIFACTS_DIR = self.DATA_DIR / "artifacts"
        self.UPLOAD_DIR = self.UPLOAD_DIR.expanduser().resolve()
        self.ARTIFACTS_DIR = self.ARTIFACTS_DIR.expanduser().resolve()
        if "*" in self.CORS_ORIGINS and self.api_tokens():
            raise ValueError("CORS_ORIGINS='*' is not allowed together with API_TOKEN")
        self._check_watch()
        if self.WEBHOOK_DEFAULT_URL and not self.WEBHOOK_SECRET:
            raise ValueError("WEBHOOK_DEFAULT_URL needs WEBHOOK_SECRET: adclf signs every "
                             "callback")
        return self

    def _check_watch(self) -> None:
        from adclf.watch.results import parse_results

        parse_results(self.WATCH_RESULTS)
        for _, folder in self.watch_folders():
            if not folder.is_absolute():
                raise ValueError(f"WATCH_FOLDERS entries must be absolute paths: {folder}")
            # Lexically and with symlinks resolved, as server paths are checked (security.paths).
            lexical = Path(os.path.normpath(folder))
            real = Path(os.path.realpath(folder))
            if not any(_inside(lexical, root) and _inside(real, Path(os.path.realpath(root)))
                       for root in self.ALLOWED_FOLDER_ROOTS):
                roots = ", ".join(map(str, self.ALLOWED_FOLDER_ROOTS)) or "none set"
                raise ValueError(f"WATCH_FOLDERS entry {folder} is not under ALLOWED_FOLDER_ROOTS "
                                 f"({roots}); a watch folder must be a server folder adclf "
                                 "may read")

    # derived values
    @property
    def upload_dir(self) -> Path:
        assert self.UPLOAD_DIR is not None
        return self.UPLOAD_DIR

    @property
    def artifacts_dir(self) -> Path:
        assert self.ARTIFACTS_DIR is not None
        return self.ARTIFACTS_DIR

    @property
    def max_upload_bytes(self) -> int:
        return self.MAX_UPLOAD_MB * 1024 * 1024

    def db_path(self, node: str | None = None) -> Path:
        return self.DATA_DIR / f"{node or self.NODE_NAME}.duckdb"

    def watch_folders(self) -> list[tuple[str | None, Path]]:
        """(node name or None for every node, folder) of each WATCH_FOLDERS entry."""
        out: list[tuple[str | None, Path]] = []
        for entry in self.WATCH_FOLDERS:
            node, sep, rest = entry.partition(":")
            if sep and rest.startswith("/") and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", node):
                out.append((node, Path(rest)))
            else:
                out.append((None, Path(entry)))
        return out

    def watch_folders_for(self, node: str) -> list[Path]:
        return [folder for name, folder in self.watch_folders() if name in (None, node)]

    def api_tokens(self) -> list[str]:
        tokens = [self.API_TOKEN] if self.API_TOKEN else []
        if self.API_TOKEN_FILE and self.API_TOKEN_FILE.exists():
            for line in self.API_TOKEN_FILE.read_text().splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    tokens.append(line)
        return tokens

    def ensure_dirs(self) -> None:
        for d in (self.DATA_DIR, self.upload_dir, self.artifacts_dir):
            d.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
