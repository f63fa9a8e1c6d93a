//! `Policies` of functions and state machines: managed policy names, inline documents, SAM
//! policy templates (bundled, expanded with the user's parameters) and the roles SAM generates.

use std::sync::OnceLock;

use crate::span::Span;
use crate::value::{Node, Value};

use super::mk::{self, obj, ref_, s, seq};
use super::{created_by_sam, gen, Cx, Resource};

/// The SAM policy templates, embedded (Apache-2.0; see `data/NOTICE`): the published file
/// without whitespace and `Description` texts (`scripts/minify-sam-policies.py`).
const POLICY_TEMPLATES_JSON: &str = include_str!("data/sam-policy-templates.min.json");

/// The parsed policy templates (parsed once, at first use, by the template loader: JSON is
/// YAML, so the browser bundle needs no second parser).
pub fn policy_templates() -> &'static Value {
    static T: OnceLock<Value> = OnceLock::new();
    T.get_or_init(|| {
        crate::parse::load(POLICY_TEMPLATES_JSON, &crate::parse::Limits::default())
            .ok()
            .and_then(|v| v.get("Templates").cloned())
            .unwrap_or_else(|| Value::null().clone())
    })
}

/// An AWS managed policy ARN, as the translator writes it for the `aws` partition.
pub(super) fn managed_arn(name: &str, span: Span) -> Value {
    s(format!("arn:aws:iam::aws:policy/{name}"), span)
}

/// AWS managed policies that live under `service-role/`.
const SERVICE_ROLE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaMSKExecutionRole",
    "AWSLambdaENIManagementAccess",
    "AWSConfigRulesExecutionRole",
    "AWSLambdaBasicDurableExecutionRolePolicy",
    "AWSIoTRuleActions",
    "AWSIoTLogging",
    "AmazonAPIGatewayPushToCloudWatchLogs",
    "AWSLambdaReplicator",
    "AWSGlueServiceRole",
    "AmazonSSMAutomationRole",
    "AWSCodeDeployRole",
    "AWSCodeDeployRoleForLambda",
    "AWSBatchServiceRole",
    "AmazonEC2ContainerServiceRole",
    "AmazonEC2ContainerServiceforEC2Role",
    "AmazonEC2RoleforSSM",
    "AWSAppSyncPushToCloudWatchLogs",
    "AmazonECSTaskExecutionRolePolicy",
    "AWS_ConfigRole",
    "AWSIoTThingsRegistration",
];

/// A managed policy named by a string: SAM maps AWS managed policy names to ARNs (its bundled
/// list); we map names that look like AWS's (`AWS…`, `Amazon…`, `…Access`, `…Policy`) and keep
/// anything else (an ARN, a customer policy name) as written.
fn managed_policy_value(v: &Value) -> Value {
    let Some(name) = v.as_str() else {
        return v.clone();
    };
    if name.starts_with("arn:") {
        return v.clone();
    }
    if SERVICE_ROLE_POLICIES.contains(&name) {
        return managed_arn(&format!("service-role/{name}"), v.span);
    }
    let looks_aws = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && (name.starts_with("AWS")
            || name.starts_with("Amazon")
            || name.ends_with("Access")
            || name.ends_with("Policy")
            || name.starts_with("CloudWatch")
            || name.starts_with("IAM")
            || name == "ReadOnlyAccess"
            || name == "AdministratorAccess");
    if looks_aws {
        managed_arn(name, v.span)
    } else {
        v.clone()
    }
}

/// Expand a SAM policy template with the user's parameters.
pub fn expand_policy_template(name: &str, params: &Value, span: Span) -> Result<Value, String> {
    let Some(tpl) = policy_templates().get(name) else {
        return Err(format!("`{name}` is not a SAM policy template"));
    };
    let mut required: Vec<&str> = tpl
        .get("Parameters")
        .and_then(Value::as_map)
        .map(|m| m.iter().map(|(k, _)| k.name.as_str()).collect())
        .unwrap_or_default();
    crate::sort::sort_by(&mut required, |a, b| a.cmp(b));
    for p in &required {
        if params.get(p).is_none() {
            return Err(format!(
                "policy template `{name}` needs parameter `{p}`; SAM rejects the template"
            ));
        }
    }
    let mut def = mk::placed(tpl.get("Definition").unwrap_or(Value::null()), span);
    substitute_params(&mut def, &required, params);
    Ok(def)
}

