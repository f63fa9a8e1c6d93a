//! `${file(path)}` and `${file(path):address}`: parts of a service kept in other files
//! (`resources: ${file(resources.yml)}`, `functions: - ${file(fns/users.yml)}`), read when the
//! app's files are at hand ([`crate::app`]). The included value keeps the positions of its
//! own file, so a resource declared in `resources.yml` is reported there.
//!
//! Included files may include others (paths relative to themselves). Lists of maps under
//! `functions` and `resources` are merged as the Framework merges them. What cannot be read
//! (a missing file, JavaScript, a variable in the path) is left as written: the variable pass
//! reports it.

use crate::span::Span;
use crate::value::{Node, Value};

use super::mk;

/// Deepest chain of files including files.
const MAX_DEPTH: usize = 16;

/// Reads an included file: `(including file's path, path as written)` → the file's path in
/// the app and its loaded content, or why it cannot be read.
pub type Loader<'a> = dyn FnMut(&str, &str) -> Result<(String, Value), String> + 'a;

/// Replace the `${file(...)}` variables of a service (`root`, read from `path`) by what they
/// name; returns diagnostics.
pub fn include_files(root: &mut Value, path: &str, load: &mut Loader<'_>) -> Vec<(String, Span)> {
    let mut cx = Includes {
        load,
        chain: vec![path.to_owned()],
        diags: Vec::new(),
        found: false,
    };
    cx.value(root, path);
    if cx.found {
        for key in ["functions", "resources"] {
            merge_list(root, key);
        }
    }
    cx.diags
}

struct Includes<'l, 'a> {
    load: &'l mut Loader<'a>,
    chain: Vec<String>,
    diags: Vec<(String, Span)>,
    found: bool,
}

impl Includes<'_, '_> {
    fn value(&mut self, v: &mut Value, from: &str) {
        match &mut v.node {
            Node::String(text) if text.contains("${file(") => {
                let text = text.clone();
                if let Some(new) = self.string(&text, v.span, from) {
                    *v = new;
                }
            }
            Node::Seq(items) => items.iter_mut().for_each(|x| self.value(x, from)),
            Node::Map(entries) => entries.iter_mut().for_each(|(_, x)| self.value(x, from)),
            _ => {}
        }
    }

    /// The value of a string holding `${file(...)}`: the included value when the string is
    /// exactly the variable, else the string with scalar includes substituted.
    fn string(&mut self, text: &str, span: Span, from: &str) -> Option<Value> {
        let mut out = String::new();
        let mut rest = text;
        let mut changed = false;
        while let Some(i) = rest.find("${file(") {
            let Some(end) = closing_brace(&rest[i..]) else {
                break;
            };
            let inner = &rest[i + 2..i + end];
            let whole = i == 0 && i + end + 1 == rest.len() && out.is_empty();
            out.push_str(&rest[..i]);
            match self.variable(inner, span, from) {
                Some(v) if whole => return Some(v),
                Some(v) => match v.as_str() {
                    Some(s) => {
                        out.push_str(s);
                        changed = true;
                    }
                    None => out.push_str(&rest[i..=i + end]),
                },
                None => out.push_str(&rest[i..=i + end]),
            }
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        changed.then(|| Value::string(out, span))
    }

    /// `file(path)` or `file(path):address`, with an optional fallback after a comma.
    fn variable(&mut self, inner: &str, span: Span, from: &str) -> Option<Value> {
        let call = inner.strip_prefix("file(")?;
        let close = call.find(')')?;
        let raw = call[..close].trim().trim_matches(|c| c == '\'' || c == '"');
        let after = call[close + 1..].trim_start();
        let address = match after.strip_prefix(':') {
            Some(a) => a.split(',').next().unwrap_or("").trim(),
            None => "",
        };
        let lower = raw.to_ascii_lowercase();
        if raw.is_empty()
            || raw.contains("${")
            || address.contains("${")
            || !(lower.ends_with(".yml") || lower.ends_with(".yaml") || lower.ends_with(".json"))
        {
            return None;
        }
        if self.chain.len() > MAX_DEPTH {
            self.diags.push((
                format!("`${{{inner}}}`: files include each other too deeply; not read"),
                span,
            ));
            return None;
        }
        let (path, mut content) = match (self.load)(from, raw) {
            Ok(x) => x,
            Err(why) => {
                self.diags
                    .push((format!("`${{{inner}}}` is not read: {why}"), span));
                return None;
            }
        };
        if self.chain.contains(&path) {
            self.diags.push((
                format!("`${{{inner}}}` includes {path}, which includes this file again; not read"),
                span,
            ));
            return None;
        }
        self.found = true;
        self.chain.push(path.clone());
        self.value(&mut content, &path);
        self.chain.pop();
        if address.is_empty() {
            return Some(content);
        }
        let mut cur = &content;
        for key in address.split('.') {
            match cur.get(key) {
                Some(next) => cur = next,
                None => {
                    self.diags.push((
                        format!("`${{{inner}}}`: {path} has no `{address}`; kept as written"),
                        span,
                    ));
                    return None;
                }
            }
        }
        Some(cur.clone())
    }
}

/// The index of the `}` closing the `${` at the start of `s`.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `key: [ {…}, {…} ]` → one map, later entries merged over earlier ones (the Framework's
/// rule for `functions` and `resources` given as lists, usually of included files).
fn merge_list(root: &mut Value, key: &str) {
    let Some(list) = mk::get_mut(root, key) else {
        return;
    };
    let Node::Seq(items) = &list.node else {
        return;
    };
    if items.is_empty() || items.iter().any(|x| x.as_map().is_none()) {
        return;
    }
    let mut merged = mk::empty(list.span);
    for item in items {
        mk::deep_merge(&mut merged, item);
    }
    *list = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, file: u16) -> Value {
        let mut v = crate::parse::load(text, &crate::parse::Limits::default()).expect("yaml");
        v.set_file(file);
        v
    }

