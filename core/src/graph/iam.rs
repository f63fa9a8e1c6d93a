//! IAM lookups: the `Allow` statements of a role and what they reach, ARN patterns, fixed
//! physical names and the nodes a configuration value names. A leaf shared by the builders:
//! [`super::access`] draws the `access` edges from it, [`super::routes`] the service
//! integrations that run with a role, [`super::derived`] what a guest identity reaches.
//!
//! Statements come from the IAM model ([`crate::iam`]): the role's inline `Policies`,
//! `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources attached to it (by their `Roles`
//! or the role's `ManagedPolicyArns`), and AWS managed policies named in `ManagedPolicyArns`,
//! which are mapped to service-wide grants on `*` (see [`crate::iam::managed`]). The Lambda
//! execution-role managed policies (`AWSLambdaBasicExecutionRole`, the VPC, SQS, Kinesis,
//! DynamoDB-stream and MSK execution roles, X-Ray write access) exist for the platform to
//! poll event sources and write logs: they are shown on the role fact, not drawn as edges.
//!
//! Resources are matched by `Ref`/`GetAtt`/`Sub`/`Join` (`${Table.Arn}/index/*`,
//! `arn:...:table/${Table}` and `arn:...:table/<literal name>` all reach the table). A
//! `Resource: "*"`, a service-wide ARN (`arn:aws:dynamodb:*:*:table/*`) or a `*` action
//! reaches every store of that service in the template, and the edge says `wildcard`.
//! ARNs and imports that match nothing in the template become external nodes.
//! `Deny` statements, conditions and permission boundaries are not subtracted: an edge
//! says what the `Allow` statements grant (the conservative reading for a security tool).

use crate::smap::StrSet;

use crate::model::resolve::sub_variables;
use crate::model::{Resource, Template};
use crate::span::Span;
use crate::value::{Node, Value};

use super::lookup::{external, function_role, services_of_type, targets};
use super::{Graph, NodeKind};

