//! End-to-end tests of sharing in a real headless Chromium: permalinks made the way the CLI
//! makes them, the embed view, broken links, the share dialog and the exports.
//!
//! Needs `dist/` from `trunk build --release` and Chromium + ChromeDriver, like `browser.rs`.
//! Scenarios share one browser and run in order; each prints `test NAME ... ok|FAILED` and
//! the run ends with `N passed, N failed`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pillarlint_core::permalink::{self, State};
use pillarlint_core::report::FileReport;
use pillarlint_tests::e2e::{self, check, Ctx, Scenario, WILDCARD_CFN};
use pillarlint_tests::paths;
use pillarlint_tests::webdriver::Result;
use serde_json::{json, Value};

/// Corpus files the links are made from: a SAM service and a Serverless Framework one.
const CORPUS: &[&str] = &[
    "sam/aws-samples__serverless-patterns__docdb-lambda-nodejs-sam__template.yaml",
    "serverless-framework/aws-samples__serverless-patterns__apigw-http-api-sqs-lambda-sls__serverless.yml",
];

/// The user's own draft, which no link may overwrite.
const MY_DRAFT: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
# my own draft — links must not overwrite it
Resources:
  MyQueue:
    Type: AWS::SQS::Queue
"#;

/// The server's base URL (what `pillarlint permalink --base` would be given).
fn main() {
    let scenarios: &[Scenario] = &[
        (
            "cli_permalink_shows_the_same_nodes_and_findings",
            cli_permalink_shows_the_same_nodes_and_findings,
        ),
        (
            "embed_link_shows_the_compact_view",
            embed_link_shows_the_compact_view,
        ),
        (
            "findings_only_link_is_read_only",
            findings_only_link_is_read_only,
        ),
        (
            "tampered_links_show_a_message_and_a_working_app",
            tampered_links_show_a_message_and_a_working_app,
        ),
        (
            "share_dialog_makes_links_that_round_trip",
            share_dialog_makes_links_that_round_trip,
        ),
        (
            "exports_svg_png_markdown_json_sarif",
            exports_svg_png_markdown_json_sarif,
        ),
        ("src_fetch_is_opt_in_and_explains_refusals", src_fetch),
        ("no_request_leaves_the_origin", no_request_leaves_the_origin),
    ];
    e2e::run(
        "browser_share",
        &["index.html", "embed.html"],
        (1440, 900),
        scenarios,
    );
}

fn base(cx: &Ctx) -> String {
    cx.server.url("/")
}

/// Open `url` as a fresh page load (not a same-document fragment change).
fn open(cx: &Ctx, url: &str) -> Result<()> {
    cx.b.goto("about:blank")?;
    cx.b.goto(url)
}

/// Put the user's own draft in localStorage.
fn set_my_draft(cx: &Ctx) -> Result<()> {
    open(cx, &cx.server.url("/index.html"))?;
    cx.b.js(
        "localStorage.clear(); localStorage.setItem('pillarlint.draft', arguments[0]); return true;",
        vec![json!(MY_DRAFT)],
    )?;
    Ok(())
}

fn draft(cx: &Ctx) -> Result<Option<String>> {
    let v =
        cx.b.js("return localStorage.getItem('pillarlint.draft');", vec![])?;
    Ok(v.as_str().map(str::to_owned))
}

fn corpus_file(rel: &str) -> Result<(String, String)> {
    let path = paths::corpus().join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, text))
}

/// The link `pillarlint permalink FILE [--embed] --base URL` prints.
fn cli_link(name: &str, text: &str, base: &str, embed: bool) -> Result<String> {
    let mut state = State::with_text(text);
    state.path = Some(name.to_owned());
    permalink::link(&state, base, embed).map_err(|e| e.to_string())
}

