"""Runs inside `unshare -n -m` (see test_air_gapped.py): the real service on a host cut off from
any network, then an upload, a by-filepath job and a folder job; writes what it saw as JSON.

The namespace has loopback and one veth whose default gateway never answers, so anything that
tries to leave the machine shows up as packets sent on it (ARP for the gateway, at least). Names
resolve through a recorder on 127.0.0.1:53 that answers nothing known, so every run-time lookup is
counted. /tmp/ray is private, so `serve run` starts its own Ray as on a fresh host."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

BASE = "http://127.0.0.1:8000"
DIRECT_PORT = 8001  # `make run` with ADCLF_DIRECT_PORT: the ingress replica's own port
DIRECT = f"http://127.0.0.1:{DIRECT_PORT}"


def sh(*cmd: str) -> None:
    subprocess.run(cmd, check=True)


def isolate(work: Path) -> None:
    sh("ip", "link", "set", "lo", "up")
    sh("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    for dev in ("v0", "v1"):
        Path(f"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6").write_text("1")
    sh("ip", "addr", "add", "10.203.0.1/24", "dev", "v0")
    sh("ip", "link", "set", "v1", "up")
    sh("ip", "link", "set", "v0", "up")
    sh("ip", "route", "add", "default", "via", "10.203.0.254", "dev", "v0")
    hosts, resolv, ray_tmp = work / "hosts", work / "resolv.conf", work / "ray"
    hosts.write_text(f"127.0.0.1 localhost {socket.gethostname()}\n::1 localhost\n")
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    ray_tmp.mkdir(exist_ok=True)
    sh("mount", "--bind", str(hosts), "/etc/hosts")
    sh("mount", "--bind", str(resolv), "/etc/resolv.conf")
    sh("mount", "--bind", str(ray_tmp), "/tmp/ray")


class DnsRecorder(threading.Thread):
    """Every query that reaches 127.0.0.1:53, answered NXDOMAIN at once."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 53))
        self.queries: list[tuple[float, str]] = []

    def run(self) -> None:
        while True:
            data, peer = self.sock.recvfrom(4096)
            self.queries.append((time.time(), _qname(data)))
            if len(data) >= 12:
                flags = b"\x81\x83"  # response, recursion available, NXDOMAIN
                self.sock.sendto(data[:2] + flags + data[4:6] + b"\x00" * 6 + data[12:], peer)


def _qname(packet: bytes) -> str:
    labels, i = [], 12
    while i < len(packet) and packet[i]:
        n = packet[i]
        labels.append(packet[i + 1:i + 1 + n].decode(errors="replace"))
        i += n + 1
    return ".".join(labels)


def tx_packets(dev: str = "v0") -> int:
    out = subprocess.run(["ip", "-s", "-j", "link", "show", dev], check=True,
                         capture_output=True, text=True).stdout
    return int(json.loads(out)[0]["stats64"]["tx"]["packets"])


def call(method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 30.0, base: str = BASE) -> Any:
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback only
        return json.loads(resp.read())


