"""Extra voice-over clips for developing the spoken-brand path, apart from the dev set's ads.

English (or, with --lang fr, French) espeak-ng voices over the dev set's music bed
(benchmarks/devset/audio.py), 16 kHz mono WAV under benchmarks/out/spoken/. Two kinds:

- `brand`: a catalogue brand said once or twice (none of the dev set's 16 spoken brands), as the
  dev set's spoken_only ads say it ("<Name>. <tagline>", "Visit <name> dot com");
- `none`: copy with no brand at all, on purpose full of words that sound like brand names
  ("this winter", "absolutely", "right on here", "bumble bee"): a hinted second pass must not
  turn them into brands.

    python -m benchmarks.spoken_clips [--lang fr]  # render (cached), then run listen.py's passes
                                                    # on each clip: brands found, invented, CPU
"""

from __future__ import annotations

import json
import random
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.devset.audio import VOICES, Voice, mix_args, speak

OUT = Path(__file__).parent / "out" / "spoken"


@dataclass
class Clip:
    name: str
    brand: str  # "" = no brand is said
    lines: list[str]
    language: str = "en"


BRANDED = [
    ("Zalando",
     ["Free returns on every order", "Zalando. Style for everyone.", "Visit zalando dot com"]),
    ("Duolingo", ["Learn a language in five minutes a day", "Duolingo. Learn for free."]),
    ("Heineken", ["Brewed with passion since 1873", "Open your world. Heineken."]),
    ("Nespresso",
     ["Coffee the way you like it", "Nespresso. What else?", "Visit nespresso dot com"]),
    ("Deliveroo",
     ["Dinner at your door in twenty minutes", "Deliveroo. Food you love, delivered."]),
    ("Peugeot", ["The new electric SUV", "Peugeot. Motion and emotion.", "Visit peugeot dot com"]),
    ("Michelin", ["Tyres that last longer", "Michelin. A better way forward."]),
    ("Decathlon",
     ["Sport for all, all for sport", "Decathlon. Move more.", "Visit decathlon dot com"]),
    ("Orangina", ["Shake it before you drink it", "Orangina. Naturally juicy."]),
    ("Pampers", ["Dry all night long", "Pampers. Love, sleep and play.", "Visit pampers dot com"]),
    ("Colgate", ["Whiter teeth in one week", "Colgate. Smile with confidence."]),
    ("Uniqlo", ["Warmth without the weight", "Uniqlo. Life wear.", "Visit uniqlo dot com"]),
    ("Sephora", ["Beauty for every skin", "Sephora. Beauty has no rules."]),
    ("Gillette", ["Five blades, one smooth shave", "Gillette. The best a man can get.",
                  "Visit gillette dot com"]),
    ("Hyundai", ["Range for the long weekend", "Hyundai. New thinking, new possibilities."]),
    ("Skoda", ["Space for the whole family", "Skoda. Simply clever.", "Visit skoda dot com"]),
]  # fmt: skip
UNBRANDED = [
    ["This winter, give it a second life", "Sell what you don't wear"],
    ["Absolutely delicious, born to mix", "Find out more online"],
    ["Right on here, low fares made simple", "Book your seat today"],
    ["A bumble bee in the garden", "Fresh flowers every morning"],
    ["The electric revolution is here", "Book a test drive today"],
    ["Ask your doctor about it", "Healthcare made easier"],
    ["Speak from day one", "Three weeks to a new language"],
    ["Banking made simple", "No hidden fees abroad"],
    ["Because you're worth it", "Repairs damaged ends in one wash"],
    ["Give your kitchen a fresh look", "Nothing sticks, not even eggs"],
    ["Lower prices every day", "Visit our store this weekend"],
    ["The perfect gift for mum", "Order before Friday for free delivery"],
    ["Dublin from nineteen ninety nine", "Low fares, made simple"],
    ["Game on with friends tonight", "Four K at one hundred twenty frames"],
    ["Creamy and smooth, with live cultures", "One planet, one health"],
    ["Flame grilled, never fried", "Have it your way"],
]