    #[test]
    fn includes_whole_values_addresses_and_lists() {
        let mut root = load(
            "service: s\nprovider: {name: aws}\nfunctions:\n  - ${file(fns/a.yml)}\n  - ${file(fns/b.yml)}\nresources: ${file(res.yml)}\ncustom:\n  table: ${file(res.yml):Resources.Table.Properties.TableName}\n  name: orders-${file(res.yml):Name}\n  js: ${file(config.js):x}\n  missing: ${file(nope.yml)}\n",
            0,
        );
        let mut load_file = |from: &str, rel: &str| -> Result<(String, Value), String> {
            let path = crate::app::paths::join(crate::app::paths::dir_of(from), rel);
            match path.as_str() {
                "fns/a.yml" => Ok((path, load("a:\n  handler: a.h\n", 1))),
                "fns/b.yml" => Ok((path, load("b:\n  handler: ${file(../shared.yml):handler}\n", 2))),
                "shared.yml" => Ok((path, load("handler: shared.h\n", 3))),
                "res.yml" => Ok((
                    path,
                    load("Name: x\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties: {TableName: books}\n", 4),
                )),
                _ => Err(format!("{path} is not among the files")),
            }
        };
        let diags = include_files(&mut root, "serverless.yml", &mut load_file);
        let fns = root.get("functions").expect("functions");
        assert_eq!(
            fns.get_path(&["a", "handler"]).and_then(Value::as_str),
            Some("a.h")
        );
        let b = fns.get_path(&["b", "handler"]).expect("b");
        assert_eq!(
            b.as_str(),
            Some("shared.h"),
            "an included file's own includes are relative to it"
        );
        assert_eq!(b.span.file(), 3);
        let table = root
            .get_path(&["resources", "Resources", "Table"])
            .expect("table");
        assert_eq!(
            table.span.file(),
            4,
            "included resources keep their file's positions"
        );
        assert_eq!(
            root.get_path(&["custom", "table"]).and_then(Value::as_str),
            Some("books")
        );
        assert_eq!(
            root.get_path(&["custom", "name"]).and_then(Value::as_str),
            Some("orders-x")
        );
        assert_eq!(
            root.get_path(&["custom", "js"]).and_then(Value::as_str),
            Some("${file(config.js):x}"),
            "JavaScript is never run"
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0].0.contains("nope.yml is not among the files"),
            "{diags:?}"
        );
    }

    #[test]
    fn a_file_including_itself_stops() {
        let mut root = load(
            "service: s\nprovider: {name: aws}\ncustom: ${file(a.yml)}\n",
            0,
        );
        let mut load_file = |_: &str, rel: &str| -> Result<(String, Value), String> {
            Ok((rel.to_owned(), load("x: ${file(a.yml)}\n", 1)))
        };
        let diags = include_files(&mut root, "serverless.yml", &mut load_file);
        assert!(
            diags
                .iter()
                .any(|(m, _)| m.contains("includes this file again")),
            "{diags:?}"
        );
    }
}
