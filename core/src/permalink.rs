//! Permalinks: an analysis shared as a URL, with no server.
//!
//! The state (template text or a findings-only snapshot, filters, selected node, analyser
//! version) is serialised with `serde_json`, compressed with raw DEFLATE (`miniz_oxide`),
//! encoded base64url without padding and put behind a version prefix in the URL
//! **fragment**, so the server that hosts the app never sees it:
//!
//! ```text
//! {base}#v1.<payload>            the app
//! {base}embed.html#v1.<payload>  the read-only embed view (the app also accepts #/embed/v1.…)
//! ```
//!
//! Decoding treats the link as hostile: the fragment length is capped before anything is
//! decoded, decompression stops at [`MAX_DECOMPRESSED`] bytes (deflate bombs), the version
//! is checked strictly, and every failure is a [`PermalinkError`] with a message meant for
//! the user.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::parse::Format;
use crate::report::{EdgeOut, FindingOut, NodeOut, VERSION};
use crate::rules::{Pillar, Severity};

/// The link format this build writes and reads.
pub const CURRENT_VERSION: u32 = 1;
/// Longest payload (base64 characters after the `v1.` prefix) accepted or produced.
pub const MAX_FRAGMENT: usize = 128 * 1024;
/// Largest decompressed state accepted.
pub const MAX_DECOMPRESSED: usize = 2 * 1024 * 1024;
/// Where links point when no base is given.
pub const DEFAULT_BASE: &str = "https://example.invalid/pillarlint/";
/// The embed view's page, relative to the base.
pub const EMBED_PAGE: &str = "embed.html";
/// Chat tools and some browsers cut URLs longer than this; the share dialog warns above it.
pub const LONG_LINK_WARNING: usize = 2000;

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct State {
    /// The template text; absent in findings-only links.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The file name shown in the app (e.g. `template.yaml`).
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Pillars selected in the view; empty means all.
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub pillars: Vec<Pillar>,
    /// The lowest severity shown.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub min_severity: Option<Severity>,
    /// The selected node's id.
    #[serde(rename = "sel", default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// The analyser version that made the link.
    #[serde(rename = "v", default)]
    pub version: String,
    /// Findings-only links: the analysis without the text.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Snapshot>,
    /// An app of several files: the files besides the one in `t`/`n` (nested templates,
    /// includes, a CDK manifest), paths relative to the app. Readers that predate it open
    /// the first file alone.
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<LinkFile>,
}

/// A further file of an app carried by a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFile {
    #[serde(rename = "n")]
    pub path: String,
    #[serde(rename = "t")]
    pub text: String,
}

/// The analysis of a findings-only link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Snapshot {
    #[serde(default)]
    pub format: Option<Format>,
    #[serde(default)]
    pub nodes: Vec<NodeOut>,
    #[serde(default)]
    pub edges: Vec<EdgeOut>,
    #[serde(default)]
    pub findings: Vec<FindingOut>,
}

impl State {
    /// A state holding a template's text, made by this analyser version.
    pub fn with_text(text: impl Into<String>) -> Self {
        State {
            text: Some(text.into()),
            version: VERSION.to_owned(),
            ..State::default()
        }
    }

    /// A state holding the files of an app, `(path, text)`, the main template first (what
    /// readers that know one file only open).
    pub fn with_files(mut files: Vec<(String, String)>) -> Self {
        if files.is_empty() {
            return State::with_text(String::new());
        }
        let (path, text) = files.remove(0);
        State {
            path: Some(path),
            files: files
                .into_iter()
                .map(|(path, text)| LinkFile { path, text })
                .collect(),
            ..State::with_text(text)
        }
    }

    /// Every file the link carries, `(path, text)`, the main one first; empty for a
    /// findings-only link.
    pub fn all_files(&self) -> Vec<(&str, &str)> {
        let Some(text) = &self.text else {
            return Vec::new();
        };
        let mut out = vec![(
            self.path.as_deref().unwrap_or("template.yaml"),
            text.as_str(),
        )];
        out.extend(
            self.files
                .iter()
                .map(|f| (f.path.as_str(), f.text.as_str())),
        );
        out
    }

    /// A findings-only state from a file report (no template text). What the view draws is
    /// kept; the report's pointers back into files (`file`, `stack`, `construct_path`: the
    /// labels and messages already name resources by their construct path) are left out, and
    /// so are effective permissions (they can be long; a findings-only view does not need them).
    pub fn findings_only(report: &crate::report::FileReport) -> Self {
        let mut nodes = report.nodes.clone();
        for n in &mut nodes {
            (n.construct_path, n.file, n.stack) = (None, None, None);
            n.permissions = Vec::new();
        }
        let mut findings = report.findings.clone();
        for f in &mut findings {
            (f.construct_path, f.file) = (None, None);
        }
        State {
            text: None,
            path: Some(report.path.clone()),
            version: VERSION.to_owned(),
            snapshot: Some(Snapshot {
                format: report.format,
                nodes,
                edges: report.edges.clone(),
                findings,
            }),
            ..State::default()
        }
    }
}

/// Why a link could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermalinkError {
    #[error("the link holds no analysis: there is nothing after `#`")]
    Empty,
    #[error("the link is too long: {len} characters of data, at most {max} are accepted")]
    TooLong { len: usize, max: usize },
    #[error("this is not a pillarlint link: its fragment should start with `#v1.`")]
    NotAPermalink,
    #[error("this link was made by a newer pillarlint (v{0}); this version opens v{CURRENT_VERSION} links — open it with a newer pillarlint")]
    NewerVersion(u32),
    #[error("this link's format v{0} is not known to pillarlint")]
    UnknownVersion(u32),
    #[error("the link is damaged (it may have been cut short when copied): {0}")]
    Encoding(String),
    #[error("the link is damaged: its data does not decompress ({0})")]
    Corrupt(String),
    #[error("the link expands to more than {max} bytes; refusing to open it")]
    TooLarge { max: usize },
    #[error("the link's content is not a pillarlint analysis: {0}")]
    Invalid(String),
}

/// Encode a state as the fragment payload, `v1.<payload>` (without `#`).
pub fn encode(state: &State) -> Result<String, PermalinkError> {
    fragment_of(&miniz_oxide::deflate::compress_to_vec(
        &state_json(state)?,
        9,
    ))
}

