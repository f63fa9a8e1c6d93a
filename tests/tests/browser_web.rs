//! End-to-end tests of the web app's trust (issue 18) in a real headless Chromium: drafts
//! that survive examples, links and reloads; the file name that follows the document; a
//! link's edits kept on reload; a draft that does not parse after a reload; the editor
//! (colours, gutter marks, splitter, soft wrap); true share advice; the phone layout;
//! accessibility (axe-core, zero violations); offline after the first visit; and the small
//! items of the point 9.
//!
//! Needs `dist/` from `trunk build --release`, Chromium + ChromeDriver and axe-core in
//! `.tools/` (scripts/bootstrap.sh installs all of them). Scenarios share one browser and
//! run in order; the offline one runs last (it leaves a service worker behind).

use std::collections::BTreeMap;

use pillarlint_core::permalink::{self, State};
use pillarlint_tests::e2e::{self, check, open_fresh, Ctx, Scenario, WILDCARD_CFN};
use pillarlint_tests::paths;
use pillarlint_tests::webdriver::Result;
use serde_json::{json, Value};

fn main() {
    let scenarios: &[Scenario] = &[
        (
            "drafts_survive_examples_links_and_reload",
            drafts_survive_examples_links_and_reload,
        ),
        ("storage_errors_are_shown", storage_errors_are_shown),
        (
            "file_name_follows_the_document",
            file_name_follows_the_document,
        ),
        ("edited_link_survives_reload", edited_link_survives_reload),
        (
            "broken_draft_after_reload_shows_its_error",
            broken_draft_after_reload_shows_its_error,
        ),
        (
            "editor_colours_text_and_marks_findings",
            editor_colours_text_and_marks_findings,
        ),
        (
            "splitter_and_soft_wrap_are_remembered",
            splitter_and_soft_wrap_are_remembered,
        ),
        ("share_advice_is_true", share_advice_is_true),
        ("phone_layout", phone_layout),
        ("axe_finds_no_violations", axe_finds_no_violations),
        ("small_things", small_things),
        (
            "works_offline_after_first_visit",
            works_offline_after_first_visit,
        ),
    ];
    e2e::run(
        "browser_web",
        &["index.html", "embed.html", "sw.js"],
        (1440, 900),
        scenarios,
    );
}

/// Open `url` as a fresh page load (not a same-document fragment change).
fn open(cx: &Ctx, url: &str) -> Result<()> {
    cx.b.goto("about:blank")?;
    cx.b.goto(url)
}

fn editor(cx: &Ctx) -> Result<String> {
    let v = cx.b.js(
        "const e = document.querySelector('#editor'); return e ? e.value : null;",
        vec![],
    )?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

fn wait_nodes(cx: &Ctx, what: &str, n: usize) -> Result<()> {
    cx.b.wait_for(
        what,
        // a collapsed box stands for its members
        &format!(
            "return [...document.querySelectorAll('#diagram [data-node-id]')]\
             .reduce((a, e) => a + (+e.getAttribute('data-collapsed') || 1), 0) >= {n};"
        ),
        30,
    )
    .map(|_| ())
}

/// Wait until the editor holds exactly `text`.
fn wait_editor(cx: &Ctx, what: &str, text: &str) -> Result<()> {
    cx.b.wait_for(
        what,
        &format!(
            "const e = document.querySelector('#editor'); return !!e && e.value === {};",
            json!(text)
        ),
        30,
    )
    .map(|_| ())
}

fn corpus_text(rel: &str) -> Result<(String, String)> {
    let path = paths::corpus().join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, text))
}

/// The 234 KB corpus template the issue measures pastes with.
fn large_template() -> Result<(String, String)> {
    let dir = paths::corpus().join("large");
    let file = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("aws-cloud-migration-factory-solution.template"))
        })
        .ok_or("the cloud-migration-factory template is not in the corpus")?;
    corpus_text(&format!(
        "large/{}",
        file.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    ))
}

fn link_to(cx: &Ctx, name: &str, text: &str) -> Result<String> {
    let mut s = State::with_text(text);
    s.path = Some(name.to_owned());
    permalink::link(&s, &cx.server.url("/"), false).map_err(|e| e.to_string())
}

/// Type with real key events at the end of the editor's text.
fn type_at_end(cx: &Ctx, keys: &str) -> Result<()> {
    cx.b.js(
        "const e = document.querySelector('#editor'); e.focus(); e.setSelectionRange(e.value.length, e.value.length); return true;",
        vec![],
    )?;
    cx.b.type_into("#editor", keys)
}

