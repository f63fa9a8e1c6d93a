//! The user's documents, kept in `localStorage`: every text the editor shows is a document
//! of its own — the user's drafts, and each example, rule example, shared link, fetched URL
//! or opened file — so opening something never overwrites what the user typed, and their
//! draft is always one click away (the editor's *Recent* menu and its "back to" button).
//!
//! Keys: `pillarlint.docs` (the index, JSON), `pillarlint.doc.<id>` (each text),
//! `pillarlint.active` (the document shown last) and `pillarlint.draft`, which keeps the
//! text the user edited last, as it always has (the benchmark page reads it).
//!
//! Storage can fail (quota, a browser that refuses storage): every write reports it, and the
//! app shows it instead of pretending the text is safe. Documents that were only looked at
//! (an example, a link, not edited) are dropped first to make room and are capped in number;
//! a document the user edited is never dropped without their say.

use std::rc::Rc;

use pillarlint_core::value::{Node, Value};

pub const INDEX_KEY: &str = "pillarlint.docs";
pub const ACTIVE_KEY: &str = "pillarlint.active";
pub const TEXT_PREFIX: &str = "pillarlint.doc.";
/// The text the user edited last (kept under the key the app has always used).
pub const DRAFT_KEY: &str = "pillarlint.draft";

/// At most this many documents that were opened but never edited are kept.
const MAX_UNEDITED: usize = 8;

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Typed or pasted by the user in a blank document.
    Draft,
    /// A built-in example (`Example("bookstore")`).
    Example(String),
    /// A rule page's example (`Rule("AUTH001")`).
    Rule(String),
    /// A shared link (`#v1.…`).
    Link,
    /// A file opened or dropped.
    File,
    /// Fetched by `?src=`.
    Url,
    /// An app of several files: a dropped folder or `.zip`, or a link to an app
    /// (`crate::appdoc`: the text holds every file).
    App,
}

impl Origin {
    fn code(&self) -> String {
        match self {
            Origin::Draft => "draft".to_owned(),
            Origin::Example(id) => format!("example:{id}"),
            Origin::Rule(id) => format!("rule:{id}"),
            Origin::Link => "link".to_owned(),
            Origin::File => "file".to_owned(),
            Origin::Url => "url".to_owned(),
            Origin::App => "app".to_owned(),
        }
    }

    fn parse(s: &str) -> Origin {
        match s.split_once(':') {
            Some(("example", id)) => Origin::Example(id.to_owned()),
            Some(("rule", id)) => Origin::Rule(id.to_owned()),
            _ => match s {
                "link" => Origin::Link,
                "file" => Origin::File,
                "url" => Origin::Url,
                "app" => Origin::App,
                _ => Origin::Draft,
            },
        }
    }

    /// What the Recent list says about it.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::Draft => "draft",
            Origin::Example(_) => "example",
            Origin::Rule(_) => "rule example",
            Origin::Link => "shared link",
            Origin::File => "file",
            Origin::Url => "fetched URL",
            Origin::App => "app",
        }
    }
}

/// One document's description (its text is stored beside it).
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub id: Rc<str>,
    /// The file name shown, exported and shared.
    pub name: String,
    /// Named by the user or by the file it came from: the name no longer follows the text.
    pub named: bool,
    pub origin: Origin,
    /// Has the user changed the text since it was opened?
    pub edited: bool,
    /// Last change, milliseconds since 1970.
    pub updated: f64,
    /// Characters of text.
    pub size: usize,
}

impl Doc {
    /// A new document from `origin`, named `name`.
    pub fn new(origin: Origin, name: &str, named: bool, text: &str) -> Doc {
        Doc {
            id: new_id().into(),
            name: name.to_owned(),
            named,
            origin,
            edited: false,
            updated: js_sys::Date::now(),
            size: text.len(),
        }
    }

    /// Does the name follow the text (derived from its `Description` or service name)?
    /// Until the user edits an example or a link, it keeps the name it came with.
    pub fn name_follows_text(&self) -> bool {
        !self.named && (self.edited || self.origin == Origin::Draft)
    }
}

