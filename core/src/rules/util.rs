//! Small helpers shared by the rules: `Fn::If` branches, literal values, IAM statements.

use crate::model::resolve::{collect_refs, resolve, resource_refs, Resolved};
use crate::model::{Resource, Template};
use crate::rules::{Finding, RuleMeta};
use crate::span::Span;
use crate::value::Value;

/// One way a property can turn out: the `Fn::If` conditions that lead to it and the value
/// (`None` when the property is absent or `AWS::NoValue` on that branch).
#[derive(Debug, Clone)]
pub struct Branch<'a> {
    pub cond: Option<String>,
    pub value: Option<&'a Value>,
}

impl<'a> Branch<'a> {
    /// The literal boolean of this branch (strings "true"/"false" included).
    pub fn bool(&self) -> Option<bool> {
        self.value.and_then(Value::as_bool)
    }

    pub fn str(&self) -> Option<&'a str> {
        self.value.and_then(Value::as_str)
    }
}

fn and_cond(a: &Option<String>, b: String) -> Option<String> {
    Some(match a {
        Some(a) => format!("{a} and {b}"),
        None => b,
    })
}

fn is_no_value(v: &Value) -> bool {
    matches!(v.intrinsic(), Some(("Ref", a)) if a.as_str() == Some("AWS::NoValue"))
}

/// Every branch of `v` through nested `Fn::If`s.
pub fn branches(v: &Value) -> Vec<Branch<'_>> {
    let mut out = Vec::new();
    branches_into(v, None, &mut out, 0);
    out
}

fn branches_into<'a>(v: &'a Value, cond: Option<String>, out: &mut Vec<Branch<'a>>, depth: u8) {
    if depth < 8 {
        if let Some(("Fn::If", arg)) = v.intrinsic() {
            if let Some([c, a, b]) = arg.as_seq() {
                let name = c.as_str().unwrap_or("?").to_owned();
                branches_into(a, and_cond(&cond, name.clone()), out, depth + 1);
                branches_into(b, and_cond(&cond, format!("!{name}")), out, depth + 1);
                return;
            }
        }
    }
    if is_no_value(v) {
        out.push(Branch { cond, value: None });
    } else {
        out.push(Branch {
            cond,
            value: Some(v),
        });
    }
}

/// Every branch of the value at `path` under `root`, following `Fn::If` at each level.
pub fn branches_at<'a>(root: &'a Value, path: &[&str]) -> Vec<Branch<'a>> {
    let mut out = Vec::new();
    at_path(root, path, None, &mut out);
    out
}

fn at_path<'a>(v: &'a Value, path: &[&str], cond: Option<String>, out: &mut Vec<Branch<'a>>) {
    let mut bs = Vec::new();
    branches_into(v, cond, &mut bs, 0);
    for b in bs {
        let Some(val) = b.value else {
            out.push(b);
            continue;
        };
        match path.split_first() {
            None => out.push(Branch {
                cond: b.cond,
                value: Some(val),
            }),
            Some((k, rest)) => match val.get(k) {
                None => out.push(Branch {
                    cond: b.cond,
                    value: None,
                }),
                Some(x) => at_path(x, rest, b.cond, out),
            },
        }
    }
}

/// Branches of a resource property path.
pub fn prop<'a>(r: &'a Resource, path: &[&str]) -> Vec<Branch<'a>> {
    if r.properties.is_null() {
        return vec![Branch {
            cond: None,
            value: None,
        }];
    }
    branches_at(&r.properties, path)
}

/// The condition of a finding: the resource's own `Condition` and the branch's.
pub fn cond_of(r: &Resource, branch: &Option<String>) -> Option<String> {
    match (&r.condition, branch) {
        (Some(a), Some(b)) => Some(format!("{a} and {b}")),
        (Some(a), None) => Some(a.clone()),
        (None, Some(b)) => Some(b.clone()),
        (None, None) => None,
    }
}

/// A message suffix naming the condition, if any.
pub fn when(branch: &Option<String>) -> String {
    match branch {
        Some(c) => format!(" (when {})", describe_cond(c)),
        None => String::new(),
    }
}

