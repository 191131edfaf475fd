"""Agent mode (`mode=agent`): an LLM provider investigates the video with tools (on-screen text,
speech, frames, logos, taxonomy, brand catalogue) until it gives its answer, within bounded
steps and time; every step is recorded in the explanation.

    run.py       the job from the runner's side: provider, loop, result
    loop.py      the tool-calling loop and its bounds
    tools.py     the tools' specs, argument checks and dispatch
    evidence.py  tools over the video (footage.py reads its frames)
    knowledge.py tools over the taxonomy and the brand catalogue
    steps.py     the record of every step; outcome.py puts it in the result
The wire formats (Ollama, OpenAI tool calls) are the providers' (providers/tool_chat.py)."""
