//! `make bench`, browser part: the app's `#/bench` page in headless Chromium (release Wasm)
//! beside the same work done natively in this process, as a table with the browser/native
//! ratio. Cases: the built-in example, generated services of 10, 100, 500 and 1,000
//! resources, and the corpus's largest template (put in the editor's saved draft first).
//! Prints figures; asserts nothing but that the page produced them.
//!
//! `cargo run --profile release-native -p pillarlint-tests --features browser --bin browser_bench`
//! (needs `dist/` from `trunk build --release`, Chromium and ChromeDriver).

use std::time::Instant;

use pillarlint_core::diagram::present::{present, Options};
use pillarlint_core::diagram::{owners, LayoutInput};
use pillarlint_core::example::{generated, BOOKSTORE};
use pillarlint_tests::{e2e, paths, table};
use serde_json::Value;

/// What the web app's `state::analyse` does, timed the same way: (analysis ms, layout ms).
fn native(text: &str) -> Option<(f64, f64)> {
    let t0 = Instant::now();
    let a = pillarlint_core::analyze_text(text).ok()?;
    let report = a.to_report("bench");
    let t1 = Instant::now();
    let owner = owners(&report, Some(&a));
    let input = LayoutInput::for_report(&a, &report, &owner);
    // as the bench page presents it: for the playground's pane at 1440×900
    let scene = present(
        &input,
        &Options {
            pane: Some((709.0, 627.0)),
            ..Options::default()
        },
    );
    let t2 = Instant::now();
    std::hint::black_box(scene);
    Some(((t1 - t0).as_secs_f64() * 1e3, (t2 - t1).as_secs_f64() * 1e3))
}

/// The median of 5 native runs (the page takes the median of 5 too).
fn native_median(text: &str) -> Option<(f64, f64)> {
    let mut runs: Vec<(f64, f64)> = (0..5).filter_map(|_| native(text)).collect();
    if runs.is_empty() {
        return None;
    }
    runs.sort_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)));
    Some(runs[runs.len() / 2])
}

fn num(row: &Value, key: &str) -> Option<f64> {
    row.get(key)?.as_str()?.parse().ok()
}