fn describe_cond(c: &str) -> String {
    c.split(" and ")
        .map(|p| match p.strip_prefix('!') {
            Some(n) => format!("condition {n} is false"),
            None => format!("condition {p} is true"),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A finding on resource `r` at `span`, with the branch condition folded in.
pub fn finding(
    meta: &RuleMeta,
    r: &Resource,
    span: Span,
    branch: &Option<String>,
    message: String,
    remediation: &str,
) -> Finding {
    Finding::new(
        meta,
        Some(&r.id),
        span,
        format!("{message}{}", when(branch)),
        remediation,
    )
    .condition(cond_of(r, branch))
}

/// The best span for a branch: the value if present, else the resource's properties or id.
pub fn span_or(r: &Resource, b: &Branch<'_>, fallback: &[&str]) -> Span {
    match b.value {
        Some(v) => v.span,
        None => {
            // Point at the deepest existing parent of the missing property.
            let mut best = r.span;
            for i in (1..=fallback.len()).rev() {
                if let Some(v) = r.prop_path(&fallback[..i]) {
                    best = v.span;
                    break;
                }
            }
            best
        }
    }
}

/// Is this value fixed by the template (a literal) rather than decided elsewhere?
pub fn literal(t: &Template, v: &Value) -> Option<String> {
    match resolve(t, v) {
        Resolved::Literal(s) => Some(s),
        _ => None,
    }
}

/// Resources of `t` that `v` references, by id.
pub fn refs(t: &Template, v: &Value) -> Vec<String> {
    resource_refs(t, v).into_iter().map(|(id, _)| id).collect()
}

/// Does `v` reference resource `id` (by `Ref`, `GetAtt`, `Sub`)?
pub fn references(t: &Template, v: &Value, id: &str) -> bool {
    resource_refs(t, v).iter().any(|(x, _)| x == id)
}

/// Every name referenced by `v`, including parameters.
pub fn names(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_refs(v, &mut |n, _| out.push(n.to_owned()));
    out
}

/// Resources of type `ty` whose property `key` references `id`.
pub fn referencing<'a>(
    t: &'a Template,
    ty: &'a str,
    key: &'a str,
    id: &'a str,
) -> impl Iterator<Item = &'a Resource> + 'a {
    t.resources_of(ty)
        .filter(move |r| r.prop(key).is_some_and(|v| references(t, v, id)))
}

/// Lower-case the name of a variable and check it looks like it holds a secret.
pub fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace(['-', '.'], "_");
    const HITS: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "api_key",
        "apikey",
        "private_key",
        "privatekey",
        "access_key",
        "accesskey",
        "auth_token",
        "access_token",
        "token",
        "credential",
        "client_secret",
        "db_pass",
        "connection_string",
        "conn_str",
    ];
    // Names that mention a secret but hold only a pointer to it.
    const POINTERS: &[&str] = &[
        "_arn",
        "_name",
        "_id",
        "_path",
        "_param",
        "_parameter",
        "_ssm",
        "_key_id",
        "_table",
        "_url",
        "_endpoint",
        "_header",
        "_region",
        "_length",
        "_ttl",
        "_expiry",
        "_expiration",
        "_secret_id",
        "_type",
    ];
    if POINTERS.iter().any(|p| n.ends_with(p)) || n.starts_with("arn") {
        return false;
    }
    if n.contains("secret") && (n.contains("arn") || n.contains("name") || n.contains("id")) {
        return false;
    }
    HITS.iter().any(|h| n.contains(h))
}

/// Does a literal look like a placeholder or a pointer rather than a real secret?
pub fn harmless_literal(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    l.is_empty()
        || l.len() < 4
        || l.starts_with("arn:")
        || l.starts_with('/')
        || l.starts_with("{{resolve:ssm:")
        || l.starts_with("{{resolve:")
        || l.starts_with("http")
        || l.starts_with("ssm:")
        || l.starts_with("${")
        || matches!(
            l.as_str(),
            "none" | "null" | "true" | "false" | "changeme" | "todo" | "xxx"
        )
        || l.chars().all(|c| c.is_ascii_digit())
}

/// The resource a user edits to change `r`: for resources the SAM transform generated
/// from a function (`<Fn>Role`, `<Fn>Url`), that function; otherwise `r` itself.
pub fn edit_target<'a>(t: &'a Template, r: &'a Resource) -> &'a str {
    if let crate::model::Origin::Generated { by } = &r.origin {
        if t.resource(by).is_some() {
            return by;
        }
    }
    &r.id
}

