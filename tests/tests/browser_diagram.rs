//! The diagram at real size (issue 19), in a real headless Chromium at 1440×900: the issue's
//! three corpus templates open legible (every node inside the pane, names at least 9 px, no
//! name past its box, no overlapping edge labels), collapsed boxes open and fold, the focus,
//! attack-path and by-pillar views show what the core computes, a paste fits while typing
//! keeps the zoom, the minimap, and a 900×600 embed showing everything.
//!
//! Needs `dist/` (`trunk build --release`), Chromium + ChromeDriver, and the corpus at
//! `../shared/corpus` (or `PILLARLINT_CORPUS`): a missing corpus fails, it is not skipped.

use std::collections::BTreeSet;

use pillarlint_core::diagram::present::{attack_view, pillar_view};
use pillarlint_core::diagram::{Filter, LayoutInput};
use pillarlint_core::permalink::{self, State};
use pillarlint_core::rules::Pillar;
use pillarlint_tests::e2e::{
    self, check, corpus_template, diagram_metrics, open_fresh, paste_and_wait, Ctx, Scenario,
    ISSUE_TEMPLATES,
};
use pillarlint_tests::webdriver::Result;
use serde_json::{json, Value};

fn main() {
    let scenarios: &[Scenario] = &[
        (
            "issue_templates_are_legible_at_1440x900",
            issue_templates_are_legible_at_1440x900,
        ),
        (
            "collapsed_boxes_open_and_fold_again",
            collapsed_boxes_open_and_fold_again,
        ),
        (
            "focus_fades_beyond_the_chosen_depth",
            focus_fades_beyond_the_chosen_depth,
        ),
        (
            "attack_paths_show_the_cores_paths_and_weakest_links",
            attack_paths_show_the_cores_paths_and_weakest_links,
        ),
        (
            "by_pillar_shows_what_violates_the_legends_pillars",
            by_pillar_shows_what_violates_the_legends_pillars,
        ),
        (
            "a_paste_fits_and_typing_keeps_the_zoom",
            a_paste_fits_and_typing_keeps_the_zoom,
        ),
        (
            "embed_900x600_shows_every_node",
            embed_900x600_shows_every_node,
        ),
    ];
    e2e::run(
        "browser_diagram",
        &["index.html", "embed.html"],
        (1440, 900),
        scenarios,
    );
}