/// The nodes drawn in `scope`: each node's id, and for a collapsed box (a small pane folds
/// nodes into boxes) the members its title lists.
fn ids_in(cx: &Ctx, scope: &str) -> Result<BTreeSet<String>> {
    let v = cx.b.js(
        "return [...document.querySelectorAll(arguments[0] + ' [data-node-id]')].flatMap(e => e.hasAttribute('data-collapsed')\
           ? e.querySelector('title').textContent.split('\\n').slice(1).filter(l => !l.startsWith('… '))\
           : [e.getAttribute('data-node-id')]);",
        vec![json!(scope)],
    )?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn dom_findings(cx: &Ctx) -> Result<BTreeSet<(String, String)>> {
    let v = cx.b.js(
        "return [...document.querySelectorAll('[data-rule]')].map(e => [e.getAttribute('data-rule'), e.getAttribute('data-resource') || '']);",
        vec![],
    )?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p[0].as_str()?.to_owned(), p[1].as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default())
}

fn native_nodes(r: &FileReport) -> BTreeSet<String> {
    r.nodes.iter().map(|n| n.id.clone()).collect()
}

fn native_findings(r: &FileReport) -> BTreeSet<(String, String)> {
    r.active()
        .map(|f| (f.rule.clone(), f.resource.clone().unwrap_or_default()))
        .collect()
}

/// Every resource the current page loaded is from the test server's origin.
fn same_origin_only(cx: &Ctx) -> Result<()> {
    let foreign = e2e::foreign_requests(cx)?;
    check(
        foreign.is_empty(),
        format!("requests left the origin: {foreign:?}"),
    )
}

fn cli_permalink_shows_the_same_nodes_and_findings(cx: &Ctx) -> Result<()> {
    set_my_draft(cx)?;
    for rel in CORPUS {
        let (name, text) = corpus_file(rel)?;
        let report = pillarlint_core::report_file(&name, text.as_bytes());
        check(report.error.is_none(), format!("{rel} does not parse"))?;
        let nodes = native_nodes(&report);
        check(nodes.len() >= 2, format!("{rel}: too small a service"))?;
        // select a node, as `--select` does
        let sel = report.nodes[0].id.clone();
        let mut state = State::with_text(text.as_str());
        state.path = Some(name.clone());
        state.selected = Some(sel.clone());
        let link = permalink::link(&state, &base(cx), false).map_err(|e| e.to_string())?;
        open(cx, &link)?;
        cx.b.wait_for(
            "the linked template's diagram",
            "return document.querySelectorAll('#diagram [data-node-id]').length > 0 && !!document.querySelector('#editor');",
            30,
        )?;
        let ids = ids_in(cx, "#diagram")?;
        check(
            ids == nodes,
            format!("{rel}: diagram nodes {ids:?} differ from the core's {nodes:?}"),
        )?;
        let found = dom_findings(cx)?;
        let want = native_findings(&report);
        check(
            found == want,
            format!("{rel}: findings {found:?} differ from the core's {want:?}"),
        )?;
        let editor =
            cx.b.js("return document.querySelector('#editor').value;", vec![])?;
        check(
            editor.as_str() == Some(text.as_str()),
            format!("{rel}: the editor does not hold the linked template"),
        )?;
        let selected = cx.b.js(
            "const n = document.querySelector('#diagram [data-node-id=\"' + CSS.escape(arguments[0]) + '\"]'); return n && n.getAttribute('data-selected');",
            vec![json!(sel)],
        )?;
        check(
            selected == json!("true"),
            format!("{rel}: the linked selection {sel} is not selected ({selected})"),
        )?;
        // let the debounced save run, then make sure the shared text did not become the draft
        std::thread::sleep(std::time::Duration::from_millis(500));
        check(
            draft(cx)?.as_deref() == Some(MY_DRAFT),
            format!("{rel}: opening a link overwrote the user's draft"),
        )?;
        same_origin_only(cx)?;
    }
    // a link pasted into the address bar of an open app (a fragment change) opens too
    let (name, text) = corpus_file(CORPUS[0])?;
    let report = pillarlint_core::report_file(&name, text.as_bytes());
    let link = cli_link(&name, &text, &base(cx), false)?;
    let fragment = link.split_once('#').map(|x| x.1).unwrap_or_default();
    cx.b.js(
        "location.hash = arguments[0]; return true;",
        vec![json!(fragment)],
    )?;
    cx.b.wait_for(
        "the diagram of the pasted link",
        &format!(
            "return document.querySelector('#editor') && document.querySelector('#editor').value === {} && document.querySelectorAll('#diagram [data-node-id]').length > 0;",
            json!(text)
        ),
        30,
    )?;
    let ids = ids_in(cx, "#diagram")?;
    check(
        ids == native_nodes(&report),
        format!("after a fragment change: {ids:?}"),
    )?;
    let png = cx.b.screenshot()?;
    std::fs::write(cx.artifacts.join("share_permalink.png"), png).map_err(|e| e.to_string())
}

