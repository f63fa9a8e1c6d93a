//! A small Markdown subset for rule docs, rendered as Yew elements — never as raw HTML.
//! Headings (`##`, `###`), paragraphs, `-` lists, fenced code, inline `code`, and bare
//! `https://` links. Everything else is text.

use yew::prelude::*;

/// Inline text: `code` spans and https links; the rest stays text.
pub fn inline(s: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push(html! { <code>{ part.to_owned() }</code> });
            continue;
        }
        let mut rest = part;
        while let Some(at) = rest.find("https://") {
            out.push(html! { { rest[..at].to_owned() } });
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                .unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches(['.', ',']);
            out.push(html! {
                <a href={url.to_owned()} rel="noopener noreferrer" target="_blank">{ url.to_owned() }</a>
            });
            rest = &tail[url.len()..];
        }
        out.push(html! { { rest.to_owned() } });
    }
    out.into_iter().collect()
}

/// Render the Markdown subset.
pub fn render(md: &str) -> Html {
    let mut blocks: Vec<Html> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<(String, Vec<&str>)> = None;
    fn flush_para(para: &mut Vec<String>, blocks: &mut Vec<Html>) {
        if !para.is_empty() {
            blocks.push(html! { <p>{ inline(&para.join(" ")) }</p> });
            para.clear();
        }
    }
    fn flush_list(list: &mut Vec<String>, blocks: &mut Vec<Html>) {
        if !list.is_empty() {
            blocks.push(
                html! { <ul>{ for list.iter().map(|l| html! { <li>{ inline(l) }</li> }) }</ul> },
            );
            list.clear();
        }
    }
    for raw in md.lines() {
        // doc comments keep one leading space
        let line = raw.strip_prefix(' ').unwrap_or(raw);
        if let Some((lang, body)) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                let text = body.join("\n");
                let lang = lang.clone();
                blocks
                    .push(html! { <pre class="code" data-lang={lang}><code>{ text }</code></pre> });
                code = None;
            } else {
                body.push(line);
            }
            continue;
        }
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, &mut blocks);
            let label = match info {
                i if i.contains("expect_no_finding") => "passes",
                i if i.contains("expect_finding") => "fires",
                i => i.split(',').next().unwrap_or(""),
            };
            code = Some((label.to_owned(), Vec::new()));
        } else if let Some(h) = t.strip_prefix("### ").or_else(|| t.strip_prefix("## ")) {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, &mut blocks);
            blocks.push(html! { <h3>{ inline(h) }</h3> });
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush_para(&mut para, &mut blocks);
            list.push(item.to_owned());
        } else if t.is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, &mut blocks);
        } else if line.starts_with("  ") && !list.is_empty() {
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        } else {
            flush_list(&mut list, &mut blocks);
            para.push(t.to_owned());
        }
    }
    if let Some((lang, body)) = code {
        blocks.push(
            html! { <pre class="code" data-lang={lang}><code>{ body.join("\n") }</code></pre> },
        );
    }
    flush_para(&mut para, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks.into_iter().collect()
}