fn main() {
    // the largest corpus template that analyses: the "editor" case
    let largest = paths::corpus_files()
        .into_iter()
        .filter_map(|p| {
            let t = std::fs::read_to_string(&p).ok()?;
            pillarlint_core::analyze_text(&t).ok()?;
            Some((p, t))
        })
        .max_by_key(|(_, t)| t.len());
    let (largest_name, largest_text) = largest
        .map(|(p, t)| {
            (
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                t,
            )
        })
        .unwrap_or_else(|| ("(no corpus)".into(), BOOKSTORE.text.to_owned()));

    let cx = e2e::start(&["index.html"], (1280, 900));
    let b = &cx.b;
    // the draft the app restores at start is the editor's text, i.e. the "editor" case
    b.goto(&cx.server.url("/")).expect("open the app");
    b.js(
        "localStorage.setItem('pillarlint.draft', arguments[0]); return true;",
        vec![Value::String(largest_text.clone())],
    )
    .expect("store the draft");
    b.goto(&cx.server.url("/bench.html"))
        .expect("open bench.html");
    b.js("location.reload(); return true;", vec![])
        .expect("reload");
    if let Err(e) = b.wait_for(
        "the bench table to finish",
        "const t = document.getElementById('bench-results'); return !!t && t.dataset.done === 'true';",
        180,
    ) {
        eprintln!("browser bench did not finish: {e}");
        std::process::exit(1);
    }
    let rows = b
        .js(
            "return [...document.querySelectorAll('#bench-results tbody tr')].map(r => ({...r.dataset}));",
            vec![],
        )
        .expect("read the table");
    let ua = b
        .js("return navigator.userAgent.match(/Chrom(e|ium)\\/[0-9.]+/)?.[0] || navigator.userAgent;", vec![])
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();

    println!("Wasm in headless {ua}; median of 5; native = this process (release-native)\n");
    table::header(&[
        ("case", 30),
        ("nodes", 6),
        ("analysis ms", 12),
        ("layout ms", 10),
        ("render ms", 10),
        ("painted ms", 11),
        ("browser ms", 12),
        ("native ms", 10),
        ("ratio", 7),
    ]);
    for row in rows.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let case = row.get("case").and_then(Value::as_str).unwrap_or("?");
        let text = match case {
            "example" => BOOKSTORE.text.to_owned(),
            "editor" => largest_text.clone(),
            c => match c
                .strip_prefix("generated-")
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) => generated(n),
                None => continue,
            },
        };
        let label = if case == "editor" {
            format!(
                "largest: {}",
                largest_name.chars().take(21).collect::<String>()
            )
        } else {
            case.to_owned()
        };
        let (a, l, r, p) = (
            num(row, "analysisMs").unwrap_or(f64::NAN),
            num(row, "layoutMs").unwrap_or(f64::NAN),
            num(row, "renderMs").unwrap_or(f64::NAN),
            num(row, "paintMs").unwrap_or(f64::NAN),
        );
        let nodes = row.get("nodes").and_then(Value::as_str).unwrap_or("?");
        let (na, nl) = native_median(&text).unwrap_or((f64::NAN, f64::NAN));
        println!(
            "| {label:<30} | {nodes:>6} | {a:>12.2} | {l:>10.2} | {r:>10.2} | {p:>11.2} | {:>12.2} | {:>10.2} | {:>6.1}x |",
            a + l,
            na + nl,
            (a + l) / (na + nl)
        );
    }
    println!(
        "\nbrowser ms = analysis + layout in Wasm; render = until the diagram is in the page (Yew + DOM); painted = until the browser has drawn that frame (style, layout, paint); ratio = browser / native (analysis + layout)."
    );

    // the whole playground, as a user pasting the template sees it: the diagram, the findings
    // list, the legend's counts and the editor's marks all update
    println!("\nThe playground after a paste (whole page: diagram, findings, legend, editor marks; 1440×900); median of 5 pastes\n");
    table::header(&[
        ("case", 30),
        ("drawn", 6),
        ("findings", 9),
        ("analysis ms", 12),
        ("layout ms", 10),
        ("render ms", 10),
        ("painted ms", 11),
        ("total ms", 9),
    ]);
    let cases = [
        ("example".to_owned(), BOOKSTORE.text.to_owned()),
        ("generated-100".to_owned(), generated(100)),
        ("generated-500".to_owned(), generated(500)),
        ("generated-1000".to_owned(), generated(1000)),
        (
            format!(
                "largest: {}",
                largest_name.chars().take(21).collect::<String>()
            ),
            largest_text.clone(),
        ),
    ];
    if let Err(e) = b
        .set_window(1440, 900)
        .and_then(|()| b.goto(&cx.server.url("/#/")))
    {
        eprintln!("cannot open the playground: {e}");
        return;
    }
    for (label, text) in cases {
        let mut runs = Vec::new();
        for i in 0..5 {
            // a trailing comment line per run: a new text each time, the same service
            let t = format!("{text}\n# run {i}\n");
            match paste_and_time(b, &t) {
                Ok(r) => runs.push(r),
                Err(e) => {
                    eprintln!("{label}: {e}");
                    break;
                }
            }
        }
        if runs.is_empty() {
            continue;
        }
        runs.sort_by(|a, b| a.total().total_cmp(&b.total()));
        let m = &runs[runs.len() / 2];
        println!(
            "| {label:<30} | {:>6} | {:>9} | {:>12.2} | {:>10.2} | {:>10.2} | {:>11.2} | {:>9.2} |",
            m.nodes,
            m.findings,
            m.analysis,
            m.layout,
            m.render,
            m.painted,
            m.total()
        );
    }
    println!("\nAfter the 150 ms typing debounce: analysis, then layout (collapse until legible + layout), then render = until the page's effects ran (Yew diff + DOM for every pane), painted = until the browser has drawn that frame; total = analysis + layout + painted.");
}

struct Paste {
    nodes: u64,
    findings: u64,
    analysis: f64,
    layout: f64,
    render: f64,
    painted: f64,
}

impl Paste {
    fn total(&self) -> f64 {
        self.analysis + self.layout + self.painted
    }
}

/// Paste `text` into the playground's editor; wait for the page to show its analysis and
/// for the browser to have painted it.
fn paste_and_time(b: &pillarlint_tests::webdriver::Browser, text: &str) -> Result<Paste, String> {
    let before = b.js(
        "const p = document.getElementById('perf'); if (p) p.removeAttribute('data-painted-ms'); return p ? p.textContent + '|' + p.dataset.analysisMs : '';",
        vec![],
    )?;
    b.paste_into("#editor", text)?;
    b.wait_for(
        "the new analysis, painted",
        &format!(
            "const p = document.getElementById('perf'); return !!p && (p.textContent + '|' + p.dataset.analysisMs) !== {before} && p.hasAttribute('data-painted-ms');"
        ),
        60,
    )?;
    let v = b.js(
        "const p = document.getElementById('perf'); return {...p.dataset, findings: String(document.querySelectorAll('[data-rule][data-resource]').length)};",
        vec![],
    )?;
    let f = |k: &str| num(&v, k).unwrap_or(f64::NAN);
    Ok(Paste {
        nodes: f("nodes") as u64,
        findings: f("findings") as u64,
        analysis: f("analysisMs"),
        layout: f("layoutMs"),
        render: f("renderMs"),
        painted: f("paintedMs"),
    })
}