fn embed_link_shows_the_compact_view(cx: &Ctx) -> Result<()> {
    let (name, text) = corpus_file(CORPUS[0])?;
    let report = pillarlint_core::report_file(&name, text.as_bytes());
    let nodes = native_nodes(&report);
    let embed = cli_link(&name, &text, &base(cx), true)?;
    check(
        embed.contains("/embed.html#v1."),
        format!("not an embed link: {embed}"),
    )?;
    let app_link = cli_link(&name, &text, &base(cx), false)?;
    // both embed routes: embed.html#v1.… and index.html#/embed/v1.…
    let fragment = embed.split_once('#').map(|x| x.1).unwrap_or_default();
    let hash_route = cx.server.url(&format!("/index.html#/embed/{fragment}"));
    for url in [embed.as_str(), hash_route.as_str()] {
        open(cx, url)?;
        cx.b.wait_for(
            "the embed view",
            "return document.querySelectorAll('.embed [data-node-id]').length > 0;",
            30,
        )?;
        let ids = ids_in(cx, ".embed")?;
        check(
            ids == nodes,
            format!("embed nodes {ids:?} differ from the core's {nodes:?}"),
        )?;
        let v = cx.b.js(
            "const o = document.querySelector('#embed-open'); const c = document.querySelector('#embed-count');\
             return {editor: !!document.querySelector('#editor'), share: !!document.querySelector('#share-button'),\
                     href: o && o.href, target: o && o.target, rel: o && o.rel, count: c && c.getAttribute('data-findings'),\
                     pillars: [...document.querySelectorAll('.embed-summary > li[data-pillar]')].map(e => [e.getAttribute('data-pillar'), e.getAttribute('data-count')]),\
                     bg: getComputedStyle(document.body).backgroundColor, fits: document.documentElement.scrollWidth <= innerWidth + 1,\
                     head: document.querySelector('.embed-head').getBoundingClientRect().height};",
            vec![],
        )?;
        check(
            v["editor"] == json!(false) && v["share"] == json!(false),
            format!("the embed is not read-only: {v}"),
        )?;
        // a slim header: the file name's h1 is styled, not a browser-default heading
        check(
            v["head"].as_f64().is_some_and(|h| h > 0.0 && h <= 48.0),
            format!("the embed's header is {} px tall", v["head"]),
        )?;
        check(
            v["href"] == json!(app_link),
            format!("open link {} is not the app link {app_link}", v["href"]),
        )?;
        check(
            v["target"] == json!("_blank")
                && v["rel"].as_str().is_some_and(|r| r.contains("noopener")),
            format!("open link target/rel: {v}"),
        )?;
        check(
            v["count"] == json!(report.active().count().to_string()),
            format!(
                "findings count {} vs {}",
                v["count"],
                report.active().count()
            ),
        )?;
        let pillars = v["pillars"].as_array().cloned().unwrap_or_default();
        check(
            pillars.len() == 4,
            format!("per-pillar summary: {pillars:?}"),
        )?;
        for p in &pillars {
            let pillar = p[0].as_str().unwrap_or_default();
            let want = report
                .active()
                .filter(|f| f.pillar.as_str() == pillar)
                .count();
            check(
                p[1] == json!(want.to_string()),
                format!("pillar {pillar}: {} vs {want}", p[1]),
            )?;
        }
        check(
            v["bg"] == json!("rgba(0, 0, 0, 0)"),
            format!("the embed's background is not transparent: {}", v["bg"]),
        )?;
        check(v["fits"] == json!(true), "the embed overflows its frame")?;
        same_origin_only(cx)?;
    }
    let png = cx.b.screenshot()?;
    let _ = std::fs::write(cx.artifacts.join("share_embed.png"), png);
    // pasted into a host page as the share dialog's snippet: fills its frame, no overflow
    open(cx, &cx.server.url("/index.html"))?;
    let snippet = format!(
        "<iframe src=\"{embed}\" title=\"pillarlint\" width=\"600\" height=\"360\" loading=\"lazy\" style=\"border:0\"></iframe>"
    );
    cx.b.js(
        "document.body.innerHTML = arguments[0]; return true;",
        vec![json!(snippet)],
    )?;
    let v = cx.b.wait_for(
        "the framed embed",
        "const f = document.querySelector('iframe'); const d = f && f.contentDocument;\
         if (!d || d.querySelectorAll('.embed [data-node-id]').length === 0) return null;\
         const e = d.querySelector('.embed').getBoundingClientRect();\
         return {w: e.width, h: e.height, sw: d.documentElement.scrollWidth, sh: d.documentElement.scrollHeight,\
                 n: d.querySelectorAll('.embed [data-node-id]').length};",
        30,
    )?;
    check(
        v["w"].as_f64().is_some_and(|w| (w - 600.0).abs() < 1.5)
            && v["h"].as_f64().is_some_and(|h| (h - 360.0).abs() < 1.5)
            && v["sw"].as_f64().is_some_and(|w| w <= 601.0)
            && v["sh"].as_f64().is_some_and(|h| h <= 361.0),
        format!("the embed does not fit its 600x360 frame: {v}"),
    )?;
    check(
        v["n"] == json!(nodes.len()),
        format!("framed embed nodes: {v}"),
    )?;
    let png = cx.b.screenshot()?;
    let _ = std::fs::write(cx.artifacts.join("share_embed_framed.png"), png);
    same_origin_only(cx)
}

