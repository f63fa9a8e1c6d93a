//! End-to-end tests of the web app in a real headless Chromium, driven over WebDriver.
//!
//! Needs `dist/` from `trunk build --release` and Chromium + ChromeDriver (the README's test
//! command does both). Scenarios share one browser and run in order; each prints
//! `test NAME ... ok|FAILED` and the run ends with `N passed, N failed`.

use std::collections::BTreeSet;

use pillarlint_tests::e2e::{self, check, open_fresh, Ctx, Scenario};
use pillarlint_tests::webdriver::Result;
use serde_json::json;

fn main() {
    let scenarios: &[Scenario] = &[
        (
            "first_load_shows_the_example_diagram",
            first_load_shows_the_example_diagram,
        ),
        (
            "pasting_a_template_updates_diagram_and_findings",
            pasting_a_template_updates_diagram_and_findings,
        ),
        (
            "clicking_a_finding_highlights_node_and_line",
            clicking_a_finding_highlights_node_and_line,
        ),
        (
            "clicking_or_keying_a_diagram_node_selects_it",
            clicking_or_keying_a_diagram_node_selects_it,
        ),
        (
            "broken_template_shows_positioned_error_and_keeps_diagram",
            broken_template_shows_positioned_error_and_keeps_diagram,
        ),
        ("reload_restores_the_text", reload_restores_the_text),
        (
            "hostile_names_render_as_inert_text",
            hostile_names_render_as_inert_text,
        ),
        (
            "rule_pages_show_their_docs_and_open_the_example",
            rule_pages_show_their_docs_and_open_the_example,
        ),
        ("csp_is_present_and_enforced", csp_is_present_and_enforced),
        (
            "bench_page_runs_in_its_own_bundle",
            bench_page_runs_in_its_own_bundle,
        ),
        (
            "gallery_examples_open_in_the_playground",
            gallery_examples_open_in_the_playground,
        ),
        ("no_request_leaves_the_origin", no_request_leaves_the_origin),
        (
            "terraform_moves_to_its_bundle_and_draws_like_the_core",
            terraform_moves_to_its_bundle_and_draws_like_the_core,
        ),
        (
            "serverless_moves_to_the_full_bundle_and_draws_like_the_core",
            serverless_moves_to_the_full_bundle_and_draws_like_the_core,
        ),
    ];
    e2e::run(
        "browser",
        &["index.html", "terraform.html"],
        (1440, 900),
        scenarios,
    );
}

fn dom_node_ids(cx: &Ctx) -> Result<BTreeSet<String>> {
    let v = cx.b.js("return [...document.querySelectorAll('[data-node-id]')].map(e => e.getAttribute('data-node-id'));", vec![])?;
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

/// What the core says natively for `text`: node ids and (rule, resource) pairs.
fn native(text: &str) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let r = pillarlint_core::report_file("t.yaml", text.as_bytes());
    let nodes = r.nodes.iter().map(|n| n.id.clone()).collect();
    let findings = r
        .active()
        .map(|f| (f.rule.clone(), f.resource.clone().unwrap_or_default()))
        .collect();
    (nodes, findings)
}

fn first_load_shows_the_example_diagram(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example's diagram",
        "return document.querySelectorAll('[data-node-id]').length > 3;",
        30,
    )?;
    let ids = dom_node_ids(cx)?;
    for want in [
        "ServerlessRestApi",
        "authorHandler",
        "booksStatistics",
        "AuthorsDb",
        "StatsBucket",
        "BooksTable",
    ] {
        check(
            ids.contains(want),
            format!("node {want} missing from the example diagram; have {ids:?}"),
        )?;
    }
    let (native_nodes, native_findings) = native(pillarlint_core::example::BOOKSTORE.text);
    check(
        ids == native_nodes,
        format!("diagram nodes {ids:?} differ from the core's {native_nodes:?}"),
    )?;
    let found = dom_findings(cx)?;
    check(
        found == native_findings,
        format!("findings list {found:?} differs from the core's {native_findings:?}"),
    )?;
    // The unauthenticated route edge into authorHandler is marked with the auth pillar.
    let p = cx.b.js(
        "const e = document.querySelector('[data-edge-from=\"ServerlessRestApi\"][data-edge-to=\"authorHandler\"]'); return e && e.getAttribute('data-pillars');",
        vec![],
    )?;
    check(
        p.as_str()
            .is_some_and(|s| s.split_whitespace().any(|x| x == "auth")),
        format!("route edge pillars: {p}"),
    )?;
    let png = cx.b.screenshot()?;
    std::fs::write(cx.artifacts.join("first_load.png"), png).map_err(|e| e.to_string())
}

