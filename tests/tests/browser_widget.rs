//! The `<pillarlint-diagram>` web component (issue 10) in a real headless Chromium.
//!
//! Needs `dist/` from `trunk build --release` (its post_build hook stages dist/js/,
//! dist/widget/ and dist/embed-example.html) and Chromium + ChromeDriver. Each scenario prints
//! `test NAME ... ok|FAILED`; the run ends with `N passed, N failed`.

use std::collections::BTreeSet;

use pillarlint_tests::e2e::{self, check, Ctx, Scenario};
use pillarlint_tests::webdriver::Result;
use serde_json::{json, Value};

fn main() {
    let scenarios: &[Scenario] = &[
        (
            "inline_template_draws_its_nodes_in_the_shadow_root",
            inline_template_draws_its_nodes_in_the_shadow_root,
        ),
        (
            "template_src_draws_its_nodes_in_the_shadow_root",
            template_src_draws_its_nodes_in_the_shadow_root,
        ),
        (
            "host_css_does_not_change_the_widget_colours",
            host_css_does_not_change_the_widget_colours,
        ),
        (
            "editing_the_inline_template_re_renders",
            editing_the_inline_template_re_renders,
        ),
        ("no_request_leaves_the_origin", no_request_leaves_the_origin),
        (
            "a_large_template_fits_its_frame_collapsed",
            a_large_template_fits_its_frame_collapsed,
        ),
    ];
    e2e::run(
        "browser_widget",
        &["embed-example.html"],
        (1280, 900),
        scenarios,
    );
}

fn open(cx: &Ctx) -> Result<()> {
    cx.b.goto(&cx.server.url("/embed-example.html"))?;
    for id in ["inline", "remote"] {
        cx.b.wait_for(
            &format!("#{id} diagram"),
            &format!(
                "const r = document.getElementById('{id}').shadowRoot; \
                 return !!r && (!!r.querySelector('[data-node-id]') || !!r.querySelector('.err'));"
            ),
            20,
        )?;
    }
    Ok(())
}