fn substitute_params(v: &mut Value, names: &[&str], params: &Value) {
    if let Some(("Ref", arg)) = v.intrinsic() {
        if let Some(p) = arg.as_str().filter(|p| names.contains(p)) {
            if let Some(val) = params.get(p) {
                *v = val.clone();
                return;
            }
        }
    }
    match &mut v.node {
        Node::Seq(items) => items
            .iter_mut()
            .for_each(|i| substitute_params(i, names, params)),
        Node::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, i)| substitute_params(i, names, params)),
        _ => {}
    }
}

/// One classified `Policies` entry.
enum PolicyEntry {
    Managed(Value),
    Inline(Value),
    If(Value, Box<PolicyEntry>, Box<PolicyEntry>),
    NoValue(Value),
    Invalid,
}

fn classify_policy(cx: &mut Cx, v: &Value) -> PolicyEntry {
    if let Some((name, arg)) = v.intrinsic() {
        if name == "Fn::If" {
            let items = arg.items();
            if let [c, a, b] = items.as_slice() {
                return PolicyEntry::If(
                    (*c).clone(),
                    Box::new(classify_policy(cx, a)),
                    Box::new(classify_policy(cx, b)),
                );
            }
            cx.warn(
                "`Fn::If` needs [condition, value-if-true, value-if-false]",
                v.span,
            );
            return PolicyEntry::Invalid;
        }
        if name == "Ref" && arg.as_str() == Some("AWS::NoValue") {
            return PolicyEntry::NoValue(v.clone());
        }
        return PolicyEntry::Managed(v.clone());
    }
    match &v.node {
        Node::String(_) => PolicyEntry::Managed(managed_policy_value(v)),
        Node::Map(entries) => {
            if v.get("Statement").is_some() {
                return PolicyEntry::Inline(v.clone());
            }
            if let [(k, params)] = entries.as_slice() {
                return match expand_policy_template(&k.name, params, k.span) {
                    Ok(doc) => PolicyEntry::Inline(doc),
                    Err(e) => {
                        cx.warn(e, k.span);
                        PolicyEntry::Invalid
                    }
                };
            }
            cx.warn(
                "a `Policies` entry must be a managed policy name/ARN, a policy document with `Statement`, or one policy template",
                v.span,
            );
            PolicyEntry::Invalid
        }
        _ => {
            cx.warn("unsupported `Policies` entry", v.span);
            PolicyEntry::Invalid
        }
    }
}

fn is_inline(e: &PolicyEntry) -> bool {
    match e {
        PolicyEntry::Inline(_) => true,
        PolicyEntry::If(_, a, b) => is_inline(a) || is_inline(b),
        _ => false,
    }
}

fn inline_value(e: PolicyEntry, name: &str, span: Span) -> Value {
    match e {
        PolicyEntry::Inline(doc) => obj(
            doc.span,
            vec![("PolicyName", s(name, span)), ("PolicyDocument", doc)],
        ),
        PolicyEntry::If(c, a, b) => Value::single(
            "Fn::If",
            span,
            seq(
                span,
                vec![
                    c,
                    inline_value(*a, name, span),
                    inline_value(*b, name, span),
                ],
            ),
        ),
        PolicyEntry::Managed(v) | PolicyEntry::NoValue(v) => v,
        PolicyEntry::Invalid => ref_("AWS::NoValue", span),
    }
}

