//! Permalinks in the app: which link the page was opened with, the state it carries, and
//! the links the share dialog makes. A shared template opens as a document of its own
//! (`crate::documents`), so it never overwrites the user's draft. The codec itself is
//! `pillarlint_core::permalink`.

use std::rc::Rc;

use pillarlint_core::diagram::present::Options as Shown;
use pillarlint_core::diagram::{owners, Filter, LayoutInput};
use pillarlint_core::permalink::{self, PermalinkError, State};
use pillarlint_core::report::FileReport;
use pillarlint_core::rules::{Pillar, Severity};

use crate::state::{analyse, AppState, Selection, View};

/// How the page was opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// No link: the user's draft or the example.
    Plain,
    /// `index.html#v1.…` (or anything in the fragment that is not a known route).
    App(Result<State, PermalinkError>),
    /// `embed.html#v1.…` or `index.html#/embed/v1.…`.
    Embed(Result<State, PermalinkError>),
}

/// The page's `(pathname, hash, search)`.
pub fn location() -> (String, String, String) {
    let Some(l) = web_sys::window().map(|w| w.location()) else {
        return Default::default();
    };
    (
        l.pathname().unwrap_or_default(),
        l.hash().unwrap_or_default(),
        l.search().unwrap_or_default(),
    )
}

/// The page's URL without fragment or query (where links point).
pub fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| permalink::page_url(&h, false))
        .unwrap_or_default()
}

/// Is this the embed page (`…/embed.html`)?
pub fn is_embed_path(pathname: &str) -> bool {
    pathname.rsplit('/').next() == Some(permalink::EMBED_PAGE)
}

/// Is the fragment an embed route (`#/embed/…`)?
pub fn is_embed_hash(hash: &str) -> bool {
    let h = hash.trim_start_matches('#');
    h.starts_with("/embed/") || h.starts_with("embed/") || h == "/embed"
}

/// Fragments the app itself uses as routes (everything else is taken for a link): `#/…`
/// routes other than `#/v1.…`, and the bare route names.
pub fn is_app_route(hash: &str) -> bool {
    let h = hash.trim_start_matches('#');
    if let Some(rest) = h.strip_prefix('/') {
        return !looks_versioned(rest);
    }
    h.is_empty()
        || ["rules", "bench"].contains(&h)
        || h.starts_with("rules/")
        || h.starts_with("example/")
}

/// `v1.…`, `v23.…`: a permalink payload.
fn looks_versioned(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// Classify a location.
pub fn classify(pathname: &str, hash: &str) -> Opened {
    if is_embed_path(pathname) || is_embed_hash(hash) {
        return Opened::Embed(decode(hash));
    }
    if is_app_route(hash) {
        return Opened::Plain;
    }
    Opened::App(decode(hash))
}

/// The first bundle only opens templates: a findings-only link is handed on to the full app
/// (web/src/app.rs), which reads its analysis (`permalink::decode_text`).
fn decode(hash: &str) -> Result<State, PermalinkError> {
    if cfg!(feature = "full") {
        permalink::decode(hash)
    } else {
        permalink::decode_text(hash)
    }
}

/// How the current page was opened.
pub fn opened() -> Opened {
    let (path, hash, _) = location();
    classify(&path, &hash)
}

/// The `src` query parameter (`?src=<url>`), when present.
pub fn src_param() -> Option<String> {
    let (_, _, search) = location();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("src").filter(|s| !s.trim().is_empty())
}

/// The view filter a link asks for.
pub fn filter_of(s: &State) -> Filter {
    let mut f = Filter::default();
    if !s.pillars.is_empty() {
        f.pillars = s.pillars.iter().copied().collect();
    }
    if let Some(sev) = s.min_severity {
        f.min_severity = sev;
    }
    f
}

/// The analysis a link carries: the template analysed here, or the findings-only snapshot
/// laid out as it is. `Err` is a message for the user.
pub fn view_of(s: &State) -> Result<Rc<View>, String> {
    let name = s.path.as_deref().unwrap_or("template.yaml");
    if !s.files.is_empty() && s.text.is_some() {
        return app_view_of(s);
    }
    if let Some(text) = &s.text {
        return analyse(text, Some(name), &Shown::default())
            .map_err(|e| format!("line {}:{}: {}", e.line, e.column, e.message));
    }
    let snap = s
        .snapshot
        .as_ref()
        .ok_or_else(|| "the link carries no analysis".to_owned())?;
    let report = FileReport {
        path: name.to_owned(),
        format: snap.format,
        error: None,
        nodes: snap.nodes.clone(),
        edges: snap.edges.clone(),
        findings: snap.findings.clone(),
        warnings: Vec::new(),
    };
    let owner = owners(&report, None);
    let mut input = LayoutInput::from_report(&report, &owner);
    input.paths = pillarlint_core::diagram::present::paths_from_edges(&report);
    Ok(View::new(
        Rc::new(report),
        Rc::new(input),
        Rc::new(owner),
        &Shown::default(),
        0.0,
    ))
}

/// The app a link carries, analysed as one.
#[cfg(feature = "apps")]
fn app_view_of(s: &State) -> Result<Rc<View>, String> {
    let files: Vec<(String, Rc<str>)> = s
        .all_files()
        .into_iter()
        .map(|(p, t)| (p.to_owned(), Rc::from(t)))
        .collect();
    crate::state::analyse_app(&files, &Shown::default(), None)
        .map_err(|e| format!("line {}:{}: {}", e.line, e.column, e.message))
}

#[cfg(not(feature = "apps"))]
fn app_view_of(_: &State) -> Result<Rc<View>, String> {
    Err(
        "this page does not read apps of several files: open the link in pillarlint's app"
            .to_owned(),
    )
}

/// Options of the share dialog.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareOptions {
    pub findings_only: bool,
    pub redact: bool,
}