# French voices (espeak-ng's French voices over the same bed): brands the dev and held-out
# spoken_only ads do not say, and copy with no brand whose words sound like names or are
# English words a French transcript may hold ("We have max" for Winamax)
BRANDED_FR = [
    ("Carrefour", ["Les prix bas toute l'année", "Carrefour. Mieux consommer, ensemble.",
                   "Rendez-vous sur carrefour point f r"]),
    ("Orangina", ["Secouez-le avant de le boire", "Orangina. Naturellement pulpeux."]),
    ("Peugeot", ["Le nouveau SUV électrique", "Peugeot. Motion et émotion.",
                 "Rendez-vous sur peugeot point f r"]),
    ("Michelin", ["Des pneus qui durent plus longtemps",
                  "Michelin. Une meilleure façon d'avancer."]),
    ("Sephora", ["La beauté pour toutes les peaux", "Sephora. La beauté n'a pas de règles."]),
    ("Leboncoin", ["Vendez ce qui dort dans vos placards", "Leboncoin. C'est simple.",
                   "Rendez-vous sur leboncoin point f r"]),
    ("Decathlon", ["Le sport pour tous", "Decathlon. Bougez plus.",
                   "Rendez-vous sur decathlon point f r"]),
    ("Evian", ["L'eau des Alpes", "Evian. Vivez jeune."]),
    ("Intermarché", ["Le producteur, c'est nous", "Intermarché. Tous unis contre la vie chère."]),
    ("Darty", ["Livré et installé chez vous", "Darty. Le contrat de confiance.",
               "Rendez-vous sur darty point com"]),
    ("Yves Rocher", ["La cosmétique végétale", "Yves Rocher. La beauté par la nature."]),
    ("Lidl", ["Des produits frais tous les jours", "Lidl. Le vrai prix des bonnes choses.",
              "Rendez-vous sur lidl point f r"]),
    ("BlaBlaCar", ["Partez à petit prix", "BlaBlaCar. Voyagez ensemble."]),
    ("Deezer", ["Toute la musique que vous aimez", "Deezer. Vivez la musique.",
                "Rendez-vous sur deezer point com"]),
    ("Nutella", ["Un petit déjeuner gourmand", "Nutella. Le goût du partage."]),
    ("Perrier", ["Des bulles fines et fraîches", "Perrier. C'est fou.",
                 "Rendez-vous sur perrier point com"]),
]
UNBRANDED_FR = [
    ["Un matin comme les autres", "Le café est prêt, la maison dort encore"],
    ["Nouvelle collection printemps", "Des couleurs pour toute la famille"],
    ["Le week-end commence ici", "Partez sans attendre, la mer vous attend"],
    ["Une abeille dans le jardin", "Des fleurs fraîches chaque matin"],
    ["Le goût de l'enfance", "Une recette de grand-mère, depuis toujours"],
    ["Bien dormir, enfin", "Un matelas ferme et doux à la fois"],
    ["Le club de foot du quartier", "Venez jouer avec nous samedi"],
    ["Des lunettes à votre vue", "La deuxième paire offerte"],
    ["Une peau douce toute la journée", "Testé sous contrôle dermatologique"],
    ["Une cuisine qui vous ressemble", "Rien n'attache, même pas les œufs"],
    ["Des prix bas tous les jours", "Venez en magasin ce week-end"],
    ["Le cadeau parfait pour maman", "Commandez avant vendredi"],
    ["Le double est de retour", "Comme vous l'aimez, welcome"],
    ["Jouez entre amis ce soir", "Quatre K à cent vingt images par seconde, game over"],
    ["Crémeux et doux, bon pour le ventre", "Une planète, une santé"],
    ["Grillé à la flamme, jamais frit", "Pariez en vrai supporter, max de cotes"],
]


def clips(language: str = "en") -> list[Clip]:
    if language == "fr":
        out = [Clip(f"fr-brand-{b.lower()}", b, lines, "fr") for b, lines in BRANDED_FR]
        return out + [Clip(f"fr-none-{i:02d}", "", lines, "fr")
                      for i, lines in enumerate(UNBRANDED_FR)]
    out = [Clip(f"brand-{b.lower()}", b, lines) for b, lines in BRANDED]
    out += [Clip(f"none-{i:02d}", "", lines) for i, lines in enumerate(UNBRANDED)]
    return out