def read_stream(url: str, timeout: float = 60.0) -> str:
    """A final job's event stream ends by itself: its whole text."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
        return str(resp.read().decode(errors="replace"))


def direct_port_checks(job_id: str) -> dict[str, Any]:
    """The same service on the direct port: health, a job, its event stream, an upload."""
    out: dict[str, Any] = {"health": call("GET", "/health", base=DIRECT)["status"]}
    out["job_status"] = call("GET", f"/jobs/{job_id}", base=DIRECT)["status"]
    out["stream_has_final"] = '"completed"' in read_stream(f"{DIRECT}/jobs/{job_id}/stream")
    return out


def upload(path: Path, base: str = BASE) -> tuple[dict[str, Any], float]:
    boundary = "adclf-airgap-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: video/mp4\r\n\r\n").encode()
    body += path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    started = time.monotonic()
    answer = call("POST", "/jobs/upload", body,
                  {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=60,
                  base=base)
    return answer, time.monotonic() - started


def wait_final(job_ids: list[str], deadline: float) -> dict[str, dict[str, Any]]:
    final: dict[str, dict[str, Any]] = {}
    while time.time() < deadline and len(final) < len(job_ids):
        for job_id in job_ids:
            if job_id not in final:
                job = call("GET", f"/jobs/{job_id}")
                if job["status"] in ("completed", "failed"):
                    final[job_id] = job
        time.sleep(1.0)
    return final


def start(command: list[str], checkout: Path, env: dict[str, str], log: Path
          ) -> tuple[subprocess.Popen[bytes], bool]:
    """Start the service and wait until /health on the main port says ok."""
    # SIGINT at its default, as in a terminal: a shell that starts a job in the background hands
    # it down ignored, and `serve run` would then sleep through the Ctrl-C that `stop` sends
    proc = subprocess.Popen(command, cwd=checkout, env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if call("GET", "/health", timeout=5)["status"] == "ok":
                return proc, True
        except Exception:  # noqa: BLE001 - not up yet
            pass
        if proc.poll() is not None:
            break
        time.sleep(1.0)
    return proc, False


def stop(proc: subprocess.Popen[bytes]) -> float | None:
    """Ctrl-C, as a user stops `make run`: the seconds until it exited, None if it did not
    within a minute."""
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)  # `serve run` stops the Ray it started
    try:
        proc.wait(timeout=60)
        took: float | None = time.monotonic() - started
    except subprocess.TimeoutExpired:
        proc.kill()
        took = None
    stop_namespace_processes()
    return took


def post_json(path: str, body: dict[str, Any]) -> Any:
    return call("POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"})


def main() -> int:
    checkout, work = Path(sys.argv[1]), Path(sys.argv[2])
    videos = work / "videos"
    isolate(work)
    dns = DnsRecorder()
    dns.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(DATA_DIR=str(work / "data"), ALLOWED_FOLDER_ROOTS=str(videos),
               WORKERS_PER_NODE="1", RAY_USAGE_STATS_ENABLED="0")
    log = work / "serve.log"
    report: dict[str, Any] = {"started": False}
    # 1. Exactly what a user types: no --address, no RAY_AUTH_MODE (Ray's token auth is on).
    serve, report["started"] = start([str(checkout / ".venv/bin/serve"), "run",
                                      "serve_config.yaml"], checkout, env, log)
    try:
        if not report["started"]:
            return _write(work, report)
        dns_before, tx_before, t0 = len(dns.queries), tx_packets(), time.time()
        up, up_seconds = upload(videos / "upload.mp4")
        by_path = post_json("/jobs/by-filepath", {"file_path": str(videos / "server.mp4")})
        folder = post_json("/jobs/by-folder", {"folder_path": str(videos / "folder")})
        ids = [up["job_id"], by_path["job_id"], *[j["job_id"] for j in folder]]
        jobs = wait_final(ids, time.time() + 300)
        report.update(
            upload_seconds=up_seconds, job_ids=ids, jobs=jobs,
            run_time_dns=[q for t, q in dns.queries[dns_before:] if t >= t0],
            startup_dns=[q for _, q in dns.queries[:dns_before]],
            run_time_tx_packets=tx_packets() - tx_before,
        )
    finally:
        report["stop_seconds"] = stop(serve)
    # 2. What `make run` runs after its set-up (scripts/run.sh): the same service, same data,
    # also on the ingress replica's own port.
    env["ADCLF_DIRECT_PORT"] = str(DIRECT_PORT)
    serve, started = start(["bash", str(checkout / "scripts/run.sh")], checkout, env, log)
    report["direct"] = {"started": started}
    try:
        if started:
            dns_before, tx_before = len(dns.queries), tx_packets()
            report["direct"].update(direct_port_checks(by_path["job_id"]))
            direct_up, _ = upload(videos / "upload.mp4", base=DIRECT)
            done = wait_final([direct_up["job_id"]], time.time() + 300)
            report["direct"]["upload"] = {k: v.get(k) for v in done.values()
                                          for k in ("status", "brand")}
            report["direct"]["run_time_dns"] = [q for _, q in dns.queries[dns_before:]]
            report["direct"]["run_time_tx_packets"] = tx_packets() - tx_before
            report["direct"]["niceness"] = actor_niceness()
    finally:
        report["direct"]["stop_seconds"] = stop(serve)
    return _write(work, report)


def _ours() -> list[Path]:
    """/proc entries of the processes in this mount namespace, but us."""
    own = os.readlink("/proc/self/ns/mnt")
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if os.readlink(entry / "ns/mnt") == own:
                out.append(entry)
        except OSError:
            continue  # gone meanwhile, or not ours to see
    return out


def actor_niceness() -> dict[str, list[int]]:
    """The niceness of this namespace's ingress replica, job store and worker processes (their
    main threads), by the name Ray gives each process."""
    out: dict[str, list[int]] = {}
    for entry in _ours():
        try:
            name = (entry / "cmdline").read_bytes().split(b"\0")[0].decode()
            nice = os.getpriority(os.PRIO_PROCESS, int(entry.name))  # its main thread's
        except (OSError, ValueError):
            continue
        for kind in ("ServeReplica", "JobStore", "Worker"):
            if name.startswith(f"ray::{kind}"):
                out.setdefault(kind, []).append(nice)
    return {k: sorted(v) for k, v in sorted(out.items())}


def stop_namespace_processes() -> None:
    """Kill what is left of this namespace's Ray: every process in this mount namespace but us.
    Never `ray stop`: it matches Ray processes by name machine-wide, and would kill the Ray of
    the test session that runs us (the namespaces isolate network and mounts, not processes)."""
    for entry in _ours():
        try:
            os.kill(int(entry.name), signal.SIGKILL)
        except OSError:
            continue  # gone meanwhile


def _write(work: Path, report: dict[str, Any]) -> int:
    (work / "report.json").write_text(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
