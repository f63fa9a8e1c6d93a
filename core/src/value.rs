//! The marked value tree: what YAML and JSON templates both load into.
//!
//! Every node and every map key carries the [`Span`] it came from. Short-form YAML tags
//! (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) are already rewritten to their long JSON forms
//! (`{"Ref": "X"}`, `{"Fn::GetAtt": ...}`), and the key of that one-entry map carries the
//! tag's own position. Paths (`/Resources/Fn/Properties/...`) are derived on demand with
//! [`Value::walk`] or kept by callers as they descend, instead of being stored on each node.

use crate::span::Span;

/// A map key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// A YAML/JSON value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub node: Node,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// Numbers keep their source text: CloudFormation treats most of them as strings.
    Number(String),
    String(String),
    Seq(Vec<Value>),
    Map(Vec<(Key, Value)>),
}

static NULL: Value = Value {
    node: Node::Null,
    span: Span::point(crate::span::START),
};

impl Value {
    pub fn new(node: Node, span: Span) -> Self {
        Self { node, span }
    }

    pub fn string(s: impl Into<String>, span: Span) -> Self {
        Self::new(Node::String(s.into()), span)
    }

    pub fn null() -> &'static Value {
        &NULL
    }

    /// A one-entry map `{name: value}`, as the short-form tags produce.
    pub fn single(name: &str, key_span: Span, value: Value) -> Self {
        let span = key_span.cover(value.span);
        Self::new(
            Node::Map(vec![(
                Key {
                    name: name.to_owned(),
                    span: key_span,
                },
                value,
            )]),
            span,
        )
    }

    pub fn is_null(&self) -> bool {
        matches!(self.node, Node::Null)
    }

    /// The scalar as text: strings, numbers and booleans (CloudFormation coerces them).
    pub fn as_str(&self) -> Option<&str> {
        match &self.node {
            Node::String(s) | Node::Number(s) => Some(s),
            Node::Bool(true) => Some("true"),
            Node::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// A boolean, accepting CloudFormation's string spellings (`"true"`, `"False"`).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.node {
            Node::Bool(b) => Some(*b),
            Node::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.node {
            Node::Number(s) | Node::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.node {
            Node::Number(s) | Node::String(s) => parse_number(s.trim()),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.node {
            Node::Seq(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Value)]> {
        match &self.node {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value under `key` in a map (exact, case-sensitive: CloudFormation is).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key and value under `key` in a map.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Value)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }

    /// Follow a chain of map keys.
    pub fn get_path(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(self, |v, k| v.get(k))
    }

    /// Items of a list; a single non-list value counts as a one-item list
    /// (IAM `Action: "s3:GetObject"` and `Action: ["s3:GetObject"]` mean the same).
    pub fn items(&self) -> Vec<&Value> {
        match &self.node {
            Node::Seq(v) => v.iter().collect(),
            Node::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// If this is an intrinsic function (`{"Ref": ..}`, `{"Fn::X": ..}`, `{"Condition": ..}`
    /// as a single-key map), its name and argument.
    pub fn intrinsic(&self) -> Option<(&str, &Value)> {
        match &self.node {
            Node::Map(m) if m.len() == 1 => {
                let (k, v) = &m[0];
                let n = k.name.as_str();
                (n == "Ref" || n.starts_with("Fn::") || n == "Condition").then_some((n, v))
            }
            _ => None,
        }
    }

    /// Visit every value with its JSON-pointer-like path (`/Resources/Fn/Properties`).
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&str, &'a Value)) {
        let mut path = String::new();
        self.walk_inner(&mut path, f);
    }

    fn walk_inner<'a>(&'a self, path: &mut String, f: &mut dyn FnMut(&str, &'a Value)) {
        f(path, self);
        let len = path.len();
        match &self.node {
            Node::Seq(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push('/');
                    path.push_str(&i.to_string());
                    v.walk_inner(path, f);
                    path.truncate(len);
                }
            }
            Node::Map(entries) => {
                for (k, v) in entries {
                    path.push('/');
                    path.push_str(&k.name.replace('~', "~0").replace('/', "~1"));
                    v.walk_inner(path, f);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// Mark every position in the tree as belonging to file `file` of an app (see
    /// [`Span::file`]).
    pub fn set_file(&mut self, file: u16) {
        self.span = self.span.in_file(file);
        match &mut self.node {
            Node::Seq(items) => items.iter_mut().for_each(|v| v.set_file(file)),
            Node::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.span = k.span.in_file(file);
                v.set_file(file);
            }),
            _ => {}
        }
    }

    /// Number of nodes in the tree (for limits and benchmarks).
    pub fn count(&self) -> usize {
        match &self.node {
            Node::Seq(items) => 1 + items.iter().map(Value::count).sum::<usize>(),
            Node::Map(entries) => 1 + entries.iter().map(|(_, v)| v.count()).sum::<usize>(),
            _ => 1,
        }
    }

    /// Convert to plain JSON (for exports and tests).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.node {
            Node::Null => serde_json::Value::Null,
            Node::Bool(b) => serde_json::Value::Bool(*b),
            Node::Number(s) => s
                .parse::<serde_json::Number>()
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(s.clone())),
            Node::String(s) => serde_json::Value::String(s.clone()),
            Node::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Node::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A decimal number (`-12`, `3.5`, `1e3`, `.5`, `+2.`) as `f64`; `None` for anything else.
/// Close enough for the limits and rates templates carry (not correctly rounded in the last
/// bit), and small: the standard parser brings some 15 KB of tables into the Wasm.
pub fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    // an optional sign at `i`: is it a minus?
    let sign = |i: &mut usize| match b.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    };
    let neg = sign(&mut i);
    let (mut mant, mut exp, mut digits) = (0u64, 0i32, 0usize);
    let push = |d: u8, frac: bool, mant: &mut u64, exp: &mut i32| {
        if *mant < 1_000_000_000_000_000_000 {
            *mant = *mant * 10 + u64::from(d);
            if frac {
                *exp -= 1;
            }
        } else if !frac {
            *exp += 1;
        }
    };
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        push(c - b'0', false, &mut mant, &mut exp);
        digits += 1;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            push(c - b'0', true, &mut mant, &mut exp);
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let eneg = sign(&mut i);
        let (mut e, mut ed) = (0i32, 0);
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = e.saturating_mul(10).saturating_add(i32::from(c - b'0'));
            ed += 1;
            i += 1;
        }
        if ed == 0 {
            return None;
        }
        exp = exp.saturating_add(if eneg { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    let v = mant as f64 * 10f64.powi(exp.clamp(-400, 400));
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod number_tests {
    use super::parse_number;

    #[test]
    fn parses_what_the_standard_parser_parses() {
        for s in [
            "0", "12", "-3.5", "+2.", ".5", "1e3", "2.5E-2", "100000", "0.001", "-0",
        ] {
            let ours = parse_number(s).unwrap_or(f64::NAN);
            let std: f64 = s.parse().unwrap_or(f64::NAN);
            assert!(
                (ours - std).abs() <= std.abs() * 1e-12,
                "{s}: {ours} vs {std}"
            );
        }
        for s in [
            "", "-", ".", "e3", "1e", "1.2.3", "abc", "1x", "inf", "NaN", " 1",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }
}
