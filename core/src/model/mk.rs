//! Small builders for generated values, a SHA-1 for SAM's hashed logical IDs, and in-place
//! edits of value trees. Generated values carry the span of the source that produced them.

use crate::span::Span;
use crate::value::{Key, Node, Value};

use super::{Origin, Resource};

/// A string value.
pub fn s(text: impl Into<String>, span: Span) -> Value {
    Value::string(text, span)
}

/// A map value from `(key, value)` pairs; keys take the map's span.
pub fn obj(span: Span, entries: Vec<(&str, Value)>) -> Value {
    Value::new(
        Node::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.to_owned(),
                            span,
                        },
                        v,
                    )
                })
                .collect(),
        ),
        span,
    )
}

/// A list value.
pub fn seq(span: Span, items: Vec<Value>) -> Value {
    Value::new(Node::Seq(items), span)
}

pub fn boolean(b: bool, span: Span) -> Value {
    Value::new(Node::Bool(b), span)
}

pub fn num(n: i64, span: Span) -> Value {
    Value::new(Node::Number(n.to_string()), span)
}

/// `{"Ref": id}`.
pub fn ref_(id: &str, span: Span) -> Value {
    Value::single("Ref", span, s(id, span))
}

/// `{"Fn::GetAtt": [id, attr]}`.
pub fn getatt(id: &str, attr: &str, span: Span) -> Value {
    Value::single(
        "Fn::GetAtt",
        span,
        seq(span, vec![s(id, span), s(attr, span)]),
    )
}

/// `{"Fn::Sub": text}`.
pub fn sub(text: impl Into<String>, span: Span) -> Value {
    Value::single("Fn::Sub", span, s(text, span))
}

/// An IAM policy document `{"Version": "2012-10-17", "Statement": [..]}`.
pub fn policy_document(statements: Vec<Value>, span: Span) -> Value {
    obj(
        span,
        vec![
            ("Version", s("2012-10-17", span)),
            ("Statement", seq(span, statements)),
        ],
    )
}

/// An `Allow` statement of `actions` on `resource`.
pub fn allow(actions: &[&str], resource: Value, span: Span) -> Value {
    obj(
        span,
        vec![
            ("Effect", s("Allow", span)),
            (
                "Action",
                seq(span, actions.iter().map(|a| s(*a, span)).collect()),
            ),
            ("Resource", resource),
        ],
    )
}

/// An `x-amazon-apigateway-integration` proxying to Lambda (`aws_proxy`, `POST` to `uri`),
/// with the HTTP API payload format version when given.
pub fn lambda_proxy(uri: Value, payload: Option<&str>, span: Span) -> Value {
    let mut entries = vec![
        ("type", s("aws_proxy", span)),
        ("httpMethod", s("POST", span)),
        ("uri", uri),
    ];
    if let Some(p) = payload {
        entries.push(("payloadFormatVersion", s(p, span)));
    }
    obj(span, entries)
}

/// The URI API Gateway invokes a Lambda function through, for a `Fn::Sub` text: `fn_arn`
/// is the function's ARN as written in it (`${Fn.Arn}`, `${__FunctionArn__}`).
pub fn invocations_uri(fn_arn: &str) -> String {
    format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{fn_arn}/invocations")
}

/// An empty API body: `{"swagger": "2.0"}` (REST) or `{"openapi": "3.0.1"}` (HTTP), an
/// `info` with `title`, and no `paths` yet.
pub fn api_body(rest: bool, title: Value, span: Span) -> Value {
    let (k, v) = if rest {
        ("swagger", "2.0")
    } else {
        ("openapi", "3.0.1")
    };
    obj(
        span,
        vec![
            (k, s(v, span)),
            (
                "info",
                obj(span, vec![("version", s("1.0", span)), ("title", title)]),
            ),
            ("paths", empty(span)),
        ],
    )
}

/// A security scheme read from a request header (`type: apiKey`, as API Gateway writes every
/// scheme), with its API Gateway auth type and authorizer when it has them.
pub fn header_scheme(
    name: Value,
    authtype: Option<&str>,
    authorizer: Option<Value>,
    span: Span,
) -> Value {
    let mut entries = vec![
        ("type", s("apiKey", span)),
        ("name", name),
        ("in", s("header", span)),
    ];
    if let Some(a) = authtype {
        entries.push(("x-amazon-apigateway-authtype", s(a, span)));
    }
    if let Some(a) = authorizer {
        entries.push(("x-amazon-apigateway-authorizer", a));
    }
    obj(span, entries)
}