fn ids(cx: &Ctx) -> Result<BTreeSet<String>> {
    let v = cx.b.js(
        "return [...document.querySelectorAll('#diagram [data-node-id]')].map(e => e.getAttribute('data-node-id'));",
        vec![],
    )?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn view_box(cx: &Ctx) -> Result<String> {
    let v = cx.b.js(
        "return document.querySelector('#diagram').getAttribute('viewBox');",
        vec![],
    )?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Pick a value of a `<select>` as the user does.
fn choose(cx: &Ctx, select: &str, value: &str) -> Result<()> {
    cx.b.js(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![json!(select), json!(value)],
    )?;
    Ok(())
}

fn save(cx: &Ctx, name: &str) {
    if let Ok(png) = cx.b.screenshot() {
        let _ = std::fs::write(cx.artifacts.join(name), png);
    }
}

fn issue_templates_are_legible_at_1440x900(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example's diagram",
        "return document.querySelectorAll('#diagram [data-node-id]').length > 3;",
        30,
    )?;
    let mut failures = Vec::new();
    for suffix in ISSUE_TEMPLATES {
        let (name, text) = corpus_template(suffix)?;
        paste_and_wait(cx, &text)?;
        let m = diagram_metrics(cx, "#diagram")?;
        println!("    {name}: {}", m.summary());
        save(cx, &format!("diagram_{suffix}.png"));
        if !m.legible() {
            failures.push(format!(
                "{name}: {}; outside {:?}; past box {:?}; overlapping {:?}; on nodes {:?}",
                m.summary(),
                m.outside,
                m.past_box,
                m.label_overlaps,
                m.labels_on_nodes
            ));
        }
    }
    check(failures.is_empty(), failures.join("\n    "))
}

fn boxes(cx: &Ctx) -> Result<Vec<String>> {
    let v = cx.b.js(
        "return [...document.querySelectorAll('#diagram [data-collapsed]')].map(e => e.getAttribute('data-node-id'));",
        vec![],
    )?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn collapsed_boxes_open_and_fold_again(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let (name, text) = corpus_template(ISSUE_TEMPLATES[0])?;
    paste_and_wait(cx, &text)?;
    let report = pillarlint_core::report_file(&name, text.as_bytes());
    let before = boxes(cx)?;
    check(
        !before.is_empty(),
        "the large template opens with collapsed boxes",
    )?;
    // a box says what it holds; serious members are counted on its face
    let first = before[0].clone();
    let aria = cx.b.js(
        "return document.querySelector('#diagram [data-node-id=\"' + CSS.escape(arguments[0]) + '\"]').getAttribute('aria-label');",
        vec![json!(first)],
    )?;
    check(
        aria.as_str()
            .is_some_and(|a| a.contains("collapsed") && a.contains("expand")),
        format!("a box's accessible name says it is collapsed: {aria}"),
    )?;
    let n0 = ids(cx)?.len();
    cx.b.click(&format!("#diagram [data-node-id=\"{first}\"]"))?;
    cx.b.wait_for(
        "the box to open",
        &format!("return !document.querySelector('#diagram [data-node-id=\"{first}\"]');"),
        10,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    check(ids(cx)?.len() > n0, "opening a box draws its members")?;
    cx.b.click("#diagram-expand")?;
    cx.b.wait_for(
        "every resource drawn",
        "return document.querySelectorAll('#diagram [data-collapsed]').length === 0;",
        10,
    )?;
    let all = ids(cx)?;
    let want: BTreeSet<String> = report.nodes.iter().map(|n| n.id.clone()).collect();
    check(
        all == want,
        format!(
            "expand all draws the core's {} nodes, not {}",
            want.len(),
            all.len()
        ),
    )?;
    cx.b.click("#diagram-expand")?;
    cx.b.wait_for(
        "boxes again",
        "return document.querySelectorAll('#diagram [data-collapsed]').length > 0;",
        10,
    )?;
    let m = diagram_metrics(cx, "#diagram")?;
    check(m.legible(), format!("folded again: {}", m.summary()))
}

fn focus_fades_beyond_the_chosen_depth(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example diagram",
        "return !!document.querySelector('#diagram [data-node-id=\"booksStatistics\"]');",
        30,
    )?;
    cx.b.click("#diagram [data-node-id=\"booksStatistics\"]")?;
    cx.b.wait_for(
        "the focus control",
        "return !!document.querySelector('#focus-hops');",
        10,
    )?;
    let state = |cx: &Ctx| -> Result<Value> {
        cx.b.js(
            "const bright = [...document.querySelectorAll('#diagram [data-node-id]:not(.dim)')].map(e => e.getAttribute('data-node-id')).sort();\
             const nb = new Set(['booksStatistics']);\
             for (const e of document.querySelectorAll('#diagram [data-edge-from]')) {\
               const a = e.getAttribute('data-edge-from'), b = e.getAttribute('data-edge-to');\
               if (a === 'booksStatistics') nb.add(b); if (b === 'booksStatistics') nb.add(a); }\
             return {bright, one: [...nb].sort(), all: document.querySelectorAll('#diagram [data-node-id]').length};",
            vec![],
        )
    };
    let one = state(cx)?;
    check(
        one["bright"] == one["one"],
        format!("1 hop keeps the node and its neighbours bright: {one}"),
    )?;
    cx.b.click("#focus-hops")?;
    cx.b.click("#focus-hops")?;
    cx.b.wait_for(
        "three hops",
        "return document.querySelector('#focus-hops').dataset.hops === '3';",
        5,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    let three = state(cx)?;
    let n = |v: &Value| v["bright"].as_array().map_or(0, Vec::len);
    check(
        n(&three) > n(&one),
        format!("3 hops keep more bright than 1: {three} vs {one}"),
    )
}

const PUBLIC_PATH: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
  Archive:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
  PutOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: .
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Orders}
      Events:
        Put:
          Type: Api
          Properties: {Path: /orders, Method: post}
  Nightly:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: .
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Archive}
"#;

fn attack_paths_show_the_cores_paths_and_weakest_links(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    paste_and_wait(cx, PUBLIC_PATH)?;
    let a = pillarlint_core::analyze_text(PUBLIC_PATH).map_err(|e| e.to_string())?;
    let native = attack_view(&LayoutInput::from_analysis(&a));
    let want: BTreeSet<String> = native.nodes.iter().map(|n| n.id.clone()).collect();
    check(
        want.contains("Orders") && !want.contains("Archive") && !want.contains("Nightly"),
        format!("the core's attack paths: {want:?}"),
    )?;
    choose(cx, "#diagram-view", "attack")?;
    cx.b.wait_for(
        "the attack-path view",
        "return document.querySelector('#diagram').dataset.mode === 'attack' && !document.querySelector('#diagram [data-node-id=\"Nightly\"]');",
        10,
    )?;
    let got = ids(cx)?;
    check(
        got == want,
        format!("attack view shows {got:?}, the core {want:?}"),
    )?;
    let weak = cx.b.js(
        "const e = document.querySelector('#diagram .edge.weak'); return e && [e.getAttribute('data-edge-from'), e.getAttribute('data-edge-to'), e.getAttribute('data-weak')];",
        vec![],
    )?;
    check(
        weak[2].as_str() == Some("no authorization"),
        format!("the unauthenticated route is the weakest link: {weak}"),
    )?;
    save(cx, "diagram_attack_paths.png");
    // a template with no public path says so
    paste_and_wait(cx, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")?;
    cx.b.wait_for(
        "the no-path note",
        "return [...document.querySelectorAll('.diagram-pane .empty p')].some(p => p.textContent.includes('No attack paths'));",
        10,
    )?;
    choose(cx, "#diagram-view", "all")?;
    Ok(())
}

fn by_pillar_shows_what_violates_the_legends_pillars(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example diagram",
        "return document.querySelectorAll('#diagram [data-node-id]').length > 3;",
        30,
    )?;
    choose(cx, "#diagram-view", "pillar")?;
    // only the dos pillar in the legend
    for p in ["auth", "data", "logging"] {
        cx.b.click(&format!(".legend [data-pillar=\"{p}\"]"))?;
    }
    std::thread::sleep(std::time::Duration::from_millis(400));
    let a = pillarlint_core::analyze_text(pillarlint_core::example::BOOKSTORE.text)
        .map_err(|e| e.to_string())?;
    let f = Filter {
        pillars: [Pillar::Dos].into_iter().collect(),
        ..Filter::default()
    };
    let native = pillar_view(&LayoutInput::from_analysis(&a), &f);
    let want: BTreeSet<String> = native.nodes.iter().map(|n| n.id.clone()).collect();
    let got = ids(cx)?;
    check(
        got == want && !want.is_empty(),
        format!("by pillar (dos) shows {got:?}, the core {want:?}"),
    )?;
    for p in ["auth", "data", "logging"] {
        cx.b.click(&format!(".legend [data-pillar=\"{p}\"]"))?;
    }
    choose(cx, "#diagram-view", "all")?;
    Ok(())
}

fn a_paste_fits_and_typing_keeps_the_zoom(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let (_, big) = corpus_template(ISSUE_TEMPLATES[0])?;
    paste_and_wait(cx, &big)?;
    let fitted = view_box(cx)?;
    check(
        diagram_metrics(cx, "#diagram")?.outside.is_empty(),
        "a paste fits the diagram",
    )?;
    cx.b.click("button[aria-label=\"Zoom in\"]")?;
    cx.b.click("button[aria-label=\"Zoom in\"]")?;
    std::thread::sleep(std::time::Duration::from_millis(200));
    let zoomed = view_box(cx)?;
    check(zoomed != fitted, "zoom in changes the view")?;
    cx.b.wait_for(
        "the minimap",
        "return !!document.querySelector('#minimap .mm');",
        5,
    )?;
    // typing in the same document keeps the zoom
    paste_and_wait(cx, &format!("{big}\n# a note while typing\n"))?;
    check(
        view_box(cx)? == zoomed,
        format!("typing kept the zoom: {} vs {zoomed}", view_box(cx)?),
    )?;
    // the minimap moves the view
    cx.b.click("#minimap")?;
    std::thread::sleep(std::time::Duration::from_millis(200));
    check(
        view_box(cx)? != zoomed,
        "a click on the minimap moves the view",
    )?;
    // another template is a new document: it fits again
    let (_, other) = corpus_template(ISSUE_TEMPLATES[1])?;
    paste_and_wait(cx, &other)?;
    let m = diagram_metrics(cx, "#diagram")?;
    check(
        m.outside.is_empty() && m.nodes > 0,
        format!("a new document fits: {}", m.summary()),
    )?;
    check(
        cx.b.js("return !document.querySelector('#minimap');", vec![])? == json!(true),
        "no minimap when everything is in view",
    )
}

fn embed_900x600_shows_every_node(cx: &Ctx) -> Result<()> {
    let (name, text) = corpus_template(ISSUE_TEMPLATES[0])?;
    let mut state = State::with_text(text.as_str());
    state.path = Some(name);
    let link = permalink::link(&state, &cx.server.url("/"), true).map_err(|e| e.to_string())?;
    cx.b.set_window(900, 600)?;
    let result = (|| {
        cx.b.goto("about:blank")?;
        cx.b.goto(&link)?;
        cx.b.wait_for(
            "the embed's diagram",
            "return document.querySelectorAll('.embed [data-node-id]').length > 0;",
            30,
        )?;
        std::thread::sleep(std::time::Duration::from_millis(600));
        let m = diagram_metrics(cx, "#diagram")?;
        println!("    embed 900x600: {}", m.summary());
        save(cx, "diagram_embed_900x600.png");
        check(
            m.nodes > 0
                && m.outside.is_empty()
                && m.past_box.is_empty()
                && m.label_overlaps.is_empty(),
            format!(
                "the embed shows everything: {}; outside {:?}",
                m.summary(),
                m.outside
            ),
        )
    })();
    cx.b.set_window(1440, 900)?;
    result
}
