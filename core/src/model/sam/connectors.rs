//! Connectors (`AWS::Serverless::Connector` and embedded `Connectors:`), IAM-policy based
//! profiles: an `AWS::IAM::ManagedPolicy` attached to the source's role.

use crate::span::Span;
use crate::value::Value;

use super::mk::{self, getatt, obj, ref_, s, seq};
use super::{gen, Cx, Resource};

/// One connector: its logical ID, source, destinations and permissions.
pub(super) struct ConnectorSpec {
    id: String,
    span: Span,
    condition: Option<String>,
    source: Value,
    destinations: Vec<Value>,
    permissions: Vec<String>,
}

/// `AWS::Serverless::Connector` resources and embedded `Connectors:` attributes
/// (`<Source><Name>`, source = the resource that holds them).
pub(super) fn connector_specs(root: &Value) -> Vec<ConnectorSpec> {
    let mut out = Vec::new();
    for (k, v) in root.get("Resources").and_then(Value::as_map).unwrap_or(&[]) {
        let cond = v
            .get("Condition")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut push = |id: String, span: Span, props: &Value, source: Value| {
            let destinations = props
                .get("Destination")
                .map(|d| match d.as_seq() {
                    Some(items) => items.to_vec(),
                    None => vec![d.clone()],
                })
                .unwrap_or_default();
            let permissions = props
                .get("Permissions")
                .map(|p| {
                    p.items()
                        .iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            out.push(ConnectorSpec {
                id,
                span,
                condition: cond.clone(),
                source,
                destinations,
                permissions,
            });
        };
        if v.get("Type").and_then(Value::as_str) == Some("AWS::Serverless::Connector") {
            let props = v
                .get("Properties")
                .cloned()
                .unwrap_or_else(|| mk::empty(k.span));
            let source = props
                .get("Source")
                .cloned()
                .unwrap_or_else(|| mk::empty(k.span));
            push(k.name.clone(), k.span, &props, source);
        }
        for (ck, cv) in v.get("Connectors").and_then(Value::as_map).unwrap_or(&[]) {
            let props = cv
                .get("Properties")
                .cloned()
                .unwrap_or_else(|| mk::empty(ck.span));
            let mut source = props
                .get("SourceReference")
                .cloned()
                .unwrap_or_else(|| mk::empty(ck.span));
            mk::set(&mut source, "Id", s(&k.name, k.span));
            push(format!("{}{}", k.name, ck.name), ck.span, &props, source);
        }
    }
    out
}

/// Actions a connector grants, by destination type and permission (SAM's connector profiles,
/// IAM-policy based ones).
fn connector_actions(dest_type: &str, perm: &str) -> &'static [&'static str] {
    match (dest_type, perm) {
        ("AWS::DynamoDB::Table", "Read") => &[
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:PartiQLSelect",
        ],
        ("AWS::DynamoDB::Table", "Write") => &[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:PartiQLDelete",
            "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate",
        ],
        ("AWS::S3::Bucket", "Read") => &[
            "s3:GetObject",
            "s3:GetObjectAcl",
            "s3:GetObjectLegalHold",
            "s3:GetObjectRetention",
            "s3:GetObjectTorrent",
            "s3:GetObjectVersion",
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionTorrent",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
            "s3:ListBucketVersions",
            "s3:ListMultipartUploadParts",
        ],
        ("AWS::S3::Bucket", "Write") => &[
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:PutObject",
            "s3:PutObjectLegalHold",
            "s3:PutObjectRetention",
            "s3:RestoreObject",
        ],
        ("AWS::SQS::Queue", "Read") => &["sqs:ReceiveMessage", "sqs:GetQueueAttributes"],
        ("AWS::SQS::Queue", "Write") => &[
            "sqs:DeleteMessage",
            "sqs:SendMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:PurgeQueue",
        ],
        ("AWS::SNS::Topic", "Write") => &["sns:Publish"],
        ("AWS::Lambda::Function", "Read") => &["lambda:GetFunction"],
        ("AWS::Lambda::Function", "Write") => &["lambda:InvokeAsync", "lambda:InvokeFunction"],
        ("AWS::StepFunctions::StateMachine", "Read") => {
            &["states:DescribeStateMachine", "states:ListExecutions"]
        }
        ("AWS::StepFunctions::StateMachine", "Write") => &[
            "states:StartExecution",
            "states:StartSyncExecution",
            "states:StopExecution",
        ],
        ("AWS::Events::EventBus", "Write") => &["events:PutEvents"],
        ("AWS::SecretsManager::Secret", "Read") => &["secretsmanager:GetSecretValue"],
        _ => &[],
    }
}

pub(super) fn expand_connector(cx: &mut Cx, c: &ConnectorSpec, resources: &mut Vec<Resource>) {
    let sp = c.span;
    let mut generated: Vec<Resource> = Vec::new();
    let find = |v: &Value| -> Option<(String, String)> {
        let id = v.get("Id").and_then(Value::as_str)?;
        let r = resources.iter().find(|r| r.id == id)?;
        Some((r.id.clone(), r.type_.clone()))
    };
    let Some((src_id, src_type)) = find(&c.source) else {
        cx.warn(
            format!("connector `{}`: its source is not a resource of this template (by `Id`); not expanded", c.id),
            sp,
        );
        return;
    };
    // The role the source runs as.
    let role_value = match src_type.as_str() {
        "AWS::Lambda::Function" => resources
            .iter()
            .find(|r| r.id == src_id)
            .and_then(|r| r.prop("Role").cloned()),
        "AWS::StepFunctions::StateMachine" => resources
            .iter()
            .find(|r| r.id == src_id)
            .and_then(|r| r.prop("RoleArn").cloned()),
        _ => None,
    };
    let role_id = role_value.as_ref().and_then(|v| {
        let mut found = None;
        crate::model::resolve::collect_refs(v, &mut |n, _| {
            if found.is_none()
                && resources
                    .iter()
                    .any(|r| r.id == n && r.type_ == "AWS::IAM::Role")
            {
                found = Some(n.to_owned());
            }
        });
        found
    });
    let Some(role_id) = role_id else {
        cx.warn(
            format!("connector `{}`: source `{src_id}` ({src_type}) has no role of this template to attach a policy to; not expanded", c.id),
            sp,
        );
        return;
    };
    let several = c.destinations.len() > 1;
    for (i, d) in c.destinations.iter().enumerate() {
        let (dest_arn, dest_type) = match find(d) {
            Some((id, ty)) => {
                let arn = match ty.as_str() {
                    "AWS::SNS::Topic"
                    | "AWS::StepFunctions::StateMachine"
                    | "AWS::SecretsManager::Secret" => ref_(&id, d.span),
                    _ => getatt(&id, "Arn", d.span),
                };
                (arn, ty)
            }
            None => match (d.get("Arn"), d.get("Type").and_then(Value::as_str)) {
                (Some(a), Some(ty)) => (a.clone(), ty.to_owned()),
                _ => {
                    cx.warn(
                        format!(
                            "connector `{}`: destination needs `Id` or `Arn` + `Type`",
                            c.id
                        ),
                        d.span,
                    );
                    continue;
                }
            },
        };
        let mut statements = Vec::new();
        for perm in &c.permissions {
            let actions = connector_actions(&dest_type, perm);
            if actions.is_empty() {
                cx.warn(
                    format!("connector `{}`: {perm} from {src_type} to {dest_type} is not modelled by pillarlint", c.id),
                    sp,
                );
                continue;
            }
            // The destination, and what lies under it (a table's indexes, a bucket's objects).
            let under = match dest_type.as_str() {
                "AWS::DynamoDB::Table" => Some("${DestinationArn}/index/*"),
                "AWS::S3::Bucket" => Some("${DestinationArn}/*"),
                _ => None,
            };
            let mut resource = vec![dest_arn.clone()];
            if let Some(under) = under {
                resource.push(Value::single(
                    "Fn::Sub",
                    sp,
                    seq(
                        sp,
                        vec![
                            s(under, sp),
                            obj(sp, vec![("DestinationArn", dest_arn.clone())]),
                        ],
                    ),
                ));
            }
            let resource = seq(sp, resource);
            statements.push(mk::allow(actions, resource, sp));
        }
        if statements.is_empty() {
            continue;
        }
        let pid = if several {
            format!("{}PolicyDestination{i}", c.id)
        } else {
            format!("{}Policy", c.id)
        };
        let props = obj(
            sp,
            vec![
                ("PolicyDocument", mk::policy_document(statements, sp)),
                ("Roles", seq(sp, vec![ref_(&role_id, sp)])),
            ],
        );
        generated.push(gen(
            &c.condition,
            pid,
            "AWS::IAM::ManagedPolicy",
            props,
            sp,
            &c.id,
        ));
    }
    resources.extend(generated);
}
