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
