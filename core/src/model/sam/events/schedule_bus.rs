//! `Schedule`, `CloudWatchEvent` and `EventBridgeRule` (an `AWS::Events::Rule` targeting the
//! function, and the permission for EventBridge) and `ScheduleV2` (an
//! `AWS::Scheduler::Schedule` with a role that may invoke the function).

use crate::span::Span;
use crate::value::Value;

use super::super::function::permission;
use super::super::mk::{self, getatt, obj, s, seq};
use super::super::policies::{build_role, statement_policy};
use super::super::{gen, Cx, Resource};
use super::Event;

/// A `Schedule`, `CloudWatchEvent` or `EventBridgeRule` event.
pub(super) fn rule_event(e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let ty = e.ty;
    let p = &e.props;
    let eid = &e.id;
    let mut rule = events_rule(ty, p, sp);
    if p.get("State").is_none() {
        if let Some(en) = p.get("Enabled").and_then(Value::as_bool) {
            mk::set(
                &mut rule,
                "State",
                s(if en { "ENABLED" } else { "DISABLED" }, sp),
            );
        }
    }
    let target_id = p.get_path(&["Target", "Id"]).cloned().unwrap_or_else(|| {
        // Target ids are limited to 64 characters: SAM cuts the prefix, keeping
        // the `LambdaTarget` suffix.
        let suffix = "LambdaTarget";
        let keep = 64 - suffix.len();
        let prefix: String = eid.chars().take(keep).collect();
        s(format!("{prefix}{suffix}"), sp)
    });
    let mut tgt = obj(sp, vec![("Arn", target.arn(sp)), ("Id", target_id)]);
    for k in ["Input", "InputPath", "InputTransformer", "RetryPolicy"] {
        mk::copy(p, k, &mut tgt, k);
    }
    mk::set(&mut rule, "Targets", seq(sp, vec![tgt]));
    extra.push(gen(cond, eid.clone(), "AWS::Events::Rule", rule, sp, fid));
    extra.push(permission(
        cond,
        format!("{eid}Permission"),
        target,
        "events.amazonaws.com",
        Some(getatt(eid, "Arn", sp)),
        sp,
        fid,
    ));
}

/// A `ScheduleV2` event: without `RoleArn`, SAM generates `<Fn><Ev>Role`.
pub(super) fn schedule_v2_event(cx: &mut Cx, e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
    let role_arn = match p.get("RoleArn") {
        Some(r) => r.clone(),
        None => {
            let rid = format!("{eid}Role");
            let role_props = obj(sp, vec![]);
            let mut role = build_role(
                cx,
                eid,
                cond,
                &role_props,
                "scheduler.amazonaws.com",
                Vec::new(),
                vec![statement_policy(
                    &format!("{eid}LambdaPolicy"),
                    &["lambda:InvokeFunction"],
                    target.arn(sp),
                    sp,
                )],
                sp,
                None,
            );
            role.id = rid.clone();
            mk::remove(&mut role.properties, "ManagedPolicyArns");
            extra.push(role);
            getatt(&rid, "Arn", sp)
        }
    };
    let mut sched = obj(
        sp,
        vec![(
            "FlexibleTimeWindow",
            p.get("FlexibleTimeWindow")
                .cloned()
                .unwrap_or_else(|| obj(sp, vec![("Mode", s("OFF", sp))])),
        )],
    );
    for k in [
        "ScheduleExpression",
        "ScheduleExpressionTimezone",
        "Name",
        "Description",
        "State",
        "GroupName",
        "StartDate",
        "EndDate",
        "KmsKeyArn",
    ] {
        mk::copy(p, k, &mut sched, k);
    }
    let mut tgt = obj(sp, vec![("Arn", target.arn(sp)), ("RoleArn", role_arn)]);
    mk::copy(p, "Input", &mut tgt, "Input");
    mk::copy(p, "RetryPolicy", &mut tgt, "RetryPolicy");
    mk::set(&mut sched, "Target", tgt);
    extra.push(gen(
        cond,
        eid.clone(),
        "AWS::Scheduler::Schedule",
        sched,
        sp,
        fid,
    ));
}

/// The `AWS::Events::Rule` properties a `Schedule`, `CloudWatchEvent` or `EventBridgeRule`
/// event writes before its target.
pub(in crate::model::sam) fn events_rule(ty: &str, p: &Value, sp: Span) -> Value {
    let mut rule = mk::empty(sp);
    if ty == "Schedule" {
        mk::copy(p, "Schedule", &mut rule, "ScheduleExpression");
    } else {
        mk::copy(p, "Pattern", &mut rule, "EventPattern");
        mk::copy(p, "EventBusName", &mut rule, "EventBusName");
    }
    for k in ["Name", "Description", "State"] {
        mk::copy(p, k, &mut rule, k);
    }
    rule
}