/// The `AWS_IAM` (SigV4) security scheme both expansions write into generated bodies.
pub fn iam_scheme(span: Span) -> Value {
    header_scheme(s("Authorization", span), Some("awsSigv4"), None, span)
}

/// A CloudFormation tag list `[{"Key": k, "Value": v}, ..]` from a `{k: v}` map (SAM and
/// Serverless tags); empty when `tags` is no map.
pub fn tag_list(tags: &Value) -> Vec<Value> {
    tags.as_map()
        .unwrap_or(&[])
        .iter()
        .map(|(k, v)| {
            obj(
                k.span,
                vec![("Key", s(&k.name, k.span)), ("Value", v.clone())],
            )
        })
        .collect()
}

/// `{"Fn::Join": [sep, parts]}`.
pub fn join(sep: &str, parts: Vec<Value>, span: Span) -> Value {
    Value::single(
        "Fn::Join",
        span,
        seq(span, vec![s(sep, span), seq(span, parts)]),
    )
}

/// An empty map.
pub fn empty(span: Span) -> Value {
    Value::new(Node::Map(Vec::new()), span)
}

/// Set `key` in a map (replacing an existing entry; a non-map becomes a map).
pub fn set(v: &mut Value, key: &str, val: Value) {
    if !matches!(v.node, Node::Map(_)) {
        v.node = Node::Map(Vec::new());
    }
    if let Node::Map(entries) = &mut v.node {
        if let Some(e) = entries.iter_mut().find(|(k, _)| k.name == key) {
            e.1 = val;
        } else {
            let span = val.span;
            entries.push((
                Key {
                    name: key.to_owned(),
                    span,
                },
                val,
            ));
        }
    }
}

/// Set `key` only when it is not there yet.
pub fn set_default(v: &mut Value, key: &str, val: Value) {
    if v.get(key).is_none() {
        set(v, key, val);
    }
}

/// Copy `key` from `from` to `to` (under `to_key`) when present.
pub fn copy(from: &Value, key: &str, to: &mut Value, to_key: &str) {
    if let Some(v) = from.get(key) {
        set(to, to_key, v.clone());
    }
}

/// The value under `key`, mutable.
pub fn get_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    match &mut v.node {
        Node::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The value under `key`, created as an empty map when absent (or when not a map).
pub fn entry_map<'a>(v: &'a mut Value, key: &str) -> &'a mut Value {
    if v.get(key).is_none_or(|x| x.as_map().is_none()) {
        let span = v.span;
        set(v, key, empty(span));
    }
    match &mut v.node {
        Node::Map(entries) => {
            let i = entries.iter().position(|(k, _)| k.name == key).unwrap_or(0);
            &mut entries[i].1
        }
        // `set` above always leaves a map holding `key`.
        _ => unreachable!("set() makes a map"),
    }
}

/// Append to a list (a non-list becomes a list holding the old value, null becomes empty).
pub fn push(v: &mut Value, item: Value) {
    match &mut v.node {
        Node::Seq(items) => items.push(item),
        Node::Null => v.node = Node::Seq(vec![item]),
        _ => {
            let old = v.clone();
            v.node = Node::Seq(vec![old, item]);
        }
    }
}

/// Remove `key` from a map.
pub fn remove(v: &mut Value, key: &str) -> Option<Value> {
    match &mut v.node {
        Node::Map(entries) => {
            let i = entries.iter().position(|(k, _)| k.name == key)?;
            Some(entries.remove(i).1)
        }
        _ => None,
    }
}

/// A copy of `v` (a definition from the embedded SAM policy templates) with every node and
/// key at `span`, map keys sorted: the expansion does not depend on the data file's order.
pub fn placed(v: &Value, span: Span) -> Value {
    let node = match &v.node {
        Node::Seq(items) => Node::Seq(items.iter().map(|x| placed(x, span)).collect()),
        Node::Map(entries) => {
            let mut entries: Vec<(Key, Value)> = entries
                .iter()
                .map(|(k, x)| {
                    (
                        Key {
                            name: k.name.clone(),
                            span,
                        },
                        placed(x, span),
                    )
                })
                .collect();
            crate::sort::sort_by(&mut entries, |a, b| a.0.name.cmp(&b.0.name));
            Node::Map(entries)
        }
        other => other.clone(),
    };
    Value::new(node, span)
}

/// Compact JSON with keys sorted at every level (the text SAM hashes).
pub fn canonical_json(v: &Value) -> String {
    v.json_text()
}

