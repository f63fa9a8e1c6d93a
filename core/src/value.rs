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

impl Value {
    /// Compact JSON text (what `serde_json` writes for [`Value::to_json`], without it: the
    /// browser's first bundle carries no second JSON library): keys sorted, the last of equal
    /// keys kept; a number JSON cannot spell (`0x1F`, `+2`, `.5`) is written as a string.
    /// Floats print as Rust's shortest round-trip form (`1.5`, `1000.0`, `1e21`).
    pub fn json_text(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match &self.node {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(s) => match json_number(s) {
                Some(n) => out.push_str(&n),
                None => write_json_string(out, s),
            },
            Node::String(s) => write_json_string(out, s),
            Node::Seq(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Node::Map(entries) => {
                let mut sorted: Vec<&(Key, Value)> = entries.iter().collect();
                // stable: among equal keys the last written stays last
                crate::sort::sort_by(&mut sorted, |a, b| a.0.name.cmp(&b.0.name));
                out.push('{');
                let mut first = true;
                for (i, (k, v)) in sorted.iter().map(|e| (&e.0, &e.1)).enumerate() {
                    if sorted.get(i + 1).is_some_and(|next| next.0.name == k.name) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    write_json_string(out, &k.name);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// `s` as a JSON string literal, escaped as `serde_json` escapes it.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_json_string(&mut out, s);
    out
}

fn write_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(u32::from(c) >> 4) as usize]));
                out.push(char::from(HEX[(u32::from(c) & 0xf) as usize]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as JSON writes it, read as `serde_json` reads one: integers in `i64`/`u64`
/// as they are, anything else JSON's grammar allows as a float; `None` outside that grammar.
fn json_number(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int = digits(i);
    // JSON: at least one digit, no leading zero
    if int == 0 || (int > 1 && b[i] == b'0') {
        return None;
    }
    i += int;
    let mut float = false;
    if b.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        if frac == 0 {
            return None;
        }
        i += 1 + frac;
        float = true;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = digits(i);
        if e == 0 {
            return None;
        }
        i += e;
        float = true;
    }
    if i != b.len() {
        return None;
    }
    if !float {
        if s.starts_with('-') {
            // serde_json reads `-0` as the float -0.0
            if let Ok(n) = s.parse::<i64>().map(|n| n.to_string()) {
                return Some(if n == "0" { "-0.0".to_owned() } else { n });
            }
        } else if let Ok(n) = s.parse::<u64>() {
            return Some(n.to_string());
        }
    }
    // serde_json refuses a number beyond `f64` (it is then written as a string)
    let f = parse_number(s).filter(|f| f.is_finite())?;
    Some(float_text(f))
}

/// A float as `serde_json` writes one: the shortest digits that read back the same, fixed
/// for decimal exponents -5 to 15 (`1000.0`, `0.00001`), else `1.5e+21`, `1e-7`.
fn float_text(f: f64) -> String {
    let sign = if f.is_sign_negative() { "-" } else { "" };
    // `{:e}` gives the shortest digits: `1.2345e2`, `1e-5`
    let e = format!("{:e}", f.abs());
    let (m, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits = m.replace('.', "");
    let n = digits.len() as i32;
    if (-5..=15).contains(&exp) {
        if n - 1 <= exp {
            let zeros = "0".repeat((exp - (n - 1)) as usize);
            format!("{sign}{digits}{zeros}.0")
        } else if exp >= 0 {
            let (int, frac) = digits.split_at(exp as usize + 1);
            format!("{sign}{int}.{frac}")
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let esign = if exp >= 0 { "+" } else { "-" };
        format!("{sign}{first}{point}{rest}e{esign}{}", exp.unsigned_abs())
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
    let exp = exp.clamp(-400, 400);
    // exact when the digits and the power of ten are (Clinger's fast path): one rounding
    let v = if mant < 1 << 53 && (-22..0).contains(&exp) {
        mant as f64 / 10f64.powi(-exp)
    } else if exp < -300 {
        // two steps: 10^exp alone would underflow before the digits scale it up
        mant as f64 * 10f64.powi(exp + 300) * 1e-300
    } else {
        mant as f64 * 10f64.powi(exp)
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod number_tests {
    use super::parse_number;
    use super::{json_string, Value};

    /// What `Value::json_text` replaces: `serde_json` over `to_json`, keys sorted.
    fn serde_text(v: &Value) -> String {
        fn sorted(j: serde_json::Value) -> serde_json::Value {
            match j {
                serde_json::Value::Object(o) => {
                    let mut entries: Vec<_> = o.into_iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    serde_json::Value::Object(
                        entries.into_iter().map(|(k, v)| (k, sorted(v))).collect(),
                    )
                }
                serde_json::Value::Array(a) => {
                    serde_json::Value::Array(a.into_iter().map(sorted).collect())
                }
                x => x,
            }
        }
        serde_json::to_string(&sorted(v.to_json())).expect("writes")
    }

    #[test]
    fn json_text_writes_what_serde_json_writes() {
        let numbers = [
            "0",
            "-0",
            "7",
            "-12",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "1.0",
            "-2.25",
            "1e3",
            "2.5E-2",
            "1.1",
            "0.3",
            "123.456",
            "1e21",
            "1e15",
            "1e16",
            "1e17",
            "0.0001",
            "0.00001",
            "1e-7",
            "123456789.125",
            "5e-324",
            "-0.0",
            "0.0",
            "12345678901234567890.5",
            "9007199254740993",
            "0.1e1",
            "1E+2",
            "1e400",
            "01",
            "+2",
            ".5",
            "2.",
            "0x1F",
            "1_000",
            "1e",
            "-",
            "",
            "inf",
        ];
        // (far from 1, neither serde_json's default reader nor `parse_number` is correctly
        // rounded in the last bit, each its own way: such numbers are left out here)
        for n in numbers {
            let text = format!("{{a: {n}}}");
            let v = crate::parse::load(&text, &crate::parse::Limits::default()).expect(n);
            assert_eq!(v.json_text(), serde_text(&v), "{n}");
        }
        for s in [
            "plain",
            "q\"uote\\back",
            "\u{1}\u{1f}\n\r\t\u{8}\u{c}\u{7f}é😀",
        ] {
            assert_eq!(
                json_string(s),
                serde_json::to_string(s).expect("writes"),
                "{s:?}"
            );
        }
        // keys sorted at every level, the last of equal keys kept, order of lists kept
        let text = "{b: [3, {z: 1, y: 2}], a: null, c: true}";
        let mut v = crate::parse::load(text, &crate::parse::Limits::default()).expect("loads");
        assert_eq!(
            v.json_text(),
            r#"{"a":null,"b":[3,{"y":2,"z":1}],"c":true}"#
        );
        // (the loader refuses equal keys; generated maps could hold them)
        if let super::Node::Map(entries) = &mut v.node {
            let (k, _) = entries[1].clone();
            entries.push((k, Value::new(super::Node::String("x".into()), v.span)));
        }
        assert_eq!(v.json_text(), r#"{"a":"x","b":[3,{"y":2,"z":1}],"c":true}"#);
        assert_eq!(v.json_text(), serde_text(&v));
        // every corpus template alike
        let mut seen = 0;
        for path in crate::corpus_files() {
            let text = std::fs::read_to_string(&path).expect("readable");
            if let Ok(v) = crate::parse::load(&text, &crate::parse::Limits::default()) {
                assert_eq!(v.json_text(), serde_text(&v), "{}", path.display());
                seen += 1;
            }
        }
        assert!(seen > 100, "the corpus was read ({seen} templates)");
    }

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