fn findings_only_link_is_read_only(cx: &Ctx) -> Result<()> {
    set_my_draft(cx)?;
    let (name, text) = corpus_file(CORPUS[1])?;
    let report = pillarlint_core::report_file(&name, text.as_bytes());
    let mut state = State::findings_only(&report);
    state.path = Some(name.clone());
    let link = permalink::link(&state, &base(cx), false).map_err(|e| e.to_string())?;
    open(cx, &link)?;
    cx.b.wait_for(
        "the findings-only diagram",
        "return document.querySelectorAll('#diagram [data-node-id]').length > 0;",
        30,
    )?;
    let ids = ids_in(cx, "#diagram")?;
    let nodes = native_nodes(&report);
    check(ids == nodes, format!("nodes {ids:?} vs {nodes:?}"))?;
    let found = dom_findings(cx)?;
    let want = native_findings(&report);
    check(found == want, format!("findings {found:?} vs {want:?}"))?;
    // the first bundle leaves the read-only page out: the full app draws it, keeping the link
    let at =
        cx.b.js("return location.pathname + location.hash;", vec![])?;
    check(
        at.as_str().is_some_and(|s| {
            s.ends_with(&format!(
                "terraform.html#{}",
                link.split_once('#').map_or("", |x| x.1)
            ))
        }),
        format!("a findings-only link is drawn by the full app, at the same link: {at}"),
    )?;
    let v = cx.b.js(
        "return {editor: !!document.querySelector('#editor'), note: (document.querySelector('#readonly-note') || {}).textContent || ''};",
        vec![],
    )?;
    check(
        v["editor"] == json!(false),
        "a findings-only link shows an editor",
    )?;
    check(
        v["note"].as_str().is_some_and(|s| s.contains(&name)),
        format!("read-only note: {v}"),
    )?;
    check(
        draft(cx)?.as_deref() == Some(MY_DRAFT),
        "the findings-only link touched the draft",
    )?;
    same_origin_only(cx)
}

