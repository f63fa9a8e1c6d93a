//! The README's pictures of the app, retaken from `dist/` in headless Chromium:
//! `static/screenshots/{light,dark,phone,phone-template,editor,drafts}.png`, and the diagram
//! at real size: `large.png` (the corpus's largest service, collapsed to fit),
//! `large-attack.png` (its attack paths), `large-focus.png` (a function's neighbourhood),
//! `large-embed.png` (a 900×600 embed); `share-dialog.png`, and the bookstore embedded,
//! `embed-{light,dark}.png`.
//!
//! `cargo run -p pillarlint-tests --features browser --bin screenshots [-- OUT_DIR]` (after
//! `trunk build --release`; OUT_DIR defaults to `static/screenshots`). Each picture waits for
//! the state it shows, and the run fails when that state never comes, so a picture of a
//! broken page is never written.

use std::path::PathBuf;

use pillarlint_tests::e2e::{self, Ctx};
use pillarlint_tests::paths;
use pillarlint_tests::webdriver::Result;

/// Where the pictures go: the first argument, else `$PILLARLINT_SCREENSHOTS`, else
/// `static/screenshots`.
fn out_dir() -> PathBuf {
    std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("PILLARLINT_SCREENSHOTS").map(PathBuf::from))
        .unwrap_or_else(|| paths::root().join("static/screenshots"))
}

fn open_example(cx: &Ctx, scheme: &str) -> Result<()> {
    cx.b.color_scheme(scheme)?;
    e2e::open_fresh(cx)?;
    cx.b.wait_for(
        "the example's diagram",
        // a collapsed box (a phone's pane folds nodes) stands for its members
        "return [...document.querySelectorAll('#diagram [data-node-id]')]\
         .reduce((a, e) => a + (+e.getAttribute('data-collapsed') || 1), 0) >= 6;",
        30,
    )?;
    let dark = cx.b.js(
        "return matchMedia('(prefers-color-scheme: dark)').matches;",
        vec![],
    )?;
    if dark.as_bool() != Some(scheme == "dark") {
        return Err(format!("the page did not take the {scheme} scheme"));
    }
    Ok(())
}

fn save(cx: &Ctx, name: &str) -> Result<()> {
    // let the fit, fonts and transitions settle
    std::thread::sleep(std::time::Duration::from_millis(600));
    let png = cx.b.screenshot()?;
    let dir = out_dir();
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    std::fs::write(&path, png).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {} ", path.display());
    Ok(())
}

/// Click `target`, wait until `shown` holds, and save the picture.
fn click_and_save(cx: &Ctx, target: &str, what: &str, shown: &str, name: &str) -> Result<()> {
    cx.b.click(target)?;
    cx.b.wait_for(
        what,
        &format!("return !!document.querySelector('{shown}');"),
        10,
    )?;
    save(cx, name)
}

fn shoot(cx: &Ctx) -> Result<()> {
    // light: an unauthenticated route selected from the findings, its edge and line marked
    cx.b.set_window(1440, 900)?;
    open_example(cx, "light")?;
    click_and_save(
        cx,
        "[data-rule=\"AUTH001\"]",
        "the route's edge selected",
        "#diagram [data-edge-from][data-selected=\"true\"]",
        "light.png",
    )?;

    // dark: a function's details
    open_example(cx, "dark")?;
    click_and_save(
        cx,
        "#diagram [data-node-id=\"authorHandler\"]",
        "authorHandler's details",
        "[data-details-for=\"authorHandler\"]",
        "dark.png",
    )?;

    // the share dialog (its bundle and styles load after the first diagram)
    open_example(cx, "light")?;
    click_and_save(
        cx,
        "#share-button",
        "the share dialog",
        "#share-dialog[open] #share-link",
        "share-dialog.png",
    )?;

    // the editor: coloured text, the findings' marks in the gutter, one hovered
    open_example(cx, "light")?;
    cx.b.js(
        "const m = document.querySelector('.gutter .fm[data-pillar=auth]') || document.querySelector('.gutter .fm');\
         m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the mark's tooltip",
        "return !!document.querySelector('#mark-tip:not([hidden])');",
        10,
    )?;
    save(cx, "editor.png")?;

    // the documents: the user's draft, then an example opened beside it
    cx.b.paste_into(
        "#editor",
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Payments API for the shop\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
    )?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    cx.b.js(
        "const s = document.querySelector('#examples'); s.value = 'orders'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the orders example and the way back",
        "return !!document.querySelector('#back-to-draft');",
        20,
    )?;
    cx.b.js(
        "document.querySelector('.docs-menu').open = true; return true;",
        vec![],
    )?;
    save(cx, "drafts.png")?;

    // phone width: the diagram first, the template one tap away
    cx.b.set_window(390, 844)?;
    open_example(cx, "light")?;
    save(cx, "phone.png")?;
    cx.b.click("#tab-template")?;
    cx.b.wait_for(
        "the editor tab",
        "return document.querySelector('#editor').getBoundingClientRect().width > 0;",
        10,
    )?;
    save(cx, "phone-template.png")?;

    large(cx)
}