/// The items of `key` in a map (a list or a single value), taking every branch of each
/// `Fn::If`.
pub fn str_items<'a>(st: &'a Value, key: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    if let Some(v) = st.get(key) {
        for b in branches(v) {
            if let Some(v) = b.value {
                for i in v.items() {
                    for ib in branches(i) {
                        out.extend(ib.value);
                    }
                }
            }
        }
    }
    out
}

/// The text of a string-ish value: a literal, the template of a `Fn::Sub`, or the literal
/// parts of a `Fn::Join` (for pattern checks such as a managed policy name).
pub fn raw_text(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    match v.intrinsic()? {
        ("Fn::Sub", arg) => match arg.as_seq() {
            Some(items) => items.first().and_then(Value::as_str).map(str::to_owned),
            None => arg.as_str().map(str::to_owned),
        },
        ("Fn::Join", arg) => {
            let items = arg.as_seq()?;
            let sep = items.first()?.as_str()?;
            let parts = items.get(1)?;
            Some(
                parts
                    .items()
                    .iter()
                    .map(|p| raw_text(p).unwrap_or_else(|| "${?}".into()))
                    .collect::<Vec<_>>()
                    .join(sep),
            )
        }
        _ => None,
    }
}

/// The bucket policies of a bucket.
pub fn bucket_policies<'a>(t: &'a Template, bucket: &'a str) -> Vec<&'a Resource> {
    referencing(t, "AWS::S3::BucketPolicy", "Bucket", bucket).collect()
}

/// Does a policy statement deny requests made without TLS (`aws:SecureTransport: false`,
/// or `s3:TlsVersion` below 1.2)?
pub fn denies_insecure_transport(st: &crate::iam::Statement) -> bool {
    st.effect == crate::iam::Effect::Deny
        && st.conditions.iter().any(|c| {
            c.key.eq_ignore_ascii_case("aws:SecureTransport")
                && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
                || c.key.eq_ignore_ascii_case("s3:TlsVersion")
        })
}

/// Does some policy of the bucket deny non-TLS requests?
pub fn bucket_tls_only(t: &Template, bucket: &str) -> bool {
    bucket_policies(t, bucket).iter().any(|p| {
        p.prop("PolicyDocument")
            .map(|d| crate::iam::statement::parse_document(t, d, 0, None))
            .unwrap_or_default()
            .iter()
            .any(denies_insecure_transport)
    })
}

/// The DocumentDB cluster parameter group of a cluster, if in the template.
pub fn docdb_param_group<'a>(t: &'a Template, cluster: &'a Resource) -> Option<&'a Resource> {
    let v = cluster.prop("DBClusterParameterGroupName")?;
    refs(t, v)
        .into_iter()
        .filter_map(|id| t.resource(&id))
        .find(|r| r.type_ == "AWS::DocDB::DBClusterParameterGroup")
}

/// The `tls` setting of a DocumentDB parameter group (its value), if set.
pub fn docdb_tls_disabled(pg: &Resource) -> Option<&Value> {
    pg.prop_path(&["Parameters", "tls"]).filter(|v| {
        v.as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("disabled"))
    })
}

/// Role id -> ids of the functions that run as it, computed once (rules that look at every
/// role would otherwise rescan every function per role).
pub fn role_users(t: &Template) -> crate::smap::StrLists {
    let mut m = crate::smap::StrLists::default();
    for f in t.resources_of("AWS::Lambda::Function") {
        if let Some(r) = crate::graph::lookup::function_role(t, f) {
            m.list_mut(&r.id).push(f.id.clone());
        }
    }
    m
}

/// How messages name an identity of the template: `role X`, `user Y`, `group Z`.
pub fn who(iam: &crate::iam::IamModel, id: &str) -> String {
    match iam.identity(id) {
        Some(i) => format!("{} {id}", i.kind.as_str()),
        None => id.to_owned(),
    }
}

