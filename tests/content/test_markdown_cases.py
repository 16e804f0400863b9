"""Markdown to Ed XML on the tricky cases of Ed's format, one expected string each."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pyedstem.content import markdown_to_ed_document


def doc(body: str) -> str:
    return f'<document version="2.0">{body}</document>'


def snippet(language: str, code: str) -> str:
    return (
        f'<snippet language="{language}" runnable="false" line-numbers="true">'
        f'<snippet-file id="code">{code}</snippet-file></snippet>'
    )


def bullets(*items: str) -> str:
    inner = "".join(
        f"<list-item><paragraph>{item}</paragraph></list-item>" for item in items
    )
    return f'<list style="bullet">{inner}</list>'


def numbers(*items: str) -> str:
    inner = "".join(
        f"<list-item><paragraph>{item}</paragraph></list-item>" for item in items
    )
    return f'<list style="number">{inner}</list>'


CASES = [
    pytest.param("", doc("<paragraph/>"), id="empty"),
    pytest.param("  \n\t\n", doc("<paragraph/>"), id="blank"),
    pytest.param("Hello world", doc("<paragraph>Hello world</paragraph>"), id="text"),
    pytest.param(
        "One\n\n\n\nTwo",
        doc("<paragraph>One</paragraph><paragraph>Two</paragraph>"),
        id="blank-lines",
    ),
    pytest.param(
        "line one\nline two",
        doc("<paragraph>line one line two</paragraph>"),
        id="soft-break",
    ),
    pytest.param(
        "line one  \nline two",
        doc("<paragraph>line one<break/>line two</paragraph>"),
        id="space-hard-break",
    ),
    pytest.param(
        "a\\\nb", doc("<paragraph>a<break/>b</paragraph>"), id="backslash-break"
    ),
    pytest.param(
        "# H1\n## H2\n### H3",
        doc(
            '<heading level="1">H1</heading><heading level="2">H2</heading>'
            '<heading level="3">H3</heading>'
        ),
        id="headings",
    ),
    pytest.param(
        "#### Deep", doc('<heading level="3">Deep</heading>'), id="deep-heading"
    ),
    pytest.param(
        "## **Due** `Fri`",
        doc('<heading level="2"><bold>Due</bold> <code>Fri</code></heading>'),
        id="heading-marks",
    ),
    pytest.param(
        "*a **b** c*",
        doc("<paragraph><italic>a <bold>b</bold> c</italic></paragraph>"),
        id="nested-emphasis",
    ),
    pytest.param(
        "~~old~~ new",
        doc("<paragraph><strike>old</strike> new</paragraph>"),
        id="strike",
    ),
    pytest.param(
        "<u>key</u> idea",
        doc("<paragraph><underline>key</underline> idea</paragraph>"),
        id="underline",
    ),
    pytest.param(
        "5 < 6 && 7 > 2 \"q\" 'a'",
        doc("<paragraph>5 &lt; 6 &amp;&amp; 7 &gt; 2 \"q\" 'a'</paragraph>"),
        id="escaping",
    ),
    pytest.param(
        "Use `a < b && c` here",
        doc("<paragraph>Use <code>a &lt; b &amp;&amp; c</code> here</paragraph>"),
        id="code-escaping",
    ),
    pytest.param(
        "`` a`b ``",
        doc("<paragraph><code>a`b</code></paragraph>"),
        id="code-backtick",
    ),
    pytest.param(
        "\\*not italic\\*",
        doc("<paragraph>*not italic*</paragraph>"),
        id="escaped-star",
    ),
    pytest.param(
        "[docs](https://e.x/a?x=1&y=2)",
        doc(
            '<paragraph><link href="https://e.x/a?x=1&amp;y=2">docs</link></paragraph>'
        ),
        id="link-query",
    ),
    pytest.param(
        '[q](https://e.x/?s="a" "Title")',
        doc('<paragraph><link href="https://e.x/?s=%22a%22">q</link></paragraph>'),
        id="link-title",
    ),
    pytest.param(
        "<https://e.x/p>",
        doc('<paragraph><link href="https://e.x/p">https://e.x/p</link></paragraph>'),
        id="autolink",
    ),
    pytest.param("- a\n- b", doc(bullets("a", "b")), id="bullets"),
    pytest.param("3. c\n4. d", doc(numbers("c", "d")), id="start-number"),
    pytest.param(
        "- a\n  1. b\n  2. c\n- d",
        doc(
            '<list style="bullet"><list-item><paragraph>a</paragraph>'
            f"{numbers('b', 'c')}</list-item>"
            "<list-item><paragraph>d</paragraph></list-item></list>"
        ),
        id="nested-list",
    ),
    pytest.param(
        "- p1\n\n  p2\n- x",
        doc(
            '<list style="bullet"><list-item><paragraph>p1</paragraph><paragraph>p2'
            "</paragraph></list-item><list-item><paragraph>x</paragraph></list-item></list>"
        ),
        id="loose-item",
    ),
    pytest.param("- [ ] todo", doc(bullets("[ ] todo")), id="task-item"),
    pytest.param(
        "```python\nif a < b:\n    pass\n```",
        doc(snippet("py", "if a &lt; b:\n    pass")),
        id="fence-python",
    ),
    pytest.param(
        "```\n$ ls\nout\n```", doc(snippet("txt", "$ ls\nout")), id="fence-bare"
    ),
    pytest.param(
        "````md\n```\ninner\n```\n````",
        doc(snippet("md", "```\ninner\n```")),
        id="fence-in-fence",
    ),
    pytest.param(
        "```c\nint x;\n\n\tx = 1;\n```",
        doc(snippet("c", "int x;\n\n\tx = 1;")),
        id="blank-tab",
    ),
    pytest.param(
        '```c\nprintf("a\\n");\n```',
        doc(snippet("c", 'printf("a\\n");')),
        id="backslash-n",
    ),
    pytest.param("    x = 1", doc(snippet("txt", "x = 1")), id="indented-code"),
    pytest.param(
        "![plot](https://e.x/p.png)",
        doc('<figure><image src="https://e.x/p.png" alt="plot"/></figure>'),
        id="image",
    ),
    pytest.param(
        "See ![i](https://e.x/i.png) here",
        doc(
            "<paragraph>See</paragraph>"
            '<figure><image src="https://e.x/i.png" alt="i"/></figure>'
            "<paragraph>here</paragraph>"
        ),
        id="inline-image",
    ),
    pytest.param(
        "Area is $\\pi r^2$.",
        doc("<paragraph>Area is <math>\\pi r^2</math>.</paragraph>"),
        id="inline-math",
    ),
    pytest.param(
        "$$\n\\sum_i x_i\n$$", doc("<math>\\sum_i x_i</math>"), id="display-math"
    ),
    pytest.param(
        "$a<b \\& c$",
        doc("<paragraph><math>a&lt;b \\&amp; c</math></paragraph>"),
        id="math-escaping",
    ),
    pytest.param(
        "Costs $5 and $10",
        doc("<paragraph>Costs $5 and $10</paragraph>"),
        id="currency",
    ),
    pytest.param(
        "> quoted\n> text",
        doc("<blockquote><paragraph>quoted text</paragraph></blockquote>"),
        id="blockquote",
    ),
    pytest.param(
        "> [!WARNING]\n> Due **Fri**",
        doc(
            '<callout type="warning">'
            "<paragraph>Due <bold>Fri</bold></paragraph></callout>"
        ),
        id="alert",
    ),
    pytest.param(
        "a\n\n---\n\nb",
        doc("<paragraph>a</paragraph><paragraph/><paragraph>b</paragraph>"),
        id="rule",
    ),
    pytest.param(
        "| a | b |\n|---|---|\n| 1 | **2** |",
        doc(
            "<table><table-row><table-cell><paragraph>a</paragraph></table-cell>"
            "<table-cell><paragraph>b</paragraph></table-cell></table-row>"
            "<table-row><table-cell><paragraph>1</paragraph></table-cell>"
            "<table-cell><paragraph><bold>2</bold></paragraph></table-cell>"
            "</table-row></table>"
        ),
        id="table",
    ),
    pytest.param(
        "<div>hi</div>",
        doc("<paragraph>&lt;div&gt;hi&lt;/div&gt;</paragraph>"),
        id="html-block",
    ),
    pytest.param("a<br>b", doc("<paragraph>a<break/>b</paragraph>"), id="html-br"),
    pytest.param(
        "Héllo 👋 — 中文",
        doc("<paragraph>Héllo 👋 — 中文</paragraph>"),
        id="unicode",
    ),
    pytest.param("bell\x07here", doc("<paragraph>bellhere</paragraph>"), id="control"),
    pytest.param(
        "x" * 5000, doc(f"<paragraph>{'x' * 5000}</paragraph>"), id="long-line"
    ),
    pytest.param(
        "<details><summary>Spoiler</summary>\n\nsecret\n\n</details>",
        doc("<spoiler><paragraph>secret</paragraph></spoiler>"),
        id="spoiler",
    ),
    pytest.param(
        "a\r\n\r\nb",
        doc("<paragraph>a</paragraph><paragraph>b</paragraph>"),
        id="crlf",
    ),
    pytest.param(
        "snake_case_name",
        doc("<paragraph>snake_case_name</paragraph>"),
        id="snake-case",
    ),
    pytest.param("a\u00a0b", doc("<paragraph>a\u00a0b</paragraph>"), id="nbsp"),
]


@pytest.mark.parametrize(("markdown", "expected"), CASES)
def test_markdown_case(markdown: str, expected: str) -> None:
    result = markdown_to_ed_document(markdown)
    assert result == expected
    ET.fromstring(result)


def test_blank_input_contract() -> None:
    assert (
        markdown_to_ed_document("") == '<document version="2.0"><paragraph/></document>'
    )


def test_no_xml_declaration() -> None:
    assert not markdown_to_ed_document("hi").startswith("<?xml")