def render(clip: Clip, seed: int) -> Path:
    wav = OUT / f"{clip.name}.wav"
    if wav.is_file():
        return wav
    rng = random.Random(seed)
    voice = rng.choice(VOICES[clip.language])
    speed, pitch = rng.randint(140, 180), rng.randint(35, 70)
    with tempfile.TemporaryDirectory() as tmp:
        parts: list[tuple[Path, float]] = []
        t = 0.5 + rng.uniform(0.0, 1.0)
        for k, line in enumerate(clip.lines):
            part = Path(tmp) / f"{k}.wav"
            seconds = speak(Voice(line, t, voice, speed, pitch), part)
            parts.append((part, t))
            t += seconds + rng.uniform(0.6, 3.0)
        total = t + 1.0
        inputs, graph, label = mix_args(total, parts, rng, 0)
        subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph,
                        "-map", label, "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(wav)],
                       check=True, capture_output=True, timeout=120)
    return wav


def measure(manifest: list[dict[str, object]]) -> None:
    """The speech stage's brand evidence per clip, as the embedded classifier fuses it: after
    tiny.en's second listen (the baseline) and after the rescue ladder's closer listen, which
    runs only when the second listen left the clip with no brand."""
    import time

    from adclf.brands.normalize import fold
    from adclf.pipeline.audio import read_wav
    from adclf.pipeline.brand_catalogue import get_catalogue
    from adclf.pipeline.listen import Heard, _listen_again, _listen_closer
    from adclf.pipeline.providers.embedded_brand import BrandGuess
    from adclf.pipeline.providers.embedded_fusion import fuse
    from adclf.pipeline.speech import get_recognizer
    from adclf.pipeline.speech.whisper import MIN_CONFIDENCE
    from adclf.pipeline.types import Evidence

    recognizer, catalogue = get_recognizer(), get_catalogue(None)

    def brand_of(heard: Heard) -> str:
        return fuse(Evidence([], [], 30.0, speech_lines=heard.lines), BrandGuess("", 0.0),
                    catalogue).brand

    tally = {"second": [0, 0, 0], "closer": [0, 0, 0]}  # found, wrong, invented
    cpu: list[float] = []
    closer_cpu: list[float] = []
    for row in manifest:
        samples = read_wav(Path(str(row["wav"])))
        t0 = time.process_time()
        everything = recognizer.transcribe_array(samples, min_confidence=0.0)
        heard = Heard([ln for ln in everything if ln.confidence >= MIN_CONFIDENCE])
        first = time.process_time() - t0
        # the ad's supers: the copy with no name in it (sets the voice's language, as on-screen
        # text does in the service)
        lines = row["lines"]
        assert isinstance(lines, list)
        name = fold(str(row["brand"])).replace(" ", "")
        written = [str(x) for x in lines if not name or name not in fold(str(x)).replace(" ", "")]
        _listen_again(heard, recognizer, samples, everything, None, written)
        cpu.append(time.process_time() - t0 - first)
        second = brand_of(heard)
        closer, t1 = second, time.process_time()
        if not second:
            _listen_closer(heard, recognizer, samples, None, written, first=everything)
            closer_cpu.append(time.process_time() - t1)
            closer = brand_of(heard)
        want = str(row["brand"])
        for name, brand in (("second", second), ("closer", closer)):
            tally[name][0] += bool(want) and brand == want
            tally[name][1] += bool(want) and bool(brand) and brand != want
            tally[name][2] += not want and bool(brand)
        print(f"{row['name']:18s} want {want or '-':10s} second listen {second or '-':12s} "
              f"closer {closer or '-':12s} CPU: first pass {first:.2f} s, second listen "
              f"{cpu[-1]:.2f} s" + (f", closer {closer_cpu[-1]:.2f} s" if not second else ""))
    n_brand = sum(1 for r in manifest if r["brand"])
    for name, (found, wrong, invented) in tally.items():
        print(f"after the {name} listen: brands found {found}/{n_brand}, wrong {wrong}, invented "
              f"on no-brand clips {invented}/{len(manifest) - n_brand}")
    print(f"second listen CPU mean {sum(cpu) / len(cpu):.2f} s; closer listen CPU mean "
          f"{sum(closer_cpu) / max(1, len(closer_cpu)):.2f} s over {len(closer_cpu)} clips")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=("en", "fr"), default="en",
                        help="the voices' language (default en)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    manifest: list[dict[str, object]] = []
    seed = 7_000 if args.lang == "en" else 8_000
    for i, clip in enumerate(clips(args.lang)):
        manifest.append({**asdict(clip), "wav": str(render(clip, seed + i))})
    (OUT / f"clips-{args.lang}.json").write_text(json.dumps(manifest, indent=1))
    print(f"{len(manifest)} clips in {OUT}")
    measure(manifest)


if __name__ == "__main__":
    main()
