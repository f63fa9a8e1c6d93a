//! A tiny static file server on 127.0.0.1 for the browser tests: serves `dist/`, records
//! every path requested (so tests can prove the page fetches nothing else), and answers
//! with the MIME types browsers insist on (`application/wasm` for streaming compile).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A running server; it stops when the process ends.
#[derive(Debug, Clone)]
pub struct StaticServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    /// While set, connections are closed unanswered, as a network that is down.
    offline: Arc<AtomicBool>,
}

impl StaticServer {
    /// Serve `root` on a free loopback port.
    pub fn start(root: &Path) -> std::io::Result<StaticServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let offline = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let log = Arc::clone(&requests);
        let down = Arc::clone(&offline);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if down.load(Ordering::SeqCst) {
                    drop(stream);
                    continue;
                }
                let root = root.clone();
                let log = Arc::clone(&log);
                let down = Arc::clone(&down);
                thread::spawn(move || {
                    let _ = handle(stream, &root, &log, &down);
                });
            }
        });
        Ok(StaticServer {
            port,
            requests,
            offline,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }

    /// Take the network down (`true`) or bring it back: while down, every connection is
    /// closed without an answer and nothing is logged.
    pub fn set_offline(&self, down: bool) {
        self.offline.store(down, Ordering::SeqCst);
    }

    /// Paths requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn handle(
    stream: TcpStream,
    root: &Path,
    log: &Mutex<Vec<String>>,
    down: &AtomicBool,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // a connection the browser opened ahead of time, used after the network went down
    if down.load(Ordering::SeqCst) {
        return Ok(());
    }
    // Drain headers.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    if let Ok(mut l) = log.lock() {
        l.push(target.clone());
    }
    let path_part = target.split(['?', '#']).next().unwrap_or("/");
    let rel = path_part.trim_start_matches('/');
    let mut file: PathBuf = root.join(if rel.is_empty() { "index.html" } else { rel });
    if file.is_dir() {
        file = file.join("index.html");
    }
    let mut out = stream;
    let safe = !rel.split('/').any(|c| c == "..");
    match (safe, std::fs::read(&file)) {
        (true, Ok(body)) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                mime(&file),
                body.len()
            )?;
            out.write_all(&body)?;
        }
        _ => {
            let body = b"not found";
            write!(
                out,
                "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(body)?;
        }
    }
    out.flush()
}