/// A generated resource.
pub fn resource(id: String, type_: &str, properties: Value, span: Span, by: &str) -> Resource {
    Resource {
        id,
        type_: type_.to_owned(),
        span,
        properties,
        metadata: None,
        condition: None,
        depends_on: Vec::new(),
        origin: Origin::Generated { by: by.to_owned() },
        source_type: None,
    }
}

/// Is every character a letter or a digit (SAM's test before using a word in an ID)?
pub fn is_alnum(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// First 10 lowercase hex digits of SHA-1 (SAM's rule B).
pub fn h10(text: &str) -> String {
    let d = sha1(text.as_bytes());
    d.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// SHA-1 (FIPS 180-4). Used only to reproduce SAM's generated IDs, not for security.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// Rewrite references to renamed logical IDs: `Ref`, `Fn::GetAtt` (both forms) and the
/// `${Id}`/`${Id.Attr}` variables of `Fn::Sub`.
pub fn rename_refs(v: &mut Value, renames: &std::collections::HashMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    if let Node::Map(entries) = &mut v.node {
        if entries.len() == 1 {
            let (k, arg) = &mut entries[0];
            match k.name.as_str() {
                "Ref" => {
                    if let Node::String(name) = &mut arg.node {
                        if let Some(to) = renames.get(name.as_str()) {
                            *name = to.clone();
                        }
                    }
                    return;
                }
                "Fn::GetAtt" => {
                    match &mut arg.node {
                        Node::Seq(items) => {
                            if let Some(Node::String(name)) = items.first_mut().map(|x| &mut x.node)
                            {
                                if let Some(to) = renames.get(name.as_str()) {
                                    *name = to.clone();
                                }
                            }
                        }
                        Node::String(text) => {
                            if let Some((res, attr)) = text.split_once('.') {
                                if let Some(to) = renames.get(res) {
                                    *text = format!("{to}.{attr}");
                                }
                            }
                        }
                        _ => {}
                    }
                    return;
                }
                "Fn::Sub" => {
                    let text = match &mut arg.node {
                        Node::String(t) => Some(t),
                        Node::Seq(items) => match items.first_mut().map(|x| &mut x.node) {
                            Some(Node::String(t)) => Some(t),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(text) = text {
                        *text = rename_sub_text(text, renames);
                    }
                    if let Node::Seq(items) = &mut arg.node {
                        for i in items.iter_mut().skip(1) {
                            rename_refs(i, renames);
                        }
                    }
                    return;
                }
                _ => {}
            }
        }
    }
    match &mut v.node {
        Node::Seq(items) => items.iter_mut().for_each(|i| rename_refs(i, renames)),
        Node::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, i)| rename_refs(i, renames)),
        _ => {}
    }
}

fn rename_sub_text(text: &str, renames: &std::collections::HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find('}') else { break };
        let var = &rest[2..end];
        let (base, attr) = match var.split_once('.') {
            Some((b, a)) => (b, Some(a)),
            None => (var, None),
        };
        match renames.get(base) {
            Some(to) if !var.starts_with('!') => {
                out.push_str("${");
                out.push_str(to);
                if let Some(a) = attr {
                    out.push('.');
                    out.push_str(a);
                }
                out.push('}');
            }
            _ => out.push_str(&rest[..=end]),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// lodash `merge`: maps merge key by key, lists index by index, anything else is replaced.
pub fn deep_merge(base: &mut Value, over: &Value) {
    match (&mut base.node, &over.node) {
        (Node::Map(be), Node::Map(oe)) => {
            for (k, ov) in oe {
                match be.iter_mut().find(|(bk, _)| bk.name == k.name) {
                    Some((_, bv)) => deep_merge(bv, ov),
                    None => be.push((k.clone(), ov.clone())),
                }
            }
        }
        (Node::Seq(bi), Node::Seq(oi)) => {
            for (i, ov) in oi.iter().enumerate() {
                match bi.get_mut(i) {
                    Some(bv) => deep_merge(bv, ov),
                    None => bi.push(ov.clone()),
                }
            }
        }
        _ => *base = over.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_matches_sam_examples() {
        // The translator hashes a stage name that is not alphanumeric (its test
        // api_with_incompatible_stage_name): `hoge-fuga` -> `0c8ecc62cb`.
        assert_eq!(h10("hoge-fuga"), "0c8ecc62cb");
        // function_with_alias: MinimalFunctionVersion640128d35d.
        assert_eq!(
            h10(r#"{"S3Bucket":"sam-demo-bucket","S3Key":"hello.zip"}"#),
            "640128d35d"
        );
        assert_eq!(h10(""), "da39a3ee5e");
    }
}
