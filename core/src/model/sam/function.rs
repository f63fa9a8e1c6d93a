//! `AWS::Serverless::Function` → `AWS::Lambda::Function` and what SAM generates around it: code,
//! alias and version, function URL, event invoke config, the implicit role, and (through
//! [`super::events`]) whatever its `Events` generate.

use crate::span::Span;
use crate::value::Value;

use super::events::function_event;
use super::mk::{self, boolean, getatt, obj, ref_, s};
use super::policies::{build_role, managed_arn, statement_policy};
use super::{created_by_sam, gen, props_or_empty, Cx, Resource};

/// How a function is invoked by generated resources: the function or its alias.
#[derive(Debug, Clone)]
pub(super) struct FnTarget {
    pub(super) id: String,
    alias: Option<String>,
}

impl FnTarget {
    /// For `FunctionName` of permissions and mappings.
    pub(super) fn name(&self, span: Span) -> Value {
        match &self.alias {
            Some(a) => ref_(a, span),
            None => ref_(&self.id, span),
        }
    }
    /// An ARN of the function (or alias).
    pub(super) fn arn(&self, span: Span) -> Value {
        match &self.alias {
            Some(a) => ref_(a, span),
            None => getatt(&self.id, "Arn", span),
        }
    }
    /// The `${...}` variable naming the ARN inside an `Fn::Sub`.
    pub(super) fn sub_var(&self) -> String {
        match &self.alias {
            Some(a) => format!("${{{a}}}"),
            None => format!("${{{}.Arn}}", self.id),
        }
    }
}

pub(super) fn permission(
    cond: &Option<String>,
    id: String,
    target: &FnTarget,
    principal: &str,
    source_arn: Option<Value>,
    span: Span,
    by: &str,
) -> Resource {
    let mut props = obj(
        span,
        vec![
            ("Action", s("lambda:InvokeFunction", span)),
            ("FunctionName", target.name(span)),
            ("Principal", s(principal, span)),
        ],
    );
    if let Some(a) = source_arn {
        mk::set(&mut props, "SourceArn", a);
    }
    gen(cond, id, "AWS::Lambda::Permission", props, span, by)
}

/// Properties copied unchanged from `AWS::Serverless::Function` to `AWS::Lambda::Function`.
const FUNCTION_PASSTHROUGH: &[&str] = &[
    "Handler",
    "Runtime",
    "Description",
    "MemorySize",
    "Timeout",
    "Environment",
    "KmsKeyArn",
    "VpcConfig",
    "EphemeralStorage",
    "ReservedConcurrentExecutions",
    "Layers",
    "Architectures",
    "FileSystemConfigs",
    "CodeSigningConfigArn",
    "ImageConfig",
    "PackageType",
    "FunctionName",
    "LoggingConfig",
    "RecursiveLoop",
    "RuntimeManagementConfig",
    "SnapStart",
    "TenancyConfig",
];

fn code_of(props: &Value, span: Span) -> Option<Value> {
    if let Some(inline) = props.get("InlineCode") {
        return Some(obj(inline.span, vec![("ZipFile", inline.clone())]));
    }
    if let Some(img) = props.get("ImageUri") {
        return Some(obj(img.span, vec![("ImageUri", img.clone())]));
    }
    let uri = props.get("CodeUri")?;
    if let Some(text) = uri.as_str() {
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            return Some(obj(
                uri.span,
                vec![
                    ("S3Bucket", s(bucket, uri.span)),
                    ("S3Key", s(key, uri.span)),
                ],
            ));
        }
        // A local path: `sam package` uploads it; the key is what we know.
        return Some(obj(uri.span, vec![("S3Key", uri.clone())]));
    }
    if uri.intrinsic().is_none() && uri.as_map().is_some() {
        let mut code = mk::empty(uri.span);
        mk::copy(uri, "Bucket", &mut code, "S3Bucket");
        mk::copy(uri, "Key", &mut code, "S3Key");
        mk::copy(uri, "Version", &mut code, "S3ObjectVersion");
        return Some(code);
    }
    Some(obj(span, vec![("S3Key", uri.clone())]))
}

