//! Services that invoke the function directly: `CloudWatchLogs` (a subscription filter),
//! `IoTRule` (a topic rule), `AlexaSkill` (a permission) and `Cognito` (a user pool trigger,
//! written into the pool's `LambdaConfig`).

use crate::value::Value;

use super::super::api::{rename_sub_var, sub_with_api};
use super::super::function::permission;
use super::super::mk::{self, boolean, getatt, obj, ref_, s, seq, sub};
use super::super::{gen, plain_id, Cx, Edit, Resource};
use super::Event;

/// A `CloudWatchLogs` event: a subscription filter on the log group.
pub(super) fn cloudwatch_logs_event(e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
    let perm_id = format!("{eid}Permission");
    let log_group = p.get("LogGroupName").cloned().unwrap_or_else(|| s("", sp));
    let src = sub_with_api(
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*",
        log_group.clone(),
        sp,
    );
    let src = rename_sub_var(src, "__ApiId__", "__LogGroupName__");
    extra.push(permission(
        cond,
        perm_id.clone(),
        target,
        "logs.amazonaws.com",
        Some(src),
        sp,
        fid,
    ));
    let mut f = obj(
        sp,
        vec![
            ("DestinationArn", target.arn(sp)),
            ("LogGroupName", log_group),
        ],
    );
    mk::copy(p, "FilterPattern", &mut f, "FilterPattern");
    let mut r = gen(
        cond,
        eid.clone(),
        "AWS::Logs::SubscriptionFilter",
        f,
        sp,
        fid,
    );
    r.depends_on.push(perm_id);
    extra.push(r);
}

/// An `IoTRule` event: a topic rule whose action invokes the function.
pub(super) fn iot_rule_event(e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
    let mut payload = obj(
        sp,
        vec![
            ("RuleDisabled", boolean(false, sp)),
            (
                "Actions",
                seq(
                    sp,
                    vec![obj(
                        sp,
                        vec![("Lambda", obj(sp, vec![("FunctionArn", target.arn(sp))]))],
                    )],
                ),
            ),
        ],
    );
    mk::copy(p, "Sql", &mut payload, "Sql");
    mk::copy(p, "AwsIotSqlVersion", &mut payload, "AwsIotSqlVersion");
    extra.push(gen(
        cond,
        eid.clone(),
        "AWS::IoT::TopicRule",
        obj(sp, vec![("TopicRulePayload", payload)]),
        sp,
        fid,
    ));
    let mut perm = permission(
        cond,
        format!("{eid}Permission"),
        target,
        "iot.amazonaws.com",
        Some(sub(
            format!(
                "arn:${{AWS::Partition}}:iot:${{AWS::Region}}:${{AWS::AccountId}}:rule/${{{eid}}}"
            ),
            sp,
        )),
        sp,
        fid,
    );
    mk::set(
        &mut perm.properties,
        "SourceAccount",
        ref_("AWS::AccountId", sp),
    );
    extra.push(perm);
}

/// An `AlexaSkill` event: a permission for the Alexa Skills Kit.
pub(super) fn alexa_skill_event(e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
    let mut perm = permission(
        cond,
        format!("{eid}Permission"),
        target,
        "alexa-appkit.amazon.com",
        None,
        sp,
        fid,
    );
    mk::copy(p, "SkillId", &mut perm.properties, "EventSourceToken");
    extra.push(perm);
}

/// A `Cognito` event: one permission per function, and each `Trigger` set on the user pool.
pub(super) fn cognito_event(cx: &mut Cx, e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let ev = e.name;
    let sp = e.span;
    let p = &e.props;
    let pool = p.get("UserPool").and_then(plain_id);
    let perm_id = format!("{fid}CognitoPermission");
    if !extra.iter().any(|r| r.id == perm_id) {
        let src = pool.as_ref().map(|u| getatt(u, "Arn", sp));
        extra.push(permission(
            cond,
            perm_id,
            target,
            "cognito-idp.amazonaws.com",
            src,
            sp,
            fid,
        ));
    }
    match pool {
        Some(u) if cx.ids.get(&u).is_some_and(|t| t == "AWS::Cognito::UserPool") => {
            for trig in p.get("Trigger").map(Value::items).unwrap_or_default() {
                if let Some(name) = trig.as_str() {
                    cx.edits.push((u.clone(), Edit::CognitoTrigger(name.to_owned(), target.arn(trig.span))));
                }
            }
        }
        _ => cx.warn(format!("Cognito event `{ev}`: `UserPool` must reference an AWS::Cognito::UserPool of this template"), sp),
    }
}