const WILDCARD_CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt WorkerRole.Arn
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
"#;

fn pasting_a_template_updates_diagram_and_findings(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example",
        "return document.querySelectorAll('[data-node-id]').length > 3;",
        30,
    )?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    cx.b.wait_for(
        "the pasted template's diagram",
        "return !!document.querySelector('[data-node-id=\"Worker\"]') && !document.querySelector('[data-node-id=\"authorHandler\"]');",
        15,
    )?;
    let (native_nodes, native_findings) = native(WILDCARD_CFN);
    let ids = dom_node_ids(cx)?;
    check(
        ids == native_nodes,
        format!("diagram nodes {ids:?} differ from the core's {native_nodes:?}"),
    )?;
    let found = dom_findings(cx)?;
    check(
        found.contains(&("AUTH002".into(), "WorkerRole".into())),
        format!("AUTH002 on WorkerRole missing: {found:?}"),
    )?;
    check(
        found == native_findings,
        format!("findings {found:?} differ from the core's {native_findings:?}"),
    )?;
    let pillars = cx.b.js(
        "return document.querySelector('[data-node-id=\"Worker\"]').getAttribute('data-pillars');",
        vec![],
    )?;
    check(
        pillars.as_str().is_some_and(|s| s.contains("auth")),
        format!("Worker's pillars: {pillars}"),
    )
}

fn clicking_a_finding_highlights_node_and_line(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    // wait for the pasted template's finding (the example before it has an AUTH002 too)
    cx.b.wait_for(
        "AUTH002 on WorkerRole in the list",
        "return !!document.querySelector('[data-rule=\"AUTH002\"][data-resource=\"WorkerRole\"]');",
        15,
    )?;
    cx.b.click("[data-rule=\"AUTH002\"][data-resource=\"WorkerRole\"]")?;
    cx.b.wait_for(
        "the Worker node to be selected",
        "const n = document.querySelector('[data-node-id=\"Worker\"]'); return n && n.getAttribute('data-selected') === 'true';",
        5,
    )?;
    // The `Action: "*"` line (line 19 of the template) is marked in the editor.
    let line = cx.b.wait_for(
        "a highlighted editor line",
        "const m = document.querySelector('[data-highlighted]'); return m && m.getAttribute('data-highlighted');",
        5,
    )?;
    check(
        line.as_str()
            .is_some_and(|s| s.split([' ', ',', '-']).any(|x| x == "19")),
        format!("highlighted line: {line}"),
    )
}

/// The diagram's nodes are buttons: a click or Enter selects one (marked, its details open,
/// what it does not touch dimmed); a click on the background clears the selection.
fn clicking_or_keying_a_diagram_node_selects_it(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example diagram",
        "return !!document.querySelector('#diagram [data-node-id=\"booksStatistics\"]');",
        30,
    )?;
    let state = |cx: &Ctx| {
        cx.b.js(
            "const q = s => document.querySelector('#diagram ' + s);\
             const n = id => q('[data-node-id=\"' + id + '\"]');\
             const e = (a, b) => q('[data-edge-from=\"' + a + '\"][data-edge-to=\"' + b + '\"]');\
             const d = document.querySelector('[data-details-for]');\
             return {selected: [...document.querySelectorAll('#diagram [data-selected=\"true\"]')].map(x => x.getAttribute('data-node-id')),\
                     pressed: [...document.querySelectorAll('#diagram [aria-pressed=\"true\"]')].map(x => x.getAttribute('data-node-id')),\
                     details: d && d.getAttribute('data-details-for'),\
                     dim: [...document.querySelectorAll('#diagram [data-node-id].dim')].map(x => x.getAttribute('data-node-id')).sort(),\
                     authorEdgeDim: e('ServerlessRestApi', 'authorHandler').classList.contains('dim'),\
                     statsEdgeDim: e('booksStatistics', 'StatsBucket').classList.contains('dim')};",
            vec![],
        )
    };
    cx.b.click("#diagram [data-node-id=\"booksStatistics\"]")?;
    cx.b.wait_for(
        "booksStatistics selected",
        "const n = document.querySelector('#diagram [data-node-id=\"booksStatistics\"]'); return n.getAttribute('data-selected') === 'true';",
        10,
    )?;
    let s = state(cx)?;
    check(
        s["selected"] == json!(["booksStatistics"]) && s["pressed"] == json!(["booksStatistics"]),
        format!("one node selected and pressed: {s}"),
    )?;
    check(
        s["details"] == json!("booksStatistics"),
        format!("its details open: {s}"),
    )?;
    check(
        s["dim"] == json!(["AuthorsDb", "authorHandler"]),
        format!("only what booksStatistics does not touch is dimmed: {s}"),
    )?;
    check(
        s["authorEdgeDim"] == json!(true) && s["statsEdgeDim"] == json!(false),
        format!("edges dim unless they touch the selection: {s}"),
    )?;
    // a click on the background (the <svg> itself) clears the selection
    cx.b.js(
        "document.querySelector('#diagram').dispatchEvent(new MouseEvent('click', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the selection to clear",
        "return !document.querySelector('#diagram [data-selected]') && !document.querySelector('#diagram .dim');",
        10,
    )?;
    // the keyboard: Enter on a focused node selects it
    cx.b.type_into("#diagram [data-node-id=\"authorHandler\"]", "\u{E007}")?;
    cx.b.wait_for(
        "authorHandler selected by Enter",
        "const n = document.querySelector('#diagram [data-node-id=\"authorHandler\"]'); return n.getAttribute('data-selected') === 'true' && n.getAttribute('aria-pressed') === 'true' && document.activeElement === n;",
        10,
    )?;
    Ok(())
}

