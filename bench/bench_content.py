"""Content benchmark: about 1 MB of mixed Markdown converted both ways.

Run with ``python -m bench.bench_content``. The input is generated from a fixed
seed: headings, paragraphs with every inline mark, links and math, nested lists,
code fences, tables, quotes, callouts, spoilers and images. Each conversion
runs ``ROUNDS`` times, taking turns with the others so that a change in the load
of the machine affects all of them, and the fastest run counts.

The baseline is markdown-it-py rendering the same Markdown as HTML, measured in
the same process and run: once with the parser settings that
``markdown_to_ed_document`` uses (plugins included) and once with plain
CommonMark plus tables and strikethrough. The figures to quote are the ratios
of each conversion's time to the first baseline (target: at most 2).
"""

from __future__ import annotations

import os
import platform
import random
import time
from collections.abc import Callable

from markdown_it import MarkdownIt

from pyedstem.content import (
    ed_document_to_markdown,
    ed_document_to_text,
    markdown_to_ed_document,
)
from pyedstem.content._parser import PARSER

TARGET_CHARACTERS = 1_000_000
ROUNDS = 5
SEED = 20240901
TARGET_RATIO = 2.0

_TEXT = (
    "the exam covers weeks one to five and the homework is due on Friday at noon "
    "please post questions here rather than by email so everyone sees the answer "
    "recursion base case invariant pointer array matrix vector proof lemma graph"
)
_WORDS = _TEXT.split(" ")


def _phrase(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(count))


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 7)):
        words = _phrase(rng, rng.randint(2, 6))
        form = rng.choice(
            [
                "{}",
                "{}",
                "**{}**",
                "*{}*",
                "~~{}~~",
                "`{}`",
                "[{}](https://example.com/docs?page=2&x=1)",
                "<u>{}</u>",
                "$x_{{i}}^2 + y$ {}",
                "{} \\(\\frac{{a}}{{b}}\\)",
                "{} snake_case 5 < 6 && 7 > 2",
            ]
        )
        parts.append(form.format(words))
    text = " ".join(parts)
    if rng.random() < 0.3:
        text += "  \n" + _phrase(rng, 6)
    return text + "."


def _section(rng: random.Random, number: int) -> str:
    blocks = [
        f"## Section {number}: {_phrase(rng, 3)}",
        _paragraph(rng),
        _paragraph(rng),
    ]
    blocks.append(
        "\n".join(
            [
                f"- {_paragraph(rng)}",
                f"  - {_phrase(rng, 5)}",
                f"    1. {_phrase(rng, 4)}",
                f"- {_phrase(rng, 6)}",
            ]
        )
    )
    kind = number % 6
    if kind == 0:
        code = "\n".join(f"    x{i} = compute({i}) < {i * 2}  # step" for i in range(8))
        blocks.append(f"```python\ndef solve():\n{code}\n    return x0\n```")
    elif kind == 1:
        rows = [
            f"| {_phrase(rng, 2)} | **{rng.randint(1, 99)}** | `{i}` |"
            for i in range(5)
        ]
        blocks.append("| Name | Score | Id |\n|---|---:|---|\n" + "\n".join(rows))
    elif kind == 2:
        blocks.append(f"> [!WARNING]\n> {_paragraph(rng)}")
    elif kind == 3:
        blocks.append(f"> {_paragraph(rng)}\n>\n> {_phrase(rng, 8)}")
    elif kind == 4:
        blocks.append("$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$")
        blocks.append(
            f"![plot {number}](https://static.example.com/files/{number}.png)"
        )
    else:
        blocks.append(
            f"<details><summary>Spoiler</summary>\n\n{_paragraph(rng)}\n\n</details>"
        )
    return "\n\n".join(blocks)


def sample_markdown(characters: int = TARGET_CHARACTERS) -> str:
    """Generate the benchmark input: mixed Markdown of at least ``characters``."""
    rng = random.Random(SEED)
    sections: list[str] = []
    length = 0
    number = 0
    while length < characters:
        number += 1
        section = _section(rng, number)
        sections.append(section)
        length += len(section) + 2
    return "\n\n".join(sections)


def _fastest(jobs: dict[str, tuple[Callable[[str], object], str]]) -> dict[str, float]:
    """Return the fastest of ``ROUNDS`` timed runs of each job, run in turns."""
    best = dict.fromkeys(jobs, float("inf"))
    for _ in range(ROUNDS):
        for name, (function, argument) in jobs.items():
            started = time.perf_counter()
            function(argument)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def run() -> dict[str, object]:
    """Time both conversions and markdown-it-py's HTML rendering of the input."""
    markdown = sample_markdown()
    document = markdown_to_ed_document(markdown)
    markdown_megabytes = len(markdown.encode("utf-8")) / 1e6
    document_megabytes = len(document.encode("utf-8")) / 1e6
    commonmark = MarkdownIt("commonmark").enable(["table", "strikethrough"])

    seconds = _fastest(
        {
            "html_same_parser": (PARSER.render, markdown),
            "html_commonmark": (commonmark.render, markdown),
            "markdown_to_ed": (markdown_to_ed_document, markdown),
            "ed_to_markdown": (ed_document_to_markdown, document),
            "ed_to_text": (ed_document_to_text, document),
        }
    )
    baseline = seconds["html_same_parser"]
    inputs = {
        "html_same_parser": markdown_megabytes,
        "html_commonmark": markdown_megabytes,
        "markdown_to_ed": markdown_megabytes,
        "ed_to_markdown": document_megabytes,
        "ed_to_text": document_megabytes,
    }
    return {
        "markdown_mb": round(markdown_megabytes, 3),
        "ed_xml_mb": round(document_megabytes, 3),
        "rounds": ROUNDS,
        "seconds": {name: round(value, 3) for name, value in seconds.items()},
        "throughput_mb_per_s": {
            name: round(inputs[name] / value, 3) for name, value in seconds.items()
        },
        "ratio_to_html_same_parser": {
            name: round(value / baseline, 2) for name, value in seconds.items()
        },
        "ratio_to_html_commonmark": {
            name: round(value / seconds["html_commonmark"], 2)
            for name, value in seconds.items()
        },
        "target_ratio": TARGET_RATIO,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "system": platform.platform(),
        },
    }


def main() -> None:
    """Print the figures as a short table."""
    figures = run()
    seconds = figures["seconds"]
    throughput = figures["throughput_mb_per_s"]
    ratios = figures["ratio_to_html_same_parser"]
    assert isinstance(seconds, dict)
    assert isinstance(throughput, dict)
    assert isinstance(ratios, dict)
    print(
        f"input: {figures['markdown_mb']} MB Markdown,"
        f" {figures['ed_xml_mb']} MB Ed XML; fastest of {figures['rounds']} runs;"
        f" {figures['machine']}"
    )
    print(f"{'conversion':<18} {'seconds':>8} {'MB/s':>7} {'x HTML':>7}")
    for name in seconds:
        print(f"{name:<18} {seconds[name]:>8} {throughput[name]:>7} {ratios[name]:>7}")


if __name__ == "__main__":
    main()
