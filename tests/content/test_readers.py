"""Ed XML to Markdown and text, and HTML to Markdown: variants and bad input."""

from __future__ import annotations

import logging

import pytest

from pyedstem.content import (
    ed_document_to_markdown,
    ed_document_to_text,
    html_to_markdown,
    markdown_to_ed_document,
)


def doc(body: str) -> str:
    return f'<document version="2.0">{body}</document>'


def test_fragment_without_root() -> None:
    assert ed_document_to_markdown(
        "<paragraph>a</paragraph><paragraph>b</paragraph>"
    ) == ("a\n\nb")


def test_plain_text_input() -> None:
    assert ed_document_to_markdown("just *text*") == "just \\*text\\*"


def test_xml_declaration_and_whitespace() -> None:
    document = (
        '<?xml version="1.0"?>\n<document>\n  <paragraph>a</paragraph>\n</document>'
    )
    assert ed_document_to_markdown(document) == "a"


def test_snippet_variants() -> None:
    document = doc(
        '<snippet language="c">int x;</snippet>'
        '<snippet language="py"><snippet-line>a</snippet-line>'
        "<snippet-line>b</snippet-line></snippet>"
        '<codeblock language="js">f()</codeblock>'
    )
    assert ed_document_to_markdown(document) == (
        "```c\nint x;\n```\n\n```py\na\nb\n```\n\n```js\nf()\n```"
    )


def test_html_aliases() -> None:
    document = doc(
        '<paragraph><b>b</b> <em>i</em> <s>s</s> <a href="https://x/">l</a>'
        "<br/>n</paragraph>"
    )
    assert ed_document_to_markdown(document) == "**b** *i* ~~s~~ [l](https://x/)\\\nn"


def test_mention() -> None:
    document = doc('<paragraph>Thanks <mention id="7">Ana Li</mention>!</paragraph>')
    assert ed_document_to_markdown(document) == "Thanks @Ana Li!"
    assert ed_document_to_text(document) == "Thanks @Ana Li!"


def test_paragraph_with_blocks_splits() -> None:
    document = doc(
        '<paragraph>See <file url="https://f/1" filename="a.pdf"/> and'
        '<list style="bullet"><list-item><paragraph>x</paragraph></list-item></list>'
        "</paragraph>"
    )
    assert ed_document_to_markdown(document) == (
        'See <a href="https://f/1" download>a.pdf</a> and\n\n- x'
    )


def test_adjacent_lists_stay_apart() -> None:
    item = "<list-item><paragraph>{}</paragraph></list-item>"
    document = doc(
        f'<list style="bullet">{item.format("a")}</list>'
        f'<list style="bullet">{item.format("b")}</list>'
        f'<list style="number">{item.format("c")}</list>'
        f'<list style="number">{item.format("d")}</list>'
    )
    markdown = ed_document_to_markdown(document)
    assert markdown == "- a\n\n* b\n\n1. c\n\n1) d"
    assert markdown_to_ed_document(markdown) == document


def test_numbered_style_aliases() -> None:
    document = doc(
        '<list style="ordered"><list-item><paragraph>a</paragraph></list-item></list>'
    )
    assert ed_document_to_markdown(document) == "1. a"


def test_unknown_callout_type_becomes_note() -> None:
    document = doc('<callout type="tip-top">x</callout>')
    assert ed_document_to_markdown(document) == "> [!NOTE]\n> x"


def test_line_start_escapes() -> None:
    document = doc(
        "<paragraph># not heading<break/>- not item<break/>1. not number"
        "<break/>&gt; not quote<break/>=== not underline<break/>+ plus</paragraph>"
    )
    markdown = ed_document_to_markdown(document)
    assert markdown == (
        "\\# not heading\\\n\\- not item\\\n1\\. not number\\\n"
        "\\> not quote\\\n\\=== not underline\\\n\\+ plus"
    )
    assert markdown_to_ed_document(markdown) == document


def test_heading_ending_with_hash() -> None:
    document = doc('<heading level="2">C #</heading>')
    assert ed_document_to_markdown(document) == "## C \\#"
    assert markdown_to_ed_document("## C \\#") == document


def test_trailing_break_uses_html() -> None:
    document = doc("<paragraph>a<break/></paragraph>")
    assert ed_document_to_markdown(document) == "a<br>"
    assert markdown_to_ed_document("a<br>") == document


def test_escaped_brackets_beside_math() -> None:
    document = doc("<paragraph>[a] <math>\\]</math> [b]</paragraph>")
    markdown = ed_document_to_markdown(document)
    assert "\\[" not in markdown.replace("\\\\", "")
    assert markdown_to_ed_document(markdown) == document


def test_math_delimiter_fallbacks() -> None:
    cases = ["a$b", "x\\", " x ", "a$b\\)c", "\\)$\\"]
    for latex in cases:
        document = doc(f"<paragraph>Let <math>{latex}</math> hold</paragraph>")
        expected = doc(f"<paragraph>Let <math>{latex.strip()}</math> hold</paragraph>")
        assert markdown_to_ed_document(ed_document_to_markdown(document)) == expected


def test_code_with_backtick_runs() -> None:
    document = doc("<paragraph><code>a``b`c</code> <code>`</code></paragraph>")
    markdown = ed_document_to_markdown(document)
    assert markdown_to_ed_document(markdown) == document


