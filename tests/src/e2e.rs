//! The runner shared by the browser suites (`tests/tests/browser*.rs`): one static server over
//! `dist/`, one headless Chromium, scenarios run in order, each printing
//! `test NAME ... ok|FAILED` and the run ending with `SUITE: N passed, N failed`.

use std::path::PathBuf;

use serde_json::Value;

use crate::paths;
use crate::server::StaticServer;
use crate::webdriver::{Browser, Result};

/// What every scenario gets: the browser, the server, and where things are.
#[derive(Debug)]
pub struct Ctx {
    pub b: Browser,
    pub server: StaticServer,
    pub dist: PathBuf,
    /// Screenshots of failed scenarios (and any a scenario saves) go here.
    pub artifacts: PathBuf,
}

pub type Scenario = (&'static str, fn(&Ctx) -> Result<()>);

/// Serve `dist/` (or `$PILLARLINT_DIST`), which must hold `required` files, and open a
/// headless Chromium of `window` size on it.
pub fn start(required: &[&str], window: (u32, u32)) -> Ctx {
    let dist = std::env::var("PILLARLINT_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| paths::root().join("dist"));
    for f in required {
        assert!(
            dist.join(f).exists(),
            "no {}/{f}: run `trunk build --release` first",
            dist.display()
        );
    }
    let server = StaticServer::start(&dist).expect("static server");
    let b = Browser::start(window.0, window.1).expect("browser");
    let artifacts = paths::root().join("tests").join("artifacts");
    let _ = std::fs::create_dir_all(&artifacts);
    Ctx {
        b,
        server,
        dist,
        artifacts,
    }
}

/// Run `scenarios` against `dist/` (see [`start`]).
/// Command-line words filter scenarios by name. Exits with 1 when any scenario failed.
pub fn run(suite: &str, required: &[&str], window: (u32, u32), scenarios: &[Scenario]) {
    let cx = start(required, window);

    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (mut passed, mut failed) = (0, 0);
    for (name, f) in scenarios {
        if !filter.is_empty() && !filter.iter().any(|x| name.contains(x.as_str())) {
            continue;
        }
        match f(&cx) {
            Ok(()) => {
                passed += 1;
                println!("test {name} ... ok");
            }
            Err(e) => {
                failed += 1;
                println!("test {name} ... FAILED\n    {e}");
                if let Ok(png) = cx.b.screenshot() {
                    let _ = std::fs::write(cx.artifacts.join(format!("{suite}_{name}.png")), png);
                }
            }
        }
    }
    println!("\n{suite}: {passed} passed, {failed} failed");
    drop(cx);
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Open the app on a clean slate (no saved draft: the built-in example loads) and wait for
/// its editor.
pub fn open_fresh(cx: &Ctx) -> Result<()> {
    cx.b.goto(&cx.server.url("/index.html"))?;
    cx.b.js("localStorage.clear(); return true;", vec![])?;
    cx.b.goto(&cx.server.url("/index.html"))?;
    cx.b.wait_for(
        "the editor",
        "return !!document.querySelector('#editor');",
        30,
    )?;
    Ok(())
}

pub fn check(cond: bool, msg: impl Into<String>) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(msg.into())
    }
}

/// Resources the current page loaded from anywhere but the test server's origin.
pub fn foreign_requests(cx: &Ctx) -> Result<Vec<String>> {
    let v: Value = cx.b.js(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);",
        vec![],
    )?;
    let origin = cx.server.url("");
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .filter(|u| {
                    !u.starts_with(&origin) && !u.starts_with("data:") && !u.starts_with("blob:")
                })
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

/// What the issue on diagrams at scale measures, computed from the drawn SVG under `scope`
/// (`#diagram`, `.embed`): nodes whose box is not inside the `<svg>`, node names and
/// subtitles running past their box, shown edge labels overlapping each other or a node,
/// and the smallest on-screen size of a node's name (font size × the screen scale).
#[derive(Debug, Clone, Default)]
pub struct DiagramMetrics {
    pub nodes: u64,
    /// Collapsed boxes among the nodes.
    pub boxes: u64,
    pub outside: Vec<String>,
    pub past_box: Vec<String>,
    /// Pairs of shown edge labels that overlap.
    pub label_overlaps: Vec<String>,
    /// Shown edge labels over a node.
    pub labels_on_nodes: Vec<String>,
    pub min_label_px: f64,
    /// Edge labels drawn, and those left for hover and selection.
    pub labels_shown: u64,
    pub labels_hover: u64,
    /// The `<svg>`'s size in CSS pixels.
    pub pane: (f64, f64),
}

impl DiagramMetrics {
    /// The issue's "done when": everything inside, nothing past its box, no overlapping
    /// labels, names at least 9 px.
    pub fn legible(&self) -> bool {
        self.nodes > 0
            && self.outside.is_empty()
            && self.past_box.is_empty()
            && self.label_overlaps.is_empty()
            && self.labels_on_nodes.is_empty()
            && self.min_label_px >= 9.0
    }

    pub fn summary(&self) -> String {
        format!(
            "{}×{} px pane: {} nodes ({} boxes), {} outside, {} past their box, {} overlapping label pairs, {} labels on nodes, smallest name {:.1} px, {} labels shown, {} on hover",
            self.pane.0,
            self.pane.1,
            self.nodes,
            self.boxes,
            self.outside.len(),
            self.past_box.len(),
            self.label_overlaps.len(),
            self.labels_on_nodes.len(),
            self.min_label_px,
            self.labels_shown,
            self.labels_hover
        )
    }
}

const METRICS_JS: &str = r#"
const root = document.querySelector(arguments[0]);
if (!root) return null;
const svg = root.matches('svg') ? root : root.querySelector('svg');
const R = svg.getBoundingClientRect();
// an SVG element under display:none has no boxes (checkVisibility says true for SVG)
const seen = el => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0;
const inter = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
  && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
const out = {nodes: 0, boxes: 0, outside: [], past: [], overlaps: [], onNodes: [], minPx: 1e9, shown: 0, hover: 0, pane: [R.width, R.height]};
const bodies = [];
for (const n of svg.querySelectorAll('[data-node-id]')) {
  const id = n.getAttribute('data-node-id');
  out.nodes++;
  if (n.hasAttribute('data-collapsed')) out.boxes++;
  const rect = n.querySelector('.body') || [...n.querySelectorAll('rect')].find(r => !r.hasAttribute('x'));
  const body = rect.getBoundingClientRect();
  bodies.push([id, body]);
  if (body.left < R.left - 0.5 || body.top < R.top - 0.5 || body.right > R.right + 0.5 || body.bottom > R.bottom + 0.5)
    out.outside.push(id);
  for (const t of n.querySelectorAll('text')) {
    if (t.closest('[data-badge]') || t.closest('.chip')) continue;
    const b = t.getBoundingClientRect();
    if (b.right > body.right + 0.5 || b.left < body.left - 0.5) out.past.push(id + ': ' + t.textContent);
  }
  const lab = n.querySelector('text');
  const px = parseFloat(getComputedStyle(lab).fontSize || lab.getAttribute('font-size')) * lab.getScreenCTM().a;
  out.minPx = Math.min(out.minPx, px);
}
const labels = [];
for (const t of svg.querySelectorAll('[data-edge-from] text')) {
  if (!t.textContent) continue;
  if (!seen(t)) { out.hover++; continue; }
  out.shown++;
  const e = t.closest('[data-edge-from]');
  labels.push([e.getAttribute('data-edge-from') + '→' + e.getAttribute('data-edge-to') + ' ' + t.textContent, t.getBoundingClientRect()]);
}
for (let i = 0; i < labels.length; i++) {
  for (let j = i + 1; j < labels.length; j++)
    if (inter(labels[i][1], labels[j][1])) out.overlaps.push(labels[i][0] + ' / ' + labels[j][0]);
  for (const [id, b] of bodies) if (inter(labels[i][1], b)) out.onNodes.push(labels[i][0] + ' on ' + id);
}
if (out.nodes === 0) out.minPx = 0;
return out;
"#;

/// Measure the diagram drawn under `scope` (see [`DiagramMetrics`]).
pub fn diagram_metrics(cx: &Ctx, scope: &str) -> Result<DiagramMetrics> {
    let v = cx.b.js(METRICS_JS, vec![Value::String(scope.to_owned())])?;
    if v.is_null() {
        return Err(format!("no diagram under {scope}"));
    }
    let list = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let num = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    Ok(DiagramMetrics {
        nodes: num("nodes") as u64,
        boxes: num("boxes") as u64,
        outside: list("outside"),
        past_box: list("past"),
        label_overlaps: list("overlaps"),
        labels_on_nodes: list("onNodes"),
        min_label_px: num("minPx"),
        labels_shown: num("shown") as u64,
        labels_hover: num("hover") as u64,
        pane: (
            v.pointer("/pane/0").and_then(Value::as_f64).unwrap_or(0.0),
            v.pointer("/pane/1").and_then(Value::as_f64).unwrap_or(0.0),
        ),
    })
}

/// Paste `text` into the playground's editor and wait until its analysis is drawn and
/// fitted (the perf read-out changes, then the page settles).
pub fn paste_and_wait(cx: &Ctx, text: &str) -> Result<()> {
    let before = cx.b.js(
        "const p = document.getElementById('perf'); return p ? p.textContent + '|' + p.dataset.analysisMs + '|' + p.dataset.nodes : '';",
        vec![],
    )?;
    cx.b.paste_into("#editor", text)?;
    cx.b.wait_for(
        "the pasted template's analysis",
        &format!(
            "const p = document.getElementById('perf'); return !!p && (p.textContent + '|' + p.dataset.analysisMs + '|' + p.dataset.nodes) !== {before};"
        ),
        60,
    )?;
    // effects (markup, fit) run after the render that shows the new read-out
    std::thread::sleep(std::time::Duration::from_millis(500));
    Ok(())
}

/// A corpus template by the end of its path; a missing corpus fails loudly (CI lays
/// `shared/` beside the clone, see [`paths::corpus`]).
pub fn corpus_template(suffix: &str) -> Result<(String, String)> {
    let path = paths::corpus_files()
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .ok_or_else(|| {
            format!(
                "corpus template *{suffix} not found under {} (set PILLARLINT_CORPUS)",
                paths::corpus().display()
            )
        })?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, text))
}

/// The three templates the diagram issue measures at 1440×900.
pub const ISSUE_TEMPLATES: [&str; 3] = [
    "aws-cloud-migration-factory-solution.template",
    "Solutions__WebApp__webapp.json",
    "aws-python-pynamodb-s3-sigurl__serverless.yml",
];

/// A function whose role may do anything (`Action: "*"` on `Resource: "*"`): findings in
/// the auth pillar for the tests that need one.
pub const WILDCARD_CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
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
"#;