/// Node ids drawn inside the component's shadow root (none in the light DOM).
fn drawn(cx: &Ctx, id: &str) -> Result<BTreeSet<String>> {
    let v = cx.b.js(
        "const el = document.getElementById(arguments[0]); \
         const err = el.shadowRoot.querySelector('.err'); \
         if (err) return {error: err.textContent}; \
         return {ids: [...el.shadowRoot.querySelectorAll('[data-node-id]')].map(n => n.getAttribute('data-node-id')), \
                 light: document.querySelectorAll('[data-node-id]').length, \
                 mode: el.shadowRoot.mode};",
        vec![json!(id)],
    )?;
    if let Some(e) = v["error"].as_str() {
        return Err(format!("#{id} shows an error: {e}"));
    }
    check(
        v["mode"] == "open",
        format!("shadow root mode: {}", v["mode"]),
    )?;
    check(
        v["light"] == 0,
        "diagram nodes leaked into the host document",
    )?;
    Ok(v["ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

fn report_ids(text: &str) -> BTreeSet<String> {
    pillarlint_core::report_file("t.yaml", text.as_bytes())
        .nodes
        .into_iter()
        .map(|n| n.id)
        .collect()
}

fn inline_template_draws_its_nodes_in_the_shadow_root(cx: &Ctx) -> Result<()> {
    open(cx)?;
    let text = cx.b.js(
        "return document.querySelector('#inline script[type=\"text/yaml\"]').textContent;",
        vec![],
    )?;
    let want = report_ids(text.as_str().ok_or("no inline template")?);
    check(!want.is_empty(), "the inline template has no nodes")?;
    let got = drawn(cx, "inline")?;
    check(got == want, format!("drawn {got:?}, report {want:?}"))
}

fn template_src_draws_its_nodes_in_the_shadow_root(cx: &Ctx) -> Result<()> {
    open(cx)?;
    let text = std::fs::read_to_string(cx.dist.join("widget/example.yaml"))
        .map_err(|e| format!("example.yaml: {e}"))?;
    let want = report_ids(&text);
    check(want.len() > 3, "the example has too few nodes")?;
    let got = drawn(cx, "remote")?;
    check(got == want, format!("drawn {got:?}, report {want:?}"))?;
    let v = cx.b.js(
        "const r = document.getElementById('remote').shadowRoot; \
         const a = r.querySelector('a'); \
         return {href: a && a.href, findings: r.querySelector('[data-findings]')?.dataset.findings};",
        vec![],
    )?;
    let href = v["href"].as_str().unwrap_or("");
    check(
        href.starts_with(&cx.server.url("/#v1.")),
        format!("open-in-pillarlint link: {href}"),
    )?;
    let want_findings = pillarlint_core::report_file("t.yaml", text.as_bytes())
        .active()
        .count();
    check(
        v["findings"] == json!(want_findings.to_string()),
        format!("findings count {} != {want_findings}", v["findings"]),
    )
}

fn host_css_does_not_change_the_widget_colours(cx: &Ctx) -> Result<()> {
    open(cx)?;
    let v = cx.b.js(
        "const probe = document.createElementNS('http://www.w3.org/2000/svg', 'svg'); \
         const c = document.createElementNS('http://www.w3.org/2000/svg', 'rect'); \
         probe.append(c); document.body.append(probe); \
         const hostFill = getComputedStyle(c).fill; probe.remove(); \
         const out = []; \
         for (const id of ['inline', 'remote']) { \
           for (const g of document.getElementById(id).shadowRoot.querySelectorAll('[data-node-id]')) \
             for (const s of g.querySelectorAll('rect, path, text, circle')) out.push(getComputedStyle(s).fill); \
         } \
         return {hostFill, fills: out};",
        vec![],
    )?;
    let red = "rgb(255, 0, 0)";
    check(
        v["hostFill"] == red,
        format!("the host rule is not active: {}", v["hostFill"]),
    )?;
    let fills: Vec<&str> = v["fills"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    check(!fills.is_empty(), "no shapes in the widget")?;
    let reds: Vec<&&str> = fills.iter().filter(|f| **f == red).collect();
    check(
        reds.is_empty(),
        format!("{} of {} shapes are red", reds.len(), fills.len()),
    )
}

fn editing_the_inline_template_re_renders(cx: &Ctx) -> Result<()> {
    open(cx)?;
    cx.b.js(
        "document.querySelector('#inline script[type=\"text/yaml\"]').textContent = \
         'Resources:\\n  OnlyBucket:\\n    Type: AWS::S3::Bucket\\n'; return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "re-render",
        "const r = document.getElementById('inline').shadowRoot; \
         return !!r.querySelector('[data-node-id=\"OnlyBucket\"]') && !r.querySelector('[data-node-id=\"Orders\"]');",
        10,
    )?;
    cx.b.js(
        "document.getElementById('inline').setAttribute('theme', 'dark'); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "dark theme",
        "return document.getElementById('inline').hasAttribute('data-dark');",
        10,
    )?;
    Ok(())
}

fn no_request_leaves_the_origin(cx: &Ctx) -> Result<()> {
    open(cx)?;
    let foreign = e2e::foreign_requests(cx)?;
    check(
        foreign.is_empty(),
        format!("requests left the origin: {foreign:?}"),
    )?;
    let served = cx.server.requests();
    for want in [".wasm", "pillarlint-widget.js", "example.yaml"] {
        check(
            served.iter().any(|p| p.ends_with(want)),
            format!("the server log is missing {want}: {served:?}"),
        )?;
    }
    Ok(())
}

/// The widget lays the diagram out for its frame as the app does: the corpus's large
/// template in a 900×600 frame is collapsed, fits, and a click opens a box.
fn a_large_template_fits_its_frame_collapsed(cx: &Ctx) -> Result<()> {
    open(cx)?;
    let (_, text) = e2e::corpus_template(e2e::ISSUE_TEMPLATES[0])?;
    cx.b.js(
        "const el = document.createElement('pillarlint-diagram'); el.id = 'big'; \
         el.style.width = '900px'; el.setAttribute('height', '600'); \
         const s = document.createElement('script'); s.type = 'text/yaml'; s.textContent = arguments[0]; \
         el.append(s); document.body.prepend(el); return true;",
        vec![json!(text)],
    )?;
    let probe = "const el = document.getElementById('big'); const r = el.shadowRoot; \
         const svg = r && r.querySelector('svg'); if (!svg) return null; \
         const host = el.getBoundingClientRect(), b = svg.getBoundingClientRect(); \
         const nodes = [...r.querySelectorAll('[data-node-id]')]; \
         const out = nodes.filter(n => { const q = n.getBoundingClientRect(); \
           return q.left < b.left - 1 || q.right > b.right + 1 || q.top < b.top - 6 || q.bottom > b.bottom + 1; }).length; \
         return {nodes: nodes.length, boxes: r.querySelectorAll('[data-collapsed]').length, \
                 first: r.querySelector('[data-collapsed]')?.getAttribute('data-node-id'), out, \
                 inside: b.left >= host.left - 1 && b.right <= host.right + 1 && b.height <= 601};";
    let v = cx.b.wait_for("the large diagram", probe, 30)?;
    check(
        v["boxes"].as_u64().unwrap_or(0) > 0 && v["out"] == 0 && v["inside"] == true,
        format!("collapsed and fitted to its frame: {v}"),
    )?;
    let first = v["first"].as_str().unwrap_or_default().to_owned();
    cx.b.js(
        "document.getElementById('big').shadowRoot.querySelector('[data-node-id=\"' + CSS.escape(arguments[0]) + '\"]').dispatchEvent(new MouseEvent('click', {bubbles: true, composed: true})); return true;",
        vec![json!(first)],
    )?;
    cx.b.wait_for(
        "the box to open",
        "const r = document.getElementById('big').shadowRoot; return !!r.querySelector('svg') && !r.querySelector('[data-node-id=\"' + CSS.escape(arguments[0]) + '\"]');"
            .replace("arguments[0]", &format!("{first:?}"))
            .as_str(),
        20,
    )?;
    cx.b.js(
        "document.getElementById('big').remove(); return true;",
        vec![],
    )?;
    Ok(())
}