/// The JSON a link carries, before compression. [`encode`] is
/// `fragment_of(raw_deflate(state_json(state)))`; the web app compresses with the browser's
/// own `CompressionStream("deflate-raw")` instead of this crate's compressor (about 7 KB
/// gzip less in its bundle). Any raw DEFLATE stream decodes the same.
pub fn state_json(state: &State) -> Result<Vec<u8>, PermalinkError> {
    serde_json::to_vec(state).map_err(|e| PermalinkError::Invalid(e.to_string()))
}

/// Read a state from its JSON (what [`state_json`] writes, before compression): the web
/// app hands its state to its share and export bundle this way.
pub fn state_from_json(json: &str) -> Result<State, PermalinkError> {
    read::parse::<true>(json).map_err(PermalinkError::Invalid)
}

/// The fragment payload, `v1.<payload>`, for the raw-DEFLATE bytes of [`state_json`].
pub fn fragment_of(deflated: &[u8]) -> Result<String, PermalinkError> {
    let payload = URL_SAFE_NO_PAD.encode(deflated);
    if payload.len() > MAX_FRAGMENT {
        return Err(PermalinkError::TooLong {
            len: payload.len(),
            max: MAX_FRAGMENT,
        });
    }
    Ok(format!("v{CURRENT_VERSION}.{payload}"))
}

/// The full link: `{base}#v1.…`, or `{base}embed.html#v1.…` for the embed view.
pub fn link(state: &State, base: &str, embed: bool) -> Result<String, PermalinkError> {
    Ok(link_to(&encode(state)?, base, embed))
}

/// The full link for a fragment payload made by [`encode`] or [`fragment_of`].
pub fn link_to(fragment: &str, base: &str, embed: bool) -> String {
    format!("{}#{fragment}", page_url(base, embed))
}

/// The page a link opens: the base without any fragment, `index.html` or query; with
/// `embed.html` appended for the embed view.
pub fn page_url(base: &str, embed: bool) -> String {
    let base = base.trim();
    let base = base.split('#').next().unwrap_or(base);
    let base = base.split('?').next().unwrap_or(base);
    let mut dir = base
        .strip_suffix("index.html")
        .or_else(|| base.strip_suffix(EMBED_PAGE))
        .unwrap_or(base)
        .to_owned();
    if embed {
        if !dir.ends_with('/') && !dir.is_empty() {
            dir.push('/');
        }
        dir.push_str(EMBED_PAGE);
    }
    dir
}

/// Decode a link: a whole URL, a fragment (`#v1.…`, `#/embed/v1.…`) or a bare `v1.…`.
pub fn decode(link: &str) -> Result<State, PermalinkError> {
    decode_as::<true>(link)
}

/// [`decode`] for a reader that opens templates and hands findings-only links on to another
/// (the web app's first bundle, which sends them to its full app): the link is checked the
/// same way, but a findings-only link's analysis is not read: its `snapshot` is an empty
/// [`Snapshot`] (`Some`, so the link is still told apart), and a flaw inside the analysis is
/// reported by the reader that draws it. The analysis's reader is then left out of the
/// build (some 4 KB gzip of the first bundle).
pub fn decode_text(link: &str) -> Result<State, PermalinkError> {
    decode_as::<false>(link)
}

fn decode_as<const SNAPSHOT: bool>(link: &str) -> Result<State, PermalinkError> {
    // Cap the length before looking at anything else (a few bytes of prefix allowed).
    if link.len() > MAX_FRAGMENT + 4096 {
        return Err(PermalinkError::TooLong {
            len: link.len(),
            max: MAX_FRAGMENT,
        });
    }
    let fragment = match link.find('#') {
        Some(i) => &link[i + 1..],
        None => link,
    };
    let fragment = fragment.trim();
    let fragment = fragment
        .strip_prefix("/embed/")
        .or_else(|| fragment.strip_prefix("embed/"))
        .or_else(|| fragment.strip_prefix('/'))
        .unwrap_or(fragment);
    if fragment.is_empty() {
        return Err(PermalinkError::Empty);
    }
    let Some(rest) = fragment.strip_prefix('v') else {
        return Err(PermalinkError::NotAPermalink);
    };
    let Some((version, payload)) = rest.split_once('.') else {
        return Err(PermalinkError::NotAPermalink);
    };
    if version.is_empty() || version.len() > 9 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PermalinkError::NotAPermalink);
    }
    let version: u32 = version.parse().map_err(|_| PermalinkError::NotAPermalink)?;
    if version > CURRENT_VERSION {
        return Err(PermalinkError::NewerVersion(version));
    }
    if version != CURRENT_VERSION {
        return Err(PermalinkError::UnknownVersion(version));
    }
    if payload.is_empty() {
        return Err(PermalinkError::Empty);
    }
    if payload.len() > MAX_FRAGMENT {
        return Err(PermalinkError::TooLong {
            len: payload.len(),
            max: MAX_FRAGMENT,
        });
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| PermalinkError::Encoding(e.to_string()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_DECOMPRESSED)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => PermalinkError::TooLarge {
                max: MAX_DECOMPRESSED,
            },
            // the decompressor's status names are not for users: say what they mean
            miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress
            | miniz_oxide::inflate::TINFLStatus::NeedsMoreInput => {
                PermalinkError::Corrupt("it ends too early: was it cut short?".to_owned())
            }
            _ => PermalinkError::Corrupt("its bytes are not what pillarlint wrote".to_owned()),
        })?;
    // Read by the template loader (JSON is YAML) and the hand-written `read` below rather
    // than `serde_json` and the derived `Deserialize`: the same checks, and the browser
    // bundle carries one parser instead of two.
    let text = std::str::from_utf8(&json)
        .map_err(|_| PermalinkError::Invalid("its data is not UTF-8 text".to_owned()))?;
    let state = read::parse::<SNAPSHOT>(text).map_err(PermalinkError::Invalid)?;
    if state.text.is_none() && state.snapshot.is_none() {
        return Err(PermalinkError::Invalid(
            "it carries neither a template nor an analysis".to_owned(),
        ));
    }
    Ok(state)
}

// ---------------------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------------------

/// What replaces a secret-looking value.
pub const REDACTED: &str = "REDACTED";