/// AWS managed policy name from an ARN value (`arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`,
/// with `${AWS::Partition}`), or the logical id of a template managed policy.
pub fn managed_policy_name(t: &Template, v: &Value) -> Option<String> {
    if let Some(id) = targets(t, v).into_iter().next() {
        return Some(id);
    }
    let text = match &v.node {
        Node::String(s) => s.clone(),
        _ => match v.intrinsic() {
            Some(("Fn::Sub", arg)) => arg
                .as_str()
                .or_else(|| arg.as_seq().and_then(|s| s.first()).and_then(Value::as_str))?
                .to_owned(),
            Some(("Fn::Join", arg)) => arg.as_seq().and_then(|s| s.get(1)).map(|parts| {
                parts
                    .items()
                    .iter()
                    .filter_map(|p| p.as_str())
                    .collect::<String>()
            })?,
            _ => return None,
        },
    };
    let i = text.find(":policy/")?;
    let name = text[i + ":policy/".len()..].rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// IAM services whose resources are data stores or invocable targets: ARNs of these
/// outside the template become external nodes; other ARNs (logs, X-Ray, EC2, IAM) do not.
pub const STORE_SERVICES: &[&str] = &[
    "dynamodb",
    "s3",
    "sqs",
    "sns",
    "kinesis",
    "firehose",
    "secretsmanager",
    "ssm",
    "kms",
    "lambda",
    "states",
    "events",
    "rds",
    "rds-data",
    "rds-db",
    "docdb-elastic",
    "es",
    "cognito-idp",
    "elasticache",
    "memorydb",
    "neptune-db",
    "redshift",
    "redshift-data",
];

pub(super) fn action_service(a: &str) -> &str {
    if a == "*" {
        return "*";
    }
    a.split_once(':').map_or("", |(s, _)| s)
}

/// A string with `${...}` pieces the template cannot fix replaced by `*`, for matching
/// ARN patterns: pseudo parameters and parameters without defaults become `*`; a
/// parameter with a literal default becomes that default. `None` when the value is not a
/// string, `Sub` or `Join`.
pub fn arn_pattern(t: &Template, v: &Value, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    let (name, arg) = v.intrinsic()?;
    match name {
        "Ref" => {
            let n = arg.as_str()?;
            if t.resource(n).is_some() {
                return None;
            }
            Some(
                t.parameter(n)
                    .and_then(|p| p.default.as_ref())
                    .and_then(|d| arn_pattern(t, d, depth + 1))
                    .unwrap_or_else(|| "*".to_owned()),
            )
        }
        "Fn::Sub" => {
            let (s, vars) = match &arg.node {
                Node::Seq(items) => (items.first()?.as_str()?, items.get(1)),
                _ => (arg.as_str()?, None),
            };
            let mut out = s.to_owned();
            for var in sub_variables(s) {
                let base = var.split('.').next().unwrap_or(var);
                let rep = if let Some(val) = vars.and_then(|m| m.get(base)) {
                    arn_pattern(t, val, depth + 1)?
                } else if t.resource(base).is_some() {
                    return None;
                } else {
                    t.parameter(base)
                        .and_then(|p| p.default.as_ref())
                        .and_then(|d| arn_pattern(t, d, depth + 1))
                        .unwrap_or_else(|| "*".to_owned())
                };
                out = out.replacen(&format!("${{{var}}}"), &rep, 1);
            }
            Some(out)
        }
        "Fn::Join" => {
            let items = arg.as_seq()?;
            let sep = items.first()?.as_str()?;
            let mut parts = Vec::new();
            for p in items.get(1)?.items() {
                parts.push(arn_pattern(t, p, depth + 1)?);
            }
            Some(parts.join(sep))
        }
        _ => None,
    }
}

/// Glob match with `*` and `?`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = text.chars().collect();
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// The name a resource gets in its ARN, when the template fixes it.
pub fn physical_name(t: &Template, r: &Resource) -> Option<String> {
    let key = match r.type_.as_str() {
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => "TableName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::Kinesis::Stream"
        | "AWS::SecretsManager::Secret"
        | "AWS::SSM::Parameter"
        | "AWS::Events::EventBus" => "Name",
        "AWS::KinesisFirehose::DeliveryStream" => "DeliveryStreamName",
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::StepFunctions::StateMachine" => "StateMachineName",
        "AWS::RDS::DBCluster" | "AWS::DocDB::DBCluster" => "DBClusterIdentifier",
        "AWS::RDS::DBInstance" => "DBInstanceIdentifier",
        _ => return None,
    };
    let p = arn_pattern(t, r.prop(key)?, 0)?;
    (!p.contains('*')).then_some(p)
}

/// Nodes a configuration value names: by `Ref`/`GetAtt`/`Sub`, or by a literal that equals
/// a store's fixed physical name (`TABLE: orders-prod`, `!Ref TableNameParam`).
pub fn named_nodes(t: &Template, g: &Graph, v: &Value) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for (id, span) in crate::model::resolve::resource_refs(t, v) {
        let id = super::lookup::through_alias(t, &id);
        if g.has(&id) && !out.iter().any(|(x, _)| *x == id) {
            out.push((id, span));
        }
    }
    if v.intrinsic().is_none() {
        let children: Vec<&Value> = match &v.node {
            Node::Map(m) => m.iter().map(|(_, x)| x).collect(),
            Node::Seq(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        if !children.is_empty() {
            for c in children {
                for (id, span) in named_nodes(t, g, c) {
                    if !out.iter().any(|(x, _)| *x == id) {
                        out.push((id, span));
                    }
                }
            }
            return out;
        }
    }
    if out.is_empty() {
        if let Some(lit) = arn_pattern(t, v, 0).filter(|s| !s.contains('*') && !s.is_empty()) {
            for id in g.names.get(&lit).map(Vec::as_slice).unwrap_or_default() {
                out.push((id.clone(), v.span));
            }
        }
    }
    out
}

/// Does an ARN's resource part name a store or an invocable target of its service?
fn is_store_resource(svc: &str, res: &str) -> bool {
    let prefixes: &[&str] = match svc {
        "dynamodb" => &["table/", "*"],
        "kinesis" => &["stream/", "*"],
        "firehose" => &["deliverystream/", "*"],
        "secretsmanager" => &["secret:", "*"],
        "ssm" => &["parameter/", "*"],
        "lambda" => &["function:", "*"],
        "states" => &["stateMachine:", "*"],
        "events" => &["event-bus/", "*"],
        "kms" => &["key/", "alias/", "*"],
        "cognito-idp" => &["userpool/", "*"],
        "rds" | "rds-data" | "rds-db" => &["cluster:", "db:", "dbuser:", "*"],
        _ => return true,
    };
    prefixes.iter().any(|p| res.starts_with(p))
}

/// The name segment of an ARN's resource part, per service.
fn name_segment<'a>(svc: &str, res: &'a str) -> &'a str {
    let strip = |p: &str| res.strip_prefix(p).unwrap_or(res);
    match svc {
        "dynamodb" => strip("table/").split('/').next().unwrap_or(""),
        "s3" => res.split('/').next().unwrap_or(""),
        "kinesis" => strip("stream/").split('/').next().unwrap_or(""),
        "firehose" => strip("deliverystream/"),
        "secretsmanager" => strip("secret:"),
        "ssm" => strip("parameter"),
        "lambda" => strip("function:").split(':').next().unwrap_or(""),
        "states" => strip("stateMachine:").split(':').next().unwrap_or(""),
        "events" => strip("event-bus/"),
        "kms" => strip("key/"),
        "cognito-idp" => strip("userpool/"),
        "rds" | "rds-data" | "rds-db" => res.rsplit(':').next().unwrap_or(""),
        _ => res,
    }
}

