"""Fake names and Ed XML bodies for generated threads, answers and comments.

A body is built from a ``(kind, seed)`` pair on first use and cached, so a
world with 100,000 threads stores two small integers per body instead of the
text. :func:`build_body` returns the Ed XML (``content``) together with the
plain-text rendering Ed sends as ``document``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree

FIRST_NAMES = (
    "Amara", "Ben", "Chen", "Dalia", "Elif", "Farid", "Grace", "Hiro", "Isla",
    "Jonah", "Kavya", "Liam", "Mei", "Nikhil", "Olivia", "Pedro", "Quinn",
    "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe",
    "Arjun", "Bianca", "Caleb", "Dina", "Emeka", "Freya", "Gus", "Hana",
    "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nora",
)  # fmt: skip

LAST_NAMES = (
    "Abbott", "Brennan", "Castillo", "Dang", "Ekwueme", "Fischer", "Gupta",
    "Haddad", "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura",
    "Okafor", "Petrov", "Quist", "Ramos", "Silva", "Tanaka", "Ueda", "Varga",
    "Walsh", "Xu", "Yilmaz", "Zhang", "Achterberg", "Bose", "Costa", "Duarte",
    "Evans", "Farouk", "Gallo", "Horvat", "Iqbal", "Juarez", "Kim", "Lopez",
    "Mensah", "Novak",
)  # fmt: skip

IMAGE_HOST = "https://static.au.edusercontent.com/files/"


@dataclass(frozen=True, slots=True)
class Topic:
    """One subject a generated thread is about."""

    name: str
    subject: str
    code: str
    formula: str
    term: str


TOPICS: tuple[Topic, ...] = (
    Topic(
        "recursion",
        "programming",
        "def depth(node):\n    if node is None:\n        return 0\n"
        "    return 1 + max(depth(node.left), depth(node.right))",
        r"T(n) = 2T(n/2) + O(1)",
        "base case",
    ),
    Topic(
        "list comprehensions",
        "programming",
        "squares = [x * x for x in range(10) if x % 2 == 0]\nprint(squares)",
        r"\sum_{i=0}^{4} (2i)^2",
        "filter clause",
    ),
    Topic(
        "dictionaries",
        "programming",
        "counts = {}\nfor word in text.split():\n"
        "    counts[word] = counts.get(word, 0) + 1",
        r"O(1)",
        "hash collision",
    ),
    Topic(
        "file handling",
        "programming",
        'with open("marks.csv") as handle:\n'
        '    rows = [line.strip().split(",") for line in handle]',
        r"n \times m",
        "context manager",
    ),
    Topic(
        "binary search",
        "programming",
        "while low <= high:\n    mid = (low + high) // 2\n"
        "    if items[mid] < target:\n        low = mid + 1\n"
        "    else:\n        high = mid - 1",
        r"\lceil \log_2 n \rceil",
        "loop invariant",
    ),
    Topic(
        "classes and objects",
        "programming",
        "class Account:\n    def __init__(self, owner):\n"
        "        self.owner = owner\n        self.balance = 0",
        r"1 + 1 = 2",
        "instance attribute",
    ),
    Topic(
        "exceptions",
        "programming",
        "try:\n    value = int(text)\nexcept ValueError as error:\n"
        '    print(f"bad input: {error}")',
        r"P(\text{error}) < 0.01",
        "traceback",
    ),
    Topic(
        "sorting",
        "programming",
        "people.sort(key=lambda person: (person.age, person.name))",
        r"O(n \log n)",
        "stable sort",
    ),
    Topic(
        "linked lists",
        "programming",
        "node = head\nwhile node is not None and node.value != target:\n"
        "    node = node.next",
        r"O(n)",
        "sentinel node",
    ),
    Topic(
        "unit testing",
        "programming",
        "def test_total():\n    assert total([1, 2, 3]) == 6\n"
        "    assert total([]) == 0",
        r"\forall x \in S",
        "edge case",
    ),
    Topic(
        "conditional probability",
        "statistics",
        "p_b_given_a = joint[a][b] / sum(joint[a].values())",
        r"P(B \mid A) = \frac{P(A \cap B)}{P(A)}",
        "Bayes' rule",
    ),
    Topic(
        "the central limit theorem",
        "statistics",
        "means = [sum(random.sample(data, 30)) / 30 for _ in range(1000)]",
        r"\bar{X} \sim N\left(\mu, \frac{\sigma^2}{n}\right)",
        "sampling distribution",
    ),
    Topic(
        "hypothesis tests",
        "statistics",
        "t_stat = (mean - mu0) / (sd / n ** 0.5)",
        r"t = \frac{\bar{x} - \mu_0}{s / \sqrt{n}}",
        "p-value",
    ),
    Topic(
        "linear regression",
        "statistics",
        "slope = sum((x - mx) * (y - my) for x, y in pairs) / sxx",
        r"\hat{\beta}_1 = \frac{S_{xy}}{S_{xx}}",
        "residual",
    ),
    Topic(
        "confidence intervals",
        "statistics",
        "low, high = mean - 1.96 * se, mean + 1.96 * se",
        r"\bar{x} \pm z_{0.975} \frac{\sigma}{\sqrt{n}}",
        "coverage",
    ),
    Topic(
        "random variables",
        "statistics",
        "expected = sum(value * prob for value, prob in pmf.items())",
        r"E[X] = \sum_x x \, p(x)",
        "variance",
    ),
)


def topic_indexes(subject: str) -> list[int]:
    """Return the indexes in :data:`TOPICS` that belong to ``subject``."""
    return [i for i, topic in enumerate(TOPICS) if topic.subject == subject]


def topic_for(seed: int) -> Topic:
    """Return the topic a body seed is about."""
    return TOPICS[seed % len(TOPICS)]


def escape(text: str) -> str:
    """Escape text for an XML element body."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """Escape text for a double-quoted XML attribute."""
    return escape(text).replace('"', "&quot;")


Part = tuple[str, str]
"""A fragment as (Ed XML, plain text)."""


def _text(value: str) -> Part:
    return escape(value), value


def _wrap(tag: str, value: str) -> Part:
    return f"<{tag}>{escape(value)}</{tag}>", value


def _link(href: str, label: str) -> Part:
    return f'<link href="{escape_attribute(href)}">{escape(label)}</link>', label


def _paragraph(*parts: Part) -> Part:
    xml = "".join(part[0] for part in parts)
    text = "".join(part[1] for part in parts)
    return f"<paragraph>{xml}</paragraph>", text


def _heading(level: int, value: str) -> Part:
    return f'<heading level="{level}">{escape(value)}</heading>', value


def _snippet(code: str, language: str = "py") -> Part:
    xml = (
        f'<snippet language="{language}" runnable="false" line-numbers="true">'
        f'<snippet-file id="code">{escape(code)}</snippet-file></snippet>'
    )
    return xml, code


def _block_math(latex: str) -> Part:
    return f"<math>{escape(latex)}</math>", latex


def _list(style: str, items: Sequence[str]) -> Part:
    xml = "".join(
        f"<list-item><paragraph>{escape(item)}</paragraph></list-item>"
        for item in items
    )
    return f'<list style="{style}">{xml}</list>', "\n".join(items)


def _callout(kind: str, *parts: Part) -> Part:
    inner = _paragraph(*parts)
    return f'<callout type="{kind}">{inner[0]}</callout>', inner[1]


def _figure(rng: random.Random) -> Part:
    file_id = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24)
    )
    width, height = rng.choice(((640, 360), (800, 450), (1024, 576)))
    xml = (
        f'<figure><image src="{IMAGE_HOST}{file_id}" width="{width}" '
        f'height="{height}"/></figure>'
    )
    return xml, ""


def _document(blocks: Sequence[Part]) -> tuple[str, str]:
    xml = "".join(block[0] for block in blocks)
    text = "\n".join(block[1] for block in blocks if block[1])
    return f'<document version="2.0">{xml}</document>', text


def _question(rng: random.Random, topic: Topic) -> list[Part]:
    style = rng.randrange(5)
    if style == 0:
        return [
            _paragraph(
                _text(f"I am working through the exercises on {topic.name} and my "),
                _wrap("code", "solve"),
                _text(" function fails on the second test case."),
            ),
            _snippet(topic.code),
            _paragraph(
                _text("The error mentions the "),
                _wrap("bold", topic.term),
                _text(". What am I missing?"),
            ),
        ]
    if style == 1:
        return [
            _paragraph(
                _text("In the lecture on "),
                _wrap("italic", topic.name),
                _text(" the slides give "),
                _wrap("math", topic.formula),
                _text(". Where does that come from?"),
            ),
        ]
    if style == 2:
        return [
            _paragraph(_text(f"Two quick questions about {topic.name}:")),
            _list(
                "number",
                [
                    f"Do we need to handle the {topic.term} ourselves?",
                    "Is it fine to use the standard library here?",
                ],
            ),
        ]
    if style == 3:
        return [
            _paragraph(_text("Could someone explain this step from the notes?")),
            _block_math(topic.formula),
            _paragraph(_text(f"I do not see how it follows from the {topic.term}.")),
        ]
    return [
        _paragraph(
            _text("My output looks like the screenshot below. The spec page "),
            _link("https://example.edu/spec", "https://example.edu/spec"),
            _text(" says it should not."),
        ),
        _figure(rng),
    ]


def _post(rng: random.Random, topic: Topic) -> list[Part]:
    if rng.random() < 0.5:
        return [
            _paragraph(
                _text(f"I put together some notes on {topic.name} while revising.")
            ),
            _list(
                "bullet",
                [
                    f"Start from the {topic.term} and build up.",
                    "Draw the state on paper before you code it.",
                    "Test the smallest input first.",
                ],
            ),
            _paragraph(
                _text("The visualiser at "),
                _link("https://example.edu/visualise", "this page"),
                _text(" helped me a lot."),
            ),
        ]
    return [
        _paragraph(
            _text(f"Is anyone keen to form a study group for {topic.name}? "),
            _wrap("bold", "Thursdays after the lab"),
            _text(" would suit me."),
        ),
    ]


def _announcement(rng: random.Random, topic: Topic) -> list[Part]:
    week = rng.randint(2, 12)
    return [
        _heading(2, f"Week {week} update"),
        _paragraph(
            _text(f"This week we cover {topic.name}. Please read the notes before "),
            _wrap("bold", "Tuesday's lecture"),
            _text("."),
        ),
        _callout(
            "warning",
            _text("The assignment is due "),
            _wrap("bold", "Friday at 17:00"),
            _text(" Sydney time."),
        ),
        _list(
            "bullet",
            [
                "Lab sheets are on the lessons page.",
                "Consultation runs on Wednesday.",
            ],
        ),
    ]


def _answer(rng: random.Random, topic: Topic) -> list[Part]:
    style = rng.randrange(3)
    if style == 0:
        return [
            _paragraph(
                _text("Check the "),
                _wrap("bold", topic.term),
                _text(" first. A version that works:"),
            ),
            _snippet(topic.code),
        ]
    if style == 1:
        return [
            _paragraph(
                _text("It follows from "),
                _wrap("math", topic.formula),
                _text("; the notes for week 3 derive it step by step."),
            ),
        ]
    return [
        _paragraph(
            _text(f"Yes. For {topic.name} you can assume valid input, "),
            _wrap("italic", "unless the spec says otherwise"),
            _text("."),
        ),
    ]


def _comment(rng: random.Random, topic: Topic) -> list[Part]:
    choices = (
        [_paragraph(_text("Thanks, that fixed it!"))],
        [_paragraph(_text(f"I had the same problem with the {topic.term}."))],
        [
            _paragraph(
                _text("Does this also apply to "),
                _wrap("code", "part_b"),
                _text("?"),
            )
        ],
        [_paragraph(_text("Following, I would like to know too."))],
        [
            _paragraph(
                _text("See also "),
                _link("https://example.edu/faq", "the FAQ"),
                _text("."),
            )
        ],
    )
    return choices[rng.randrange(len(choices))]


_BUILDERS = {
    "question": _question,
    "post": _post,
    "announcement": _announcement,
    "answer": _answer,
    "comment": _comment,
}

BODY_KINDS = tuple(_BUILDERS)


@lru_cache(maxsize=8192)
def build_body(kind: str, seed: int) -> tuple[str, str]:
    """Build the Ed XML and the plain-text ``document`` of a generated body."""
    rng = random.Random(seed * 7919 + len(kind))
    blocks = _BUILDERS[kind](rng, topic_for(seed))
    return _document(blocks)


def thread_title(kind: str, seed: int, category: str) -> str:
    """Return a title for a generated thread of type ``kind``."""
    topic = topic_for(seed)
    choice = (seed // len(TOPICS)) % 4
    if kind == "announcement":
        options = (
            f"{category}: what to expect this week",
            f"Reminder about {topic.name}",
            "Consultation times updated",
            f"Clarification on {topic.name}",
        )
    elif kind == "post":
        options = (
            f"Notes on {topic.name}",
            f"Study group for {topic.name}",
            f"Useful resource for {category}",
            f"Tip: {topic.term}",
        )
    else:
        options = (
            f"Question about {topic.name}",
            f"Error with {topic.term} in {category}",
            f"How does {topic.name} work?",
            f"Stuck on {topic.name}",
        )
    return options[choice]


def fake_name(rng: random.Random, used: set[str]) -> str:
    """Return a fake full name that is not yet in ``used``."""
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            return name


_LEAF_BLOCKS = frozenset({"paragraph", "heading", "pre", "snippet", "math"})
_CONTAINER_BLOCKS = frozenset(
    {
        "document",
        "list",
        "list-item",
        "callout",
        "spoiler",
        "blockquote",
        "figure",
        "image",
        "file",
        "video",
        "table",
        "table-row",
        "table-cell",
        "web-snippet",
        "web-snippet-file",
    }
)


def _leaf_text(element: ElementTree.Element) -> str:
    pieces = [element.text or ""]
    for child in element:
        pieces.append("\n" if child.tag == "break" else _leaf_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _collect_lines(element: ElementTree.Element, lines: list[str]) -> None:
    inline: list[str] = [element.text or ""]

    def flush() -> None:
        text = "".join(inline).strip()
        if text:
            lines.append(text)
        inline.clear()

    for child in element:
        if child.tag in _LEAF_BLOCKS:
            flush()
            text = _leaf_text(child).strip("\n")
            if text:
                lines.append(text)
        elif child.tag in _CONTAINER_BLOCKS:
            flush()
            _collect_lines(child, lines)
        else:
            inline.append(_leaf_text(child))
        inline.append(child.tail or "")
    flush()


def parse_document(xml: str) -> ElementTree.Element:
    """Parse Ed XML, raising ``ValueError`` when it is not a ``<document>``."""
    try:
        root = DefusedElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise ValueError(f"content is not well-formed XML: {error}") from error
    if root.tag != "document":
        raise ValueError(f"content root must be <document>, not <{root.tag}>")
    return root


def plain_text(xml: str) -> str:
    """Render Ed XML as the plain text Ed sends in ``document`` fields.

    Tags are dropped, each block goes on its own line and ``<break/>`` becomes
    a newline. NOTE: Ed's exact spacing between blocks is not known; some
    captures suggest a blank line between paragraphs.
    """
    lines: list[str] = []
    _collect_lines(parse_document(xml), lines)
    return "\n".join(lines)
