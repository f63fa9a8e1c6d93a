//! Provider settings and IAM: the shared execution role `IamRoleLambdaExecution` (log
//! statements, `provider.iam.role` statements and managed policies, what events add), and the
//! rules for per-function roles.

use crate::span::Span;
use crate::value::Value;

use super::mk::{self, getatt, obj, ref_, s, seq, sub};
use super::Sls;

pub(super) fn role_props(
    x: &Sls,
    statements: Vec<Value>,
    managed: Vec<Value>,
    span: Span,
    name_suffix: &str,
) -> Value {
    let mut props = obj(
        span,
        vec![
            (
                "AssumeRolePolicyDocument",
                mk::policy_document(
                    vec![obj(
                        span,
                        vec![
                            ("Effect", s("Allow", span)),
                            (
                                "Principal",
                                obj(
                                    span,
                                    vec![(
                                        "Service",
                                        seq(span, vec![s("lambda.amazonaws.com", span)]),
                                    )],
                                ),
                            ),
                            ("Action", seq(span, vec![s("sts:AssumeRole", span)])),
                        ],
                    )],
                    span,
                ),
            ),
            (
                "Policies",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![
                            (
                                "PolicyName",
                                mk::join(
                                    "-",
                                    vec![
                                        s(&x.service, span),
                                        s(&x.stage, span),
                                        s(name_suffix, span),
                                    ],
                                    span,
                                ),
                            ),
                            ("PolicyDocument", mk::policy_document(statements, span)),
                        ],
                    )],
                ),
            ),
            ("Path", s("/", span)),
        ],
    );
    if !managed.is_empty() {
        mk::set(&mut props, "ManagedPolicyArns", seq(span, managed));
    }
    props
}

pub(super) fn log_statements(x: &Sls, span: Span) -> Vec<Value> {
    let base = format!(
        "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{}-{}*",
        x.service, x.stage
    );
    vec![
        mk::allow(
            &[
                "logs:CreateLogStream",
                "logs:CreateLogGroup",
                "logs:TagResource",
            ],
            seq(span, vec![sub(format!("{base}:*"), span)]),
            span,
        ),
        mk::allow(
            &["logs:PutLogEvents"],
            seq(span, vec![sub(format!("{base}:*:*"), span)]),
            span,
        ),
    ]
}

/// User statements: `provider.iam.role.statements`, else legacy `provider.iamRoleStatements`.
pub(super) fn provider_statements(x: &Sls) -> Vec<Value> {
    let st = x
        .p(&["iam", "role", "statements"])
        .or_else(|| x.p(&["iamRoleStatements"]));
    st.map(|v| v.items().into_iter().cloned().collect())
        .unwrap_or_default()
}

fn provider_managed(x: &Sls) -> Vec<Value> {
    x.p(&["iam", "role", "managedPolicies"])
        .or_else(|| x.p(&["iamManagedPolicies"]))
        .map(|v| v.items().into_iter().cloned().collect())
        .unwrap_or_default()
}

/// Does the provider name an existing role (no `IamRoleLambdaExecution` then)?
pub(super) fn existing_provider_role(x: &Sls) -> Option<Value> {
    if let Some(r) = x.p(&["iam", "role"]) {
        if r.as_str().is_some() || r.intrinsic().is_some() {
            return Some(r.clone());
        }
    }
    x.p(&["role"]).cloned()
}

pub(super) fn role_value(role: &Value, span: Span) -> Value {
    match role.as_str() {
        Some(a) if a.starts_with("arn:") => role.clone(),
        Some("IamRoleLambdaExecution") | None if role.intrinsic().is_some() => role.clone(),
        Some(id) => getatt(id, "Arn", span),
        None => role.clone(),
    }
}

pub(super) fn shared_role(x: &mut Sls, functions: &[(String, Span, Value)]) {
    if existing_provider_role(x).is_some() {
        return;
    }
    let needs = functions
        .iter()
        .any(|(_, _, f)| f.get("role").is_none() && !own_role_wanted(x, f));
    if !needs {
        return;
    }
    let span = x.provider.span;
    let mut statements = log_statements(x, span);
    statements.extend(provider_statements(x));
    statements.extend(std::mem::take(&mut x.role_statements));
    let mut managed = provider_managed(x);
    if x.p(&["vpc"]).is_some() || functions.iter().any(|(_, _, f)| f.get("vpc").is_some()) {
        managed.push(sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            span,
        ));
    }
    let mut props = role_props(x, statements, managed, span, "lambda");
    mk::set(
        &mut props,
        "RoleName",
        mk::join(
            "-",
            vec![
                s(&x.service, span),
                s(&x.stage, span),
                ref_("AWS::Region", span),
                s("lambdaRole", span),
            ],
            span,
        ),
    );
    if let Some(pb) = x
        .p(&["iam", "role", "permissionsBoundary"])
        .or_else(|| x.p(&["rolePermissionsBoundary"]))
    {
        mk::set(&mut props, "PermissionsBoundary", pb.clone());
    }
    let mut r = mk::resource(
        "IamRoleLambdaExecution".into(),
        "AWS::IAM::Role",
        props,
        span,
        "provider",
    );
    r.span = x
        .p(&["iam"])
        .or_else(|| x.p(&["iamRoleStatements"]))
        .map_or(span, |v| v.span);
    x.out.insert(0, r);
}

/// Does this function get its own role (`<Fn>IamRoleLambdaExecution`)? v4 built-in or the
/// `serverless-iam-roles-per-function` plugin: own statements/managed policies, or
/// `provider.iam.role.mode: perFunction`.
pub(super) fn own_role_wanted(x: &Sls, f: &Value) -> bool {
    has_own_statements(f)
        || x.p(&["iam", "role", "mode"]).and_then(Value::as_str) == Some("perFunction")
}

fn has_own_statements(f: &Value) -> bool {
    f.get("iamRoleStatements").is_some()
        || f.get_path(&["iam", "role", "statements"]).is_some()
        || f.get_path(&["iam", "role", "managedPolicies"]).is_some()
}
