//! A function's `Events`: [`function_event`] reads what every event has (its `Type`, its
//! `Properties`, the `<Fn><Ev>` id prefix) and hands the event to the handler of its family:
//! - [`api`]: `Api` (REST) and `HttpApi` routes, added to the API's OpenAPI body;
//! - [`queue_stream`]: pull sources (`SQS`, `Kinesis`, `DynamoDB`, `MSK`, `MQ`,
//!   `SelfManagedKafka`, `DocumentDB`) as event source mappings;
//! - [`schedule_bus`]: `Schedule`, `CloudWatchEvent`, `EventBridgeRule` (an events rule) and
//!   `ScheduleV2` (an EventBridge Scheduler schedule);
//! - [`s3_sns`]: `S3` (the bucket's notification configuration) and `SNS` (a subscription, with
//!   an SQS queue in between when asked);
//! - [`service_triggers`]: `CloudWatchLogs`, `IoTRule`, `AlexaSkill`, `Cognito`.
//!
//! Events that change a declared resource (S3 notifications, Cognito triggers) record an
//! [`Edit`], applied by [`apply_edits`] once every resource is expanded.

mod api;
mod queue_stream;
mod s3_sns;
mod schedule_bus;
mod service_triggers;

use crate::span::Span;
use crate::value::Value;

use super::function::FnTarget;
use super::mk::{self, seq};
use super::{Cx, Edit, Resource};

pub(super) use schedule_bus::events_rule;

/// One event of a function, as its handler reads it.
struct Event<'a> {
    /// The function (or its alias) the event invokes.
    target: &'a FnTarget,
    /// The function's `Condition`, which every resource generated for it carries.
    cond: &'a Option<String>,
    /// The event's key under `Events`.
    name: &'a str,
    /// The event's key: where generated resources point.
    span: Span,
    /// The event's `Type`.
    ty: &'a str,
    /// The event's `Properties` (an empty map when absent).
    props: Value,
    /// `<Fn><Ev>`: the logical ID (or its prefix) of what the event generates.
    id: String,
}

/// Expand one event of a function: what it generates goes to `extra`, what it adds to the
/// implicit role to `role_managed`/`role_inline`.
#[allow(clippy::too_many_arguments)]
pub(super) fn function_event(
    cx: &mut Cx,
    target: &FnTarget,
    cond: &Option<String>,
    ev: &str,
    ev_span: Span,
    event: &Value,
    extra: &mut Vec<Resource>,
    role_managed: &mut Vec<Value>,
    role_inline: &mut Vec<Value>,
    http_default_owned: &mut Vec<String>,
) {
    let fid = target.id.as_str();
    let Some(ty) = event.get("Type").and_then(Value::as_str) else {
        cx.warn(format!("event `{ev}` has no `Type`"), ev_span);
        return;
    };
    let p = event
        .get("Properties")
        .cloned()
        .unwrap_or_else(|| mk::empty(ev_span));
    let eid = format!("{fid}{ev}");
    let sp = ev_span;
    let e = Event {
        target,
        cond,
        name: ev,
        span: sp,
        ty,
        props: p,
        id: eid,
    };
    match ty {
        "Api" => api::api_event(cx, &e, extra),
        "HttpApi" => api::http_api_event(cx, &e, extra, http_default_owned),
        "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB" => {
            queue_stream::pull_event(&e, extra, role_managed, role_inline)
        }
        "SNS" => s3_sns::sns_event(&e, extra, role_managed),
        "S3" => s3_sns::s3_event(cx, &e, extra),
        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => schedule_bus::rule_event(&e, extra),
        "ScheduleV2" => schedule_bus::schedule_v2_event(cx, &e, extra),
        "CloudWatchLogs" => service_triggers::cloudwatch_logs_event(&e, extra),
        "IoTRule" => service_triggers::iot_rule_event(&e, extra),
        "AlexaSkill" => service_triggers::alexa_skill_event(&e, extra),
        "Cognito" => service_triggers::cognito_event(cx, &e, extra),
        other => cx.warn(
            format!("event type `{other}` of `{fid}` is not expanded by pillarlint yet"),
            sp,
        ),
    }
}

/// Apply the edits events made to declared resources (S3 notifications, Cognito triggers).
pub(super) fn apply_edits(cx: &mut Cx, resources: &mut [Resource]) {
    let edits = std::mem::take(&mut cx.edits);
    for (id, edit) in edits {
        let Some(r) = resources.iter_mut().find(|r| r.id == id) else {
            continue;
        };
        if r.properties.is_null() {
            r.properties = mk::empty(r.span);
        }
        match edit {
            Edit::S3Notification(lc, perm) => {
                let nc = mk::entry_map(&mut r.properties, "NotificationConfiguration");
                if nc.get("LambdaConfigurations").is_none() {
                    let sp = lc.span;
                    mk::set(nc, "LambdaConfigurations", seq(sp, Vec::new()));
                }
                if let Some(list) = mk::get_mut(nc, "LambdaConfigurations") {
                    if !list.items().contains(&&lc) {
                        mk::push(list, lc);
                    }
                }
                if !r.depends_on.contains(&perm) {
                    r.depends_on.push(perm);
                }
            }
            Edit::CognitoTrigger(name, arn) => {
                let lc = mk::entry_map(&mut r.properties, "LambdaConfig");
                if lc.get(&name).is_some() {
                    cx.diags.push((
                        format!(
                            "Cognito trigger `{name}` of `{id}` is set twice; SAM rejects this"
                        ),
                        arn.span,
                    ));
                }
                mk::set(lc, &name, arn);
            }
        }
    }
}