// -- the diagram at real size (issue 19)
fn large(cx: &Ctx) -> Result<()> {
    cx.b.set_window(1440, 900)?;
    open_example(cx, "light")?;
    let (name, text) = e2e::corpus_template(e2e::ISSUE_TEMPLATES[0])?;
    e2e::paste_and_wait(cx, &text)?;
    let m = e2e::diagram_metrics(cx, "#diagram")?;
    if !m.legible() {
        return Err(format!("{name} is not legible: {}", m.summary()));
    }
    save(cx, "large.png")?;

    // a function's neighbourhood (else another node with findings), two hops
    let id = cx.b.js(
        "const all = [...document.querySelectorAll('#diagram [data-node-id]:not([data-collapsed])')].filter(n => n.getAttribute('data-pillars'));\
         const n = all.find(n => n.getAttribute('data-kind') === 'function') || all[0]; return n && n.getAttribute('data-node-id');",
        vec![],
    )?;
    let id = id.as_str().ok_or("no function to focus on")?.to_owned();
    cx.b.click(&format!("#diagram [data-node-id=\"{id}\"]"))?;
    cx.b.wait_for(
        "the focus control",
        "return !!document.querySelector('#focus-hops');",
        10,
    )?;
    cx.b.click("#focus-hops")?;
    save(cx, "large-focus.png")?;
    cx.b.js(
        "document.querySelector('#diagram').dispatchEvent(new MouseEvent('click', {bubbles: true})); return true;",
        vec![],
    )?;

    // its attack paths
    cx.b.js(
        "const s = document.querySelector('#diagram-view'); s.value = 'attack'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the attack-path view",
        "return document.querySelector('#diagram').dataset.mode === 'attack' && document.querySelectorAll('#diagram .edge.weak').length > 0;",
        10,
    )?;
    save(cx, "large-attack.png")?;
    cx.b.js(
        "const s = document.querySelector('#diagram-view'); s.value = 'all'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;

    // a 900×600 embed of it
    let mut state = pillarlint_core::permalink::State::with_text(text.as_str());
    state.path = Some(name);
    let link = pillarlint_core::permalink::link(&state, &cx.server.url("/"), true)
        .map_err(|e| e.to_string())?;
    cx.b.set_window(900, 600)?;
    cx.b.goto("about:blank")?;
    cx.b.goto(&link)?;
    cx.b.wait_for(
        "the embed's diagram",
        "return document.querySelectorAll('.embed [data-node-id]').length > 0;",
        30,
    )?;
    save(cx, "large-embed.png")?;

    // the bookstore embedded, in the host's light and dark schemes
    let mut state =
        pillarlint_core::permalink::State::with_text(pillarlint_core::example::BOOKSTORE.text);
    state.path = Some(pillarlint_core::example::BOOKSTORE.file_name.to_owned());
    let link = pillarlint_core::permalink::link(&state, &cx.server.url("/"), true)
        .map_err(|e| e.to_string())?;
    cx.b.set_window(720, 420)?;
    for scheme in ["light", "dark"] {
        cx.b.color_scheme(scheme)?;
        cx.b.goto("about:blank")?;
        cx.b.goto(&link)?;
        cx.b.wait_for(
            "the embed's diagram",
            "return document.querySelectorAll('.embed [data-node-id]').length >= 6;",
            30,
        )?;
        save(cx, &format!("embed-{scheme}.png"))?;
    }
    cx.b.color_scheme("light")?;
    cx.b.set_window(1440, 900)?;
    Ok(())
}

fn main() {
    let _ = std::fs::create_dir_all(out_dir());
    let cx = e2e::start(&["index.html"], (1440, 900));
    if let Err(e) = shoot(&cx) {
        eprintln!("screenshots: {e}");
        std::process::exit(1);
    }
}
