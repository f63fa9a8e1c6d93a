//! The Framework's naming rules (its naming module, `lib/plugins/aws/lib/naming.js`): how
//! function keys, paths, methods and resource names become parts of logical IDs.

use crate::value::{Node, Value};

/// `getNormalizedFunctionName`: `-` → `Dash`, `_` → `Underscore`, first letter upper-cased.
pub fn normalize_function_name(s: &str) -> String {
    upper_first(&s.replace('-', "Dash").replace('_', "Underscore"))
}

/// `normalizeNameToAlphaNumericOnly`.
pub fn alnum_name(s: &str) -> String {
    upper_first(
        &s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

pub(super) fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// `normalizePathPart`.
fn normalize_path_part(part: &str) -> String {
    let mut cap: String = {
        let mut c = part.chars();
        match c.next() {
            Some(f) => std::iter::once(f.to_ascii_uppercase())
                .chain(c.map(|ch| ch.to_ascii_lowercase()))
                .collect(),
            None => String::new(),
        }
    };
    cap = cap.replace('-', "Dash");
    if let (Some(a), Some(b)) = (cap.find('{'), cap.rfind('}')) {
        if a < b {
            let inner = cap[a + 1..b].to_owned();
            cap = format!("{}{}Var{}", &cap[..a], inner, &cap[b + 1..]);
        }
    }
    upper_first(
        &cap.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

/// `normalizePath`.
pub fn normalize_path(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty())
        .map(normalize_path_part)
        .collect()
}

pub(super) fn normalize_method(m: &str) -> String {
    upper_first(&m.to_ascii_lowercase())
}

/// The name part of an ARN-ish value, for naming: last `sep` part of a string, the logical ID of
/// a `Ref`/`GetAtt`, the name of an `ImportValue`, or the last element of a `Join`.
pub(super) fn resource_name(v: &Value, sep: char) -> String {
    if let Some(t) = v.as_str() {
        return t.rsplit(sep).next().unwrap_or(t).to_owned();
    }
    match v.intrinsic() {
        Some(("Ref", a)) => a.as_str().unwrap_or("").to_owned(),
        Some(("Fn::GetAtt", a)) => match &a.node {
            Node::Seq(items) => items
                .first()
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            Node::String(t) => t.split('.').next().unwrap_or("").to_owned(),
            _ => String::new(),
        },
        Some(("Fn::ImportValue", a)) => a.as_str().unwrap_or("").to_owned(),
        Some(("Fn::Join", a)) => a
            .as_seq()
            .and_then(|x| x.get(1))
            .and_then(Value::as_seq)
            .and_then(|x| x.last())
            .map(|l| resource_name(l, sep))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_rules_match_the_framework() {
        assert_eq!(
            normalize_function_name("hello_world"),
            "HelloUnderscoreworld"
        );
        assert_eq!(normalize_function_name("hello-world"), "HelloDashworld");
        assert_eq!(alnum_name("my-queue.fifo"), "Myqueuefifo");
        assert_eq!(normalize_path("users/{id}"), "UsersIdVar");
        assert_eq!(normalize_path("a-path"), "ADashpath");
        assert_eq!(normalize_path("{proxy+}"), "ProxyVar");
        assert_eq!(normalize_method("gET"), "Get");
    }
}