thread_local! {
    static COUNTER: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn new_id() -> String {
    let n = COUNTER.with(|c| {
        c.set(c.get().wrapping_add(1));
        c.get()
    });
    format!("d{}-{n}", js_sys::Date::now() as u64)
}

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| {
            "this browser does not let pillarlint keep text (storage is off or blocked): \
             your text stays only while this tab is open"
                .to_owned()
        })
}

/// A failed write as a message for the user.
fn write_error(e: &wasm_bindgen::JsValue) -> String {
    let name = js_sys::Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        "the browser's storage for this site is full: this text is not saved. Delete \
         documents you no longer need (Recent), or download the text"
            .to_owned()
    } else {
        format!("the browser refused to save this text ({name}): download it to keep it")
    }
}

/// Every document, the most recently changed first.
pub fn list() -> Vec<Doc> {
    let Ok(s) = storage() else {
        return Vec::new();
    };
    let raw = s.get_item(INDEX_KEY).ok().flatten().unwrap_or_default();
    let mut docs = parse_index(&raw);
    pillarlint_core::sort::sort_by(&mut docs, |a, b| {
        b.updated
            .partial_cmp(&a.updated)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    docs
}

/// The index, read by the core's loader (JSON is YAML): no second JSON reader in the bundle.
/// Entries it cannot read are skipped, never fatal.
fn parse_index(raw: &str) -> Vec<Doc> {
    let Ok(v) = pillarlint_core::parse::load(raw, &pillarlint_core::parse::Limits::default())
    else {
        return Vec::new();
    };
    let str_of = |e: &Value, k: &str| match e.get(k).map(|v| &v.node) {
        Some(Node::String(s)) => Some(s.clone()),
        _ => None,
    };
    v.as_seq()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let id = str_of(e, "id").filter(|s| !s.is_empty())?;
            Some(Doc {
                id: id.into(),
                name: str_of(e, "name").unwrap_or_else(|| "untitled.yaml".to_owned()),
                named: e.get("named").and_then(Value::as_bool).unwrap_or(false),
                origin: Origin::parse(&str_of(e, "origin").unwrap_or_default()),
                edited: e.get("edited").and_then(Value::as_bool).unwrap_or(false),
                updated: e.get("updated").and_then(Value::as_i64).unwrap_or(0) as f64,
                size: e
                    .get("size")
                    .and_then(Value::as_i64)
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0),
            })
        })
        .collect()
}