fn broken_template_shows_positioned_error_and_keeps_diagram(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    cx.b.wait_for(
        "Worker",
        "return !!document.querySelector('[data-node-id=\"Worker\"]');",
        15,
    )?;
    let broken = WILDCARD_CFN.replace("      Runtime: python3.12", "      Runtime: [python3.12");
    cx.b.paste_into("#editor", &broken)?;
    let msg = cx.b.wait_for(
        "the parse error",
        "const e = document.querySelector('#parse-error'); return e && e.textContent;",
        10,
    )?;
    let msg = msg.as_str().unwrap_or_default().to_owned();
    check(
        msg.to_lowercase().contains("line"),
        format!("the error names no position: {msg}"),
    )?;
    check(
        dom_node_ids(cx)?.contains("Worker"),
        "the last good diagram was dropped",
    )?;
    let text =
        cx.b.js("return document.querySelector('#editor').value;", vec![])?;
    check(
        text.as_str() == Some(broken.as_str()),
        "the user's text was changed",
    )
}

fn reload_restores_the_text(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let mine = format!("{WILDCARD_CFN}# my own edit {}\n", std::process::id());
    cx.b.paste_into("#editor", &mine)?;
    cx.b.wait_for(
        "Worker",
        "return !!document.querySelector('[data-node-id=\"Worker\"]');",
        15,
    )?;
    std::thread::sleep(std::time::Duration::from_millis(600));
    cx.b.goto(&cx.server.url("/index.html"))?;
    let text = cx.b.wait_for(
        "the editor",
        "const e = document.querySelector('#editor'); return e && e.value;",
        30,
    )?;
    check(
        text.as_str() == Some(mine.as_str()),
        "the text was not restored after reload",
    )
}

fn hostile_names_render_as_inert_text(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let evil = r#"{"Resources": {
  "<img src=x onerror=window.__pwned=1>": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "<script>window.__pwned=2</script>"}},
  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Handler": "javascript:alert(1)", "Code": {"ZipFile": "<svg onload=window.__pwned=3>"}, "Role": "arn:aws:iam::1:role/r",
    "Environment": {"Variables": {"B": {"Ref": "<img src=x onerror=window.__pwned=1>"}}}}}
}}"#;
    cx.b.paste_into("#editor", evil)?;
    cx.b.wait_for(
        "Fn",
        "return !!document.querySelector('[data-node-id=\"Fn\"]');",
        15,
    )?;
    let v = cx.b.js(
        "return {pwned: window.__pwned || null, imgs: document.querySelectorAll('img[src=x]').length, \
         scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length, \
         text: document.body.textContent.includes('<img src=x onerror=window.__pwned=1>')};",
        vec![],
    )?;
    check(v["pwned"].is_null(), format!("a payload ran: {v}"))?;
    check(
        v["imgs"] == json!(0) && v["scripts"] == json!(0),
        format!("a payload became markup: {v}"),
    )?;
    check(
        v["text"] == json!(true),
        format!("the hostile name is not shown as text: {v}"),
    )
}

