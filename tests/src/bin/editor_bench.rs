//! The editor's figures in headless Chromium (release build in `dist/`): a paste until the
//! editor's frame is painted, until the diagram is redrawn, and one keystroke at the end of
//! a long template (the worst place: its colours need the reader to go through the whole
//! text). Median of 5. Prints a Markdown table; no pass/fail.
//!
//! `cargo run -p pillarlint-tests --features browser --bin editor_bench` (after
//! `trunk build --release`; `make bench` runs it).

use pillarlint_tests::e2e::{self, Ctx};
use pillarlint_tests::paths;
use pillarlint_tests::webdriver::Result;
use serde_json::{json, Value};

const RUNS: usize = 5;

/// Paste `text` and time: the input handler, the painted frame, the redrawn diagram.
const PASTE: &str = "const e = document.querySelector('#editor'); const scene = document.querySelector('#diagram .scene');\
  window.__t = null; const t0 = performance.now(); let painted = null;\
  const obs = new MutationObserver(() => { obs.disconnect(); requestAnimationFrame(() => setTimeout(() => {\
      window.__t = {handled, painted, diagram: performance.now() - t0}; }, 0)); });\
  obs.observe(scene, {childList: true});\
  e.focus(); e.value = arguments[0]; e.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));\
  const handled = performance.now() - t0;\
  requestAnimationFrame(() => setTimeout(() => { painted = performance.now() - t0; }, 0));\
  return true;";

/// One character typed at the end of the text (value changed + input event, as a key does).
const KEY: &str = "const e = document.querySelector('#editor'); e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll'));\
  window.__t = null; const t0 = performance.now(); e.focus(); e.setSelectionRange(e.value.length, e.value.length);\
  e.value = e.value + '#'; e.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: '#'}));\
  const handled = performance.now() - t0;\
  requestAnimationFrame(() => setTimeout(() => { window.__t = {handled, painted: performance.now() - t0, diagram: null}; }, 0));\
  return true;";

/// Ready for one character typed by the browser itself (DevTools `Input.insertText`, as a
/// key press inserts it: no script sets the textarea's value): the first `input` listener
/// (window, capture) starts the clock, the last (window, bubble) stops "handled".
const TYPED: &str = "const e = document.querySelector('#editor'); e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll'));\
  window.__t = null; e.focus(); e.setSelectionRange(e.value.length, e.value.length); let t0 = null;\
  window.addEventListener('input', () => { t0 = performance.now(); }, {capture: true, once: true});\
  window.addEventListener('input', () => { const handled = performance.now() - t0;\
    requestAnimationFrame(() => setTimeout(() => { window.__t = {handled, painted: performance.now() - t0, diagram: null}; }, 0)); }, {once: true});\
  return true;";

/// What a case times.
#[derive(Clone, Copy, PartialEq)]
enum Case {
    Paste,
    /// A key as a script makes one: the textarea's whole value set, then `input`.
    ScriptedKey,
    /// A key typed through the DevTools protocol.
    TypedKey,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn run_case(cx: &Ctx, text: &str, case: Case) -> Result<[f64; 3]> {
    let mut all: [Vec<f64>; 3] = Default::default();
    for _ in 0..RUNS {
        e2e::open_fresh(cx)?;
        cx.b.wait_for(
            "the example",
            "return document.querySelectorAll('#diagram [data-node-id]').length >= 6;",
            30,
        )?;
        cx.b.js(PASTE, vec![json!(text)])?;
        let t: Value =
            cx.b.wait_for("the paste timings", "return window.__t;", 60)?;
        if case != Case::Paste {
            std::thread::sleep(std::time::Duration::from_millis(400));
            if case == Case::TypedKey {
                cx.b.js(TYPED, vec![])?;
                cx.b.cdp("Input.insertText", json!({"text": "#"}))?;
            } else {
                cx.b.js(KEY, vec![])?;
            }
            let k = cx.b.wait_for("the key timings", "return window.__t;", 60)?;
            all[0].push(k["handled"].as_f64().unwrap_or(f64::NAN));
            all[1].push(k["painted"].as_f64().unwrap_or(f64::NAN));
        } else {
            all[0].push(t["handled"].as_f64().unwrap_or(f64::NAN));
            all[1].push(t["painted"].as_f64().unwrap_or(f64::NAN));
            all[2].push(t["diagram"].as_f64().unwrap_or(f64::NAN));
        }
    }
    Ok(all.map(median))
}

fn bench(cx: &Ctx) -> Result<()> {
    let large = std::fs::read_dir(paths::corpus().join("large"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy()
                .ends_with("aws-cloud-migration-factory-solution.template")
        })
        .ok_or("the 234 KB corpus template is missing")?;
    let big = std::fs::read_to_string(&large).map_err(|e| e.to_string())?;
    let small = pillarlint_core::example::example("orders")
        .map(|e| std::fs::read_to_string(paths::root().join("core/examples").join(e.source)))
        .ok_or("orders")?
        .map_err(|e| e.to_string())?;
    let f = |x: f64| {
        if x.is_nan() {
            "—".to_owned()
        } else {
            format!("{x:.1}")
        }
    };
    println!("| editor case | input handled ms | painted ms | diagram redrawn ms |");
    println!("|---|---|---|---|");
    for (name, text, case) in [
        (
            format!("paste the orders example ({} KB)", small.len() / 1024),
            &small,
            Case::Paste,
        ),
        (
            format!(
                "paste the largest corpus template ({} KB)",
                big.len() / 1024
            ),
            &big,
            Case::Paste,
        ),
        (
            format!(
                "a key typed at the end of it ({} lines; DevTools `Input.insertText`)",
                big.lines().count()
            ),
            &big,
            Case::TypedKey,
        ),
        (
            "the same key by script (the whole `value` set, then `input`)".to_owned(),
            &big,
            Case::ScriptedKey,
        ),
    ] {
        let [h, p, d] = run_case(cx, text, case)?;
        println!("| {name} | {} | {} | {} |", f(h), f(p), f(d));
    }
    Ok(())
}

fn main() {
    let cx = e2e::start(&["index.html"], (1440, 900));
    if let Err(e) = bench(&cx) {
        eprintln!("editor_bench: {e}");
        std::process::exit(1);
    }
}
