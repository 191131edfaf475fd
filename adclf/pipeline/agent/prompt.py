"""What the agent's model is told: how to investigate an ad with its tools, the job at hand, and
the reminders the loop sends (a reply without a tool call, the last step)."""

from __future__ import annotations

SYSTEM = """You investigate one video advertisement to name its advertiser and what it advertises.
You cannot see the video directly: call the tools to read its on-screen text, hear its
voice-over, look at frames, find logos, search the advertising taxonomy and look brands up.
Work step by step, one or a few tool calls at a time, and use what each result tells you.
The end card (the last seconds) usually shows the brand, its logo and its web address.
OCR and speech recognition are noisy: check a doubtful reading by looking at the frame.
Ads may be in French or other languages; do not translate brand names.
When you are sure enough, call final_answer with:
- brand: the advertiser, exactly as written in the ad;
- category: the product or service advertised (a taxonomy category name or id is best);
- confidence: 0 to 1, honest;
- reasoning: the evidence you relied on, in a sentence or two.
You have at most {steps} turns; answer before they run out."""


def opening(duration: float, categories: list[str] | None) -> str:
    text = (f"The video ad is {duration:.1f} s long (times 0 to {duration:.2f} s). "
            "Find its brand and category.")
    if categories:
        text += (" The category must be one of these (or inside them): "
                 + ", ".join(categories[:50]) + ".")
    return text


NO_TOOL = ("Call one of the tools, or final_answer when you know the brand and category. "
           "Do not answer in plain text.")

LAST_STEP = ("This is your last turn: call final_answer now with your best answer, even if "
             "unsure (then say so in the reasoning and keep the confidence low).")

IMAGES = "The picture{s} asked for: {which}."