/// The state to share from the app.
pub fn state_of(app: &AppState, opts: ShareOptions) -> Option<State> {
    let files = app.files.as_ref().map(|f| {
        f.iter()
            .map(|(p, t)| (p.clone(), t.to_string()))
            .collect::<Vec<_>>()
    });
    let mut s = if opts.findings_only {
        State::findings_only(&app.view.as_ref()?.report)
    } else if let Some(files) = files.clone() {
        // an app: every file it reads (the share bundle holds them as the link had them)
        State::with_files(
            files
                .into_iter()
                .map(|(p, t)| {
                    let t = if opts.redact {
                        permalink::redact_secrets(&t)
                    } else {
                        t
                    };
                    (p, t)
                })
                .collect(),
        )
    } else if opts.redact {
        State::with_text(permalink::redact_secrets(&app.text))
    } else {
        State::with_text(app.text.to_string())
    };
    if files.is_none() || opts.findings_only {
        s.path = Some(app.file_name().to_owned());
    }
    if app.filter.pillars.len() < Pillar::ALL.len() {
        s.pillars = app.filter.pillars.iter().copied().collect();
    }
    if app.filter.min_severity != Severity::Low {
        s.min_severity = Some(app.filter.min_severity);
    }
    s.selected = match (&app.selection, &app.view) {
        (Selection::Node(id), _) => Some(id.clone()),
        (Selection::Finding(i), Some(v)) => v.report.findings.get(*i).and_then(|f| v.node_of(f)),
        _ => None,
    };
    Some(s)
}

/// The app link and the embed link for a state. The JSON is compressed by the browser
/// (`CompressionStream("deflate-raw")`), not by core's compressor, which the app's bundle
/// then leaves out; `permalink::decode` reads either.
pub async fn links(state: &State) -> Result<(String, String), String> {
    let json = permalink::state_json(state).map_err(|e| e.to_string())?;
    let deflated = deflate_raw(&json).await?;
    let fragment = permalink::fragment_of(&deflated).map_err(|e| e.to_string())?;
    let base = page_base();
    Ok((
        permalink::link_to(&fragment, &base, false),
        permalink::link_to(&fragment, &base, true),
    ))
}

// The few Streams API calls `deflate_raw` needs, bound directly (web-sys has
// `CompressionStream` only behind its unstable-APIs cfg).
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, wasm_bindgen::JsValue>;

    #[wasm_bindgen(js_name = Blob)]
    type ByteBlob;
    #[wasm_bindgen(constructor, js_class = "Blob", catch)]
    fn new(parts: &js_sys::Array) -> Result<ByteBlob, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, js_class = "Blob")]
    fn stream(this: &ByteBlob) -> ByteStream;

    type ByteStream;
    #[wasm_bindgen(method, catch, js_name = pipeThrough)]
    fn pipe_through(
        this: &ByteStream,
        through: &CompressionStream,
    ) -> Result<ByteStream, wasm_bindgen::JsValue>;

    #[wasm_bindgen(js_name = Response)]
    type StreamResponse;
    #[wasm_bindgen(constructor, js_class = "Response", catch)]
    fn from_stream(body: &ByteStream) -> Result<StreamResponse, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, catch, js_class = "Response", js_name = arrayBuffer)]
    fn array_buffer(this: &StreamResponse) -> Result<js_sys::Promise, wasm_bindgen::JsValue>;
}

/// Raw DEFLATE by the browser's `CompressionStream` (Chromium 103+, Firefox 113+,
/// Safari 16.4+): `new Response(new Blob([data]).stream().pipeThrough(cs)).arrayBuffer()`.
async fn deflate_raw(data: &[u8]) -> Result<Vec<u8>, String> {
    let fail = |_| "this browser cannot compress the link (no CompressionStream)".to_owned();
    let cs = CompressionStream::new("deflate-raw").map_err(fail)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(data));
    let body = ByteBlob::new(&parts)
        .and_then(|b| b.stream().pipe_through(&cs))
        .map_err(fail)?;
    let read = StreamResponse::from_stream(&body)
        .and_then(|r| r.array_buffer())
        .map_err(fail)?;
    let buf = wasm_bindgen_futures::JsFuture::from(read)
        .await
        .map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The `<iframe>` to paste into docs.
