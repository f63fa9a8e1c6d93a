//! `schedule` (events rules, or EventBridge Scheduler schedules with `method: scheduler`),
//! `eventBridge` and `cloudwatchEvent` (events rules), each with the permission for EventBridge.

use crate::smap::StrMap;
use crate::span::Span;
use crate::value::Value;

use super::super::mk::{self, getatt, obj, s, seq};
use super::super::naming::alnum_name;
use super::super::Sls;
use super::Event;

/// A `schedule` event: one rule (or schedule) per rate.
pub(super) fn schedule_event(x: &mut Sls, e: &Event<'_>, counters: &mut StrMap<usize>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let rates: Vec<Value> = match body.as_str() {
        Some(_) => vec![body.clone()],
        None => body
            .get("rate")
            .map(|r| r.items().into_iter().cloned().collect())
            .unwrap_or_default(),
    };
    let scheduler = body.get("method").and_then(Value::as_str) == Some("scheduler");
    for rate in rates {
        let n = counters.entry_or_insert_with("schedule", || 0);
        *n += 1;
        let n = *n;
        if scheduler {
            x.push(
                format!("{norm}SchedulerSchedule{n}"),
                "AWS::Scheduler::Schedule",
                obj(
                    ev_span,
                    vec![
                        ("ScheduleExpression", rate),
                        (
                            "FlexibleTimeWindow",
                            obj(ev_span, vec![("Mode", s("OFF", ev_span))]),
                        ),
                        (
                            "Target",
                            obj(ev_span, vec![("Arn", getatt(key, "Arn", ev_span))]),
                        ),
                    ],
                ),
                ev_span,
                key,
            );
            continue;
        }
        let enabled = body.get("enabled").and_then(Value::as_bool).unwrap_or(true);
        let mut tgt = obj(
            ev_span,
            vec![
                ("Arn", getatt(key, "Arn", ev_span)),
                ("Id", s(format!("{key}Schedule"), ev_span)),
            ],
        );
        mk::copy(body, "input", &mut tgt, "Input");
        let rid = format!("{norm}EventsRuleSchedule{n}");
        x.push(
            rid.clone(),
            "AWS::Events::Rule",
            obj(
                ev_span,
                vec![
                    ("ScheduleExpression", rate),
                    (
                        "State",
                        s(if enabled { "ENABLED" } else { "DISABLED" }, ev_span),
                    ),
                    ("Targets", seq(ev_span, vec![tgt])),
                ],
            ),
            ev_span,
            key,
        );
        x.push_permission(
            format!("{norm}LambdaPermissionEventsRuleSchedule{n}"),
            key,
            "events.amazonaws.com",
            Some(getatt(&rid, "Arn", ev_span)),
            ev_span,
        );
    }
}

/// An `eventBridge` event: the rule is named after the function and the event's position.
pub(super) fn event_bridge_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let name = e.name;
    let body = e.body;
    let ev_span = e.span;
    let pos = e.pos;
    let n = pos + 1;
    let fname = name.as_str().unwrap_or(key).to_owned();
    let rid = format!(
        "{}EventBridgeRule",
        alnum_name(&format!("{fname}-rule-{n}"))
    );
    let mut rule = enabled_rule(key, format!("{fname}-target"), ev_span);
    mk::copy(body, "pattern", &mut rule, "EventPattern");
    mk::copy(body, "schedule", &mut rule, "ScheduleExpression");
    mk::copy(body, "eventBus", &mut rule, "EventBusName");
    push_rule(
        x,
        key,
        rid,
        rule,
        format!("{norm}EventBridgeLambdaPermission{n}"),
        ev_span,
    );
}

/// A `cloudwatchEvent` event.
pub(super) fn cloudwatch_event_event(x: &mut Sls, e: &Event<'_>, counters: &mut StrMap<usize>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let n = counters.entry_or_insert_with("cwe", || 0);
    *n += 1;
    let n = *n;
    let rid = format!("{norm}EventsRuleCloudWatchEvent{n}");
    let mut rule = enabled_rule(key, format!("{key}CloudWatchEvent"), ev_span);
    mk::copy(body, "event", &mut rule, "EventPattern");
    push_rule(
        x,
        key,
        rid,
        rule,
        format!("{norm}LambdaPermissionEventsRuleCloudWatchEvent{n}"),
        ev_span,
    );
}

/// Push an events rule targeting function `key` and the permission letting it invoke `key`.
fn push_rule(x: &mut Sls, key: &str, rid: String, rule: Value, permission: String, span: Span) {
    let source = getatt(&rid, "Arn", span);
    x.push(rid, "AWS::Events::Rule", rule, span, key);
    x.push_permission(permission, key, "events.amazonaws.com", Some(source), span);
}

/// An enabled `AWS::Events::Rule` whose one target is the function `key`.
fn enabled_rule(key: &str, target_id: String, span: Span) -> Value {
    obj(
        span,
        vec![
            ("State", s("ENABLED", span)),
            (
                "Targets",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![
                            ("Arn", getatt(key, "Arn", span)),
                            ("Id", s(target_id, span)),
                        ],
                    )],
                ),
            ),
        ],
    )
}
