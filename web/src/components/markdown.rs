//! A small Markdown subset for rule docs and finding messages, rendered to HTML text with
//! every piece of source text escaped (finding messages quote resource names from the
//! user's template): headings (`##`, `###`), paragraphs, `-` lists, fenced code, inline
//! `code`, and bare `https://` links. Everything else is text. The markup goes into the page
//! as one raw node (`Html::from_html_unchecked`): far less code than a Yew element per span.

use pillarlint_core::diagram::svg::esc;
use yew::prelude::*;

/// Markup that is known safe (built here from escaped text) as a Yew node.
pub fn raw(html: String) -> Html {
    Html::from_html_unchecked(AttrValue::from(html))
}

/// Inline text as HTML: `code` spans and https links; the rest escaped text.
pub fn inline_html(s: &str, out: &mut String) {
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&esc(part));
            out.push_str("</code>");
            continue;
        }
        let mut rest = part;
        while let Some(at) = rest.find("https://") {
            out.push_str(&esc(&rest[..at]));
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                .unwrap_or(tail.len());
            let url = esc(tail[..end].trim_end_matches(['.', ',']));
            out.push_str("<a href=\"");
            out.push_str(&url);
            out.push_str("\" rel=\"noopener noreferrer\" target=\"_blank\">");
            out.push_str(&url);
            out.push_str("</a>");
            rest = &tail[tail[..end].trim_end_matches(['.', ',']).len()..];
        }
        out.push_str(&esc(rest));
    }
}

/// Inline text (a finding's message) as a `<span>`.
pub fn inline(s: &str, class: &str) -> Html {
    let mut out = format!("<span class=\"{class}\">");
    inline_html(s, &mut out);
    out.push_str("</span>");
    raw(out)
}

/// The Markdown subset as HTML text.
pub fn render_html(md: &str) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<(&str, Vec<&str>)> = None;
    fn flush_para(para: &mut Vec<&str>, out: &mut String) {
        if !para.is_empty() {
            out.push_str("<p>");
            inline_html(&para.join(" "), out);
            out.push_str("</p>");
            para.clear();
        }
    }
    fn flush_list(list: &mut Vec<String>, out: &mut String) {
        if !list.is_empty() {
            out.push_str("<ul>");
            for l in list.iter() {
                out.push_str("<li>");
                inline_html(l, out);
                out.push_str("</li>");
            }
            out.push_str("</ul>");
            list.clear();
        }
    }
    fn code_block(lang: &str, body: &[&str], out: &mut String) {
        // focusable: a long line scrolls the block sideways, keyboards must reach that too
        out.push_str("<pre class=\"code\" tabindex=\"0\" data-lang=\"");
        out.push_str(&esc(lang));
        out.push_str("\"><code>");
        out.push_str(&esc(&body.join("\n")));
        out.push_str("</code></pre>");
    }
    for raw in md.lines() {
        // doc comments keep one leading space
        let line = raw.strip_prefix(' ').unwrap_or(raw);
        if let Some((lang, body)) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                code_block(lang, body, &mut out);
                code = None;
            } else {
                body.push(line);
            }
            continue;
        }
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            flush_para(&mut para, &mut out);
            flush_list(&mut list, &mut out);
            let label = match info {
                i if i.contains("expect_no_finding") => "passes",
                i if i.contains("expect_finding") => "fires",
                i => i.split(',').next().unwrap_or(""),
            };
            code = Some((label, Vec::new()));
        } else if let Some((tag, h)) = t
            .strip_prefix("### ")
            .map(|h| ("h3", h))
            .or_else(|| t.strip_prefix("## ").map(|h| ("h2", h)))
        {
            // the page's title is the h1: a doc's `##` sections are its h2s
            flush_para(&mut para, &mut out);
            flush_list(&mut list, &mut out);
            out.push_str(&format!("<{tag}>"));
            inline_html(h, &mut out);
            out.push_str(&format!("</{tag}>"));
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush_para(&mut para, &mut out);
            list.push(item.to_owned());
        } else if t.is_empty() {
            flush_para(&mut para, &mut out);
            flush_list(&mut list, &mut out);
        } else if line.starts_with("  ") && !list.is_empty() {
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        } else {
            flush_list(&mut list, &mut out);
            para.push(t);
        }
    }
    if let Some((lang, body)) = code {
        code_block(lang, &body, &mut out);
    }
    flush_para(&mut para, &mut out);
    flush_list(&mut list, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_subset_and_escapes_text() {
        let md = "## Why\n\nA `<b>` route & a link https://aws.amazon.com/x.\n\n- one\n   two\n- <i>\n\n```yaml,expect_finding\nA: <1>\n```\n";
        assert_eq!(
            render_html(md),
            "<h2>Why</h2><p>A <code>&lt;b&gt;</code> route &amp; a link \
             <a href=\"https://aws.amazon.com/x\" rel=\"noopener noreferrer\" target=\"_blank\">https://aws.amazon.com/x</a>.</p>\
             <ul><li>one two</li><li>&lt;i&gt;</li></ul>\
             <pre class=\"code\" tabindex=\"0\" data-lang=\"fires\"><code>A: &lt;1&gt;</code></pre>"
        );
        let mut s = String::new();
        inline_html("x\" onmouseover=\"alert(1) https://a.b/\"q", &mut s);
        assert!(!s.contains("\" onmouseover"), "{s}");
        assert!(s.contains("href=\"https://a.b/&quot;q\""), "{s}");
    }
}