fn name_matches(svc: &str, seg: &str, name: &str) -> bool {
    match svc {
        "ssm" => glob(seg.trim_start_matches('/'), name.trim_start_matches('/')),
        "secretsmanager" => {
            glob(seg, name)
                || seg
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('*'))
        }
        _ => glob(seg, name),
    }
}

/// What one `Resource` entry of a statement reaches.
pub(super) enum Reach {
    Any,
    Service(String),
    Nodes(Vec<String>, bool),
    /// Outside the template: the value naming it, and the ARN's service when known.
    External(Value, Option<String>),
}

fn classify(
    t: &Template,
    g: &mut Graph,
    v: &Value,
    stores: &[(String, &'static [&'static str])],
) -> Option<Reach> {
    if v.as_str().is_some_and(|s| s.trim() == "*") {
        return Some(Reach::Any);
    }
    let named: Vec<String> = targets(t, v).into_iter().filter(|id| g.has(id)).collect();
    if !named.is_empty() {
        return Some(Reach::Nodes(named, false));
    }
    if !targets(t, v).is_empty() {
        // A role, a policy...: not a store.
        return None;
    }
    if super::lookup::import_name(t, v).is_some() {
        return Some(Reach::External(v.clone(), None));
    }
    let pattern = arn_pattern(t, v, 0)?;
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return Some(Reach::External(v.clone(), None));
    }
    let svc = parts[2].to_owned();
    if !STORE_SERVICES.contains(&svc.as_str()) {
        // Logs, X-Ray, EC2, IAM...: not a data store or an invocable target.
        return None;
    }
    let res = parts[5];
    if !is_store_resource(&svc, res) {
        // e.g. a Lambda layer or network connector, a Step Functions execution.
        return None;
    }
    let seg = name_segment(&svc, res);
    if seg.chars().all(|c| c == '*' || c == '/') || res == "*" {
        return Some(Reach::Service(svc));
    }
    let mut hits = Vec::new();
    for (name, ids) in g.names.iter() {
        if !name_matches(&svc, seg, name) {
            continue;
        }
        for id in ids {
            let serves = stores
                .iter()
                .any(|(s, services)| s == id && services.contains(&svc.as_str()));
            if serves && !hits.contains(id) {
                hits.push(id.clone());
            }
        }
    }
    crate::sort::sort(&mut hits);
    if !hits.is_empty() {
        let wild = seg.contains('*');
        return Some(Reach::Nodes(hits, wild));
    }
    let id = format!("arn:{}", parts[1..].join(":"));
    Some(Reach::External(Value::string(id, v.span), Some(svc)))
}

/// The role a Cognito identity pool gives to `unauthenticated` (guest) or `authenticated`
/// identities (`AWS::Cognito::IdentityPoolRoleAttachment`).
pub fn identity_pool_role<'a>(t: &'a Template, pool: &str, which: &str) -> Option<&'a Resource> {
    t.resources_of("AWS::Cognito::IdentityPoolRoleAttachment")
        .filter(|a| {
            a.prop("IdentityPoolId")
                .is_some_and(|v| targets(t, v).iter().any(|x| x == pool))
        })
        .find_map(|a| {
            let v = a.prop_path(&["Roles", which])?;
            targets(t, v)
                .into_iter()
                .find_map(|id| t.resource(&id).filter(|r| r.type_ == "AWS::IAM::Role"))
        })
}

/// Principals with a role: functions and state machines (`Role` / `RoleArn`), and identity
/// pools (their guest role first, then their authenticated role).
pub(super) fn principals<'a>(t: &'a Template, g: &Graph) -> Vec<(&'a Resource, &'a Resource)> {
    let mut out: Vec<(&Resource, &Resource)> = t
        .resources
        .iter()
        .filter(|r| {
            g.node(&r.id)
                .is_some_and(|n| matches!(n.kind, NodeKind::Function | NodeKind::StateMachine))
        })
        .filter_map(|r| function_role(t, r).map(|role| (r, role)))
        .collect();
    for pool in t.resources.iter().filter(|r| {
        g.node(&r.id)
            .is_some_and(|n| n.kind == NodeKind::IdentityPool)
    }) {
        for which in ["unauthenticated", "authenticated"] {
            if let Some(role) = identity_pool_role(t, &pool.id, which) {
                out.push((pool, role));
            }
        }
    }
    // IAM users and groups, and roles that stand alone (no function runs as them): what
    // people and other services can touch.
    for r in t.resources.iter().filter(|r| {
        g.node(&r.id)
            .is_some_and(|n| matches!(n.kind, NodeKind::User | NodeKind::Group | NodeKind::Role))
    }) {
        out.push((r, r));
    }
    out
}

