//! A minimal W3C WebDriver client over ChromeDriver, enough for end-to-end tests:
//! sessions, navigation, element lookup, clicks, typing, script execution, screenshots.
//!
//! Chromium runs headless with the flags this machine needs (no sandbox as root, no
//! background networking: the closed network would otherwise refuse a stream of requests).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

pub type Result<T> = std::result::Result<T, String>;

/// A ChromeDriver process and one browser session; both end on drop.
#[derive(Debug)]
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: TempDir,
}

#[derive(Debug)]
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Browser {
    /// Start ChromeDriver and a headless Chromium with a fresh profile.
    pub fn start(width: u32, height: u32) -> Result<Browser> {
        let port = free_port()?;
        let driver = Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start chromedriver: {e} (run scripts/bootstrap.sh)"))?;
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(mut r) = agent.get(&format!("{base}/status")).call() {
                if r.body_mut()
                    .read_json::<Value>()
                    .is_ok_and(|v| v["value"]["ready"] == true)
                {
                    break;
                }
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready in 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile =
            std::env::temp_dir().join(format!("pillarlint-chromium-{}-{port}", std::process::id()));
        let _ = std::fs::create_dir_all(&profile);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.display()),
                    format!("--window-size={width},{height}"),
                ]
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: TempDir(profile),
        };
        let v = b.raw("POST", "/session", Some(caps))?;
        b.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {v}"))?
            .to_owned();
        Ok(b)
    }

    fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{}", self.base, path);
        let resp = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut resp = resp.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status();
        let v: Value = resp
            .body_mut()
            .read_json()
            .map_err(|e| format!("{method} {path}: bad JSON: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{method} {path}: {status}: {}",
                v["value"]["message"].as_str().unwrap_or("?")
            ));
        }
        Ok(v["value"].clone())
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        self.raw(method, &format!("/session/{}{}", self.session, path), body)
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.cmd("POST", "/url", Some(json!({"url": url})))
            .map(|_| ())
    }

    /// Run `script` (a function body; `arguments[i]` are `args`) and return its value.
    pub fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Poll `script` until it returns something truthy, or fail after `secs`.
    pub fn wait_for(&self, what: &str, script: &str, secs: u64) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last_error = None;
        loop {
            // A script that throws has not seen its state yet (the page may be moving to
            // another, its elements not there): tried again until the deadline, and the last
            // error reported with the timeout.
            match self.js(script, vec![]) {
                Ok(v) => {
                    let truthy = !matches!(v, Value::Null | Value::Bool(false))
                        && v != json!("")
                        && v != json!(0)
                        && v != json!([]);
                    if truthy {
                        return Ok(v);
                    }
                }
                Err(e) => last_error = Some(e),
            }
            if Instant::now() > deadline {
                return Err(match last_error {
                    Some(e) => {
                        format!("timed out after {secs} s waiting for {what} (last error: {e})")
                    }
                    None => format!("timed out after {secs} s waiting for {what}"),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The WebDriver element id of the first match of a CSS selector.
    pub fn find(&self, css: &str) -> Result<String> {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("no element {css}"))
    }

    pub fn click(&self, css: &str) -> Result<()> {
        let id = self.find(css)?;
        self.cmd("POST", &format!("/element/{id}/click"), None)
            .map(|_| ())
    }

    /// Type text into an element with real key events.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let id = self.find(css)?;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .map(|_| ())
    }

    /// Replace a textarea's text as a paste does (value set + `input` event).
    pub fn paste_into(&self, css: &str, text: &str) -> Result<()> {
        self.js(
            "const el = document.querySelector(arguments[0]); el.focus(); el.value = arguments[1];\
             el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); return true;",
            vec![json!(css), json!(text)],
        )
        .map(|_| ())
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let v = self.cmd("GET", "/screenshot", None)?;
        let b64 = v.as_str().ok_or("screenshot is not a string")?;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| e.to_string())
    }

    /// A Chrome DevTools Protocol command through ChromeDriver (`goog/cdp/execute`).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Emulate the system colour scheme (`"light"` or `"dark"`) for `prefers-color-scheme`.
    pub fn color_scheme(&self, scheme: &str) -> Result<()> {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )
        .map(|_| ())
    }

    pub fn set_window(&self, width: u32, height: u32) -> Result<()> {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .map(|_| ())
    }

    /// Browser console messages since the last call.
    pub fn console(&self) -> Result<Vec<String>> {
        let v = self
            .raw(
                "POST",
                &format!("/session/{}/se/log", self.session),
                Some(json!({"type": "browser"})),
            )
            .or_else(|_| self.cmd("POST", "/log", Some(json!({"type": "browser"}))))?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["message"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.cmd("DELETE", "", None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
