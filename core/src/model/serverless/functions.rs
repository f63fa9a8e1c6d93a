//! A function (`functions.<key>`) → `AWS::Lambda::Function` under its key, with provider
//! defaults, its log group, URL, event invoke config and role; its `events` go to
//! [`super::events`].

use crate::smap::StrMap;
use crate::span::Span;
use crate::value::{Node, Value};

use super::events::{function_event, Event};
use super::mk::{self, getatt, num, obj, ref_, s, seq};
use super::naming::normalize_function_name;
use super::provider::{
    existing_provider_role, log_statements, own_role_wanted, provider_statements, role_props,
    role_value,
};
use super::Sls;
use crate::model::Origin;

pub(super) fn expand_function(x: &mut Sls, key: &str, span: Span, f: &Value) {
    if f.as_map().is_none() {
        x.warn(
            format!("function `{key}` must be a map (handler, events, ...)"),
            f.span,
        );
        return;
    }
    let norm = normalize_function_name(key);
    let name = f
        .get("name")
        .cloned()
        .unwrap_or_else(|| s(format!("{}-{}-{key}", x.service, x.stage), span));
    let mut props = obj(span, vec![("FunctionName", name.clone())]);
    if let Some(img) = f.get("image") {
        mk::set(
            &mut props,
            "Code",
            obj(
                img.span,
                vec![(
                    "ImageUri",
                    img.get("uri").cloned().unwrap_or_else(|| img.clone()),
                )],
            ),
        );
        mk::set(&mut props, "PackageType", s("Image", img.span));
    } else {
        mk::set(
            &mut props,
            "Code",
            obj(
                span,
                vec![
                    ("S3Bucket", ref_("ServerlessDeploymentBucket", span)),
                    (
                        "S3Key",
                        s(
                            format!("serverless/{}/{}/{}.zip", x.service, x.stage, x.service),
                            span,
                        ),
                    ),
                ],
            ),
        );
        if let Some(h) = f.get("handler") {
            mk::set(&mut props, "Handler", h.clone());
        }
        let rt = f
            .get("runtime")
            .or_else(|| x.p(&["runtime"]))
            .cloned()
            .unwrap_or_else(|| s("nodejs20.x", span));
        mk::set(&mut props, "Runtime", rt);
    }
    let mem = f
        .get("memorySize")
        .or_else(|| x.p(&["memorySize"]))
        .cloned()
        .unwrap_or_else(|| num(1024, span));
    mk::set(&mut props, "MemorySize", mem);
    let timeout = f
        .get("timeout")
        .or_else(|| x.p(&["timeout"]))
        .cloned()
        .unwrap_or_else(|| num(6, span));
    mk::set(&mut props, "Timeout", timeout);
    // Environment: provider shallow-merged with the function's (function wins per key).
    let mut env = x
        .p(&["environment"])
        .cloned()
        .filter(|v| v.as_map().is_some());
    if let Some(fe) = f.get("environment").filter(|v| v.as_map().is_some()) {
        match &mut env {
            Some(e) => {
                for (k, v) in fe.as_map().unwrap_or(&[]) {
                    mk::set(e, &k.name, v.clone());
                }
            }
            None => env = Some(fe.clone()),
        }
    }
    if let Some(e) = env {
        mk::set(
            &mut props,
            "Environment",
            obj(e.span, vec![("Variables", e)]),
        );
    }
    if let Some(rc) = f.get("reservedConcurrency") {
        mk::set(&mut props, "ReservedConcurrentExecutions", rc.clone());
    }
    let tracing = f.get("tracing").or_else(|| x.p(&["tracing", "lambda"]));
    if let Some(tr) = tracing {
        let mode = match tr.as_str() {
            Some("true") | Some("Active") => Some("Active"),
            Some("PassThrough") => Some("PassThrough"),
            _ => None,
        };
        if let Some(m) = mode {
            mk::set(
                &mut props,
                "TracingConfig",
                obj(tr.span, vec![("Mode", s(m, tr.span))]),
            );
        }
    }
    if let Some(k) = f
        .get("kmsKeyArn")
        .or_else(|| x.p(&["kmsKeyArn"]))
        .or_else(|| x.p(&["awsKmsKeyArn"]))
    {
        mk::set(&mut props, "KmsKeyArn", k.clone());
    }
    // VPC: each list falls back separately; dropped unless both are set.
    let fvpc = f.get("vpc");
    if fvpc.is_none_or(|v| !v.is_null() && v.as_bool() != Some(false)) {
        let pick = |k: &str| {
            fvpc.and_then(|v| v.get(k))
                .or_else(|| x.p(&["vpc", k]))
                .cloned()
        };
        if let (Some(sg), Some(sn)) = (pick("securityGroupIds"), pick("subnetIds")) {
            mk::set(
                &mut props,
                "VpcConfig",
                obj(sg.span, vec![("SecurityGroupIds", sg), ("SubnetIds", sn)]),
            );
        }
    }
    if let Some(l) = f.get("layers").or_else(|| x.p(&["layers"])) {
        mk::set(&mut props, "Layers", l.clone());
    }
    if let Some(dlq) = f.get("onError") {
        mk::set(
            &mut props,
            "DeadLetterConfig",
            obj(dlq.span, vec![("TargetArn", dlq.clone())]),
        );
    }
    let mut tags = x.p(&["tags"]).cloned().filter(|v| v.as_map().is_some());
    if let Some(ft) = f.get("tags").filter(|v| v.as_map().is_some()) {
        match &mut tags {
            Some(t) => {
                for (k, v) in ft.as_map().unwrap_or(&[]) {
                    mk::set(t, &k.name, v.clone());
                }
            }
            None => tags = Some(ft.clone()),
        }
    }
    if let Some(t) = tags {
        let list = mk::tag_list(&t);
        mk::set(&mut props, "Tags", seq(t.span, list));
    }
    // Role.
    let mut own_role: Option<usize> = None;
    let role = if let Some(r) = f.get("role") {
        role_value(r, r.span)
    } else if own_role_wanted(x, f) {
        let rid = format!("{norm}IamRoleLambdaExecution");
        let mut statements = log_statements(x, span);
        let inherit = f
            .get_path(&["iam", "inheritStatements"])
            .or_else(|| f.get("iamRoleStatementsInherit"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || x.p(&["iam", "role", "mode"]).and_then(Value::as_str) == Some("perFunction");
        if inherit {
            statements.extend(provider_statements(x));
        }
        let own = f
            .get_path(&["iam", "role", "statements"])
            .or_else(|| f.get("iamRoleStatements"));
        statements.extend(
            own.map(|v| v.items().into_iter().cloned().collect::<Vec<_>>())
                .unwrap_or_default(),
        );
        let managed = f
            .get_path(&["iam", "role", "managedPolicies"])
            .map(|v| v.items().into_iter().cloned().collect())
            .unwrap_or_default();
        let rprops = role_props(x, statements, managed, span, key);
        let rspan = own.map_or(span, |v| v.span);
        own_role = Some(x.push(rid.clone(), "AWS::IAM::Role", rprops, rspan, key));
        getatt(&rid, "Arn", span)
    } else if let Some(r) = existing_provider_role(x) {
        role_value(&r, r.span)
    } else {
        getatt("IamRoleLambdaExecution", "Arn", span)
    };
    mk::set(&mut props, "Role", role);
    let mut func = mk::resource(key.to_owned(), "AWS::Lambda::Function", props, span, key);
    func.origin = Origin::Declared;
    func.source_type = Some("serverless:function".to_owned());
    if f.get("disableLogs").and_then(Value::as_bool) != Some(true) {
        let lg = format!("{norm}LogGroup");
        func.depends_on.push(lg.clone());
        let mut lp = obj(
            span,
            vec![(
                "LogGroupName",
                match name.as_str() {
                    Some(n) => s(format!("/aws/lambda/{n}"), span),
                    None => mk::join("", vec![s("/aws/lambda/", span), name.clone()], span),
                },
            )],
        );
        if let Some(r) = f
            .get_path(&["logRetentionInDays"])
            .or_else(|| x.p(&["logRetentionInDays"]))
        {
            mk::set(&mut lp, "RetentionInDays", r.clone());
        }
        x.out.push(func);
        x.push(lg, "AWS::Logs::LogGroup", lp, span, key);
    } else {
        x.out.push(func);
    }
    // Function URL.
    if let Some(url) = f.get("url").filter(|u| u.as_bool() != Some(false)) {
        let sp = url.span;
        let iam = url.get("authorizer").and_then(Value::as_str) == Some("aws_iam");
        let mut u = obj(
            sp,
            vec![
                ("AuthType", s(if iam { "AWS_IAM" } else { "NONE" }, sp)),
                ("TargetFunctionArn", getatt(key, "Arn", sp)),
            ],
        );
        if let Some(c) = url.get("cors") {
            mk::set(&mut u, "Cors", c.clone());
        }
        x.push(
            format!("{norm}LambdaFunctionUrl"),
            "AWS::Lambda::Url",
            u,
            sp,
            key,
        );
        if !iam {
            let mut p = obj(
                sp,
                vec![
                    ("FunctionName", getatt(key, "Arn", sp)),
                    ("Action", s("lambda:InvokeFunctionUrl", sp)),
                    ("Principal", s("*", sp)),
                    ("FunctionUrlAuthType", s("NONE", sp)),
                ],
            );
            let _ = &mut p;
            x.push(
                format!("{norm}LambdaPermissionFnUrl"),
                "AWS::Lambda::Permission",
                p,
                sp,
                key,
            );
        }
    }
    // Destinations / event invoke config.
    if f.get("destinations").is_some()
        || f.get("maximumEventAge").is_some()
        || f.get("maximumRetryAttempts").is_some()
    {
        let mut e = obj(
            span,
            vec![
                ("FunctionName", ref_(key, span)),
                ("Qualifier", s("$LATEST", span)),
            ],
        );
        mk::copy(f, "maximumEventAge", &mut e, "MaximumEventAgeInSeconds");
        mk::copy(f, "maximumRetryAttempts", &mut e, "MaximumRetryAttempts");
        if let Some(d) = f.get("destinations") {
            let mut dc = mk::empty(d.span);
            for (k, to) in [("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")] {
                if let Some(v) = d.get(k) {
                    let dest = v.get("arn").cloned().unwrap_or_else(|| v.clone());
                    mk::set(&mut dc, to, obj(v.span, vec![("Destination", dest)]));
                }
            }
            mk::set(&mut e, "DestinationConfig", dc);
        }
        x.push(
            format!("{norm}LambdaEvConf"),
            "AWS::Lambda::EventInvokeConfig",
            e,
            span,
            key,
        );
    }
    // Events.
    let events = f.get("events").map(Value::items).unwrap_or_default();
    let mut counters: StrMap<usize> = StrMap::new();
    let mut fn_statements: Vec<Value> = Vec::new();
    for (pos, ev) in events.iter().enumerate() {
        let Some((ty, body)) = ev
            .as_map()
            .and_then(|m| m.first())
            .map(|(k, v)| (k.name.as_str(), v))
        else {
            x.warn(
                format!("an event of `{key}` must be a map like `- http: ...`"),
                ev.span,
            );
            continue;
        };
        let ev_span = ev.span;
        function_event(
            x,
            &Event {
                key,
                norm: &norm,
                name: &name,
                ty,
                body,
                span: ev_span,
                pos,
            },
            &mut counters,
            &mut fn_statements,
        );
    }
    match own_role {
        Some(i) => {
            if let Some(list) = x.out.get_mut(i).and_then(|r| {
                mk::get_mut(&mut r.properties, "Policies")
                    .and_then(|p| match &mut p.node {
                        Node::Seq(items) => items.first_mut(),
                        _ => None,
                    })
                    .and_then(|p| mk::get_mut(p, "PolicyDocument"))
                    .and_then(|d| mk::get_mut(d, "Statement"))
            }) {
                for st in fn_statements {
                    mk::push(list, st);
                }
            }
        }
        None => x.role_statements.extend(fn_statements),
    }
}