/// The `via` values of the access edges a role's statements produce (the role, its policy
/// resources).
pub fn role_vias(iam: &crate::iam::IamModel, role: &Resource) -> StrSet {
    statements(iam, role).into_iter().map(|s| s.via).collect()
}

#[derive(Debug)]
pub(super) struct Stmt {
    pub(super) via: String,
    /// `managed:<policy>` for the statements of an AWS managed policy (`via` is the role).
    pub(super) detail: Option<String>,
    pub(super) actions: Vec<String>,
    pub(super) resources: Vec<Value>,
    pub(super) any_resource: bool,
    pub(super) span: Span,
}

/// The `Allow` statements of a role, from the IAM model: its own policies and the policy
/// resources attached to it first, then its AWS managed policies (mapped to service-wide
/// grants on `*`, see [`crate::iam::managed`]).
pub(super) fn statements(iam: &crate::iam::IamModel, role: &Resource) -> Vec<Stmt> {
    let docs = iam.docs_of(&role.id);
    let (managed, own): (Vec<_>, Vec<_>) = docs.into_iter().partition(|(d, _)| d.managed.is_some());
    let mut out = Vec::new();
    for (d, _) in own.into_iter().chain(managed) {
        for st in d.statements.iter().filter(|s| s.is_allow()) {
            let actions: Vec<String> = if st.not_action {
                vec!["*".to_owned()]
            } else {
                st.actions
                    .iter()
                    .filter(|a| !a.text.is_empty() && !a.text.contains("${"))
                    .map(|a| a.text.clone())
                    .collect()
            };
            out.push(Stmt {
                via: d.carrier.clone(),
                detail: d.managed.as_ref().map(|m| format!("managed:{m}")),
                actions,
                resources: st
                    .resources
                    .iter()
                    .filter_map(|r| r.value.clone())
                    .collect(),
                any_resource: d.managed.is_some() || st.not_resource,
                span: st.span,
            });
        }
    }
    out
}

/// The nodes of the graph that hold data or run code, with the IAM services that reach them.
pub(super) fn stores(t: &Template, g: &Graph) -> Vec<(String, &'static [&'static str])> {
    t.resources
        .iter()
        .filter(|r| g.has(&r.id))
        .map(|r| (r.id.clone(), services_of_type(&r.type_)))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// What a statement's resources reach (`Reach::Any` first for `NotResource`).
pub(super) fn reaches(
    t: &Template,
    g: &mut Graph,
    st: &Stmt,
    stores: &[(String, &'static [&'static str])],
) -> Vec<Reach> {
    let mut out = Vec::new();
    if st.any_resource {
        out.push(Reach::Any);
    }
    for r in &st.resources {
        if let Some(x) = classify(t, g, r, stores) {
            out.push(x);
        }
    }
    out
}

/// The nodes (or external nodes) a role's statements reach for one IAM service: what an
/// API Gateway service integration running with that role (`Credentials`) can touch.
pub fn role_targets(t: &Template, g: &mut Graph, role: &Resource, svc: &str) -> Vec<String> {
    let mut stores = stores(t, g);
    stores.retain(|(_, s)| s.contains(&svc));
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: String| {
        if !out.contains(&id) {
            out.push(id);
        }
    };
    for st in statements(&g.iam, role) {
        let applies = st.actions.iter().any(|a| {
            let s = action_service(a);
            s == svc || s == "*"
        });
        if !applies {
            continue;
        }
        for reach in reaches(t, g, &st, &stores) {
            match reach {
                Reach::Any => stores.iter().for_each(|(id, _)| push(id.clone())),
                Reach::Service(s) if s == svc => stores.iter().for_each(|(id, _)| push(id.clone())),
                Reach::Nodes(ids, _) => ids
                    .into_iter()
                    .filter(|id| stores.iter().any(|(x, _)| x == id))
                    .for_each(&mut push),
                Reach::External(val, Some(s)) if s == svc => {
                    if let Some(id) = external(t, g, &val) {
                        push(id);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing() {
        assert!(glob("Orders*", "OrdersTable"));
        assert!(glob("*", ""));
        assert!(!glob("Orders", "OrdersTable"));
        assert!(glob("a?c", "abc"));
    }

    #[test]
    fn segments() {
        assert_eq!(name_segment("dynamodb", "table/Books/index/*"), "Books");
        assert_eq!(name_segment("s3", "my-bucket/*"), "my-bucket");
        assert_eq!(name_segment("lambda", "function:fn:live"), "fn");
        assert!(name_matches("ssm", "/app/*", "app/db"));
        assert!(name_matches("secretsmanager", "db-creds-*", "db-creds"));
    }
}