/// `#/rules` lists every rule with its summary, `#/rules/ID` renders its docs (the release
/// app loads them from `rule-docs.json`), and its example opens in the playground.
/// The gallery (`#examples`) and `#/example/<id>` open each built-in example: the release app
/// loads all but the bookstore from `examples/` beside it, and draws what the core draws.
fn gallery_examples_open_in_the_playground(cx: &Ctx) -> Result<()> {
    use pillarlint_core::example::{example, EXAMPLES};
    open_fresh(cx)?;
    for ex in EXAMPLES.iter().rev() {
        let (want, _) = native(ex.text);
        check(!want.is_empty(), format!("{} has nodes natively", ex.id))?;
        cx.b.js(
            "const s = document.querySelector('#examples'); s.value = arguments[0];\
             s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            vec![json!(ex.id)],
        )?;
        let first = want.iter().next().cloned().unwrap_or_default();
        let names = cx.b.wait_for(
            // (a Serverless or Terraform example moves the page to the full app meanwhile)
            &format!("the {} example's diagram", ex.id),
            &format!(
                "const ids = [...document.querySelectorAll('#diagram [data-node-id]')].map(e => e.getAttribute('data-node-id'));\
                 const ed = document.querySelector('#editor');\
                 return !!ed && ed.value === {} && ids.includes({}) && ids;",
                json!(ex.text),
                json!(first)
            ),
            20,
        );
        let names = match names {
            Ok(v) => v,
            // the first id is one node the example must show; report what is there instead
            Err(e) => return Err(format!("{e}: {:?}", dom_node_ids(cx)?)),
        };
        let ids: BTreeSet<String> = names
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        check(
            ids == want,
            format!("{}: the app drew {ids:?}, the core {want:?}", ex.id),
        )?;
        let text =
            cx.b.js("return document.querySelector('#editor').value;", vec![])?;
        check(
            text.as_str() == Some(ex.text),
            format!("{}: the editor holds another text", ex.id),
        )?;
    }
    // the route form
    let todo = example("todo").ok_or("todo")?;
    open_fresh(cx)?;
    cx.b.goto(&cx.server.url("/index.html#/example/todo"))?;
    cx.b.wait_for(
        "the todo example by its route",
        &format!(
            "return document.querySelector('#editor').value === {} && location.hash === '#/';",
            json!(todo.text)
        ),
        20,
    )?;
    Ok(())
}

/// `bench.html` (its own bundle, not the app's) runs every case over the saved draft and
/// fills its table; the app's old `#/bench` route leads there.
fn bench_page_runs_in_its_own_bundle(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let draft = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12, Handler: a.b}\n";
    cx.b.js(
        "localStorage.setItem('pillarlint.draft', arguments[0]); return true;",
        vec![json!(draft)],
    )?;
    cx.b.goto(&cx.server.url("/index.html#/bench"))?;
    cx.b.wait_for(
        "the redirect to bench.html",
        "return location.pathname.endsWith('/bench.html');",
        20,
    )?;
    let rows = cx.b.wait_for(
        "the bench table to finish",
        "const t = document.getElementById('bench-results');\
         return t && t.dataset.done === 'true' && [...t.querySelectorAll('tbody tr')].map(r => ({...r.dataset}));",
        120,
    )?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    check(
        rows.len() == 6,
        format!("6 bench cases, got {}", rows.len()),
    )?;
    for r in &rows {
        let ms = |k: &str| r[k].as_str().and_then(|v| v.parse::<f64>().ok());
        check(
            ms("analysisMs").is_some_and(|v| v >= 0.0)
                && ms("renderMs").is_some_and(|v| v >= 0.0)
                && ms("paintMs").is_some_and(|v| v >= 0.0),
            format!("a bench row without figures: {r}"),
        )?;
    }
    let editor = rows
        .iter()
        .find(|r| r["case"].as_str() == Some("editor"))
        .ok_or("no editor case")?;
    check(
        editor["nodes"].as_str() == Some("1"),
        format!("the editor case is not the saved draft (1 node): {editor}"),
    )?;
    let app_scripts = cx.b.js(
        "return [...document.scripts].map(s => s.src).join(' ');",
        vec![],
    )?;
    check(
        !app_scripts
            .as_str()
            .unwrap_or_default()
            .contains("pillarlint-web"),
        format!("bench.html loads the app's bundle: {app_scripts}"),
    )?;
    Ok(())
}

