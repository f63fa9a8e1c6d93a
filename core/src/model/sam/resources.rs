//! The SAM resource types that become one CloudFormation resource each: `SimpleTable`,
//! `LayerVersion` (under a hashed id), `GraphQLApi` and `Application`.

use crate::value::Value;

use super::mk::{self, obj, s, seq};
use super::{declared, gen, props_or_empty, Cx, Resource};

pub(super) fn expand_simple_table(r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let pk = props.get("PrimaryKey");
    let name = pk
        .and_then(|p| p.get("Name"))
        .cloned()
        .unwrap_or_else(|| s("id", span));
    let ty = match pk.and_then(|p| p.get("Type")).and_then(Value::as_str) {
        Some("Number") => "N",
        Some("Binary") => "B",
        _ => "S",
    };
    let mut t = obj(
        span,
        vec![
            (
                "AttributeDefinitions",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![
                            ("AttributeName", name.clone()),
                            ("AttributeType", s(ty, span)),
                        ],
                    )],
                ),
            ),
            (
                "KeySchema",
                seq(
                    span,
                    vec![obj(
                        span,
                        vec![("AttributeName", name), ("KeyType", s("HASH", span))],
                    )],
                ),
            ),
        ],
    );
    match props.get("ProvisionedThroughput") {
        Some(pt) => mk::set(&mut t, "ProvisionedThroughput", pt.clone()),
        None => mk::set(&mut t, "BillingMode", s("PAY_PER_REQUEST", span)),
    }
    for k in [
        "TableName",
        "SSESpecification",
        "PointInTimeRecoverySpecification",
    ] {
        mk::copy(&props, k, &mut t, k);
    }
    if let Some(tags) = props.get("Tags").filter(|t| t.as_map().is_some()) {
        mk::set(&mut t, "Tags", seq(span, mk::tag_list(tags)));
    }
    declared(r, "AWS::DynamoDB::Table", t)
}

pub(super) fn expand_layer(r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let mut l = mk::empty(span);
    if let Some(u) = props.get("ContentUri") {
        {
            let content = match u.as_str().and_then(|x| x.strip_prefix("s3://")) {
                Some(rest) => {
                    let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
                    obj(
                        u.span,
                        vec![("S3Bucket", s(b, u.span)), ("S3Key", s(k, u.span))],
                    )
                }
                None if u.as_map().is_some() && u.intrinsic().is_none() => {
                    let mut c = mk::empty(u.span);
                    mk::copy(u, "Bucket", &mut c, "S3Bucket");
                    mk::copy(u, "Key", &mut c, "S3Key");
                    mk::copy(u, "Version", &mut c, "S3ObjectVersion");
                    c
                }
                None => obj(u.span, vec![("S3Key", u.clone())]),
            };
            mk::set(&mut l, "Content", content);
        }
    }
    mk::set(
        &mut l,
        "LayerName",
        props
            .get("LayerName")
            .cloned()
            .unwrap_or_else(|| s(&r.id, span)),
    );
    for k in [
        "Description",
        "CompatibleRuntimes",
        "CompatibleArchitectures",
        "LicenseInfo",
    ] {
        mk::copy(&props, k, &mut l, k);
    }
    let hash = mk::h10(&mk::canonical_json(&props));
    let mut out = gen(
        &r.condition,
        format!("{}{hash}", r.id),
        "AWS::Lambda::LayerVersion",
        l,
        span,
        &r.id,
    );
    out.source_type = Some(r.type_.clone());
    out
}

/// `AWS::Serverless::GraphQLApi` → `AWS::AppSync::GraphQLApi` (same id) with its
/// authentication modes; schema, data sources, resolvers and API keys are not generated.
pub(super) fn expand_graphql(cx: &mut Cx, r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let mut g = obj(
        span,
        vec![(
            "Name",
            props.get("Name").cloned().unwrap_or_else(|| s(&r.id, span)),
        )],
    );
    fn auth_config(a: &Value, out: &mut Value, with_default_action: bool) {
        if let Some(t) = a.get("Type") {
            mk::set(out, "AuthenticationType", t.clone());
        }
        mk::copy(a, "LambdaAuthorizer", out, "LambdaAuthorizerConfig");
        mk::copy(a, "OpenIDConnect", out, "OpenIDConnectConfig");
        if let Some(up) = a.get("UserPool") {
            let mut up = up.clone();
            if !with_default_action {
                mk::remove(&mut up, "DefaultAction");
            }
            mk::set(out, "UserPoolConfig", up);
        }
    }
    match props.get("Auth") {
        Some(a) => {
            auth_config(a, &mut g, true);
            if let Some(add) = a.get("Additional") {
                let list = add
                    .items()
                    .into_iter()
                    .map(|x| {
                        let mut o = mk::empty(x.span);
                        auth_config(x, &mut o, false);
                        o
                    })
                    .collect();
                mk::set(
                    &mut g,
                    "AdditionalAuthenticationProviders",
                    seq(add.span, list),
                );
            }
        }
        None => cx.warn(
            format!("GraphQLApi `{}` has no `Auth`; SAM requires one", r.id),
            span,
        ),
    }
    for k in [
        "XrayEnabled",
        "Visibility",
        "IntrospectionConfig",
        "QueryDepthLimit",
        "ResolverCountLimit",
        "OwnerContact",
        "ApiType",
    ] {
        mk::copy(&props, k, &mut g, k);
    }
    if let Some(l) = props.get("Logging") {
        let mut lc = mk::empty(l.span);
        mk::copy(l, "CloudWatchLogsRoleArn", &mut lc, "CloudWatchLogsRoleArn");
        mk::copy(l, "ExcludeVerboseContent", &mut lc, "ExcludeVerboseContent");
        mk::copy(l, "FieldLogLevel", &mut lc, "FieldLogLevel");
        mk::set(&mut g, "LogConfig", lc);
    }
    if let Some(tags) = props.get("Tags").filter(|t| t.as_map().is_some()) {
        mk::set(&mut g, "Tags", seq(span, mk::tag_list(tags)));
    }
    if props.get("DataSources").is_some() || props.get("Resolvers").is_some() {
        cx.warn(
            format!("the data sources and resolvers of GraphQLApi `{}` are not expanded by pillarlint yet", r.id),
            span,
        );
    }
    declared(r, "AWS::AppSync::GraphQLApi", g)
}

pub(super) fn expand_application(r: &Resource) -> Resource {
    let span = r.span;
    let props = props_or_empty(r);
    let mut st = mk::empty(span);
    match props.get("Location") {
        Some(loc) if loc.as_str().is_some() || loc.intrinsic().is_some() => {
            mk::set(&mut st, "TemplateURL", loc.clone())
        }
        Some(loc) => mk::set(&mut st, "TemplateURL", loc.clone()),
        None => {}
    }
    for k in ["Parameters", "NotificationARNs", "TimeoutInMinutes", "Tags"] {
        mk::copy(&props, k, &mut st, k);
    }
    declared(r, "AWS::CloudFormation::Stack", st)
}