/// Issue point 1: type → open an example → open a share link → reload → the typed text is
/// one click away, unchanged; undo never crosses a document switch.
fn drafts_survive_examples_links_and_reload(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    let typed = "# my own words, typed\n";
    type_at_end(cx, typed)?;
    let mine = format!("{WILDCARD_CFN}{typed}");
    wait_editor(cx, "the typed text", &mine)?;
    cx.b.wait_for(
        "the draft saved",
        &format!(
            "return localStorage.getItem('pillarlint.draft') === {};",
            json!(mine)
        ),
        10,
    )?;

    // an example opens as its own document; undo there does not bring the draft back
    let orders = pillarlint_core::example::example("orders").ok_or("orders")?;
    cx.b.js(
        "const s = document.querySelector('#examples'); s.value = 'orders'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;
    let orders_text =
        std::fs::read_to_string(paths::root().join("core/examples").join(orders.source))
            .map_err(|e| e.to_string())?;
    wait_editor(cx, "the orders example", &orders_text)?;
    cx.b.click("#editor")?;
    cx.b.type_into("#editor", "\u{E009}z")?;
    cx.b.type_into("#editor", "\u{E009}z")?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    check(
        editor(cx)? == orders_text,
        "Ctrl+Z after opening an example changed its text (undo crossed the document switch)",
    )?;
    check(
        cx.b.js("return !!document.querySelector('#back-to-draft');", vec![])? == json!(true),
        "no way back to the draft from the example",
    )?;

    // a shared link opens as its own document too
    let (name, text) = corpus_text(
        "sam/aws-samples__serverless-patterns__docdb-lambda-nodejs-sam__template.yaml",
    )?;
    let link = link_to(cx, &name, &text)?;
    open(cx, &link)?;
    wait_editor(cx, "the shared template", &text)?;
    // and a reload
    open(cx, &link)?;
    wait_editor(cx, "the shared template after a reload", &text)?;
    let docs = cx.b.js(
        "document.querySelector('.docs-menu').open = true;\
         return [...document.querySelectorAll('.docs-list li.doc')].map(l => [l.dataset.origin, l.dataset.edited]);",
        vec![],
    )?;
    let origins: Vec<String> = docs
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    format!(
                        "{}/{}",
                        d[0].as_str().unwrap_or(""),
                        d[1].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for want in ["shared link/false", "example/false"] {
        check(
            origins.iter().any(|o| o == want),
            format!("Recent lacks a {want} document: {origins:?}"),
        )?;
    }
    check(
        origins.iter().filter(|o| o.ends_with("/true")).count() == 1,
        format!("Recent should hold exactly the one edited document: {origins:?}"),
    )?;
    cx.b.js(
        "document.querySelector('.docs-menu').open = false; return true;",
        vec![],
    )?;
    // one click
    cx.b.click("#back-to-draft")?;
    wait_editor(cx, "the typed draft, back", &mine)?;
    // and it is the user's: a reload keeps showing it (the link's address was dropped)
    cx.b.wait_for(
        "the address to leave the link",
        "return location.hash === '#/' || location.hash === '';",
        10,
    )?;
    open(cx, &cx.server.url("/index.html"))?;
    wait_editor(cx, "the draft after another reload", &mine)?;
    Ok(())
}

/// A storage that refuses to write (quota) is reported, and the text stays in the editor.
fn storage_errors_are_shown(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    cx.b.js(
        "window.__setItem = Storage.prototype.setItem;\
         Storage.prototype.setItem = function (k, v) { if (k.startsWith('pillarlint.')) throw new DOMException('full', 'QuotaExceededError'); return window.__setItem.call(this, k, v); };\
         return true;",
        vec![],
    )?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    let msg = cx.b.wait_for(
        "the storage error",
        "const e = document.querySelector('#storage-error'); return e && e.textContent;",
        10,
    )?;
    check(
        msg.as_str()
            .is_some_and(|m| m.contains("full") && m.contains("not saved")),
        format!("unclear storage message: {msg}"),
    )?;
    check(editor(cx)? == WILDCARD_CFN, "the text left the editor")?;
    check(
        cx.b.js(
            "return [...document.querySelectorAll('#storage-error button')].some(b => b.textContent.includes('Download'));",
            vec![],
        )? == json!(true),
        "no way to download the unsaved text",
    )?;
    // storage back: the next save clears the message
    cx.b.js(
        "Storage.prototype.setItem = window.__setItem; return true;",
        vec![],
    )?;
    type_at_end(cx, "# saved now\n")?;
    cx.b.wait_for(
        "the message to go once saved",
        "return !document.querySelector('#storage-error') && (localStorage.getItem('pillarlint.draft') || '').endsWith('# saved now\\n');",
        10,
    )?;
    Ok(())
}

fn file_name(cx: &Ctx) -> Result<String> {
    let v =
        cx.b.js("return document.querySelector('#file-name').value;", vec![])?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Blobs handed to `URL.createObjectURL` (every export), as text.
const CAPTURE: &str = "window.__blobs = []; const orig = URL.createObjectURL;\
    URL.createObjectURL = function (b) { const i = window.__blobs.length; window.__blobs.push({type: b.type, text: null});\
      b.text().then(t => { window.__blobs[i].text = t; }); return orig.call(URL, b); }; return true;";

fn export(cx: &Ctx, id: &str, mime: &str) -> Result<String> {
    cx.b.js(
        "window.__blobs = []; document.querySelector('.export-menu').open = true; return true;",
        vec![],
    )?;
    cx.b.click(id)?;
    let v = cx.b.wait_for(
        &format!("the {mime} export"),
        &format!("const b = window.__blobs.find(b => b.type.startsWith({}) && b.text !== null); return b && b.text;", json!(mime)),
        10,
    )?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Issue point 2: the file name follows the document (its Description, a Serverless
/// service, else "untitled"), is editable, and exports and links use it.
fn file_name_follows_the_document(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    check(
        file_name(cx)? == "bookstore.sam.yaml",
        "the example's own name",
    )?;
    let cases = [
        (
            "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Payments API for the shop. Handles refunds.\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
            "payments-api-for-shop.yaml",
        ),
        (
            "service: billing\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  charge: {handler: h.charge}\n",
            "billing.serverless.yml",
        ),
        (WILDCARD_CFN, "untitled.yaml"),
    ];
    for (text, want) in cases {
        cx.b.paste_into("#editor", text)?;
        cx.b.wait_for(
            &format!("the name {want}"),
            &format!(
                "return document.querySelector('#file-name').value === {};",
                json!(want)
            ),
            10,
        )
        .map_err(|e| format!("{e}: the name is {:?}", file_name(cx)))?;
    }
    cx.b.js(CAPTURE, vec![])?;
    let json_export = export(cx, "#export-json", "application/json")?;
    let j: Value = serde_json::from_str(&json_export).map_err(|e| e.to_string())?;
    check(
        j["files"][0]["path"] == json!("untitled.yaml"),
        format!("JSON export path: {}", j["files"][0]["path"]),
    )?;
    // the user names it: exports, the SVG title, the Markdown heading and the embed follow
    cx.b.js(
        "const i = document.querySelector('#file-name'); i.value = 'worker-stack.yaml'; i.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the new name in the report",
        "return document.querySelector('#file-name').value === 'worker-stack.yaml';",
        10,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    let md = export(cx, "#export-md", "text/markdown")?;
    check(
        md.starts_with("# pillarlint report: `worker-stack.yaml`"),
        format!("Markdown heading: {}", md.lines().next().unwrap_or("")),
    )?;
    let svg = export(cx, "#export-svg", "image/svg+xml")?;
    check(
        svg.contains("<title>worker-stack.yaml</title>"),
        "the SVG's title is not the document's name",
    )?;
    // an edit keeps a name the user chose
    type_at_end(cx, "# more\n")?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    check(
        file_name(cx)? == "worker-stack.yaml",
        "an edit replaced the user's name",
    )?;
    cx.b.click("#share-button")?;
    let snippet = cx.b.wait_for(
        "the embed snippet",
        "const e = document.querySelector('#share-embed'); return e && e.value;",
        10,
    )?;
    check(
        snippet
            .as_str()
            .is_some_and(|s| s.contains("title=\"pillarlint: worker-stack.yaml service diagram\"")),
        format!("the embed snippet's title: {snippet}"),
    )?;
    let link = cx.b.js(
        "return document.querySelector('#share-link').value;",
        vec![],
    )?;
    let st = permalink::decode(link.as_str().unwrap_or_default()).map_err(|e| e.to_string())?;
    check(
        st.path.as_deref() == Some("worker-stack.yaml"),
        format!("the link's file name: {:?}", st.path),
    )?;
    cx.b.click("#share-dialog .close")?;
    // a file opened keeps its own name
    let dir = std::env::temp_dir().join(format!("pillarlint-web-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("queue-stack.yaml");
    std::fs::write(&file, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
        .map_err(|e| e.to_string())?;
    let r =
        cx.b.type_into(".editor-pane input[type=file]", &file.to_string_lossy());
    let named = cx.b.wait_for(
        "the opened file's name",
        "return document.querySelector('#file-name').value === 'queue-stack.yaml';",
        10,
    );
    let _ = std::fs::remove_dir_all(&dir);
    r?;
    named?;
    Ok(())
}

/// Issue point 3: edits to an opened share link are the user's: the fragment goes, and a
/// reload shows what they typed.
fn edited_link_survives_reload(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let link = link_to(cx, "shared.yaml", WILDCARD_CFN)?;
    open(cx, &link)?;
    wait_editor(cx, "the linked template", WILDCARD_CFN)?;
    check(
        cx.b.js("return location.hash.startsWith('#v1.');", vec![])? == json!(true),
        "an unedited link keeps its address",
    )?;
    type_at_end(cx, "# edited after opening the link\n")?;
    let edited = format!("{WILDCARD_CFN}# edited after opening the link\n");
    cx.b.wait_for(
        "the link's fragment to go",
        "return !location.hash.includes('v1.');",
        10,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(400));
    cx.b.js("location.reload(); return true;", vec![])?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    wait_editor(cx, "the edited text after reload", &edited)?;
    Ok(())
}

/// Issue point 4: a draft that does not parse, reloaded: the error, a findings pane that
/// says why it is empty, and an Export of the error report — never "Analysing…" forever.
fn broken_draft_after_reload_shows_its_error(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    let broken = WILDCARD_CFN.replace("      Runtime: python3.12", "      Runtime: [python3.12");
    cx.b.paste_into("#editor", &broken)?;
    cx.b.wait_for(
        "the parse error",
        "return !!document.querySelector('#parse-error');",
        10,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(400));
    open(cx, &cx.server.url("/index.html"))?;
    let v = cx.b.wait_for(
        "the error state after reload",
        "const e = document.querySelector('#parse-error'), d = document.querySelector('#no-diagram'), f = document.querySelector('#no-findings');\
         return e && d && f && {line: e.dataset.line, diagram: d.textContent, findings: f.textContent};",
        20,
    )?;
    check(
        v["diagram"]
            .as_str()
            .is_some_and(|s| s.contains("does not parse") && !s.contains("Analysing")),
        format!("diagram pane: {v}"),
    )?;
    check(
        v["findings"]
            .as_str()
            .is_some_and(|s| s.contains("does not parse")),
        format!("findings pane: {v}"),
    )?;
    check(editor(cx)? == broken, "the broken draft was not restored")?;
    cx.b.js(CAPTURE, vec![])?;
    let j: Value = serde_json::from_str(&export(cx, "#export-json", "application/json")?)
        .map_err(|e| e.to_string())?;
    check(
        j["files"][0]["error"]["line"].as_u64() == v["line"].as_str().and_then(|l| l.parse().ok()),
        format!("the exported report's error: {}", j["files"][0]["error"]),
    )?;
    check(
        cx.b.js(
            "return document.body.textContent.includes('Analysing');",
            vec![],
        )? == json!(false),
        "something still says Analysing…",
    )
}

/// Issue point 5: colours from the core's reader under the text, gutter marks at the lines
/// with findings (by pillar; hover shows them, click selects), and the paste figure.
fn editor_colours_text_and_marks_findings(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    let v = cx.b.wait_for(
        "the coloured layer",
        "const l = document.querySelector('.hl'); if (!l || !l.querySelector('.t-k')) return null;\
         const lines = document.querySelector('#editor').value.split('\\n');\
         const top = parseFloat(l.style.top); const first = Math.round((top - 8) / 20);\
         const rows = [...l.children].map(d => d.textContent);\
         return {first, same: rows.every((r, i) => r === lines[first + i]), rows: rows.length,\
                 key: l.querySelector('.t-k').textContent, tags: [...l.querySelectorAll('.t-t')].map(e => e.textContent),\
                 strings: l.querySelectorAll('.t-s').length,\
                 transparent: getComputedStyle(document.querySelector('#editor')).color};",
        10,
    )?;
    check(
        v["same"] == json!(true),
        format!("the layer's text differs from the editor's: {v}"),
    )?;
    check(
        v["first"] == json!(0) && v["rows"].as_u64().is_some_and(|r| r > 20),
        format!("painted lines: {v}"),
    )?;
    check(
        v["key"] == json!("AWSTemplateFormatVersion"),
        format!("first key: {v}"),
    )?;
    check(
        v["tags"]
            .as_array()
            .is_some_and(|t| t.contains(&json!("!Ref"))),
        format!("no !Ref tag coloured: {v}"),
    )?;
    check(
        v["transparent"] == json!("rgba(0, 0, 0, 0)"),
        format!("the textarea's own glyphs show: {v}"),
    )?;

    // gutter marks: every shown line with findings has one, of its worst finding's pillar
    let report = pillarlint_core::report_file(
        "bookstore.sam.yaml",
        pillarlint_core::example::BOOKSTORE.text.as_bytes(),
    );
    let mut want: BTreeMap<u32, (pillarlint_core::rules::Severity, &str)> = BTreeMap::new();
    for f in report.active() {
        let e = want
            .entry(f.line)
            .or_insert((f.severity, f.pillar.as_str()));
        if f.severity > e.0 {
            *e = (f.severity, f.pillar.as_str());
        }
    }
    let marks = cx.b.js(
        "return [...document.querySelectorAll('.gutter .fm')].map(m => [+m.dataset.line, m.dataset.pillar]);",
        vec![],
    )?;
    let got: BTreeMap<u32, String> = marks
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| {
                    Some((
                        u32::try_from(m[0].as_u64()?).ok()?,
                        m[1].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let painted = v["rows"].as_u64().unwrap_or(0) as u32;
    for (line, (_, pillar)) in want.iter().filter(|(l, _)| **l <= painted) {
        check(
            got.get(line).map(String::as_str) == Some(pillar),
            format!(
                "line {line}: mark {:?}, want {pillar}; marks {got:?}",
                got.get(line)
            ),
        )?;
    }
    check(
        got.keys().all(|l| want.contains_key(l)),
        format!("marks at lines without findings: {got:?} vs {want:?}"),
    )?;
    let (&line, &(worst, _)) = want.iter().next().ok_or("the example has findings")?;
    // the mark selects the line's worst finding (any of them, when several tie)
    let worst_rules: Vec<String> = report
        .active()
        .filter(|f| f.line == line && f.severity == worst)
        .map(|f| f.rule.clone())
        .collect();
    let sel = format!(".gutter .fm[data-line=\"{line}\"]");
    cx.b.js(
        &format!("document.querySelector({}).dispatchEvent(new MouseEvent('mouseover', {{bubbles: true}})); return true;", json!(sel)),
        vec![],
    )?;
    let tip = cx.b.wait_for(
        "the mark's tooltip",
        "const t = document.querySelector('#mark-tip'); return t && !t.hidden && t.textContent;",
        5,
    )?;
    check(
        worst_rules
            .iter()
            .all(|r| tip.as_str().is_some_and(|t| t.contains(r.as_str()))),
        format!("tooltip {tip} lacks one of {worst_rules:?}"),
    )?;
    cx.b.click(&sel)?;
    let picked = cx.b.wait_for(
        "the mark's finding selected",
        "const f = document.querySelector('.finding.selected'); return f && f.dataset.rule;",
        5,
    )?;
    check(
        picked
            .as_str()
            .is_some_and(|r| worst_rules.iter().any(|w| w == r)),
        format!("the mark selected {picked}, not one of {worst_rules:?} (line {line})"),
    )?;

    // the 234 KB template: paste -> painted, printed (a figure, not a pass/fail)
    let (_, big) = large_template()?;
    let t = cx.b.js(
        "const e = document.querySelector('#editor'); e.focus(); const t0 = performance.now();\
         e.value = arguments[0]; e.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));\
         const handled = performance.now() - t0; window.__painted = null;\
         requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now() - t0; }, 0));\
         return handled;",
        vec![json!(big)],
    )?;
    let painted =
        cx.b.wait_for("the paste painted", "return window.__painted;", 30)?;
    wait_nodes(cx, "the large template's diagram", 20)?;
    let rows = cx.b.js(
        "return document.querySelector('.hl').children.length;",
        vec![],
    )?;
    println!(
        "    paste 234 KB: input handled in {} ms, painted after {} ms; {} lines painted of {}",
        t.as_f64().unwrap_or(-1.0).round(),
        painted.as_f64().unwrap_or(-1.0).round(),
        rows,
        big.lines().count()
    );
    check(
        rows.as_u64().is_some_and(|r| r < 200),
        format!("the whole 234 KB text was painted ({rows} lines), not the screen"),
    )?;
    // scrolled to the end: the layer follows, coloured
    let end = cx.b.js(
        "const e = document.querySelector('#editor'); e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll'));\
         const l = document.querySelector('.hl'); const lines = e.value.split('\\n');\
         const first = Math.round((parseFloat(l.style.top) - 8) / 20);\
         return {last: first + l.children.length, n: lines.length, same: [...l.children].every((d, i) => d.textContent === lines[first + i]), coloured: l.querySelectorAll('span').length};",
        vec![],
    )?;
    check(
        end["last"] == end["n"]
            && end["same"] == json!(true)
            && end["coloured"].as_u64().is_some_and(|c| c > 10),
        format!("after scrolling to the end: {end}"),
    )
}

/// The splitter (keyboard and pointer) and soft wrap, both remembered across reloads.
fn splitter_and_soft_wrap_are_remembered(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.js("localStorage.clear(); return true;", vec![])?;
    open(cx, &cx.server.url("/index.html"))?;
    wait_nodes(cx, "the example", 6)?;
    let width = |cx: &Ctx| -> Result<f64> {
        Ok(cx
            .b
            .js(
                "return document.querySelector('#editor-pane').getBoundingClientRect().width;",
                vec![],
            )?
            .as_f64()
            .unwrap_or(0.0))
    };
    let w0 = width(cx)?;
    let now0 = cx.b.js(
        "return +document.querySelector('#splitter').getAttribute('aria-valuenow');",
        vec![],
    )?;
    cx.b.type_into("#splitter", "\u{E014}\u{E014}\u{E014}")?; // ArrowRight ×3
    let now1 = cx.b.js(
        "return +document.querySelector('#splitter').getAttribute('aria-valuenow');",
        vec![],
    )?;
    check(
        now1.as_f64() == now0.as_f64().map(|v| v + 6.0),
        format!("arrow keys moved the splitter from {now0} to {now1}"),
    )?;
    let w1 = width(cx)?;
    check(
        w1 > w0 + 50.0,
        format!("the editor did not widen: {w0} -> {w1}"),
    )?;
    // dragged with a pointer to 60 % of the workspace
    cx.b.js(
        "const s = document.querySelector('#splitter'); const r = s.parentElement.getBoundingClientRect();\
         const x = r.left + r.width * 0.6, y = r.top + 100;\
         const ev = (t, x) => s.dispatchEvent(new PointerEvent(t, {bubbles: true, clientX: x, clientY: y, button: 0, pointerId: 1}));\
         ev('pointerdown', s.getBoundingClientRect().left + 2); ev('pointermove', x); ev('pointerup', x); return true;",
        vec![],
    )?;
    let now2 = cx.b.wait_for(
        "the dragged splitter",
        "const v = +document.querySelector('#splitter').getAttribute('aria-valuenow'); return v >= 59 && v <= 61 && v;",
        5,
    )?;
    // soft wrap, with a line far wider than the editor
    let long = format!(
        "{WILDCARD_CFN}      Description: \"{}\"\n",
        "wide ".repeat(80)
    );
    cx.b.paste_into("#editor", &long)?;
    cx.b.click("#wrap-toggle")?;
    let w = cx.b.wait_for(
        "soft wrap",
        "const e = document.querySelector('#editor'); if (!document.querySelector('.editor.wrap')) return null;\
         const l = document.querySelector('.hl'); const lines = e.value.split('\\n'); const i = lines.findIndex(x => x.includes('wide wide'));\
         const row = l.children[i]; const nums = [...document.querySelectorAll('.nums > div')];\
         const next = nums.find(n => n.textContent === String(i + 2));\
         return {scroll: e.scrollWidth <= e.clientWidth + 1, tall: row.offsetHeight, nextTop: next && parseFloat(next.style.top), rowBottom: 8 + row.offsetTop + row.offsetHeight,\
                 same: [...l.children].every((d, k) => d.textContent === lines[k])};",
        10,
    )?;
    check(
        w["scroll"] == json!(true),
        format!("wrapped text still scrolls sideways: {w}"),
    )?;
    check(
        w["tall"].as_f64().is_some_and(|h| h >= 60.0),
        format!("the long line did not wrap in the layer: {w}"),
    )?;
    check(
        w["nextTop"] == w["rowBottom"],
        format!("the next line number is not below the wrapped line: {w}"),
    )?;
    check(
        w["same"] == json!(true),
        format!("the wrapped layer's text differs: {w}"),
    )?;
    // both remembered
    open(cx, &cx.server.url("/index.html"))?;
    let v = cx.b.wait_for(
        "the remembered layout",
        "const s = document.querySelector('#splitter'), t = document.querySelector('#wrap-toggle');\
         return s && t && {split: +s.getAttribute('aria-valuenow'), wrap: t.getAttribute('aria-pressed'), cls: !!document.querySelector('.editor.wrap')};",
        20,
    )?;
    check(
        v["split"] == now2 && v["wrap"] == json!("true") && v["cls"] == json!(true),
        format!("after reload: {v}, split was {now2}"),
    )?;
    cx.b.click("#wrap-toggle")?;
    cx.b.js(
        "localStorage.removeItem('pillarlint.split'); return true;",
        vec![],
    )?;
    Ok(())
}

/// Issue point 6: both lengths are shown, and findings-only is suggested only when shorter.
fn share_advice_is_true(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    let dialog = |cx: &Ctx| -> Result<Value> {
        cx.b.click("#share-button")?;
        cx.b.wait_for(
            "both lengths",
            "const o = document.querySelector('#share-other-length'); const l = document.querySelector('#share-length');\
             return o && l && {len: +l.dataset.length, other: +o.dataset.length, advice: !!document.querySelector('#share-advice'),\
                 warn: !!document.querySelector('#share-length-warning'), text: l.textContent};",
            20,
        )
    };
    let small = dialog(cx)?;
    check(
        small["other"].as_u64() > small["len"].as_u64(),
        format!("bookstore: findings-only should be the longer link: {small}"),
    )?;
    check(
        small["advice"] == json!(false),
        format!("advice to make the link longer: {small}"),
    )?;
    cx.b.click("#share-dialog .close")?;
    let (_, big) = large_template()?;
    cx.b.paste_into("#editor", &big)?;
    wait_nodes(cx, "the large template", 20)?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    let large = dialog(cx)?;
    check(
        large["warn"] == json!(true)
            && large["other"].as_u64() < large["len"].as_u64()
            && large["advice"] == json!(true),
        format!("large template: findings-only is shorter and suggested: {large}"),
    )?;
    println!(
        "    link lengths: bookstore {} (findings only {}); 234 KB template {} (findings only {})",
        small["len"], small["other"], large["len"], large["other"]
    );
    cx.b.click("#share-dialog .close")?;
    Ok(())
}

/// Visible interactive elements smaller than 24 × 24 CSS pixels (WCAG 2.5.8), except links
/// inside running text.
const SMALL_TARGETS: &str = "const bad = [];\
  for (const el of document.querySelectorAll('a[href], button, select, input:not([type=hidden]), summary, textarea, [role=button], [role=tab], [role=separator], [tabindex=\"0\"]')) {\
    if (el.closest('.visually-hidden') || el.classList.contains('visually-hidden')) continue;\
    const r = el.getBoundingClientRect(); if (r.width === 0 && r.height === 0) continue;\
    if (getComputedStyle(el).visibility === 'hidden') continue;\
    const inText = el.tagName === 'A' && getComputedStyle(el).display === 'inline' && el.parentElement.textContent.trim() !== el.textContent.trim();\
    if (inText) continue;\
    if (r.width < 24 || r.height < 24) bad.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.')) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' ' + (el.textContent || '').trim().slice(0, 20));\
  } return bad;";

/// Issue point 7: at 390 × 844, a Template · Diagram · Findings switch, the editor one tap
/// away, nothing wider than the screen, every tap target at least 24 px.
fn phone_layout(cx: &Ctx) -> Result<()> {
    cx.b.set_window(390, 844)?;
    let r = (|| -> Result<()> {
        open_fresh(cx)?;
        wait_nodes(cx, "the example on a phone", 6)?;
        // wider than the viewport (a vertical scrollbar, if any, is not part of it)
        let fits = "return {sw: document.documentElement.scrollWidth, w: document.documentElement.clientWidth};";
        let state = |cx: &Ctx| {
            cx.b.js(
                "const vis = s => { const e = document.querySelector(s); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top < innerHeight; };\
                 return {tabs: vis('.tabs'), editor: vis('#editor'), diagram: vis('#diagram'), findings: vis('.findings-pane'),\
                         svgRight: (document.querySelector('#diagram') || document.body).getBoundingClientRect().right,\
                         selected: (document.querySelector('[role=tab][aria-selected=true]') || {}).id};",
                vec![],
            )
        };
        let s = state(cx)?;
        check(
            s["tabs"] == json!(true)
                && s["diagram"] == json!(true)
                && s["editor"] == json!(false)
                && s["selected"] == json!("tab-diagram"),
            format!("the phone opens on the diagram: {s}"),
        )?;
        check(
            s["svgRight"].as_f64().is_some_and(|r| r <= 390.5),
            format!("the diagram is wider than the screen: {s}"),
        )?;
        let f = cx.b.js(fits, vec![])?;
        check(
            f["sw"].as_f64() <= f["w"].as_f64(),
            format!("the page scrolls sideways: {f}"),
        )?;
        let bad = cx.b.js(SMALL_TARGETS, vec![])?;
        check(
            bad == json!([]),
            format!("tap targets under 24 px (diagram tab): {bad}"),
        )?;
        let shot = cx.b.screenshot()?;
        let _ = std::fs::write(cx.artifacts.join("web_phone_diagram.png"), shot);
        cx.b.click("#tab-template")?;
        let s = state(cx)?;
        check(
            s["editor"] == json!(true) && s["diagram"] == json!(false),
            format!("one tap to the editor: {s}"),
        )?;
        let top = cx.b.js(
            "return document.querySelector('#editor').getBoundingClientRect().top;",
            vec![],
        )?;
        check(
            top.as_f64().is_some_and(|t| t < 300.0),
            format!("the editor starts {top} px down"),
        )?;
        let bad = cx.b.js(SMALL_TARGETS, vec![])?;
        check(
            bad == json!([]),
            format!("tap targets under 24 px (template tab): {bad}"),
        )?;
        let shot = cx.b.screenshot()?;
        let _ = std::fs::write(cx.artifacts.join("web_phone_template.png"), shot);
        cx.b.click("#tab-findings")?;
        let s = state(cx)?;
        check(
            s["findings"] == json!(true) && s["editor"] == json!(false),
            format!("the findings tab: {s}"),
        )?;
        let bad = cx.b.js(SMALL_TARGETS, vec![])?;
        check(
            bad == json!([]),
            format!("tap targets under 24 px (findings tab): {bad}"),
        )?;
        let f = cx.b.js(fits, vec![])?;
        check(
            f["sw"].as_f64() <= f["w"].as_f64(),
            format!("the findings scroll sideways: {f}"),
        )?;
        // the rule page: no sideways scrolling either
        cx.b.goto(&cx.server.url("/index.html#/rules/DATA001"))?;
        cx.b.wait_for(
            "a rule page's docs",
            "return !!document.querySelector('[data-docs=\"ready\"] article.docs');",
            20,
        )?;
        let f = cx.b.js(fits, vec![])?;
        check(
            f["sw"].as_f64() <= f["w"].as_f64(),
            format!("the rule page scrolls sideways: {f}"),
        )?;
        let bad = cx.b.js(SMALL_TARGETS, vec![])?;
        check(
            bad == json!([]),
            format!("tap targets under 24 px (rule page): {bad}"),
        )?;
        Ok(())
    })();
    cx.b.set_window(1440, 900)?;
    r
}

/// Run axe-core on the page; every violation printed.
fn axe(cx: &Ctx, page: &str) -> Result<()> {
    let path = paths::root().join(".tools/node_modules/axe-core/axe.min.js");
    let src = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "axe-core is missing ({}: {e}); scripts/bootstrap.sh installs it",
            path.display()
        )
    })?;
    // the script is compiled by the browser's debugger, not the page: the CSP does not apply
    // once per document
    if cx.b.js("return !!window.axe;", vec![])? != json!(true) {
        cx.b.js(&format!("{src}\n;return !!window.axe;"), vec![])?;
    }
    cx.b.js(
        "window.__axe = null; axe.run(document).then(r => { window.__axe = {violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,\
           nodes: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240))}))}; })\
           .catch(e => { window.__axe = {violations: [{id: 'axe-error', help: String(e), nodes: []}]}; }); return true;",
        vec![],
    )?;
    // an object around the list: the wait takes an empty list (no violations) for "not yet"
    let v = cx.b.wait_for("axe's results", "return window.__axe;", 60)?;
    let found = v["violations"].as_array().cloned().unwrap_or_default();
    if found.is_empty() {
        println!("    axe {page}: 0 violations");
        return Ok(());
    }
    let mut msg = format!("axe on {page}: {} violation(s)", found.len());
    for f in &found {
        msg.push_str(&format!(
            "\n      {} ({}): {}",
            f["id"], f["impact"], f["help"]
        ));
        for n in f["nodes"].as_array().into_iter().flatten() {
            msg.push_str(&format!("\n        {}", n.as_str().unwrap_or("")));
        }
    }
    Err(msg)
}

/// Issue point 8: zero axe-core violations on the playground (light and dark), a rule page,
/// the embed view and the findings-only view.
fn axe_finds_no_violations(cx: &Ctx) -> Result<()> {
    let mut failures = Vec::new();
    let mut run = |page: &str, r: Result<()>| {
        if let Err(e) = r {
            failures.push(format!("{page}: {e}"));
        }
    };
    for scheme in ["light", "dark"] {
        cx.b.color_scheme(scheme)?;
        open_fresh(cx)?;
        wait_nodes(cx, "the example", 6)?;
        // a selection, so selected and dimmed states are checked too
        cx.b.click("[data-rule=\"AUTH001\"] .finding-main")?;
        run(
            &format!("playground ({scheme})"),
            axe(cx, &format!("playground ({scheme})")),
        );
        cx.b.goto(&cx.server.url("/index.html#/rules/AUTH001"))?;
        cx.b.wait_for(
            "AUTH001's docs",
            "return !!document.querySelector('[data-docs=\"ready\"] article.docs');",
            20,
        )?;
        run(
            &format!("rule page ({scheme})"),
            axe(cx, &format!("rule page ({scheme})")),
        );
        let (name, text) = corpus_text(
            "sam/aws-samples__serverless-patterns__docdb-lambda-nodejs-sam__template.yaml",
        )?;
        let mut s = State::with_text(text.as_str());
        s.path = Some(name.clone());
        let embed = permalink::link(&s, &cx.server.url("/"), true).map_err(|e| e.to_string())?;
        open(cx, &embed)?;
        cx.b.wait_for(
            "the embed",
            "return document.querySelectorAll('.embed [data-node-id]').length > 0;",
            30,
        )?;
        run(
            &format!("embed ({scheme})"),
            axe(cx, &format!("embed ({scheme})")),
        );
        let report = pillarlint_core::report_file(&name, text.as_bytes());
        let mut fo = State::findings_only(&report);
        fo.path = Some(name);
        let link = permalink::link(&fo, &cx.server.url("/"), false).map_err(|e| e.to_string())?;
        open(cx, &link)?;
        wait_nodes(cx, "the findings-only view", 1)?;
        run(
            &format!("findings-only ({scheme})"),
            axe(cx, &format!("findings-only ({scheme})")),
        );
    }
    cx.b.color_scheme("light")?;
    check(failures.is_empty(), failures.join("\n    "))
}

/// Issue point 9: the small things.
fn small_things(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    // the timing readout stays in milliseconds after the rules pages
    cx.b.goto(&cx.server.url("/index.html#/rules"))?;
    cx.b.wait_for(
        "the rules index",
        "return !!document.querySelector('.rule-list li');",
        20,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(1500));
    cx.b.click(".crumbs a.back")?;
    let render = cx.b.wait_for(
        "the readout",
        "const p = document.querySelector('#perf'); return p && p.dataset.renderMs;",
        20,
    )?;
    check(
        render
            .as_str()
            .and_then(|r| r.parse::<f64>().ok())
            .is_some_and(|r| r < 1000.0),
        format!("render time after the rules pages: {render} ms"),
    )?;
    // a cut link says so in words, without the decompressor's internal names
    let good = link_to(cx, "x.yaml", WILDCARD_CFN)?;
    let (page, frag) = good.split_once('#').ok_or("no fragment")?;
    let cut = &frag[..frag.len() * 2 / 3];
    open(cx, &format!("{page}#{cut}"))?;
    let msg = cx.b.wait_for(
        "the link error",
        "const e = document.querySelector('#permalink-error'); return e && e.textContent;",
        20,
    )?;
    check(
        msg.as_str().is_some_and(|m| {
            !m.contains("Failed") && !m.contains("Progress") && m.contains("link")
        }),
        format!("link error: {msg}"),
    )?;
    // the Export menu closes once a choice is made
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    cx.b.js(CAPTURE, vec![])?;
    export(cx, "#export-json", "application/json")?;
    check(
        cx.b.js(
            "return document.querySelector('.export-menu').open;",
            vec![],
        )? == json!(false),
        "the Export menu stayed open",
    )?;
    // Escape clears a selection
    cx.b.click("#diagram [data-node-id=\"booksStatistics\"]")?;
    cx.b.wait_for(
        "a selected node",
        "return !!document.querySelector('#diagram [data-selected=\"true\"]');",
        10,
    )?;
    cx.b.type_into("#diagram [data-node-id=\"booksStatistics\"]", "\u{E00C}")?;
    cx.b.wait_for(
        "Escape to clear it",
        "return !document.querySelector('#diagram [data-selected]') && !document.querySelector('[data-details-for]');",
        10,
    )?;
    // an unknown example says so and keeps the text
    let before = editor(cx)?;
    cx.b.goto(&cx.server.url("/index.html#/example/bogus"))?;
    let msg = cx.b.wait_for(
        "the unknown example's notice",
        "const e = document.querySelector('#permalink-error'); return e && e.textContent;",
        10,
    )?;
    check(
        msg.as_str()
            .is_some_and(|m| m.contains("bogus") && m.contains("bookstore")),
        format!("unknown example notice: {msg}"),
    )?;
    check(editor(cx)? == before, "an unknown example changed the text")?;
    // the logo is inline markup: the icon file is fetched by the page's icon link only
    let v = cx.b.js(
        "return {imgs: document.querySelectorAll('img[src*=\"favicon\"]').length, links: document.querySelectorAll('link[rel=icon]').length,\
                 fetched: performance.getEntriesByType('resource').filter(e => e.name.includes('favicon')).length};",
        vec![],
    )?;
    check(
        v["imgs"] == json!(0)
            && v["links"] == json!(1)
            && v["fetched"].as_u64().is_some_and(|n| n <= 1),
        format!("favicon: {v}"),
    )
}

/// Offline: load once (the service worker caches the app), take the network down (the
/// DevTools protocol, and the test server refusing every connection), reload: the example
/// analyses; a rule page and another example open from the cache too.
fn works_offline_after_first_visit(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    wait_nodes(cx, "the example", 6)?;
    let cached = cx.b.wait_for(
        "the service worker and its cache",
        "if (!window.__sw) { window.__sw = 'waiting'; navigator.serviceWorker.ready.then(() => caches.keys()).then(k => { window.__sw = k; }); }\
         return Array.isArray(window.__sw) && navigator.serviceWorker.controller && window.__sw.some(k => k.startsWith('pillarlint-')) && window.__sw;",
        60,
    )?;
    let manifest = cx.b.js(
        "const l = document.querySelector('link[rel=manifest]'); return l && fetch(l.href).then ? l.getAttribute('href') : null;",
        vec![],
    )?;
    check(
        manifest == json!("manifest.webmanifest"),
        format!("no manifest link: {manifest}"),
    )?;
    cx.b.cdp("Network.enable", json!({}))?;
    cx.b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )?;
    cx.server.set_offline(true);
    let served_before = cx.server.requests().len();
    let r = (|| -> Result<()> {
        open(cx, &cx.server.url("/index.html"))?;
        wait_nodes(cx, "the example, offline", 6)?;
        let n = cx.b.js(
            "return document.querySelectorAll('.finding').length;",
            vec![],
        )?;
        check(
            n.as_u64().is_some_and(|n| n > 10),
            format!("offline findings: {n}"),
        )?;
        cx.b.js(
            "const s = document.querySelector('#examples'); s.value = 'todo'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            vec![],
        )?;
        cx.b.wait_for(
            "another example (a Serverless one: the full app, terraform.html), offline",
            "return location.pathname.endsWith('/terraform.html') && !!document.querySelector('#diagram [data-node-id]') && document.querySelector('#editor').value.startsWith('service: todo-api');",
            20,
        )?;
        cx.b.goto(&cx.server.url("/index.html#/rules/AUTH001"))?;
        cx.b.wait_for(
            "a rule page, offline",
            "return !!document.querySelector('[data-docs=\"ready\"] article.docs');",
            20,
        )?;
        let served = cx.server.requests();
        check(
            served.len() == served_before,
            format!(
                "the server answered while offline: {:?}",
                served.get(served_before..).unwrap_or_default()
            ),
        )?;
        let shot = cx.b.screenshot()?;
        let _ = std::fs::write(cx.artifacts.join("web_offline_rule.png"), shot);
        Ok(())
    })();
    cx.server.set_offline(false);
    cx.b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )?;
    r?;
    println!("    offline cache: {cached}");
    Ok(())
}