fn rule_pages_show_their_docs_and_open_the_example(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.goto(&cx.server.url("/index.html#/rules"))?;
    let rules = pillarlint_core::rules::RULES;
    let v = cx.b.wait_for(
        "the rules index with summaries",
        "const li = [...document.querySelectorAll('.rule-list li')];\
         return li.length > 0 && li.every(l => l.querySelector('span:last-child').textContent.trim().length > 10) && li.length;",
        20,
    )?;
    check(
        v.as_u64() == Some(rules.len() as u64),
        format!("{} rules listed, {} declared", v, rules.len()),
    )?;
    let m = pillarlint_core::rules::rule("AUTH001")
        .map(|r| r.meta())
        .ok_or("AUTH001")?;
    cx.b.goto(&cx.server.url("/index.html#/rules/AUTH001"))?;
    let text = cx.b.wait_for(
        "AUTH001's docs",
        "const p = document.querySelector('[data-rule-page=\"AUTH001\"][data-docs=\"ready\"] article.docs'); return p && p.textContent;",
        20,
    )?;
    let text = text.as_str().unwrap_or_default();
    check(
        text.contains("What it does")
            && text.contains(
                m.summary()
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .as_str(),
            ),
        format!(
            "the docs page renders AUTH001's markdown: {}",
            &text[..text.len().min(200)]
        ),
    )?;
    let example = m
        .examples("expect_finding")
        .into_iter()
        .next()
        .ok_or("AUTH001 has an example")?;
    cx.b.click("#try-example")?;
    let editor = cx.b.wait_for(
        "the example in the playground",
        "const e = document.querySelector('#editor'); return e && document.querySelectorAll('#diagram [data-node-id]').length > 0 && e.value;",
        20,
    )?;
    check(
        editor.as_str().map(str::trim) == Some(example.trim()),
        "the editor holds the rule's example",
    )?;
    let marked = cx.b.wait_for(
        "an AUTH001 finding",
        "return !!document.querySelector('[data-rule=\"AUTH001\"]');",
        20,
    );
    check(marked.is_ok(), "the example triggers its rule")?;
    Ok(())
}

fn csp_is_present_and_enforced(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let v = cx.b.js(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');\
         const s = document.createElement('script'); s.textContent = 'window.__inline_ran = true'; document.head.appendChild(s);\
         return {csp: m && m.content, ran: window.__inline_ran === true};",
        vec![],
    )?;
    let csp = v["csp"].as_str().unwrap_or_default();
    check(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        format!("CSP script-src missing: {csp}"),
    )?;
    check(
        csp.contains("connect-src 'self'"),
        format!("CSP connect-src missing: {csp}"),
    )?;
    check(
        v["ran"] == json!(false),
        "an inline script ran despite the CSP",
    )
}

fn no_request_leaves_the_origin(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    cx.b.paste_into("#editor", WILDCARD_CFN)?;
    cx.b.wait_for(
        "Worker",
        "return !!document.querySelector('[data-node-id=\"Worker\"]');",
        15,
    )?;
    let foreign = e2e::foreign_requests(cx)?;
    check(
        foreign.is_empty(),
        format!("requests left the origin: {foreign:?}"),
    )?;
    let served = cx.server.requests();
    check(
        served.iter().any(|p| p.ends_with(".wasm")),
        format!("the server log is missing the wasm: {served:?}"),
    )
}

/// The editor holds `text`, and the page draws the nodes and lists the findings the core
/// finds in it.
fn draws_like_the_core(cx: &Ctx, text: &str) -> Result<()> {
    let editor =
        cx.b.js("return document.querySelector('#editor').value;", vec![])?;
    check(
        editor.as_str() == Some(text),
        "the editor holds the pasted text",
    )?;
    let (native_nodes, native_findings) = native(text);
    let ids = dom_node_ids(cx)?;
    check(
        ids == native_nodes,
        format!("diagram nodes {ids:?} differ from the core's {native_nodes:?}"),
    )?;
    let found = dom_findings(cx)?;
    check(
        found == native_findings,
        format!("findings {found:?} differ from the core's {native_findings:?}"),
    )
}