def test_link_destination_forms() -> None:
    document = doc(
        '<paragraph><link href="https://x/a b">s</link> '
        '<link href="https://x/&amp;amp;">e</link> '
        '<link href="">empty</link></paragraph>'
    )
    markdown = ed_document_to_markdown(document)
    assert markdown == "[s](<https://x/a b>) [e](https://x/\\&amp;) [empty](<>)"


def test_malformed_truncated_falls_back_to_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="pyedstem.content")
    markdown = ed_document_to_markdown(
        "<document><paragraph>One *</paragraph><paragraph>Two <bold>thr"
    )
    assert markdown == "One \\*\n\nTwo thr"
    assert "not well-formed" in caplog.text
    assert "One" not in caplog.text


def test_entity_expansion_refused() -> None:
    document = (
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<document><paragraph>&b;</paragraph></document>"
    )
    markdown = ed_document_to_markdown(document)
    assert "aaaaaaaaaa" not in markdown
    assert "&b;" in markdown.replace("\\", "")
    assert "aaaaaaaaaa" not in ed_document_to_text(document)


def test_deep_xml_nesting_keeps_text() -> None:
    document = (
        "<document>" + "<callout>" * 3000 + "deep" + "</callout>" * 3000 + "</document>"
    )
    assert "deep" in ed_document_to_markdown(document)
    assert "deep" in ed_document_to_text(document)


def test_text_rendering() -> None:
    document = doc(
        '<heading level="1">Title</heading>'
        '<paragraph>See <link href="https://x/">docs</link> and '
        '<link href="https://y/">https://y/</link><break/>next</paragraph>'
        '<list style="number"><list-item><paragraph>one</paragraph>'
        '<list style="bullet"><list-item><paragraph>a</paragraph></list-item></list>'
        "</list-item></list>"
        '<snippet language="py"><snippet-file id="code">x = 1\n  y</snippet-file>'
        "</snippet>"
        '<figure><image src="https://s/i" alt="chart"/></figure>'
        '<file url="https://f" filename="a.pdf"/><video src="https://v"/>'
        "<table><table-row><table-cell>a</table-cell><table-cell>b</table-cell></table-row>"
        "</table><math>x^2</math>"
    )
    assert ed_document_to_text(document) == (
        "Title\n\nSee docs (https://x/) and https://y/\nnext\n\n1. one\n   - a\n\n"
        "x = 1\n  y\n\n[image: chart]\n\n[file: a.pdf]\n\n[video]\n\na | b\n\nx^2"
    )


def test_text_of_malformed_document() -> None:
    assert ed_document_to_text("<paragraph>a &amp; b<paragraph>c") == "a & b\n\nc"


def test_html_to_markdown_detects_ed_xml() -> None:
    assert html_to_markdown(
        doc('<paragraph><link href="https://x/">l</link></paragraph>')
    ) == ("[l](https://x/)")
    assert html_to_markdown("<paragraph><bold>b</bold></paragraph>") == "**b**"


def test_html_to_markdown_slide() -> None:
    html = (
        "<h1>Intro</h1><h3>Part</h3><p>x <u>u</u> <strong>b</strong></p>"
        '<pre><code class="language-python">print(1)\n</code></pre>'
        '<video src="https://v/1"></video><img src="https://s/p.png" alt="p">'
        "<details><summary>Spoiler</summary><p>hidden</p></details>"
        "<style>p {}</style><script>x()</script>"
    )
    markdown = html_to_markdown(html)
    assert markdown == (
        "# Intro\n\n### Part\n\nx <u>u</u> **b**\n\n```python\nprint(1)\n```\n\n"
        '<video src="https://v/1"></video>![p](https://s/p.png)\n\n'
        "<details><summary>Spoiler</summary>\n\nhidden\n\n</details>"
    )
    ed = markdown_to_ed_document(markdown)
    assert "<spoiler><paragraph>hidden</paragraph></spoiler>" in ed
    assert "<underline>u</underline>" in ed


def test_html_brackets_do_not_become_math() -> None:
    markdown = html_to_markdown("<p>[x] and [y]</p>")
    assert "<math>" not in markdown_to_ed_document(markdown)
    assert "[x] and [y]" in markdown_to_ed_document(markdown)


def test_html_to_markdown_ed_table_fragment() -> None:
    fragment = "<table><table-row><table-cell>a</table-cell></table-row></table>"
    assert html_to_markdown(fragment) == "| a |\n| --- |"


def test_html_to_markdown_html_table() -> None:
    html = "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>"
    assert html_to_markdown(html) == "| a |\n| --- |\n| 1 |"


@pytest.mark.parametrize("text", ["<p><![x</p>", "<paragraph>a<![!NOTE]b", "<![x"])
def test_marked_section_markup_kept(text: str) -> None:
    for reader in (ed_document_to_markdown, ed_document_to_text, html_to_markdown):
        assert "x" in reader(text) or "NOTE" in reader(text)


def test_unknown_media_keeps_url() -> None:
    document = doc(
        '<paragraph>Watch <iframe src="https://yt/x"/></paragraph>'
        '<embed src="https://e/y"/><caption>Cap</caption>'
    )
    assert ed_document_to_markdown(document) == (
        "Watch <https://yt/x>\n\n<https://e/y>\n\nCap"
    )
    assert ed_document_to_text(document) == "Watch https://yt/x\n\nhttps://e/y\n\nCap"