fn managed_value(e: PolicyEntry, span: Span) -> Value {
    match e {
        PolicyEntry::Managed(v) | PolicyEntry::NoValue(v) | PolicyEntry::Inline(v) => v,
        PolicyEntry::If(c, a, b) => Value::single(
            "Fn::If",
            span,
            seq(
                span,
                vec![c, managed_value(*a, span), managed_value(*b, span)],
            ),
        ),
        PolicyEntry::Invalid => ref_("AWS::NoValue", span),
    }
}

/// An implicit execution role (`<Owner>Role`) built from SAM's `Policies` and the extras.
#[allow(clippy::too_many_arguments)]
pub(super) fn build_role(
    cx: &mut Cx,
    owner: &str,
    cond: &Option<String>,
    props: &Value,
    service: &str,
    first_managed: Vec<Value>,
    extra_inline: Vec<Value>,
    span: Span,
    created_by: Option<&str>,
) -> Resource {
    let mut managed: Vec<Value> = first_managed;
    let mut inline: Vec<Value> = Vec::new();
    if let Some(policies) = props.get("Policies") {
        let entries: Vec<&Value> = match &policies.node {
            Node::Map(_) if policies.intrinsic().is_none() => vec![policies],
            _ => policies.items(),
        };
        for (i, p) in entries.into_iter().enumerate() {
            let e = classify_policy(cx, p);
            let name = format!("{owner}RolePolicy{i}");
            match e {
                PolicyEntry::Invalid => {}
                e if is_inline(&e) => inline.push(inline_value(e, &name, p.span)),
                e => {
                    let v = managed_value(e, p.span);
                    if !managed.contains(&v) {
                        managed.push(v);
                    }
                }
            }
        }
    }
    inline.extend(extra_inline);
    let assume = props
        .get("AssumeRolePolicyDocument")
        .cloned()
        .unwrap_or_else(|| assume_role_document(service, span));
    let mut role = obj(span, vec![("AssumeRolePolicyDocument", assume)]);
    mk::set(&mut role, "ManagedPolicyArns", seq(span, managed));
    if !inline.is_empty() {
        mk::set(&mut role, "Policies", seq(span, inline));
    }
    mk::copy(
        props,
        "PermissionsBoundary",
        &mut role,
        "PermissionsBoundary",
    );
    mk::copy(props, "RolePath", &mut role, "Path");
    if let Some(k) = created_by {
        mk::set(&mut role, "Tags", created_by_sam(k, props, span));
    }
    gen(
        cond,
        format!("{owner}Role"),
        "AWS::IAM::Role",
        role,
        span,
        owner,
    )
}

/// The trust policy SAM gives the roles it generates: `service` may assume the role.
pub(super) fn assume_role_document(service: &str, span: Span) -> Value {
    mk::policy_document(
        vec![obj(
            span,
            vec![
                ("Action", seq(span, vec![s("sts:AssumeRole", span)])),
                ("Effect", s("Allow", span)),
                (
                    "Principal",
                    obj(span, vec![("Service", seq(span, vec![s(service, span)]))]),
                ),
            ],
        )],
        span,
    )
}

pub(super) fn statement_policy(name: &str, actions: &[&str], resource: Value, span: Span) -> Value {
    obj(
        span,
        vec![
            ("PolicyName", s(name, span)),
            (
                "PolicyDocument",
                mk::policy_document(vec![mk::allow(actions, resource, span)], span),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    /// The embedded templates are the published file, less whitespace and `Description`s.
    #[test]
    fn sam_policy_templates_min_is_derived() {
        fn strip(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    m.remove("Description");
                    m.values_mut().for_each(strip);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        let mut full: serde_json::Value =
            serde_json::from_str(include_str!("data/sam-policy-templates.json"))
                .expect("the published templates");
        strip(&mut full);
        let min: serde_json::Value =
            serde_json::from_str(super::POLICY_TEMPLATES_JSON).expect("the embedded templates");
        assert_eq!(
            min, full,
            "run scripts/minify-sam-policies.py after updating sam-policy-templates.json"
        );
        assert!(super::policy_templates()
            .get("DynamoDBCrudPolicy")
            .is_some());
    }
}