pub(super) fn expand_function(cx: &mut Cx, r: &Resource) -> Vec<Resource> {
    let id = r.id.as_str();
    let span = r.span;
    let props = props_or_empty(r);
    let cond = &r.condition;
    let mut out = Vec::new();
    let mut extra: Vec<Resource> = Vec::new();
    let mut f = mk::empty(span);
    if let Some(code) = code_of(&props, span) {
        mk::set(&mut f, "Code", code);
    }
    for k in FUNCTION_PASSTHROUGH {
        mk::copy(&props, k, &mut f, k);
    }
    if let Some(tr) = props.get("Tracing") {
        mk::set(
            &mut f,
            "TracingConfig",
            obj(tr.span, vec![("Mode", tr.clone())]),
        );
    }
    if let Some(dlq) = props.get("DeadLetterQueue") {
        if let Some(arn) = dlq.get("TargetArn") {
            mk::set(
                &mut f,
                "DeadLetterConfig",
                obj(dlq.span, vec![("TargetArn", arn.clone())]),
            );
        }
    }
    // Tags: `lambda:createdBy = SAM` first, then the user's.
    mk::set(
        &mut f,
        "Tags",
        created_by_sam("lambda:createdBy", &props, span),
    );

    // Alias and version.
    let alias = props
        .get("AutoPublishAlias")
        .and_then(Value::as_str)
        .map(|a| {
            let name: String = a
                .chars()
                .map(|c| match c {
                    '-' => 'D',
                    '_' => 'U',
                    c => c,
                })
                .collect();
            (a.to_owned(), format!("{id}Alias{name}"))
        });
    let target = FnTarget {
        id: id.to_owned(),
        alias: alias.as_ref().map(|(_, aid)| aid.clone()),
    };
    if let Some((alias_name, alias_id)) = &alias {
        let hash_input = f.get("Code").map(mk::canonical_json).unwrap_or_default();
        let version_id = format!("{id}Version{}", mk::h10(&hash_input));
        extra.push(gen(
            cond,
            version_id.clone(),
            "AWS::Lambda::Version",
            obj(span, vec![("FunctionName", ref_(id, span))]),
            span,
            id,
        ));
        let mut a = obj(
            span,
            vec![
                ("Name", s(alias_name, span)),
                ("FunctionName", ref_(id, span)),
                ("FunctionVersion", getatt(&version_id, "Version", span)),
            ],
        );
        mk::copy(
            &props,
            "ProvisionedConcurrencyConfig",
            &mut a,
            "ProvisionedConcurrencyConfig",
        );
        extra.push(gen(
            cond,
            alias_id.clone(),
            "AWS::Lambda::Alias",
            a,
            span,
            id,
        ));
    }

    // Role.
    let mut role_managed: Vec<Value> = Vec::new();
    let mut role_inline: Vec<Value> = Vec::new();
    if let Some(dlq) = props.get("DeadLetterQueue") {
        let is_sns = dlq.get("Type").and_then(Value::as_str) == Some("SNS");
        if let Some(arn) = dlq.get("TargetArn") {
            role_inline.push(statement_policy(
                "DeadLetterQueuePolicy",
                if is_sns {
                    &["sns:Publish"]
                } else {
                    &["sqs:SendMessage"]
                },
                arn.clone(),
                dlq.span,
            ));
        }
    }

    // Events.
    let mut http_default_owned: Vec<String> = Vec::new();
    if let Some(events) = props.get("Events") {
        match events.as_map() {
            Some(entries) => {
                // HttpApi events sorted so `$default` (no path) comes first, as SAM does.
                let mut ordered: Vec<_> = entries.iter().collect();
                crate::sort::sort_by_key(&mut ordered, |(_, ev)| {
                    let is_http = ev.get("Type").and_then(Value::as_str) == Some("HttpApi");
                    let has_path = ev.get_path(&["Properties", "Path"]).is_some();
                    !is_http || has_path
                });
                for (k, ev) in ordered {
                    function_event(
                        cx,
                        &target,
                        cond,
                        &k.name,
                        k.span,
                        ev,
                        &mut extra,
                        &mut role_managed,
                        &mut role_inline,
                        &mut http_default_owned,
                    );
                }
            }
            None => cx.warn(
                "`Events` must be a map of event names to events",
                events.span,
            ),
        }
    }

    // Function URL.
    if let Some(url) = props.get("FunctionUrlConfig") {
        let sp = url.span;
        let mut u = obj(sp, vec![("TargetFunctionArn", target.name(sp))]);
        for k in ["AuthType", "Cors", "InvokeMode"] {
            mk::copy(url, k, &mut u, k);
        }
        if let Some((_, a)) = &alias {
            mk::set(&mut u, "Qualifier", s(a.clone(), sp));
        }
        extra.push(gen(cond, format!("{id}Url"), "AWS::Lambda::Url", u, sp, id));
        if url.get("AuthType").and_then(Value::as_str) == Some("NONE") {
            let mut p = permission(
                cond,
                format!("{id}UrlPublicPermissions"),
                &target,
                "*",
                None,
                sp,
                id,
            );
            mk::set(
                &mut p.properties,
                "Action",
                s("lambda:InvokeFunctionUrl", sp),
            );
            mk::set(&mut p.properties, "FunctionUrlAuthType", s("NONE", sp));
            extra.push(p);
            let mut p2 = permission(
                cond,
                format!("{id}URLInvokeAllowPublicAccess"),
                &target,
                "*",
                None,
                sp,
                id,
            );
            mk::set(
                &mut p2.properties,
                "InvokedViaFunctionUrl",
                boolean(true, sp),
            );
            extra.push(p2);
        }
    }

    // Event invoke config.
    if let Some(eic) = props.get("EventInvokeConfig") {
        let sp = eic.span;
        let mut e = obj(
            sp,
            vec![
                ("FunctionName", ref_(id, sp)),
                (
                    "Qualifier",
                    s(alias.as_ref().map_or("$LATEST", |(a, _)| a.as_str()), sp),
                ),
            ],
        );
        mk::copy(
            eic,
            "MaximumEventAgeInSeconds",
            &mut e,
            "MaximumEventAgeInSeconds",
        );
        mk::copy(eic, "MaximumRetryAttempts", &mut e, "MaximumRetryAttempts");
        if let Some(dc) = eic.get("DestinationConfig") {
            let mut out_dc = mk::empty(dc.span);
            for which in ["OnSuccess", "OnFailure"] {
                let Some(d) = dc.get(which) else { continue };
                let kind = d.get("Type").and_then(Value::as_str).unwrap_or("");
                let dest = match d.get("Destination") {
                    Some(x) => x.clone(),
                    None => {
                        let (suffix, ty, attr) = match kind {
                            "SQS" => ("Queue", "AWS::SQS::Queue", "Arn"),
                            "SNS" => ("Topic", "AWS::SNS::Topic", ""),
                            _ => {
                                cx.warn(format!("`{which}` needs a `Destination`"), d.span);
                                continue;
                            }
                        };
                        let qid = format!("{id}EventInvokeConfig{which}{suffix}");
                        extra.push(gen(cond, qid.clone(), ty, mk::empty(d.span), d.span, id));
                        if attr.is_empty() {
                            ref_(&qid, d.span)
                        } else {
                            getatt(&qid, attr, d.span)
                        }
                    }
                };
                let (actions, k): (&[&str], &str) = match kind {
                    "SQS" => (&["sqs:SendMessage"], "SQS"),
                    "SNS" => (&["sns:Publish"], "SNS"),
                    "Lambda" => (&["lambda:InvokeFunction"], "Lambda"),
                    "EventBridge" => (&["events:PutEvents"], "EventBridge"),
                    "S3" | "S3Bucket" => (&["s3:PutObject", "s3:ListBucket"], "S3"),
                    _ => (&[], ""),
                };
                if !actions.is_empty() {
                    role_inline.push(statement_policy(
                        &format!("{id}EventInvokeConfig{which}{k}Policy"),
                        actions,
                        dest.clone(),
                        d.span,
                    ));
                }
                mk::set(&mut out_dc, which, obj(d.span, vec![("Destination", dest)]));
            }
            mk::set(&mut e, "DestinationConfig", out_dc);
        }
        extra.push(gen(
            cond,
            format!("{id}EventInvokeConfig"),
            "AWS::Lambda::EventInvokeConfig",
            e,
            sp,
            id,
        ));
    }

    match props.get("Role") {
        Some(role) => {
            mk::set(&mut f, "Role", role.clone());
        }
        None => {
            let mut first = vec![managed_arn(
                "service-role/AWSLambdaBasicExecutionRole",
                span,
            )];
            if props
                .get("Tracing")
                .and_then(Value::as_str)
                .is_some_and(|m| m != "Disabled")
            {
                first.push(managed_arn("AWSXrayWriteOnlyAccess", span));
            }
            if props.get("VpcConfig").is_some() {
                first.push(managed_arn(
                    "service-role/AWSLambdaVPCAccessExecutionRole",
                    span,
                ));
            }
            let mut role = build_role(
                cx,
                id,
                cond,
                &props,
                "lambda.amazonaws.com",
                first,
                role_inline,
                span,
                Some("lambda:createdBy"),
            );
            if let Some(list) = mk::get_mut(&mut role.properties, "ManagedPolicyArns") {
                for m in role_managed {
                    if !list.items().contains(&&m) {
                        mk::push(list, m);
                    }
                }
            }
            mk::set(&mut f, "Role", getatt(&role.id, "Arn", span));
            extra.insert(0, role);
        }
    }

    let mut func = gen(cond, id.to_owned(), "AWS::Lambda::Function", f, span, id);
    func.origin = crate::model::Origin::Declared;
    func.source_type = Some(r.type_.clone());
    func.metadata = r.metadata.clone();
    func.depends_on = r.depends_on.clone();
    out.push(func);
    out.extend(extra);
    out
}
