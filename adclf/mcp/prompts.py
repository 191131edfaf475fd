"""MCP prompts: investigate one job, compare two. They tell the model which tools and resources
hold the facts, so its answer rests on what adclf recorded rather than on guesses."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer


def register(server: MCPServer[Any]) -> None:
    @server.prompt(name="investigate_job", title="Investigate a job")
    def investigate_job(job_id: str) -> str:
        """Explain one job's verdict from its evidence, and say how far to trust it."""
        return (
            f"Investigate the adclf job {job_id}.\n"
            f"1. Call job_status (job_id={job_id!r}, wait_seconds=0); if it is not completed "
            "or failed yet, say so and call it again with wait_seconds=120.\n"
            "2. If it failed, read job_events and give the failing stage and error.\n"
            "3. Otherwise read job_result, job_explanation and job_artifacts (or the resources "
            f"adclf://jobs/{job_id}/result, …/explanation, …/artifacts).\n"
            "4. Report the brand and the category (id, name and path), the confidence, and the "
            "evidence each rests on (on-screen text, logos, speech, the category mapper's "
            "candidates). Name any setting the explanation says was substituted or not used.\n"
            "5. If the category looks doubtful, call taxonomy_candidates with the product "
            "phrase and say which category you would expect and why.\n"
            "Quote the job's own data; do not guess what it does not show."
        )

    @server.prompt(name="compare_jobs", title="Compare two jobs")
    def compare_jobs(job_a: str, job_b: str) -> str:
        """Compare two jobs' verdicts, settings and evidence."""
        return (
            f"Compare the adclf jobs {job_a} and {job_b}.\n"
            "For each, call job_status, job_result and job_explanation (or read the resources "
            "adclf://jobs/{id}/result and adclf://jobs/{id}/explanation).\n"
            "Make a table: settings (provider, scan mode, OCR engine and mode), brand, "
            "category (id and path), confidence, duration, and the evidence behind each "
            "verdict. Then say where they differ, which answer the evidence supports better, "
            "and which setting most likely explains the difference."
        )