fn tampered_links_show_a_message_and_a_working_app(cx: &Ctx) -> Result<()> {
    let (name, text) = corpus_file(CORPUS[0])?;
    let good = cli_link(&name, &text, &base(cx), false)?;
    let (page, frag) = good.split_once('#').ok_or("no fragment")?;
    let payload = frag.strip_prefix("v1.").ok_or("no v1 prefix")?;
    let half = &payload[..payload.len() / 2];
    let mut flipped: Vec<u8> = payload.as_bytes().to_vec();
    let mid = flipped.len() / 3;
    for b in &mut flipped[mid..mid + 8] {
        *b = if *b == b'A' { b'z' } else { b'A' };
    }
    let flipped = String::from_utf8(flipped).map_err(|e| e.to_string())?;
    let huge = "A".repeat(300_000);
    let cases = [
        ("truncated", format!("{page}#v1.{half}")),
        ("flipped", format!("{page}#v1.{flipped}")),
        ("newer version", format!("{page}#v9.{payload}")),
        ("garbage", format!("{page}#v1.!!not*base64~~")),
        ("not a link", format!("{page}#hello-world")),
        ("oversized", format!("{page}#v1.{huge}")),
        ("broken embed", format!("{page}embed.html#v1.{half}")),
    ];
    for (what, url) in &cases {
        set_my_draft(cx)?;
        open(cx, url)?;
        let msg = cx.b.wait_for(
            &format!("the permalink error ({what})"),
            "const e = document.querySelector('#permalink-error'); return e && e.textContent;",
            30,
        )?;
        check(
            msg.as_str().is_some_and(|m| m.len() > 20),
            format!("{what}: unclear message {msg}"),
        )?;
        if *what == "broken embed" {
            continue;
        }
        // the app is there with the user's own draft
        let editor = cx.b.wait_for(
            "the editor",
            "const e = document.querySelector('#editor'); return e && e.value;",
            10,
        )?;
        check(
            editor.as_str() == Some(MY_DRAFT),
            format!("{what}: the editor does not show the user's draft"),
        )?;
        check(
            draft(cx)?.as_deref() == Some(MY_DRAFT),
            format!("{what}: the draft was overwritten"),
        )?;
    }
    // still a working app: dismiss the message and analyse a pasted template
    open(cx, &cases[0].1)?;
    cx.b.wait_for(
        "the message",
        "return !!document.querySelector('#permalink-error');",
        30,
    )?;
    cx.b.click("#permalink-error .close")?;
    cx.b.wait_for(
        "the message to go",
        "return !document.querySelector('#permalink-error');",
        5,
    )?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    cx.b.wait_for(
        "the pasted template's diagram",
        "return !!document.querySelector('[data-node-id=\"Worker\"]') && !!document.querySelector('[data-rule=\"AUTH002\"]');",
        15,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    check(
        draft(cx)?.as_deref() == Some(WILDCARD_CFN),
        "the user's own edit was not saved as the draft",
    )?;
    same_origin_only(cx)
}

fn share_dialog_makes_links_that_round_trip(cx: &Ctx) -> Result<()> {
    open(cx, &cx.server.url("/index.html"))?;
    cx.b.js("localStorage.clear(); return true;", vec![])?;
    open(cx, &cx.server.url("/index.html"))?;
    cx.b.wait_for(
        "the example",
        "return document.querySelectorAll('#diagram [data-node-id]').length > 3;",
        30,
    )?;
    cx.b.click("#share-button")?;
    cx.b.wait_for(
        "the share dialog",
        "const d = document.querySelector('#share-dialog'); return d && d.open && document.querySelector('#share-link').value.length > 0;",
        // the dialog comes with the share bundle, loaded after the first diagram
        20,
    )?;
    let v = cx.b.js(
        "return {link: document.querySelector('#share-link').value, len: document.querySelector('#share-length').getAttribute('data-length'),\
                 warn: !!document.querySelector('#share-length-warning'), embed: document.querySelector('#share-embed').value,\
                 redact: document.querySelector('#share-redact').checked};",
        vec![],
    )?;
    let link = v["link"].as_str().unwrap_or_default().to_owned();
    check(
        v["len"] == json!(link.chars().count().to_string()),
        format!("shown length {} vs {}", v["len"], link.len()),
    )?;
    check(
        v["warn"] == json!(link.len() > permalink::LONG_LINK_WARNING),
        format!(
            "length warning shown: {} for {} chars",
            v["warn"],
            link.len()
        ),
    )?;
    check(v["redact"] == json!(true), "redaction is not on by default")?;
    // its styles come with the share bundle (share/share.css, not in the first load)
    let styled = cx.b.js(
        "const d = getComputedStyle(document.querySelector('#share-dialog'));\
         return {radius: d.borderTopLeftRadius, sheets: [...document.styleSheets].filter(s => /share(-[0-9a-f]+)?\\.css$/.test(s.href || '')).length};",
        vec![],
    )?;
    check(
        styled["radius"] == json!("14px") && styled["sheets"] == json!(1),
        format!("the share dialog's styles (share.css once): {styled}"),
    )?;
    let state = permalink::decode(&link).map_err(|e| format!("the dialog's link: {e}"))?;
    let shared = state.text.clone().unwrap_or_default();
    let original = pillarlint_core::example::BOOKSTORE.text;
    check(
        shared == permalink::redact_secrets(original),
        "the shared text is not the redacted example",
    )?;
    check(
        original.contains("SuperSecret123") && !shared.contains("SuperSecret123"),
        "the example's password was shared",
    )?;
    let embed = v["embed"].as_str().unwrap_or_default();
    // the browser compresses links itself, so compare what the embed link opens, not bytes
    let embed_page = permalink::page_url(&base(cx), true);
    for want in [
        "<iframe ",
        "loading=\"lazy\"",
        "title=\"pillarlint: ",
        "width=",
        "height=",
    ] {
        check(
            embed.contains(want),
            format!("embed snippet lacks {want}: {embed}"),
        )?;
    }
    let src = embed
        .split("src=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .replace("&amp;", "&");
    check(
        src.starts_with(&format!("{embed_page}#v1.")),
        format!("embed snippet src is not a link to {embed_page}: {embed}"),
    )?;
    check(
        permalink::decode(&src).as_ref() == Ok(&state),
        format!("the embed snippet's link does not open the dialog link's state: {src}"),
    )?;
    let png = cx.b.screenshot()?;
    let _ = std::fs::write(cx.artifacts.join("share_dialog.png"), png);

    // the link opens the same analysis
    // findings-only: no text, the snapshot of the current analysis, a long-link warning
    cx.b.click("#share-findings-only")?;
    let fo = cx.b.wait_for(
        "a findings-only link",
        &format!(
            "const l = document.querySelector('#share-link').value; return l !== {} && l;",
            json!(link)
        ),
        5,
    )?;
    let fo = fo.as_str().unwrap_or_default().to_owned();
    let st = permalink::decode(&fo).map_err(|e| format!("findings-only link: {e}"))?;
    check(st.text.is_none(), "the findings-only link carries the text")?;
    let snap = st.snapshot.ok_or("no snapshot in the findings-only link")?;
    let report = pillarlint_core::report_file("bookstore.sam.yaml", original.as_bytes());
    check(
        snap.nodes
            .iter()
            .map(|n| n.id.clone())
            .collect::<BTreeSet<_>>()
            == native_nodes(&report),
        "the snapshot's nodes differ from the core's",
    )?;
    let warn = cx.b.js(
        "return !!document.querySelector('#share-length-warning');",
        vec![],
    )?;
    check(
        warn == json!(fo.len() > permalink::LONG_LINK_WARNING),
        format!("warning {warn} for a {}-char link", fo.len()),
    )?;
    // copying puts something on the clipboard or selects the text for the user
    cx.b.click("#share-copy")?;
    cx.b.wait_for(
        "a copy status",
        "return document.querySelector('#share-status').textContent;",
        5,
    )?;
    // closing the dialog
    cx.b.click("#share-dialog .close")?;
    cx.b.wait_for(
        "the dialog to close",
        "return !document.querySelector('#share-dialog').open;",
        5,
    )?;
    // the app link made by the dialog opens the same analysis
    open(cx, &link)?;
    cx.b.wait_for(
        "the shared analysis",
        "return document.querySelectorAll('#diagram [data-node-id]').length > 3;",
        30,
    )?;
    let redacted_report = pillarlint_core::report_file("bookstore.sam.yaml", shared.as_bytes());
    let (drawn, want) = (ids_in(cx, "#diagram")?, native_nodes(&redacted_report));
    check(
        drawn == want,
        format!(
            "the dialog's link does not open the same diagram: drawn only {:?}, not drawn {:?}",
            drawn.difference(&want).collect::<Vec<_>>(),
            want.difference(&drawn).collect::<Vec<_>>()
        ),
    )?;
    same_origin_only(cx)
}

/// Capture Blobs handed to `URL.createObjectURL` (how every export is offered) as text or size.
const CAPTURE: &str = "window.__blobs = []; const orig = URL.createObjectURL;\
    URL.createObjectURL = function (b) { const i = window.__blobs.length; window.__blobs.push({type: b.type, size: b.size, text: null});\
      if (b.type !== 'image/png') { b.text().then(t => { window.__blobs[i].text = t; }); }\
      return orig.call(URL, b); }; return true;";

fn exports_svg_png_markdown_json_sarif(cx: &Ctx) -> Result<()> {
    let (name, text) = corpus_file(CORPUS[0])?;
    let report = pillarlint_core::report_file(&name, text.as_bytes());
    open(cx, &cli_link(&name, &text, &base(cx), false)?)?;
    cx.b.wait_for(
        "the diagram",
        "return document.querySelectorAll('#diagram [data-node-id]').length > 0;",
        30,
    )?;
    cx.b.js(CAPTURE, vec![])?;
    let export = |id: &str, mime: &str| -> Result<Value> {
        cx.b.js(
            "document.querySelector('.export-menu').open = true; return true;",
            vec![],
        )?;
        cx.b.click(id)?;
        cx.b.wait_for(
            &format!("the {mime} export"),
            &format!(
                "return window.__blobs.find(b => b.type.startsWith({}) && (b.text !== null || b.type === 'image/png')) || null;",
                json!(mime)
            ),
            10,
        )
    };
    // SVG: parses as XML, standalone, every node id
    let svg = export("#export-svg", "image/svg+xml")?;
    let svg_text = svg["text"].as_str().unwrap_or_default().to_owned();
    let parsed = cx.b.js(
        "const d = new DOMParser().parseFromString(arguments[0], 'application/xml');\
         return {error: d.getElementsByTagName('parsererror').length, root: d.documentElement.localName,\
                 ns: d.documentElement.namespaceURI,\
                 ids: [...d.querySelectorAll('[data-node-id]')].map(e => e.getAttribute('data-node-id')),\
                 scripts: d.getElementsByTagName('script').length, external: [...d.querySelectorAll('[href]')].length};",
        vec![json!(svg_text)],
    )?;
    check(
        parsed["error"] == json!(0) && parsed["root"] == json!("svg"),
        format!("the SVG does not parse: {parsed}"),
    )?;
    check(
        parsed["ns"] == json!("http://www.w3.org/2000/svg"),
        "the SVG has no SVG namespace",
    )?;
    check(
        parsed["scripts"] == json!(0) && parsed["external"] == json!(0),
        "the SVG is not standalone",
    )?;
    let ids: BTreeSet<String> = parsed["ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let nodes = native_nodes(&report);
    check(ids == nodes, format!("SVG node ids {ids:?} vs {nodes:?}"))?;
    let _ = std::fs::write(cx.artifacts.join("share_export.svg"), &svg_text);

    // JSON: the report contract, same as `pillarlint check --format json`
    let js = export("#export-json", "application/json")?;
    let j: Value = serde_json::from_str(js["text"].as_str().unwrap_or_default())
        .map_err(|e| format!("the JSON export does not parse: {e}"))?;
    let back: FileReport = serde_json::from_value(j["files"][0].clone())
        .map_err(|e| format!("the JSON export is not a file report: {e}"))?;
    check(j["tool"]["name"] == json!("pillarlint"), "no tool name")?;
    check(
        back.nodes == report.nodes
            && back.edges == report.edges
            && back.findings == report.findings,
        "the JSON export differs from the core's report",
    )?;

    // SARIF: the results the core writes for the CLI's `--format sarif` (the rules'
    // descriptions are their names: the app carries no rule docs)
    let sarif = export("#export-sarif", "application/sarif+json")?;
    let s: Value = serde_json::from_str(sarif["text"].as_str().unwrap_or_default())
        .map_err(|e| format!("the SARIF export does not parse: {e}"))?;
    let native = pillarlint_core::sarif::render(
        &[pillarlint_core::sarif::Input {
            report: &report,
            app: None,
        }],
        None,
        &|path, _| pillarlint_core::sarif::relative_artifact(path),
    );
    check(
        s["version"] == json!("2.1.0") && s["runs"][0]["results"] == native["runs"][0]["results"],
        format!(
            "the SARIF export's results differ from the core's: {} vs {} results",
            s["runs"][0]["results"].as_array().map_or(0, Vec::len),
            report.findings.len()
        ),
    )?;
    let rules = s["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    check(
        rules.len() == pillarlint_core::rules::RULES.len()
            && rules.iter().all(|r| {
                r["shortDescription"]["text"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty())
            }),
        "the SARIF export's rules lack descriptions",
    )?;
    check(
        !report.findings.is_empty(),
        "the corpus file has findings to export",
    )?;

    // Markdown: every active finding's rule and resource
    let md = export("#export-md", "text/markdown")?;
    let md = md["text"].as_str().unwrap_or_default();
    for f in report.active() {
        check(
            md.contains(&format!("| {} |", f.rule)),
            format!("Markdown lacks {}", f.rule),
        )?;
    }
    // PNG: drawn through a canvas
    let png = export("#export-png", "image/png")?;
    check(
        png["size"].as_u64().is_some_and(|s| s > 1000),
        format!("PNG export: {png}"),
    )?;
    same_origin_only(cx)
}

fn src_fetch(cx: &Ctx) -> Result<()> {
    set_my_draft(cx)?;
    // cross-origin: refused by the CSP, with a clear message, the draft untouched
    open(
        cx,
        &cx.server
            .url("/index.html?src=https%3A%2F%2Fexample.invalid%2Ftemplate.yaml"),
    )?;
    let msg = cx.b.wait_for(
        "the fetch error",
        "const e = document.querySelector('#permalink-error'); return e && e.textContent;",
        30,
    )?;
    let msg = msg.as_str().unwrap_or_default();
    check(
        msg.contains("example.invalid") && (msg.contains("CORS") || msg.contains("blocked")),
        format!("unclear fetch error: {msg}"),
    )?;
    check(
        draft(cx)?.as_deref() == Some(MY_DRAFT),
        "a failed fetch touched the draft",
    )?;
    // same-origin: fetched and analysed, and not saved as the draft until edited
    let dist = std::env::var("PILLARLINT_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| paths::root().join("dist"));
    let file = dist.join("share-test-template.yaml");
    std::fs::write(&file, WILDCARD_CFN).map_err(|e| e.to_string())?;
    let r = (|| {
        open(
            cx,
            &cx.server.url("/index.html?src=share-test-template.yaml"),
        )?;
        cx.b.wait_for(
            "the fetched template's diagram",
            "return !!document.querySelector('#diagram [data-node-id=\"Worker\"]');",
            30,
        )?;
        let v =
            cx.b.js("return document.querySelector('#editor').value;", vec![])?;
        check(
            v.as_str() == Some(WILDCARD_CFN),
            "the editor does not hold the fetched text",
        )?;
        std::thread::sleep(std::time::Duration::from_millis(500));
        check(
            draft(cx)?.as_deref() == Some(MY_DRAFT),
            "the fetched text overwrote the draft",
        )
    })();
    let _ = std::fs::remove_file(&file);
    r?;
    same_origin_only(cx)
}

fn no_request_leaves_the_origin(cx: &Ctx) -> Result<()> {
    // the server saw only its own static files, and every page stayed on the origin
    let served = cx.server.requests();
    check(
        served.iter().any(|p| p.ends_with(".wasm"))
            && served.iter().any(|p| p.contains("embed.html")),
        format!("the server log is missing the app or the embed page: {served:?}"),
    )?;
    // the app's own files; the service worker fetches the rule docs, the examples and the
    // manifest too, to work offline
    let allowed = |p: &str| {
        let p = p.split('?').next().unwrap_or(p);
        p == "/"
            || p.ends_with(".html")
            || p.ends_with(".js")
            || p.ends_with(".wasm")
            || p.ends_with(".css")
            || p.starts_with("/icons/")
            || p.starts_with("/examples/")
            || p == "/rule-docs.json"
            || p == "/manifest.webmanifest"
            || p.ends_with("/share-test-template.yaml")
    };
    let odd: Vec<&String> = served.iter().filter(|p| !allowed(p)).collect();
    check(odd.is_empty(), format!("unexpected requests: {odd:?}"))?;
    open(cx, &cx.server.url("/embed.html"))?;
    cx.b.wait_for(
        "the embed error for an empty link",
        "return !!document.querySelector('#permalink-error');",
        30,
    )?;
    same_origin_only(cx)
}