/// Replace secret-looking literal values with [`REDACTED`], line by line: values of keys
/// named like a password, secret, token, API key or private key; AWS access key ids
/// (`AKIA…`/`ASIA…`); long high-entropy strings. Intrinsic functions (`!Ref`, `{{resolve:…}}`,
/// `${…}`) are kept: they name a secret, they do not hold one. The number of lines never
/// changes and text before a redacted value keeps its column, so positions reported for
/// the original text still point at the same lines.
pub fn redact_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Indentation of a `key: |` block scalar under a secret key, while inside it.
    let mut block: Option<usize> = None;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (body, cr) = match line.strip_suffix('\r') {
            Some(b) => (b, "\r"),
            None => (line, ""),
        };
        let indent = body.len() - body.trim_start().len();
        if let Some(min) = block {
            if body.trim().is_empty() {
                out.push_str(body);
                out.push_str(cr);
                continue;
            }
            if indent > min {
                out.push_str(&body[..indent]);
                out.push_str(REDACTED);
                out.push_str(cr);
                continue;
            }
            block = None;
        }
        let (redacted, opens_block) = redact_line(body);
        if opens_block {
            block = Some(indent);
        }
        out.push_str(&redact_tokens(&redacted));
        out.push_str(cr);
    }
    out
}

/// Is a key name secret-looking? (`DB_PASSWORD`, `apiKey`, `ClientSecret`, `PrivateKey`…)
fn is_secret_key(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const HINTS: &[&str] = &[
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "privatekey",
        "secretkey",
        "accesskey",
        "credential",
        "authkey",
        "clientsecret",
    ];
    // Names of, references to, or settings about a secret are not the secret.
    const NOT: &[&str] = &[
        "name",
        "arn",
        "id",
        "ref",
        "type",
        "length",
        "validity",
        "version",
        "rotation",
        "policy",
        "path",
        "parameter",
        "param",
        "arns",
        "names",
        "ids",
        "units",
        "expiry",
        "ttl",
        "header",
        "source",
        "location",
        "enabled",
        "required",
        "noecho",
        "prefix",
        "string",
        "uri",
        "url",
        "store",
        "manager",
    ];
    if k.is_empty() || !HINTS.iter().any(|h| k.contains(h)) {
        return false;
    }
    !NOT.iter().any(|n| k.ends_with(n))
}

/// Redact the value of `key: value`, `"key": "value"` or `KEY=value` when the key looks
/// secret. Returns the line and whether it opens a block scalar under a secret key.
fn redact_line(line: &str) -> (String, bool) {
    let Some((key_end, value_start)) = find_key_value(line) else {
        return (line.to_owned(), false);
    };
    let key = line[..key_end]
        .trim()
        .trim_start_matches("- ")
        .trim_matches(|c| c == '"' || c == '\'' || c == '{' || c == ',' || c == ' ');
    if !is_secret_key(key) {
        return (line.to_owned(), false);
    }
    let rest = &line[value_start..];
    let value = rest.trim_start();
    let lead = rest.len() - value.len();
    let at = value_start + lead;
    if value.is_empty() || value.starts_with('#') {
        return (line.to_owned(), false);
    }
    if value.starts_with('|') || value.starts_with('>') {
        return (line.to_owned(), true);
    }
    // HCL (`key = value` with a space before `=`): only a quoted string is a literal; a bare
    // word is a reference (`var.db_password`), `<<EOT` a heredoc
    if line[..key_end].ends_with([' ', '\t'])
        && line.as_bytes().get(key_end) == Some(&b'=')
        && !value.starts_with('"')
    {
        return (line.to_owned(), false);
    }
    if !is_literal(value) {
        return (line.to_owned(), false);
    }
    let (start, end) = scalar_extent(value);
    if end <= start {
        return (line.to_owned(), false);
    }
    let inner = &value[start..end];
    if !is_literal(inner) || inner.trim().is_empty() {
        return (line.to_owned(), false);
    }
    let mut s = String::with_capacity(line.len());
    s.push_str(&line[..at + start]);
    s.push_str(REDACTED);
    s.push_str(&line[at + end..]);
    (s, false)
}

/// Where the key ends and its value starts: after `: ` / `":` / `=`.
fn find_key_value(line: &str) -> Option<(usize, usize)> {
    let t = line.trim_start();
    if t.starts_with('#') {
        return None;
    }
    let bytes = line.as_bytes();
    let mut in_quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match in_quote {
            Some(q) if b == q => in_quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => in_quote = Some(b),
                b':' if bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') => {
                    return Some((i, i + 1))
                }
                b'=' if is_env_key(&line[..i]) => return Some((i, i + 1)),
                b'{' | b'[' | b'!' | b'$' => {
                    // An inline map may hold the key later, e.g. `{Password: x}`: look on.
                }
                _ => {}
            },
        }
    }
    None
}

/// `KEY` of a `KEY=value` line (optionally a list item).
fn is_env_key(before: &str) -> bool {
    // `KEY=value` (an environment list), `key = value` (HCL)
    let k = before.trim();
    let k = k.strip_prefix("- ").unwrap_or(k);
    !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Is this value a literal (not an intrinsic, reference, map or list)?
fn is_literal(v: &str) -> bool {
    let v = v.trim_start_matches(['"', '\'']);
    !(v.starts_with('!')
        || v.starts_with('{')
        || v.starts_with('[')
        || v.starts_with("${")
        || v.starts_with('&')
        || v.starts_with('*')
        || v.starts_with("Ref")
        || v.starts_with("Fn::")
        || v.starts_with("arn:")
        || v.starts_with("{{resolve:")
        || v.starts_with("resolve:")
        || v.eq_ignore_ascii_case("null")
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
        || v == "~")
}

/// The byte range of the scalar's content within `value` (inside quotes when quoted).
fn scalar_extent(value: &str) -> (usize, usize) {
    let b = value.as_bytes();
    match b.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let close = b[1..]
                .iter()
                .position(|c| *c == q)
                .map_or(b.len(), |p| p + 1);
            (1, close)
        }
        _ => {
            // Plain scalar: up to ` #`, or `,`/`}` inside flow JSON, trailing spaces dropped.
            let mut end = value.len();
            if let Some(p) = value.find(" #") {
                end = p;
            }
            if let Some(p) = value[..end].find([',', '}', ']']) {
                end = p;
            }
            (0, value[..end].trim_end().len())
        }
    }
}

/// Redact AWS access key ids and long high-entropy tokens anywhere on a line.
fn redact_tokens(line: &str) -> String {
    let is_tok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-');
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let start = rest.find(is_tok).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_tok(c)).unwrap_or(rest.len());
        let tok = &rest[..end];
        if tok.is_empty() {
            break;
        }
        out.push_str(&redact_token(tok));
        rest = &rest[end..];
    }
    out
}