/// Terraform pasted into the app: the first bundle (without the Terraform reader) moves to
/// `terraform.html`, which draws what the core draws, names the format, lists the findings
/// at `.tf` lines, keeps the text across a reload and makes links that open it again.
fn terraform_moves_to_its_bundle_and_draws_like_the_core(cx: &Ctx) -> Result<()> {
    let text = pillarlint_core::example::example("bookstore-terraform")
        .map(|e| e.source)
        .ok_or("the Terraform example")?;
    let text = std::fs::read_to_string(
        pillarlint_tests::paths::root()
            .join("core/examples")
            .join(text),
    )
    .map_err(|e| e.to_string())?;
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example",
        "return document.querySelectorAll('[data-node-id]').length > 3;",
        30,
    )?;
    cx.b.paste_into("#editor", &text)?;
    cx.b.wait_for(
        "the Terraform page with the pasted module's diagram",
        "return location.pathname.endsWith('/terraform.html') && !!document.querySelector('[data-node-id=\"aws_lambda_function.author_handler\"]');",
        40,
    )?;
    draws_like_the_core(cx, &text)?;
    let badge = cx.b.js(
        "const b = document.querySelector('.format-badge'); return b && b.textContent;",
        vec![],
    )?;
    check(
        badge.as_str() == Some("Terraform"),
        format!("format badge: {badge}"),
    )?;
    // a finding lights up its .tf line
    let want = text
        .lines()
        .position(|l| l.contains("DB_PASSWORD = \"SuperSecret123\""))
        .map(|i| (i + 1).to_string())
        .ok_or("the DB_PASSWORD line")?;
    cx.b.click("[data-rule=\"AUTH008\"][data-resource=\"aws_lambda_function.author_handler\"]")?;
    let line = cx.b.wait_for(
        "a highlighted editor line",
        "const m = document.querySelector('[data-highlighted]'); return m && m.getAttribute('data-highlighted');",
        5,
    )?;
    check(
        line.as_str()
            .is_some_and(|s| s.split([' ', ',', '-']).any(|x| x == want)),
        format!("highlighted line {line}, want {want}"),
    )?;
    // the draft survives a reload of the Terraform page
    cx.b.goto(&cx.server.url("/terraform.html"))?;
    cx.b.wait_for(
        "the draft after a reload",
        &format!(
            "return document.querySelector('#editor') && document.querySelector('#editor').value === {} && !!document.querySelector('[data-node-id=\"aws_dynamodb_table.books\"]');",
            json!(text)
        ),
        30,
    )?;
    // a link to Terraform opened on index.html lands on the Terraform page with the text
    let link = pillarlint_core::permalink::link(
        &pillarlint_core::permalink::State::with_text(text.clone()),
        &cx.server.url("/index.html"),
        false,
    )
    .map_err(|e| e.to_string())?;
    cx.b.js("localStorage.clear(); return true;", vec![])?;
    cx.b.goto(&link)?;
    cx.b.wait_for(
        "the link's Terraform on the Terraform page",
        "return location.pathname.endsWith('/terraform.html') && location.hash.startsWith('#v1.') && !!document.querySelector('[data-node-id=\"aws_s3_bucket.stats\"]');",
        40,
    )?;
    let png = cx.b.screenshot()?;
    std::fs::write(cx.artifacts.join("terraform.png"), png).map_err(|e| e.to_string())
}

/// A `serverless.yml` pasted into the app: the first bundle (without the Serverless reader,
/// for its size budget) moves to the full app, `terraform.html`, which draws what the core
/// draws and keeps the pasted text as the draft.
fn serverless_moves_to_the_full_bundle_and_draws_like_the_core(cx: &Ctx) -> Result<()> {
    let text = std::fs::read_to_string(
        pillarlint_tests::paths::root().join("core/examples/todo.serverless.yml"),
    )
    .map_err(|e| e.to_string())?;
    open_fresh(cx)?;
    cx.b.wait_for(
        "the example",
        "return document.querySelectorAll('[data-node-id]').length > 3;",
        30,
    )?;
    cx.b.paste_into("#editor", &text)?;
    let (native_nodes, _) = native(&text);
    let some_function = native_nodes
        .iter()
        .find(|id| text.contains(&format!("  {id}:")))
        .ok_or("a function of the example among the core's nodes")?;
    cx.b.wait_for(
        "the full page with the pasted service's diagram",
        &format!(
            "return location.pathname.endsWith('/terraform.html') && !!document.querySelector('[data-node-id={}]');",
            json!(some_function)
        ),
        40,
    )?;
    draws_like_the_core(cx, &text)?;
    // back on the first page, the saved draft (a Serverless file) moves again, and is kept
    cx.b.goto(&cx.server.url("/index.html"))?;
    cx.b.wait_for(
        "the draft on the full page after opening index.html",
        &format!(
            "return location.pathname.endsWith('/terraform.html') && document.querySelector('#editor') && document.querySelector('#editor').value === {};",
            json!(text)
        ),
        40,
    )?;
    Ok(())
}