pub fn iframe_snippet(embed_url: &str, name: &str) -> String {
    let esc = pillarlint_core::diagram::svg::esc;
    format!(
        "<iframe src=\"{}\" title=\"pillarlint: {} service diagram\" width=\"100%\" height=\"480\" loading=\"lazy\" referrerpolicy=\"no-referrer\" style=\"border:0;max-width:100%\"></iframe>",
        esc(embed_url),
        esc(name)
    )
}

/// The fragment payload (`v1.…`) in a hash such as `#/embed/v1.…`.
pub fn payload_of(hash: &str) -> &str {
    let h = hash.trim_start_matches('#');
    h.strip_prefix("/embed/")
        .or_else(|| h.strip_prefix("embed/"))
        .or_else(|| h.strip_prefix('/'))
        .unwrap_or(h)
}

/// Largest template accepted from `?src=`.
pub const MAX_SRC_BYTES: usize = 2 * 1024 * 1024;

/// Fetch a template named by `?src=` from the browser. Only http(s) URLs; the error says
/// plainly when the browser refused (CORS, or the page's `connect-src 'self'` policy).
pub async fn fetch_src(src: &str) -> Result<(String, String), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let here = window.location().href().unwrap_or_default();
    let url =
        web_sys::Url::new_with_base(src, &here).map_err(|_| format!("`{src}` is not a URL"))?;
    if url.protocol() != "https:" && url.protocol() != "http:" {
        return Err(format!(
            "only http(s) URLs can be fetched, not `{}`",
            url.protocol()
        ));
    }
    let href = url.href();
    let name = url
        .pathname()
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("template.yaml")
        .to_owned();
    let resp = JsFuture::from(window.fetch_with_str(&href))
        .await
        .map_err(|_| {
            let same = url.origin() == window.location().origin().unwrap_or_default();
            if same {
                format!("could not fetch {href}: the request failed (is the file there?)")
            } else {
                format!(
                "could not fetch {href}: the browser blocked it. pillarlint loads templates only \
                 from its own site (Content-Security-Policy connect-src 'self') and other sites \
                 must allow it through CORS. Download the file and open or paste it instead."
            )
            }
        })?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_owned())?;
    if !resp.ok() {
        return Err(format!("could not fetch {href}: HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|_| "unreadable response".to_owned())?)
        .await
        .map_err(|_| "unreadable response".to_owned())?
        .as_string()
        .unwrap_or_default();
    if text.len() > MAX_SRC_BYTES {
        return Err(format!(
            "{href} is {} bytes; at most {MAX_SRC_BYTES} are accepted",
            text.len()
        ));
    }
    Ok((text, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_locations() {
        assert_eq!(classify("/index.html", ""), Opened::Plain);
        assert_eq!(classify("/", "#/rules/AUTH001"), Opened::Plain);
        assert_eq!(classify("/", "#/example/bookstore"), Opened::Plain);
        assert_eq!(classify("/", "#/bench"), Opened::Plain);
        assert_eq!(classify("/", "#/some-future-route"), Opened::Plain);
        assert!(matches!(classify("/", "#/v1.AAAA"), Opened::App(Err(_))));
        assert!(matches!(classify("/", "#v1.AAAA"), Opened::App(Err(_))));
        assert!(matches!(classify("/", "#garbage"), Opened::App(Err(_))));
        assert!(matches!(
            classify("/x/embed.html", "#v1.AAAA"),
            Opened::Embed(Err(_))
        ));
        assert!(matches!(
            classify("/", "#/embed/v1.AAAA"),
            Opened::Embed(Err(_))
        ));
        let link = permalink::link(&State::with_text("Resources: {}\n"), "/", true).expect("link");
        let (path, hash) = link.split_once('#').expect("a fragment");
        assert!(matches!(
            classify(&format!("/{path}"), &format!("#{hash}")),
            Opened::Embed(Ok(_))
        ));
        assert_eq!(payload_of("#/embed/v1.abc"), "v1.abc");
        assert_eq!(payload_of("#v1.abc"), "v1.abc");
    }

    #[test]
    fn snippet_escapes_and_is_lazy() {
        let s = iframe_snippet("https://x/embed.html#v1.a\"b", "<t>");
        assert!(s.contains("loading=\"lazy\""));
        assert!(s.contains("title=\"pillarlint: &lt;t&gt; service diagram\""));
        assert!(s.contains("a&quot;b"));
    }
}