fn redact_token(tok: &str) -> String {
    // AWS access key ids inside a longer token.
    let mut s = String::new();
    let mut rest = tok;
    while let Some(i) = ["AKIA", "ASIA"].iter().filter_map(|p| rest.find(p)).min() {
        let cand = &rest[i..];
        let id_len = cand
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .count();
        if id_len >= 20 {
            s.push_str(&rest[..i]);
            s.push_str(REDACTED);
            rest = &cand[20..];
        } else {
            s.push_str(&rest[..i + 4]);
            rest = &cand[4..];
        }
    }
    s.push_str(rest);
    if looks_random(&s) {
        return REDACTED.to_owned();
    }
    s
}

/// Long, mixed-class, high-entropy strings (random keys, tokens, secrets).
fn looks_random(tok: &str) -> bool {
    if tok.len() < 32 || tok.contains(REDACTED) {
        return false;
    }
    let has_digit = tok.bytes().any(|b| b.is_ascii_digit());
    let has_upper = tok.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = tok.bytes().any(|b| b.is_ascii_lowercase());
    if !(has_digit && has_upper && has_lower) {
        return false;
    }
    shannon_entropy(tok) >= 4.3
}

fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum()
}

/// `State` from the link's JSON, with the derived `Deserialize`'s rules: required fields must
/// be there with the right type (strictly: no CloudFormation-style coercion of `"true"` or
/// `"5"`), `#[serde(default)]` and `Option` fields may be missing (or `null` for an
/// `Option`), unknown fields are ignored. The derived impls stay for native tools; the app
/// and the widget only ever read links through this.
mod read {
    use crate::parse::{load, Limits};
    use crate::value::{Key, Node, Value};

    use super::{Snapshot, State};
    use crate::graph::{AccessLevel, Fact, Route};
    use crate::parse::Format;
    use crate::report::{EdgeOut, FindingOut, NodeOut};
    use crate::rules::{EdgeRef, Pillar, Severity, Suppression};

    type R<T> = Result<T, String>;

    /// Parse the link's JSON text and read the state from it; without `SNAPSHOT` a
    /// findings-only link's analysis is not read (an empty one stands for it).
    pub(super) fn parse<const SNAPSHOT: bool>(text: &str) -> R<State> {
        let v = load(&yaml_safe(text), &Limits::default()).map_err(|e| {
            // the loader speaks of templates and YAML; a link carries JSON
            let what = e.message.trim_start_matches("invalid YAML: ");
            format!(
                "its JSON does not parse: {what} (line {}, column {})",
                e.line, e.column
            )
        })?;
        state::<SNAPSHOT>(&v)
    }

