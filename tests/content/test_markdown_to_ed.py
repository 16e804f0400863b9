"""Markdown to Ed XML: the Ed-specific syntax, images, raw HTML and hostile input."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pyedstem.content import EdImage, local_image_paths, markdown_to_ed_document


def doc(body: str) -> str:
    return f'<document version="2.0">{body}</document>'


def body(markdown: str) -> str:
    document = markdown_to_ed_document(markdown)
    prefix, suffix = '<document version="2.0">', "</document>"
    assert document.startswith(prefix)
    assert document.endswith(suffix)
    return document[len(prefix) : -len(suffix)]


@pytest.mark.parametrize(
    ("marker", "callout_type"),
    [
        ("NOTE", "info"),
        ("TIP", "success"),
        ("WARNING", "warning"),
        ("CAUTION", "error"),
        ("IMPORTANT", "error"),
        ("info", "info"),
        ("Success", "success"),
        ("ERROR", "error"),
    ],
)
def test_alert_types(marker: str, callout_type: str) -> None:
    assert body(f"> [!{marker}]\n> x") == (
        f'<callout type="{callout_type}"><paragraph>x</paragraph></callout>'
    )


def test_alert_with_blocks() -> None:
    result = body("> [!NOTE]\n>\n> - a\n>\n> ```py\n> x\n> ```")
    assert result.startswith('<callout type="info"><list style="bullet">')
    assert '<snippet language="py"' in result


@pytest.mark.parametrize(
    "markdown",
    ["> [!NOTE] title\n> x", "> \\[!NOTE]\n> x", "> [!DANGER]\n> x", "> x\n> [!NOTE]"],
)
def test_not_an_alert(markdown: str) -> None:
    assert body(markdown).startswith("<blockquote>")


def test_spoiler_without_summary() -> None:
    assert body("<details>\n\nhidden\n\n</details>") == (
        "<spoiler><paragraph>hidden</paragraph></spoiler>"
    )


def test_spoiler_custom_summary_stays_visible() -> None:
    assert body("<details><summary>Hint 1</summary>\n\nhidden\n\n</details>") == (
        "<paragraph>Hint 1</paragraph><spoiler><paragraph>hidden</paragraph></spoiler>"
    )


def test_nested_spoilers() -> None:
    markdown = "<details>\n\na\n\n<details>\n\nb\n\n</details>\n\n</details>"
    assert body(markdown) == (
        "<spoiler><paragraph>a</paragraph>"
        "<spoiler><paragraph>b</paragraph></spoiler></spoiler>"
    )


def test_unclosed_spoiler_stays_text() -> None:
    assert body("<details>\n\nx") == (
        "<paragraph>&lt;details&gt;</paragraph><paragraph>x</paragraph>"
    )


def test_spoiler_close_in_other_container_stays_text() -> None:
    result = body("<details>\n\n- a\n\n  </details>")
    assert "<spoiler>" not in result
    assert "&lt;/details&gt;" in result


def test_sized_image_html() -> None:
    assert body('<img src="https://s/p.png" alt="plot" width="300" height="200">') == (
        '<figure><image src="https://s/p.png" width="300" height="200" alt="plot"/>'
        "</figure>"
    )


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://s/p.png" onerror="alert(1)">',
        '<img src="https://s/p.png" width="50%">',
        "<img>",
        '<video src="https://v/1" autoplay></video>',
        '<a href="https://f/1">x</a>',
        "<u class='x'>u</u>",
    ],
)
def test_html_with_other_attributes_stays_text(html: str) -> None:
    root = ET.fromstring(markdown_to_ed_document(html))
    assert {element.tag for element in root.iter()} == {"document", "paragraph"}
    assert "".join(root.itertext()) == html


def test_file_link() -> None:
    assert body('Get <a href="https://f/1?a=1&amp;b=2" download>spec.pdf</a> now') == (
        "<paragraph>Get</paragraph>"
        '<file url="https://f/1?a=1&amp;b=2" filename="spec.pdf"/>'
        "<paragraph>now</paragraph>"
    )


def test_video() -> None:
    assert body('<video src="https://v/1"></video>') == '<video src="https://v/1"/>'


def test_underline_unpaired_stays_text() -> None:
    assert body("a <u>b") == "<paragraph>a &lt;u&gt;b</paragraph>"


def test_underline_around_marks() -> None:
    assert body("<u>**b** c</u>") == (
        "<paragraph><underline><bold>b</bold> c</underline></paragraph>"
    )


def test_pre_fence() -> None:
    assert body("```pre\na\n  b\n```") == "<pre>a<break/>  b</pre>"


def test_snippet_flags() -> None:
    assert body("```java runnable no-line-numbers\nclass A {}\n```") == (
        '<snippet language="java" runnable="true" line-numbers="false">'
        '<snippet-file id="code">class A {}</snippet-file></snippet>'
    )


def test_empty_fence() -> None:
    assert body("```c\n```") == (
        '<snippet language="c" runnable="false" line-numbers="true">'
        '<snippet-file id="code"/></snippet>'
    )


def test_web_snippet_fences() -> None:
    markdown = "```html web-snippet\n<p>x</p>\n```\n\n```js web-snippet\nf();\n```"
    assert body(markdown) == (
        '<web-snippet><web-snippet-file language="html">&lt;p&gt;x&lt;/p&gt;'
        '</web-snippet-file><web-snippet-file language="js">f();'
        "</web-snippet-file></web-snippet>"
    )


def test_fence_language_is_attribute_escaped() -> None:
    result = markdown_to_ed_document('```a"><bold>\nx\n```')
    root = ET.fromstring(result)
    snippet = root.find("snippet")
    assert snippet is not None
    assert snippet.get("language") == 'a"><bold>'


@pytest.mark.parametrize(
    ("markdown", "latex"),
    [
        ("\\(a + b\\)", "a + b"),
        ("x \\[a + b\\]", "a + b"),
        ("$$a$$ inline", "a"),
        ("$x$ is 2", "x"),
        ("\\(a \\\\ b\\)", "a \\\\ b"),
    ],
)
def test_inline_math_forms(markdown: str, latex: str) -> None:
    root = ET.fromstring(markdown_to_ed_document(markdown))
    math = root.find("paragraph/math")
    assert math is not None
    assert math.text == latex


@pytest.mark.parametrize(
    "markdown",
    [
        "\\[\n\\int_0^1 x\\,dx\n\\]",
        "$$\n\\int_0^1 x\\,dx\n$$",
        "\\begin{align}\na &= b\n\\end{align}",
    ],
)
def test_display_math_forms(markdown: str) -> None:
    root = ET.fromstring(markdown_to_ed_document(markdown))
    math = root.find("math")
    assert math is not None
    assert "x\\,dx" in (math.text or "") or "a &= b" in (math.text or "")


def test_display_math_in_list_is_dedented() -> None:
    assert body("- a\n\n  $$\n  x\n    y\n  $$") == (
        '<list style="bullet"><list-item><paragraph>a</paragraph>'
        "<math>x\n  y</math></list-item></list>"
    )


def test_escaped_dollar_is_text() -> None:
    assert body("\\$x$") == "<paragraph>$x$</paragraph>"


def test_footnotes() -> None:
    assert body("Fact[^a].\n\n[^a]: Source *one*.") == (
        "<paragraph>Fact[1].</paragraph>"
        "<paragraph>[1] Source <italic>one</italic>.</paragraph>"
    )


def test_heading_with_image_splits() -> None:
    assert body("# Logo ![l](https://s/l.png)") == (
        '<heading level="1">Logo</heading>'
        '<figure><image src="https://s/l.png" alt="l"/></figure>'
    )


def test_image_inside_bold_reopens_mark() -> None:
    assert body("**a ![i](https://s/i.png) b**") == (
        "<paragraph><bold>a </bold></paragraph>"
        '<figure><image src="https://s/i.png" alt="i"/></figure>'
        "<paragraph><bold> b</bold></paragraph>"
    )


def test_image_link_keeps_target() -> None:
    assert body("[![i](https://s/i.png)](https://h/)") == (
        '<figure><image src="https://s/i.png" alt="i"/></figure>'
        '<paragraph><link href="https://h/">https://h/</link></paragraph>'
    )


def test_list_item_starting_with_code_gets_paragraph() -> None:
    assert body("- ```\n  x\n  ```").startswith(
        '<list style="bullet"><list-item><paragraph/><snippet'
    )


def test_table_empty_cell() -> None:
    assert "<table-cell><paragraph/></table-cell>" in body(
        "| a | |\n|---|---|\n| | b |"
    )


def test_mark_edges_move_out() -> None:
    assert body("*<br>a*") == "<paragraph><break/><italic>a</italic></paragraph>"


def test_adjacent_same_marks_merge() -> None:
    assert body("_a_*b*") == "<paragraph><italic>ab</italic></paragraph>"


def test_javascript_link_stays_text() -> None:
    assert body("[x](javascript:alert(1))") == (
        "<paragraph>[x](javascript:alert(1))</paragraph>"
    )


def test_attribute_injection_is_escaped() -> None:
    result = markdown_to_ed_document('[x](https://e.x/"onclick=")')
    root = ET.fromstring(result)
    link = root.find("paragraph/link")
    assert link is not None
    assert list(link.attrib) == ["href"]


@pytest.mark.parametrize(
    "markdown",
    [
        "- " * 3000 + "x",
        ">" * 5000 + " x",
        "*" * 20000 + "x" + "*" * 20000,
        "<u>" * 3000 + "x" + "</u>" * 3000,
        "[" * 5000 + "x",
        "\\(" * 3000 + "x" + "\\)" * 3000,
    ],
    ids=["lists", "quotes", "emphasis", "underline", "brackets", "math"],
)
def test_deep_nesting_keeps_text(markdown: str) -> None:
    root = ET.fromstring(markdown_to_ed_document(markdown))
    assert "x" in "".join(root.itertext())


def test_forbidden_characters_removed() -> None:
    assert body("a\x00b\x1fc\ufffed\ud800e") == "<paragraph>abcde</paragraph>"


def test_forbidden_character_reference_replaced() -> None:
    # markdown-it decodes a reference to a forbidden character as U+FFFD.
    assert body("a&#1;b") == "<paragraph>a\ufffdb</paragraph>"


def test_local_image_paths_order_and_duplicates() -> None:
    markdown = (
        "![a](b.png) ![c](https://x/c.png) ![d](dir/d%20e.png)\n\n"
        '<img src="f.png" width="3">\n\n'
        "![a again](b.png) ![z](data:image/png;base64,AA)"
        " ![w](C:\\pics\\w.png) ![p](//cdn/p.png)"
    )
    assert local_image_paths(markdown) == [
        "b.png",
        "dir/d%20e.png",
        "f.png",
        "C:\\pics\\w.png",
    ]


def test_local_image_path_in_angle_brackets_is_raw() -> None:
    assert local_image_paths("![a](<my pic.png>)") == ["my pic.png"]


def test_local_image_without_upload_is_link() -> None:
    assert body("![diagram](img/d.png)") == (
        '<paragraph><link href="img/d.png">diagram</link></paragraph>'
    )


def test_local_image_without_alt_links_path() -> None:
    assert body("![](img/d.png)") == (
        '<paragraph><link href="img/d.png">img/d.png</link></paragraph>'
    )


def test_uploaded_image_replaces_path() -> None:
    images = {
        "img/d.png": EdImage("https://static.us.edusercontent.com/files/X", 640, 480)
    }
    result = markdown_to_ed_document("See\n\n![diagram](img/d.png)", images=images)
    assert result == doc(
        "<paragraph>See</paragraph><figure><image "
        'src="https://static.us.edusercontent.com/files/X" width="640" height="480"'
        ' alt="diagram"/></figure>'
    )


def test_uploaded_image_size_falls_back_to_html() -> None:
    images = {"d.png": EdImage("https://s/X")}
    result = markdown_to_ed_document(
        '<img src="d.png" width="10" height="20">', images=images
    )
    assert result == doc(
        '<figure><image src="https://s/X" width="10" height="20"/></figure>'
    )


def test_ed_image_is_frozen() -> None:
    image = EdImage("https://s/X", 1, 2)
    with pytest.raises(AttributeError):
        image.url = "other"  # type: ignore[misc]
