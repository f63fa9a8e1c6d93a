//! `AWS::Serverless::StateMachine` → `AWS::StepFunctions::StateMachine`, its implicit role, and
//! its `Schedule`/`CloudWatchEvent`/`EventBridgeRule`, `ScheduleV2` and `Api` events.

use crate::value::Value;

use super::api::{add_route, ensure_implicit, op_key, ApiKind, IMPLICIT_REST_API};
use super::events::events_rule;
use super::mk::{self, getatt, obj, ref_, s, seq, sub};
use super::policies::{assume_role_document, build_role, managed_arn, statement_policy};
use super::{created_by_sam, gen, plain_id, props_or_empty, Cx, Resource};

pub(super) fn expand_state_machine(cx: &mut Cx, r: &Resource) -> Vec<Resource> {
    let id = r.id.as_str();
    let span = r.span;
    let cond = &r.condition;
    let props = props_or_empty(r);
    let mut sm = mk::empty(span);
    mk::copy(&props, "Definition", &mut sm, "Definition");
    mk::copy(
        &props,
        "DefinitionSubstitutions",
        &mut sm,
        "DefinitionSubstitutions",
    );
    if let Some(uri) = props.get("DefinitionUri") {
        let loc = match uri.as_str().and_then(|u| u.strip_prefix("s3://")) {
            Some(rest) => {
                let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
                obj(
                    uri.span,
                    vec![("Bucket", s(b, uri.span)), ("Key", s(k, uri.span))],
                )
            }
            None if uri.as_str().is_some() => {
                cx.warn(
                    format!(
                        "`{id}`: DefinitionUri points at a local file pillarlint does not read"
                    ),
                    uri.span,
                );
                obj(uri.span, vec![("Key", uri.clone())])
            }
            None => uri.clone(),
        };
        mk::set(&mut sm, "DefinitionS3Location", loc);
    }
    mk::copy(&props, "Name", &mut sm, "StateMachineName");
    mk::copy(&props, "Type", &mut sm, "StateMachineType");
    mk::copy(&props, "Logging", &mut sm, "LoggingConfiguration");
    mk::copy(&props, "Tracing", &mut sm, "TracingConfiguration");
    mk::set(
        &mut sm,
        "Tags",
        created_by_sam("stateMachine:createdBy", &props, span),
    );
    let mut extra = Vec::new();
    match props.get("Role") {
        Some(role) => {
            if props.get("Policies").is_some() {
                cx.warn(
                    format!("`{id}` sets both `Role` and `Policies`; SAM rejects this"),
                    span,
                );
            }
            mk::set(&mut sm, "RoleArn", role.clone());
        }
        None => {
            let mut first = Vec::new();
            if props
                .get_path(&["Tracing", "Enabled"])
                .and_then(Value::as_bool)
                == Some(true)
            {
                first.push(managed_arn("AWSXrayWriteOnlyAccess", span));
            }
            let role = build_role(
                cx,
                id,
                cond,
                &props,
                "states.amazonaws.com",
                first,
                Vec::new(),
                span,
                Some("stateMachine:createdBy"),
            );
            mk::set(&mut sm, "RoleArn", getatt(&role.id, "Arn", span));
            extra.push(role);
        }
    }
    for (k, ev) in props.get("Events").and_then(Value::as_map).unwrap_or(&[]) {
        let sp = k.span;
        let eid = format!("{id}{}", k.name);
        let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("");
        let p = ev
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| mk::empty(sp));
        let role_id = format!("{eid}Role");
        let start = |service: &str, name: &str| {
            let mut role = mk::resource(
                role_id.clone(),
                "AWS::IAM::Role",
                obj(
                    sp,
                    vec![
                        (
                            "AssumeRolePolicyDocument",
                            assume_role_document(service, sp),
                        ),
                        (
                            "Policies",
                            seq(
                                sp,
                                vec![statement_policy(
                                    name,
                                    &["states:StartExecution"],
                                    ref_(id, sp),
                                    sp,
                                )],
                            ),
                        ),
                    ],
                ),
                sp,
                id,
            );
            role.condition = cond.clone();
            role
        };
        match ty {
            "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                let mut rule = events_rule(ty, &p, sp);
                let mut tgt = obj(
                    sp,
                    vec![
                        ("Arn", ref_(id, sp)),
                        ("Id", s(format!("{eid}StepFunctionsTarget"), sp)),
                        ("RoleArn", getatt(&role_id, "Arn", sp)),
                    ],
                );
                mk::copy(&p, "Input", &mut tgt, "Input");
                mk::set(&mut rule, "Targets", seq(sp, vec![tgt]));
                extra.push(gen(cond, eid.clone(), "AWS::Events::Rule", rule, sp, id));
                extra.push(start(
                    "events.amazonaws.com",
                    &format!("{eid}RoleStartExecutionPolicy"),
                ));
            }
            "ScheduleV2" => {
                let mut sched = obj(
                    sp,
                    vec![("FlexibleTimeWindow", obj(sp, vec![("Mode", s("OFF", sp))]))],
                );
                for kk in [
                    "ScheduleExpression",
                    "ScheduleExpressionTimezone",
                    "Name",
                    "State",
                ] {
                    mk::copy(&p, kk, &mut sched, kk);
                }
                mk::set(
                    &mut sched,
                    "Target",
                    obj(
                        sp,
                        vec![
                            ("Arn", ref_(id, sp)),
                            ("RoleArn", getatt(&role_id, "Arn", sp)),
                        ],
                    ),
                );
                extra.push(gen(
                    cond,
                    eid.clone(),
                    "AWS::Scheduler::Schedule",
                    sched,
                    sp,
                    id,
                ));
                extra.push(start(
                    "scheduler.amazonaws.com",
                    &format!("{eid}StartExecutionPolicy"),
                ));
            }
            "Api" => {
                let (Some(path), Some(method)) = (
                    p.get("Path").and_then(Value::as_str),
                    p.get("Method").and_then(Value::as_str),
                ) else {
                    cx.warn(
                        format!("Api event `{}` needs `Path` and `Method`", k.name),
                        sp,
                    );
                    continue;
                };
                let api = match p.get("RestApiId") {
                    None => {
                        ensure_implicit(cx, ApiKind::Rest, sp);
                        Some(IMPLICIT_REST_API.to_owned())
                    }
                    Some(v) => plain_id(v),
                };
                let path_span = p.get("Path").map_or(sp, |v| v.span);
                let operation = obj(path_span, vec![
                    ("x-amazon-apigateway-integration", obj(path_span, vec![
                        ("type", s("aws", path_span)),
                        ("httpMethod", s("POST", path_span)),
                        ("uri", sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution", path_span)),
                        ("credentials", getatt(&role_id, "Arn", path_span)),
                        ("requestTemplates", obj(path_span, vec![(
                            "application/json",
                            sub(format!("{{\"input\": \"$util.escapeJavaScript($input.json('$'))\", \"stateMachineArn\": \"${{{id}}}\"}}"), path_span),
                        )])),
                    ])),
                    ("responses", mk::empty(path_span)),
                ]);
                add_route(
                    cx,
                    api.as_deref(),
                    ApiKind::Rest,
                    path,
                    &op_key(method),
                    operation,
                    p.get("Auth").cloned(),
                    path_span,
                    cond,
                );
                extra.push(start(
                    "apigateway.amazonaws.com",
                    &format!("{eid}RoleStartExecutionPolicy"),
                ));
            }
            other => cx.warn(
                format!("state machine event type `{other}` is not expanded by pillarlint yet"),
                sp,
            ),
        }
    }
    let mut m = gen(
        cond,
        id.to_owned(),
        "AWS::StepFunctions::StateMachine",
        sm,
        span,
        id,
    );
    m.origin = crate::model::Origin::Declared;
    m.source_type = Some(r.type_.clone());
    m.depends_on = r.depends_on.clone();
    let mut out = vec![m];
    out.extend(extra);
    out
}