/// The index as JSON (numbers are integers, so no float formatting code comes with it).
fn index_json(docs: &[Doc]) -> String {
    let q = pillarlint_core::value::json_string;
    let items: Vec<String> = docs
        .iter()
        .map(|d| {
            format!(
                "{{\"id\":{},\"name\":{},\"named\":{},\"origin\":{},\"edited\":{},\"updated\":{},\"size\":{}}}",
                q(&d.id),
                q(&d.name),
                d.named,
                q(&d.origin.code()),
                d.edited,
                d.updated.max(0.0) as u64,
                d.size
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// The text of document `id`.
pub fn text(id: &str) -> Option<String> {
    storage()
        .ok()?
        .get_item(&format!("{TEXT_PREFIX}{id}"))
        .ok()
        .flatten()
}

/// Save `doc` with `text` and make it the active document. On a full storage, documents
/// that were only looked at are dropped (oldest first) and the write is tried again.
pub fn save(doc: &Doc, text: &str) -> Result<(), String> {
    let s = storage()?;
    let mut docs = list();
    let mut entry = doc.clone();
    entry.size = text.len();
    docs.retain(|d| d.id != doc.id);
    docs.insert(0, entry);
    // cap what was only looked at: the oldest beyond the limit go
    let mut unedited = 0;
    let mut dropped: Vec<Rc<str>> = Vec::new();
    docs.retain(|d| {
        if d.edited || d.id == doc.id {
            return true;
        }
        unedited += 1;
        if unedited > MAX_UNEDITED {
            dropped.push(d.id.clone());
            return false;
        }
        true
    });
    for id in &dropped {
        let _ = s.remove_item(&format!("{TEXT_PREFIX}{id}"));
    }
    let key = format!("{TEXT_PREFIX}{}", doc.id);
    let mut attempt = s.set_item(&key, text);
    while let Err(e) = &attempt {
        // make room: drop the oldest document nobody edited, if any, and try again
        let Some(pos) = docs.iter().rposition(|d| !d.edited && d.id != doc.id) else {
            return Err(write_error(e));
        };
        let gone = docs.remove(pos);
        let _ = s.remove_item(&format!("{TEXT_PREFIX}{}", gone.id));
        attempt = s.set_item(&key, text);
    }
    s.set_item(INDEX_KEY, &index_json(&docs))
        .map_err(|e| write_error(&e))?;
    let _ = s.set_item(ACTIVE_KEY, &doc.id);
    if doc.edited {
        s.set_item(DRAFT_KEY, text).map_err(|e| write_error(&e))?;
    }
    Ok(())
}

/// Make `id` the document shown at the next start.
pub fn set_active(id: &str) {
    if let Ok(s) = storage() {
        let _ = s.set_item(ACTIVE_KEY, id);
    }
}

/// The document shown last, with its text.
pub fn active() -> Option<(Doc, String)> {
    let s = storage().ok()?;
    let id = s.get_item(ACTIVE_KEY).ok().flatten()?;
    let doc = list().into_iter().find(|d| *d.id == *id)?;
    let text = text(&id)?;
    Some((doc, text))
}

/// Delete a document and its text.
pub fn remove(id: &str) {
    let Ok(s) = storage() else { return };
    let docs: Vec<Doc> = list().into_iter().filter(|d| &*d.id != id).collect();
    let _ = s.remove_item(&format!("{TEXT_PREFIX}{id}"));
    let _ = s.set_item(INDEX_KEY, &index_json(&docs));
}

/// A document that was opened before and never edited, with the same origin and text:
/// opening the same example or link again returns to it instead of adding a copy.
pub fn find_unedited(origin: &Origin, text: &str) -> Option<Doc> {
    list().into_iter().find(|d| {
        !d.edited
            && d.origin == *origin
            && d.size == text.len()
            && self::text(&d.id).as_deref() == Some(text)
    })
}

/// The action that opens `text` from `origin`: the document opened from there before when
/// it was never edited, else a new one named `name` (`named`: the name stays, as a file's).
pub fn open_action(origin: Origin, name: &str, named: bool, text: String) -> crate::state::Action {
    let doc = find_unedited(&origin, &text).unwrap_or_else(|| Doc::new(origin, name, named, &text));
    crate::state::Action::Open { doc, text }
}

/// Browsers that kept only the single draft of earlier versions: it becomes a document.
pub fn migrate() {
    let Ok(s) = storage() else { return };
    if s.get_item(INDEX_KEY).ok().flatten().is_some() {
        return;
    }
    let Some(draft) = s
        .get_item(DRAFT_KEY)
        .ok()
        .flatten()
        .filter(|t| !t.trim().is_empty())
    else {
        return;
    };
    let mut doc = Doc::new(Origin::Draft, "untitled.yaml", false, &draft);
    doc.edited = true;
    if let Some(name) = pillarlint_core::analyze_text(&draft)
        .ok()
        .and_then(|a| derived_name(&a, &draft))
    {
        doc.name = name;
    }
    let _ = save(&doc, &draft);
}

/// A file name from the template itself: its `Description` (CloudFormation, SAM) or its
/// service name (Serverless Framework). `None` when it has neither; Terraform is
/// `untitled.tf` (`.tf.json`, `.tfplan.json`).
pub fn derived_name(a: &pillarlint_core::Analysis, text: &str) -> Option<String> {
    use pillarlint_core::parse::Format;
    let root = &a.template.root;
    let json = text.trim_start().starts_with('{');
    let ext = if json { "json" } else { "yaml" };
    match a.format() {
        Format::Serverless => {
            let service = root.get("service")?;
            let name = service
                .as_str()
                .or_else(|| service.get("name").and_then(Value::as_str))?;
            let slug = slug(name, 48)?;
            Some(if json {
                format!("{slug}.serverless.json")
            } else {
                format!("{slug}.serverless.yml")
            })
        }
        Format::CloudFormation | Format::Sam => {
            let d = root.get("Description")?.as_str()?;
            // the first clause: descriptions are often whole paragraphs
            let first = d.split(['.', ':', ';', '(', '\n', '—']).next().unwrap_or(d);
            let words: Vec<&str> = first
                .split_whitespace()
                .filter(|w| !["the", "a", "an"].contains(&w.to_ascii_lowercase().as_str()))
                .collect();
            let slug = slug(&words.join(" "), 36)?;
            let kind = if a.format() == Format::Sam {
                "sam."
            } else {
                ""
            };
            Some(format!("{slug}.{kind}{ext}"))
        }
        // no name of its own: only the extension says it is Terraform
        Format::Terraform => Some(
            if json {
                "untitled.tf.json"
            } else {
                "untitled.tf"
            }
            .to_owned(),
        ),
        Format::TerraformPlan => Some("untitled.tfplan.json".to_owned()),
    }
}

/// Lowercase ASCII letters and digits joined by `-`, at most `max` characters, cut at a
/// word boundary.
fn slug(s: &str, max: usize) -> Option<String> {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() && out.len() + 1 + word.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().take(max).map(|c| c.to_ascii_lowercase()));
    }
    (!out.is_empty()).then_some(out)
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
pub fn ago(then: f64, now: f64) -> String {
    let s = ((now - then) / 1000.0).max(0.0) as u64;
    match s {
        0..=59 => "just now".to_owned(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => {
            let d = s / 86_400;
            format!("{d} day{} ago", if d == 1 { "" } else { "s" })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(text: &str) -> Option<String> {
        let a = pillarlint_core::analyze_text(text).expect("analyses");
        derived_name(&a, text)
    }

    #[test]
    fn names_come_from_the_template() {
        assert_eq!(
            name_of(pillarlint_core::example::BOOKSTORE.text).as_deref(),
            Some("bookstore-crud-service-from.sam.yaml")
        );
        assert_eq!(
            name_of("service: todo-api\nprovider: {name: aws}\nfunctions: {}\n").as_deref(),
            Some("todo-api.serverless.yml")
        );
        assert_eq!(
            name_of("{\"Description\": \"Orders API. More text\", \"Resources\": {}}").as_deref(),
            Some("orders-api.json")
        );
        assert_eq!(name_of("Resources: {}\n"), None);
        assert_eq!(name_of("Description: '!!!'\nResources: {}\n"), None);
    }

    #[test]
    fn slugs_are_short_and_safe() {
        assert_eq!(
            slug("Hello, World <script>", 48).as_deref(),
            Some("hello-world-script")
        );
        assert_eq!(
            slug("a".repeat(100).as_str(), 10).as_deref(),
            Some("aaaaaaaaaa")
        );
        assert_eq!(slug("one two three four", 9).as_deref(), Some("one-two"));
        assert_eq!(slug("日本", 10), None);
    }

    #[test]
    fn index_round_trips_and_tolerates_damage() {
        let docs = vec![
            Doc {
                id: "d1-1".into(),
                name: "my \"odd\" name\n.yaml".into(),
                named: true,
                origin: Origin::Example("orders".into()),
                edited: true,
                updated: 1_765_000_000_123.0,
                size: 42,
            },
            Doc {
                id: "d2-2".into(),
                name: "true".into(),
                named: false,
                origin: Origin::Rule("AUTH001".into()),
                edited: false,
                updated: 5.0,
                size: 0,
            },
        ];
        assert_eq!(parse_index(&index_json(&docs)), docs);
        assert!(parse_index("").is_empty());
        assert!(parse_index("{not json").is_empty());
        assert_eq!(
            parse_index("[{\"name\": \"no id\"}, 3, {\"id\": \"x\"}]").len(),
            1
        );
        for o in [
            Origin::Draft,
            Origin::Link,
            Origin::File,
            Origin::Url,
            Origin::App,
            Origin::Example("todo".into()),
        ] {
            assert_eq!(Origin::parse(&o.code()), o);
        }
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(ago(0.0, 5_000.0), "just now");
        assert_eq!(ago(0.0, 300_000.0), "5 min ago");
        assert_eq!(ago(0.0, 7_200_000.0), "2 h ago");
        assert_eq!(ago(0.0, 86_400_000.0), "1 day ago");
        assert_eq!(ago(10.0, 0.0), "just now");
    }
}