    /// Characters YAML refuses in a stream (controls, U+FFFE, U+FFFF), reads as line breaks
    /// (NEL, LS, PS: inside a quoted string those would fold to a space) or as a byte-order
    /// mark, written as the `\uXXXX` escapes JSON has for them. Raw, in valid JSON, they can
    /// only be inside strings, so the escaped text means the same.
    fn yaml_safe(text: &str) -> std::borrow::Cow<'_, str> {
        let odd = |c: char| {
            !matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        };
        if !text.chars().any(odd) {
            return text.into();
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(text.len() + 32);
        for c in text.chars() {
            if odd(c) {
                // every such character is below U+10000: four digits
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((u32::from(c) >> shift) & 0xf) as usize]));
                }
            } else {
                out.push(c);
            }
        }
        out.into()
    }

    /// One object being read: `what` names it in error messages.
    struct Obj<'a> {
        map: &'a [(Key, Value)],
        what: &'static str,
    }

    fn obj<'a>(v: &'a Value, what: &'static str) -> R<Obj<'a>> {
        v.as_map()
            .map(|map| Obj { map, what })
            .ok_or_else(|| format!("{what}: expected an object"))
    }

    /// A string, strictly (not a number or boolean spelled as text).
    fn string(v: &Value) -> Option<&str> {
        match &v.node {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    fn boolean(v: &Value) -> Option<bool> {
        match v.node {
            Node::Bool(b) => Some(b),
            _ => None,
        }
    }

    impl<'a> Obj<'a> {
        /// A present, non-null field.
        fn get(&self, key: &str) -> Option<&'a Value> {
            self.map
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(_, v)| v)
                .filter(|v| !v.is_null())
        }
        fn bad(&self, key: &str, want: &str) -> String {
            format!("{}: field `{key}` should be {want}", self.what)
        }
        fn missing(&self, key: &str) -> String {
            format!("{}: missing field `{key}`", self.what)
        }
        fn opt<T>(
            &self,
            key: &str,
            want: &str,
            f: impl Fn(&'a Value) -> Option<T>,
        ) -> R<Option<T>> {
            match self.get(key) {
                None => Ok(None),
                Some(v) => f(v).map(Some).ok_or_else(|| self.bad(key, want)),
            }
        }
        fn req<T>(&self, key: &str, want: &str, f: impl Fn(&'a Value) -> Option<T>) -> R<T> {
            self.opt(key, want, f)?.ok_or_else(|| self.missing(key))
        }
        fn opt_string(&self, key: &str) -> R<Option<String>> {
            self.opt(key, "a string", |v| string(v).map(str::to_owned))
        }
        fn string(&self, key: &str) -> R<String> {
            self.req(key, "a string", |v| string(v).map(str::to_owned))
        }
        fn string_or_default(&self, key: &str) -> R<String> {
            Ok(self.opt_string(key)?.unwrap_or_default())
        }
        fn u32_(&self, key: &str) -> R<u32> {
            self.req(key, "a number", as_u32)
        }
        fn u32_or_default(&self, key: &str) -> R<u32> {
            Ok(self.opt(key, "a number", as_u32)?.unwrap_or_default())
        }
        fn bool_(&self, key: &str) -> R<bool> {
            self.req(key, "true or false", boolean)
        }
        fn bool_or_default(&self, key: &str) -> R<bool> {
            Ok(self.opt(key, "true or false", boolean)?.unwrap_or_default())
        }
        /// A list whose items `item` reads; `required` as the derive has it.
        fn list<T>(
            &self,
            key: &str,
            required: bool,
            item: impl Fn(&'a Value) -> R<T>,
        ) -> R<Vec<T>> {
            match self.get(key) {
                None if required => Err(self.missing(key)),
                None => Ok(Vec::new()),
                Some(v) => match &v.node {
                    Node::Seq(items) => items.iter().map(item).collect(),
                    _ => Err(self.bad(key, "a list")),
                },
            }
        }
        fn strings(&self, key: &str, required: bool) -> R<Vec<String>> {
            let what = self.what;
            self.list(key, required, |v| {
                string(v)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{what}: field `{key}` should hold strings"))
            })
        }
        fn pillars(&self, key: &str) -> R<Vec<Pillar>> {
            let what = self.what;
            self.list(key, false, |v| {
                pillar(v).ok_or_else(|| {
                    let shown = v.as_str().unwrap_or("a list or map");
                    format!("{what}: `{shown}` is not a pillar")
                })
            })
        }
    }

    /// A JSON integer in `u32`'s range (a quoted number is a string, as in JSON).
    fn as_u32(v: &Value) -> Option<u32> {
        match &v.node {
            Node::Number(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// An enum written as one of its lower-case names (exact, as serde reads them).
    fn named<T: Copy>(v: &Value, all: &[T], name: impl Fn(T) -> &'static str) -> Option<T> {
        let s = string(v)?;
        all.iter().copied().find(|x| name(*x) == s)
    }

    fn pillar(v: &Value) -> Option<Pillar> {
        named(v, &Pillar::ALL, Pillar::as_str)
    }

    fn severity(v: &Value) -> Option<Severity> {
        named(v, &Severity::ALL, Severity::as_str)
    }

    fn format(v: &Value) -> Option<Format> {
        named(
            v,
            &[
                Format::CloudFormation,
                Format::Sam,
                Format::Serverless,
                Format::Terraform,
                Format::TerraformPlan,
            ],
            Format::as_str,
        )
    }

    fn access(v: &Value) -> Option<AccessLevel> {
        named(
            v,
            &[AccessLevel::Read, AccessLevel::Write, AccessLevel::Admin],
            |a| match a {
                AccessLevel::Read => "read",
                AccessLevel::Write => "write",
                AccessLevel::Admin => "admin",
            },
        )
    }

    fn state<const SNAPSHOT: bool>(v: &Value) -> R<State> {
        let o = obj(v, "the link")?;
        Ok(State {
            text: o.opt_string("t")?,
            path: o.opt_string("n")?,
            pillars: o.pillars("p")?,
            min_severity: o.opt("s", "a severity", severity)?,
            selected: o.opt_string("sel")?,
            version: o.string_or_default("v")?,
            snapshot: match o.get("r") {
                Some(r) if SNAPSHOT => Some(snapshot(r)?),
                Some(_) => Some(Snapshot::default()),
                None => None,
            },
            files: o.list("f", false, |v| {
                let f = obj(v, "a file of the link")?;
                Ok(super::LinkFile {
                    path: f.string("n")?,
                    text: f.string("t")?,
                })
            })?,
        })
    }

    fn snapshot(v: &Value) -> R<Snapshot> {
        let o = obj(v, "the analysis")?;
        Ok(Snapshot {
            format: o.opt("format", "a template format", format)?,
            nodes: o.list("nodes", false, node)?,
            edges: o.list("edges", false, edge)?,
            findings: o.list("findings", false, finding)?,
        })
    }

    fn fact(v: &Value) -> R<Fact> {
        let o = obj(v, "a fact")?;
        Ok(Fact {
            kind: o.string("kind")?,
            id: o.opt_string("id")?,
            text: o.string("text")?,
        })
    }

    fn node(v: &Value) -> R<NodeOut> {
        let o = obj(v, "a node")?;
        Ok(NodeOut {
            id: o.string("id")?,
            kind: o.string("kind")?,
            label: o.string("label")?,
            line: o.u32_("line")?,
            column: o.u32_("column")?,
            type_: o.string("type")?,
            facts: o.list("facts", false, fact)?,
            group: o.opt_string("group")?,
            pillars: o.pillars("pillars")?,
            unknown: o.bool_or_default("unknown")?,
            construct_path: None,
            file: o.opt_string("file")?,
            stack: None,
            permissions: Vec::new(),
        })
    }

    fn route(v: &Value) -> R<Route> {
        let o = obj(v, "a route")?;
        Ok(Route {
            method: o.string("method")?,
            path: o.string("path")?,
            resource: o.string("resource")?,
            authorization: o.opt_string("authorization")?,
            api_key_required: o.bool_("api_key_required")?,
            authorizer: o.opt_string("authorizer")?,
            source: o.string_or_default("source")?,
            public: o.bool_or_default("public")?,
        })
    }

    fn edge(v: &Value) -> R<EdgeOut> {
        let o = obj(v, "an edge")?;
        Ok(EdgeOut {
            from: o.string("from")?,
            to: o.string("to")?,
            kind: o.string("kind")?,
            label: o.string("label")?,
            line: o.u32_or_default("line")?,
            access: o.opt("access", "an access level", access)?,
            wildcard: o.bool_or_default("wildcard")?,
            route: o.get("route").map(route).transpose()?,
            actions: o.strings("actions", false)?,
            via: o.opt_string("via")?,
            pillars: o.pillars("pillars")?,
            network: o.bool_or_default("network")?,
        })
    }

    fn finding(v: &Value) -> R<FindingOut> {
        let o = obj(v, "a finding")?;
        let edge = match o.get("edge") {
            None => None,
            Some(e) => {
                let e = obj(e, "a finding's edge")?;
                Some(EdgeRef {
                    from: e.string("from")?,
                    to: e.string("to")?,
                })
            }
        };
        let suppressed = match o.get("suppressed") {
            None => None,
            Some(s) => {
                let s = obj(s, "a suppression")?;
                Some(Suppression {
                    by: s.string("by")?,
                    reason: s.string("reason")?,
                })
            }
        };
        Ok(FindingOut {
            rule: o.string("rule")?,
            pillar: o.req("pillar", "a pillar", pillar)?,
            severity: o.req("severity", "a severity", severity)?,
            resource: o.opt_string("resource")?,
            related: o.strings("related", true)?,
            edge,
            message: o.string("message")?,
            remediation: o.string("remediation")?,
            line: o.u32_("line")?,
            column: o.u32_("column")?,
            end_line: o.u32_or_default("end_line")?,
            end_column: o.u32_or_default("end_column")?,
            condition: o.opt_string("condition")?,
            suppressed,
            fingerprint: o.string_or_default("fingerprint")?,
            construct_path: None,
            file: o.opt_string("file")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            pillars: vec![Pillar::Auth, Pillar::Data],
            min_severity: Some(Severity::Medium),
            selected: Some("GetBooksFunction".into()),
            path: Some("bookstore.sam.yaml".into()),
            ..State::with_text(crate::example::BOOKSTORE.text)
        }
    }

    #[test]
    fn round_trips_the_example() {
        let s = state();
        let frag = encode(&s).expect("encodes");
        assert!(frag.starts_with("v1."));
        assert!(frag[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&frag).expect("decodes"), s);
        assert_eq!(decode(&format!("#{frag}")).expect("decodes"), s);
        assert_eq!(decode(&format!("#/embed/{frag}")).expect("decodes"), s);
        let url = link(&s, "https://x.test/app/", false).expect("link");
        assert!(url.starts_with("https://x.test/app/#v1."), "{url}");
        assert_eq!(decode(&url).expect("decodes"), s);
        let embed = link(&s, "https://x.test/app", true).expect("link");
        assert!(
            embed.starts_with("https://x.test/app/embed.html#v1."),
            "{embed}"
        );
        assert_eq!(decode(&embed).expect("decodes"), s);
    }

    /// A link whose payload another raw-DEFLATE compressor made (the browser's, in the app)
    /// opens the same: here the fastest level, stored blocks and the default.
    #[test]
    fn links_from_any_raw_deflate_decode_the_same() {
        let s = state();
        let json = state_json(&s).expect("json");
        for level in [0, 1, 6] {
            let frag = fragment_of(&miniz_oxide::deflate::compress_to_vec(&json, level))
                .expect("fragment");
            assert_eq!(decode(&frag).expect("decodes"), s, "level {level}");
        }
        assert_eq!(
            encode(&s).ok(),
            fragment_of(&miniz_oxide::deflate::compress_to_vec(&json, 9)).ok()
        );
        assert!(matches!(
            fragment_of(&vec![0u8; MAX_FRAGMENT]),
            Err(PermalinkError::TooLong { .. })
        ));
        assert_eq!(
            link_to("v1.abc", "https://x.test/app/", true),
            "https://x.test/app/embed.html#v1.abc"
        );
    }

    #[test]
    fn page_urls() {
        assert_eq!(
            page_url("https://a.b/x/index.html", false),
            "https://a.b/x/"
        );
        assert_eq!(
            page_url("https://a.b/x/index.html", true),
            "https://a.b/x/embed.html"
        );
        assert_eq!(
            page_url("https://a.b/x/#v1.abc", true),
            "https://a.b/x/embed.html"
        );
        assert_eq!(
            page_url("https://a.b/x/embed.html", false),
            "https://a.b/x/"
        );
    }

    #[test]
    fn findings_only_round_trips_without_text() {
        let a = crate::analyze_text(crate::example::BOOKSTORE.text).expect("example parses");
        let r = a.to_report("bookstore.sam.yaml");
        let s = State::findings_only(&r);
        let back = decode(&encode(&s).expect("encodes")).expect("decodes");
        assert!(back.text.is_none());
        let snap = back.snapshot.expect("snapshot");
        // Everything but the effective permissions, which links leave out.
        assert!(r.nodes.iter().any(|n| !n.permissions.is_empty()));
        let want: Vec<NodeOut> = r
            .nodes
            .iter()
            .map(|n| NodeOut {
                permissions: Vec::new(),
                ..n.clone()
            })
            .collect();
        assert_eq!(snap.nodes, want);
        assert_eq!(snap.edges, r.edges);
        assert_eq!(snap.findings, r.findings);
    }

    #[test]
    fn decode_text_opens_templates_alike_and_hands_findings_only_links_on() {
        let a = crate::analyze_text(crate::example::BOOKSTORE.text).expect("example parses");
        let only = encode(&State::findings_only(&a.to_report("b.yaml"))).expect("encodes");
        let shallow = decode_text(&only).expect("decodes");
        assert!(shallow.text.is_none());
        assert_eq!(shallow.snapshot, Some(Snapshot::default()));
        let full = decode(&only)
            .expect("decodes")
            .snapshot
            .expect("an analysis");
        assert!(!full.findings.is_empty());
        // a template link reads the same either way
        let mut st = state();
        st.pillars = vec![Pillar::Auth];
        let link = encode(&st).expect("encodes");
        assert_eq!(
            decode_text(&link).expect("decodes"),
            decode(&link).expect("decodes")
        );
        // what is wrong outside the analysis is refused alike
        for bad in ["", "#v1.", "#v2.abc", "#v1.!!!!", &link[..link.len() / 2]] {
            assert_eq!(
                decode_text(bad).map_err(|e| e.to_string()),
                decode(bad).map_err(|e| e.to_string()),
                "{bad}"
            );
        }
        // a flaw inside the analysis is left to the reader that draws it
        let flawed = {
            let json = br#"{"v":"","r":{"nodes":[{"id":"a"}]}}"#;
            fragment_of(&miniz_oxide::deflate::compress_to_vec(json, 9)).expect("fits")
        };
        assert!(decode(&flawed).is_err());
        assert_eq!(
            decode_text(&flawed).expect("handed on").snapshot,
            Some(Snapshot::default())
        );
    }

    /// The hand-written reader and the derived `Deserialize` agree: on every example's
    /// findings-only and text states, and on documents each should refuse.
    #[test]
    fn links_carry_every_file_of_an_app_and_old_links_still_open() {
        let s = State::with_files(vec![
            ("t.yaml".into(), "Resources: {}\n".into()),
            (
                "nested/child.yaml".into(),
                "Resources: {Q: {Type: AWS::SQS::Queue}}\n".into(),
            ),
        ]);
        let back = decode(&encode(&s).expect("encodes")).expect("decodes");
        assert_eq!(back, s);
        assert_eq!(
            back.all_files(),
            vec![
                ("t.yaml", "Resources: {}\n"),
                (
                    "nested/child.yaml",
                    "Resources: {Q: {Type: AWS::SQS::Queue}}\n"
                )
            ]
        );
        // A link of one file is what it always was: no `f` in its JSON.
        let one = State::with_text("Resources: {}\n");
        let json = String::from_utf8(state_json(&one).expect("json")).expect("utf-8");
        assert!(!json.contains("\"f\""), "{json}");
        assert_eq!(
            decode(&encode(&one).expect("encodes"))
                .expect("decodes")
                .all_files()
                .len(),
            1
        );
    }

    #[test]
    fn hand_reader_agrees_with_the_derived_deserialize() {
        let derived = |j: &str| serde_json::from_str::<State>(j).map_err(|e| e.to_string());
        let hand = read::parse::<true>;
        let mut edges_with_routes = 0;
        for ex in crate::example::EXAMPLES {
            let a = crate::analyze_text(ex.text).expect("example parses");
            let mut r = a.to_report(ex.file_name);
            // exercise the optional fields the examples may not set
            if let Some(f) = r.findings.first_mut() {
                f.suppressed = Some(crate::rules::Suppression {
                    by: "pillarlint".into(),
                    reason: "accepted".into(),
                });
                f.condition = Some("IsProd".into());
            }
            edges_with_routes += r.edges.iter().filter(|e| e.route.is_some()).count();
            if let Some(n) = r.nodes.first_mut() {
                n.construct_path = Some("App/Fn".into());
                n.file = Some("nested/fn.yaml".into());
                n.stack = Some("App/Nested".into());
            }
            let mut states = vec![State::findings_only(&r), state()];
            states[0].pillars = vec![Pillar::Dos];
            states[0].min_severity = Some(Severity::High);
            states.push(State::with_files(vec![
                ("template.yaml".into(), ex.text.into()),
                ("nested/child.yaml".into(), "Resources: {}\n".into()),
            ]));
            for st in states {
                let j = serde_json::to_string(&st).expect("serialises");
                let h = hand(&j).expect("hand reader reads it");
                assert_eq!(h, st, "{}", ex.id);
                assert_eq!(derived(&j).expect("derive reads it"), h, "{}", ex.id);
            }
        }
        assert!(edges_with_routes > 0, "the examples exercise routes");
        // both refuse these (the messages differ)
        for bad in [
            r#""text""#,
            r#"{"p":["nope"]}"#,
            r#"{"s":"urgent"}"#,
            r#"{"t":5}"#,
            r#"{"r":{"nodes":[{"id":"a"}]}}"#,
            r#"{"r":{"nodes":[{"id":"a","kind":"k","label":"l","line":-1,"column":1,"type":"T"}]}}"#,
            r#"{"r":{"nodes":[{"id":"a","kind":"k","label":"l","line":4294967296,"column":1,"type":"T"}]}}"#,
            r#"{"r":{"edges":[{"from":"a","to":"b","kind":"k","label":"","route":{"method":"GET"}}]}}"#,
            r#"{"r":{"findings":[{"rule":"R","pillar":"auth","severity":"high","message":"m","remediation":"r","line":1,"column":1}]}}"#,
            r#"{"r":{"findings":{}}}"#,
            r#"{"r":{"format":"pulumi"}}"#,
            // no coercion: numbers, booleans and strings are what JSON says they are
            r#"{"t":5.5}"#,
            r#"{"t":true}"#,
            r#"{"r":{"nodes":[{"id":"a","kind":"k","label":"l","line":"1","column":1,"type":"T"}]}}"#,
            r#"{"r":{"nodes":[{"id":"a","kind":"k","label":"l","line":1.5,"column":1,"type":"T"}]}}"#,
            r#"{"r":{"nodes":[{"id":"a","kind":"k","label":"l","line":1,"column":1,"type":"T","unknown":"true"}]}}"#,
            r#"{"p":["auth",1]}"#,
            r#"{"t":"x","t":"y"}"#,
            r#"{"t":"x""#,
        ] {
            if bad.starts_with(r#"{"t":"x""#) {
                let e = hand(bad).expect_err(bad);
                assert!(e.starts_with("its JSON does not parse: "), "{e}");
                assert!(e.contains(", column "), "{e}");
            }
            assert!(derived(bad).is_err(), "derive accepts {bad}");
            let e = hand(bad).expect_err(bad);
            assert!(!e.is_empty());
        }
        // and both accept unknown fields and missing defaults
        for ok in [
            r#"{"t":"x","future":1}"#,
            r#"{"r":{}}"#,
            r#"{"t":"x","s":null}"#,
        ] {
            assert_eq!(hand(ok).expect(ok), derived(ok).expect(ok), "{ok}");
        }
    }

    /// Any text round-trips, with the characters YAML treats as line breaks or refuses as
    /// control characters (the link's JSON is read by the template loader) among them.
    #[test]
    fn any_text_round_trips() {
        let mut text = String::from("a: 1\n# comment\r\n\tb: \"q\" \\ /\u{0}\u{1}\u{1f}");
        for c in [
            '\u{7f}',
            '\u{80}',
            '\u{85}',
            '\u{9f}',
            '\u{a0}',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{10ffff}',
            'é',
            '😀',
        ] {
            text.push(c);
            text.push_str(" x ");
        }
        let s = State {
            path: Some("\u{2028}odd\u{85}name.yaml".into()),
            selected: Some("\u{7f}".into()),
            ..State::with_text(&text)
        };
        let back = decode(&encode(&s).expect("encodes")).expect("decodes");
        assert_eq!(back, s);
    }

    #[test]
    fn newer_and_unknown_versions_are_refused_clearly() {
        let frag = encode(&state()).expect("encodes");
        let v2 = frag.replacen("v1.", "v2.", 1);
        let e = decode(&v2).expect_err("v2");
        assert_eq!(e, PermalinkError::NewerVersion(2));
        assert!(e.to_string().contains("newer pillarlint (v2)"));
        assert_eq!(
            decode(&frag.replacen("v1.", "v0.", 1)),
            Err(PermalinkError::UnknownVersion(0))
        );
        assert_eq!(decode("#x1.abc"), Err(PermalinkError::NotAPermalink));
        assert_eq!(decode("#v1"), Err(PermalinkError::NotAPermalink));
        assert_eq!(decode("#vx.abc"), Err(PermalinkError::NotAPermalink));
        assert_eq!(
            decode("#v99999999999999999999.abc"),
            Err(PermalinkError::NotAPermalink)
        );
        assert_eq!(decode("https://a.b/#"), Err(PermalinkError::Empty));
        assert_eq!(decode("#v1."), Err(PermalinkError::Empty));
    }

    #[test]
    fn truncated_links_fail_without_panicking() {
        let frag = encode(&state()).expect("encodes");
        for cut in [4, 5, 10, frag.len() / 2, frag.len() - 1] {
            let e = decode(&frag[..cut]).expect_err("truncated");
            assert!(
                matches!(
                    e,
                    PermalinkError::Encoding(_)
                        | PermalinkError::Corrupt(_)
                        | PermalinkError::Invalid(_)
                ),
                "cut at {cut}: {e:?}"
            );
            // what the user reads names no decompressor internals
            let msg = e.to_string();
            assert!(
                !msg.contains("Failed") && !msg.contains("Progress") && !msg.contains("Input)"),
                "cut at {cut}: {msg}"
            );
        }
    }

    #[test]
    fn deflate_bomb_is_capped() {
        // 64 MiB of zeros deflates to ~64 KiB; it must stop at MAX_DECOMPRESSED.
        let zeros = vec![b' '; 64 * 1024 * 1024];
        let deflated = miniz_oxide::deflate::compress_to_vec(&zeros, 10);
        let payload = URL_SAFE_NO_PAD.encode(&deflated);
        assert!(payload.len() <= MAX_FRAGMENT, "{}", payload.len());
        let e = decode(&format!("#v1.{payload}")).expect_err("bomb");
        assert_eq!(
            e,
            PermalinkError::TooLarge {
                max: MAX_DECOMPRESSED
            }
        );
    }

    #[test]
    fn random_bytes_and_huge_input_give_errors() {
        // A tiny deterministic generator: no extra dependency.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in [1usize, 2, 3, 17, 100, 1000, 5000] {
            let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
            let payload = URL_SAFE_NO_PAD.encode(&bytes);
            assert!(decode(&format!("#v1.{payload}")).is_err());
            let raw = String::from_utf8_lossy(&bytes).into_owned();
            let _ = decode(&raw); // must not panic, whatever it returns
            assert!(decode(&format!("#v1.{raw}")).is_err());
        }
        // Valid deflate of something that is not a state.
        let not_state = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2]", 6));
        assert!(matches!(
            decode(&format!("v1.{not_state}")),
            Err(PermalinkError::Invalid(_))
        ));
        let empty = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"{}", 6));
        assert!(matches!(
            decode(&format!("v1.{empty}")),
            Err(PermalinkError::Invalid(_))
        ));
        let huge = format!("https://a.b/#v1.{}", "A".repeat(10 * 1024 * 1024));
        assert!(matches!(decode(&huge), Err(PermalinkError::TooLong { .. })));
    }

    #[test]
    fn encode_refuses_links_it_would_not_open() {
        let mut x: u64 = 42;
        let noise: String = (0..400_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'!' + ((x >> 33) % 90) as u8)
            })
            .collect();
        assert!(matches!(
            encode(&State::with_text(noise)),
            Err(PermalinkError::TooLong { .. })
        ));
    }

    #[test]
    fn redacts_secret_values_and_keeps_lines() {
        let src = crate::example::BOOKSTORE.text;
        let red = redact_secrets(src);
        assert!(!red.contains("SuperSecret123"), "{red}");
        assert_eq!(red.lines().count(), src.lines().count());
        assert!(red.contains("DB_PASSWORD: REDACTED"));
        assert!(red.contains("MasterUserPassword: REDACTED"));
        // Still a template with the same nodes.
        let a = crate::analyze_text(&red).expect("redacted text parses");
        let b = crate::analyze_text(src).expect("parses");
        let ids = |x: &crate::Analysis| {
            x.to_report("t")
                .nodes
                .into_iter()
                .map(|n| (n.id, n.line))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        // the Terraform twin too
        let src = include_str!("../examples/bookstore.tf");
        let red = redact_secrets(src);
        assert!(!red.contains("SuperSecret123"), "{red}");
        assert_eq!(red.lines().count(), src.lines().count());
        let a = crate::analyze_text(&red).expect("redacted HCL parses");
        let b = crate::analyze_text(src).expect("parses");
        assert_eq!(ids(&a), ids(&b));
    }

    #[test]
    fn redaction_cases() {
        let cases = [
            ("  Password: hunter2", "  Password: REDACTED"),
            ("  \"ApiKey\": \"abc123\",", "  \"ApiKey\": \"REDACTED\","),
            (
                "  client_secret: 'xyz' # note",
                "  client_secret: 'REDACTED' # note",
            ),
            (
                "  DbPassword: !Ref DbPasswordParam",
                "  DbPassword: !Ref DbPasswordParam",
            ),
            (
                "  MasterUserPassword: '{{resolve:secretsmanager:db:SecretString:password}}'",
                "  MasterUserPassword: '{{resolve:secretsmanager:db:SecretString:password}}'",
            ),
            ("  SecretName: my-app/db", "  SecretName: my-app/db"),
            ("  TokenValidityUnits: hours", "  TokenValidityUnits: hours"),
            ("  id: AKIAIOSFODNN7EXAMPLE", "  id: REDACTED"),
            (
                "  value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "  value: REDACTED",
            ),
            (
                "  Description: ServerlessDeploymentBucketPolicy",
                "  Description: ServerlessDeploymentBucketPolicy",
            ),
            ("  Handler: index.handler", "  Handler: index.handler"),
            ("  - API_TOKEN=abcdef", "  - API_TOKEN=REDACTED"),
            // HCL
            (
                "      DB_PASSWORD = \"SuperSecret123\"",
                "      DB_PASSWORD = \"REDACTED\"",
            ),
            (
                "  master_password  = \"hunter2hunter2\" # rotate me",
                "  master_password  = \"REDACTED\" # rotate me",
            ),
            (
                "  master_password = var.db_password",
                "  master_password = var.db_password",
            ),
            ("  secret_string = <<EOT", "  secret_string = <<EOT"),
            (
                "  password = \"${random_password.db.result}\"",
                "  password = \"${random_password.db.result}\"",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact_secrets(input), want, "for {input:?}");
        }
        let block = "PrivateKey: |\n  -----BEGIN KEY-----\n  abc\n\nNext: 1\n";
        assert_eq!(
            redact_secrets(block),
            "PrivateKey: |\n  REDACTED\n  REDACTED\n\nNext: 1\n"
        );
        let crlf = "Token: abc\r\nx: 1\r\n";
        assert_eq!(redact_secrets(crlf), "Token: REDACTED\r\nx: 1\r\n");
    }

    #[test]
    fn round_trips_every_corpus_template() {
        let files = crate::corpus_files();
        assert!(files.len() > 300, "corpus has {} files", files.len());
        let mut longest = 0;
        for p in files {
            let bytes = std::fs::read(&p).expect("readable");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let s = State {
                path: p.file_name().map(|n| n.to_string_lossy().into_owned()),
                pillars: vec![Pillar::Dos],
                ..State::with_text(text)
            };
            let frag = encode(&s).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            longest = longest.max(frag.len());
            assert_eq!(decode(&frag).expect("decodes"), s, "{}", p.display());
            // Findings-only links too, when the file analyses.
            if let Ok(a) = crate::analyze_bytes(&bytes) {
                let r = a.to_report("t");
                let f = State::findings_only(&r);
                let back = decode(&encode(&f).expect("encodes")).expect("decodes");
                assert_eq!(back, f, "{}", p.display());
            }
        }
        assert!(longest <= MAX_FRAGMENT + 3);
    }
}