/// Names of several identities (`user A, role B`).
pub fn who_list(iam: &crate::iam::IamModel, ids: &[String]) -> String {
    ids.iter()
        .map(|id| who(iam, id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The roles the function-centred IAM rules speak about: run by a Lambda function of the
/// template, or trusting `lambda.amazonaws.com`. Other identities (users, groups, roles of
/// CI, EC2, people) get the same checks with their own wording.
pub fn is_function_role(
    cx: &crate::rules::Context<'_>,
    users: &crate::smap::StrLists,
    id: &str,
) -> bool {
    cx.graph
        .iam
        .identity(id)
        .is_some_and(|i| i.kind == crate::iam::IdentityKind::Role)
        && (users.get(id).is_some_and(|f| !f.is_empty())
            || cx.graph.iam.trusts_service(id, "lambda"))
}

/// Where an IAM document is edited: the SAM function behind a generated role, the role or
/// user holding an inline policy, the policy resource.
pub fn doc_target<'a>(t: &'a Template, d: &'a crate::iam::Document) -> &'a str {
    match t.resource(&d.carrier) {
        Some(r) => edit_target(t, r),
        None => &d.carrier,
    }
}

/// `policy P of role R` / `policy P, attached to user A, role B` / `policy P (attached to
/// nothing here)`: who holds an identity document, for messages.
pub fn held_by(iam: &crate::iam::IamModel, d: &crate::iam::Document) -> String {
    let name = crate::iam::IamModel::describe(d);
    if d.holders.len() == 1 && d.holders.first() == Some(&d.carrier) {
        return format!("{} ({name})", who(iam, &d.carrier));
    }
    if d.holders.is_empty() {
        return format!("{name} (attached to nothing in this template yet)");
    }
    format!("{name}, attached to {},", who_list(iam, &d.holders))
}

/// A short account of what an identity may do, for "an attacker could ..." messages:
/// `` `s3:GetObject` on ${Reports.Arn}/* `` or `everything (*)`.
pub fn grants_summary(iam: &crate::iam::IamModel, id: &str) -> String {
    let perms = crate::iam::effective::of(iam, id);
    if perms.is_empty() {
        return "whatever is attached to it later (nothing in this template)".into();
    }
    let mut parts: Vec<String> = Vec::new();
    for p in perms.iter().take(3) {
        let actions = if p.actions.is_empty() && !p.not_actions {
            p.source.clone()
        } else if p.not_actions {
            format!("everything except {}", p.actions.join(", "))
        } else if p.actions.iter().any(|a| a == "*") {
            "everything".to_owned()
        } else {
            p.actions.join(", ")
        };
        let on = if p.resources.is_empty() {
            String::new()
        } else {
            format!(" on {}", p.resources.join(", "))
        };
        parts.push(format!("{actions}{on}"));
    }
    if perms.len() > 3 {
        parts.push(format!("{} more grants", perms.len() - 3));
    }
    parts.join("; ")
}

/// The first `assumes` edge into a node of `role` from `principal_node` (for findings to
/// light it up).
pub fn assumes_edge(
    cx: &crate::rules::Context<'_>,
    from: &str,
    role: &str,
) -> Option<crate::rules::EdgeRef> {
    let to = crate::graph::trust::nodes_of(cx.graph, role);
    cx.graph
        .edges_from(from)
        .find(|e| e.kind == crate::graph::EdgeKind::Assumes && to.contains(&e.to))
        .map(|e| crate::rules::EdgeRef {
            from: e.from.clone(),
            to: e.to.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        assert!(secret_name("DB_PASSWORD"));
        assert!(secret_name("apiKey"));
        assert!(secret_name("STRIPE_SECRET"));
        assert!(!secret_name("DB_PASSWORD_ARN"));
        assert!(!secret_name("SECRET_NAME"));
        assert!(!secret_name("TABLE_NAME"));
        assert!(!secret_name("TOKEN_TABLE"));
    }

    #[test]
    fn if_branches_carry_conditions() {
        let a = crate::analyze_text(
            "Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: !If [IsProd, true, !Ref AWS::NoValue]\n",
        )
        .expect("parses");
        let r = a.template.resource("X").expect("X");
        let bs = prop(r, &["A"]);
        assert_eq!(bs.len(), 2);
        assert_eq!(bs[0].cond.as_deref(), Some("IsProd"));
        assert_eq!(bs[0].bool(), Some(true));
        assert_eq!(bs[1].cond.as_deref(), Some("!IsProd"));
        assert!(bs[1].value.is_none());
        assert_eq!(when(&bs[1].cond), " (when condition IsProd is false)");
    }
}
