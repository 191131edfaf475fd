"""`adclf nodes`: a node in maintenance is shown as not accepting jobs (it said "Accepting yes"),
against the real Serve app."""

# ruff: noqa: F811 (fixtures imported from cli_support are parameters of the same name)
from __future__ import annotations

from typing import TYPE_CHECKING

from cli_support import Run, cli  # noqa: F401 (fixtures)

from adclf.cli.render import accepting, node_views

if TYPE_CHECKING:
    from tests.conftest import LiveServer


def _row(stdout: str, node: str) -> list[str]:
    """The cells of the node's row in the rich table: Node, Alive, Accepting, Maint., …"""
    line = next(ln for ln in stdout.splitlines() if f" {node} " in ln)
    return [cell.strip() for cell in line.strip().strip("┃│").split("│")]


def test_a_node_in_maintenance_is_not_accepting(live_server: LiveServer, cli: Run) -> None:
    on = cli("maintenance", "node-a", "on", server=live_server.url)
    try:
        assert on.exit_code == 0, on.output
        # The maintenance command's own table, then the listing.
        assert _row(on.stdout, "node-a")[1:4] == ["yes", "no", "yes"], on.stdout
        shown = cli("nodes", server=live_server.url)
        assert shown.exit_code == 0, shown.output
        assert _row(shown.stdout, "node-a")[1:4] == ["yes", "no", "yes"], shown.stdout
    finally:
        off = cli("maintenance", "node-a", "off", server=live_server.url)
    assert off.exit_code == 0, off.output
    shown = cli("nodes", server=live_server.url)
    assert _row(shown.stdout, "node-a")[1:4] == ["yes", "yes", "no"], shown.stdout


def test_accepting_reads_the_flag_or_derives_it_from_an_older_server() -> None:
    view = {"node": "n", "alive": True, "available": True, "maintenance": True}
    assert accepting(view) is False
    assert accepting({**view, "maintenance": False}) is True
    assert accepting({**view, "maintenance": False, "available": False}) is False
    assert accepting({**view, "accepting_new_jobs": False, "maintenance": False}) is False
    # /cluster/nodes: the original's object with our views under node_views, or a bare list.
    assert node_views({"nodes": {"n": "n"}, "node_views": [view]}) == [view]
    assert node_views([view]) == [view]
