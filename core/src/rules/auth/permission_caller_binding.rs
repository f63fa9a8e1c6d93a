use crate::declare_rule;
use crate::rules::paths::routes;
use crate::rules::util::{raw_text, refs};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Checks that each API Gateway `AWS::Lambda::Permission` is bound to the routes that
    /// invoke the function: flags a `SourceArn` that allows any API (`execute-api:*:*:*`),
    /// and one that names an API of the template none of whose routes invoke the function.
    ///
    /// ## Why is this bad?
    /// A permission is the function's door. Broader than its caller, it lets other APIs (or
    /// routes added later, by anyone with API Gateway rights) invoke the function; matching
    /// no route, it is a stale grant nobody reviews.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    ///   Perm:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: apigateway.amazonaws.com
    ///       SourceArn: !Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*/*/*/*
    /// ```
    ///
    /// ## Remediation
    /// Set `SourceArn` to `arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/METHOD/path`
    /// for the routes that call the function, and delete permissions no route uses.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
    pub PermissionCallerBinding {
        id: "AUTH013",
        pillar: Auth,
        severity: Medium,
        sources: &[],
        graph: true,
    }
}

impl Rule for PermissionCallerBinding {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let all_routes = routes(cx);
        for p in t.resources_of("AWS::Lambda::Permission") {
            if p.prop("Principal").and_then(Value::as_str) != Some("apigateway.amazonaws.com") {
                continue;
            }
            let Some(src) = p.prop("SourceArn") else {
                continue;
            };
            let fns: Vec<String> = p
                .prop("FunctionName")
                .map(|v| refs(t, v))
                .unwrap_or_default()
                .into_iter()
                .filter(|id| {
                    t.resource(id)
                        .is_some_and(|r| r.type_ == "AWS::Lambda::Function")
                })
                .collect();
            let Some(func) = fns.first() else { continue };
            // Authorizer functions are invoked by the API without being a route target.
            let authorizer = t.resources.iter().any(|r| {
                (r.type_ == "AWS::ApiGateway::Authorizer"
                    || r.type_ == "AWS::ApiGatewayV2::Authorizer")
                    && crate::rules::util::references(t, &r.properties, func)
            }) || t.resources.iter().any(|r| {
                (r.type_ == "AWS::ApiGateway::RestApi" || r.type_ == "AWS::ApiGatewayV2::Api")
                    && r.prop("Body")
                        .is_some_and(|b| crate::rules::util::references(t, b, func))
                    && !all_routes
                        .iter()
                        .any(|x| x.api == r.id && x.func == func.as_str())
            });
            if authorizer {
                continue;
            }
            let text = raw_text(src).unwrap_or_default();
            // arn:aws:execute-api:region:account:apiId/...
            let flat = flatten_vars(&text);
            let api_part = flat
                .split(':')
                .nth(5)
                .map(|s| s.split('/').next().unwrap_or(""));
            if api_part == Some("*") {
                out.push(
                    Finding::new(&Self::META, Some(&p.id), src.span,
                        format!("permission {} lets any API Gateway API in the account invoke {func} (`SourceArn` `{text}`): an API created later can call it without review", p.id),
                        "Name the API in `SourceArn` (`${Api}`), and the stage, method and path that invoke the function.")
                    .related([func.clone()]),
                );
                continue;
            }
            let apis: Vec<String> = refs(t, src)
                .into_iter()
                .filter(|id| {
                    t.resource(id).is_some_and(|r| {
                        r.type_ == "AWS::ApiGateway::RestApi" || r.type_ == "AWS::ApiGatewayV2::Api"
                    })
                })
                .collect();
            for api in apis {
                let api_has_routes = all_routes.iter().any(|r| r.api == api);
                let serves = all_routes
                    .iter()
                    .any(|r| r.api == api && r.func == func.as_str());
                if api_has_routes && !serves {
                    out.push(
                        Finding::new(&Self::META, Some(&p.id), src.span,
                            format!("permission {} lets API {api} invoke {func}, but no route of {api} invokes it: a stale grant that any route added later can use", p.id),
                            "Delete the permission, or bind it to the route that should call the function.")
                        .severity(Severity::Low)
                        .related([func.clone(), api.clone()]),
                    );
                    continue;
                }
                // A specific METHOD/path that none of the function's routes on this API match.
                let Some((method, path)) = method_and_path(&flat) else {
                    continue;
                };
                let mine: Vec<_> = all_routes
                    .iter()
                    .filter(|r| r.api == api && r.func == func.as_str())
                    .collect();
                let matched = mine.iter().any(|r| {
                    (method == "*"
                        || method.eq_ignore_ascii_case(&r.route.method)
                        || r.route.method == "ANY")
                        && glob_match(&path, r.route.path.trim_start_matches('/'))
                });
                if !mine.is_empty() && !matched {
                    out.push(
                        Finding::new(&Self::META, Some(&p.id), src.span,
                            format!("permission {} lets {method} /{path} on {api} invoke {func}, but the function serves {}: the permission matches none of its routes", p.id, mine.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")),
                            "Bind `SourceArn` to the method and path of the route that invokes the function.")
                        .severity(Severity::Low)
                        .related([func.clone(), api.clone()]),
                    );
                }
            }
        }
    }
}

/// `${AWS::Region}` contains colons: replace every `${...}` with `VAR` before splitting an ARN.
fn flatten_vars(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(end) => {
                out.push_str("VAR");
                rest = &rest[i + end + 1..];
            }
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The method and path of an execute-api ARN (`...:VAR/stage/METHOD/path/parts`), when both
/// are spelled out; `*` stays `*`. Stage variables and template variables (`VAR`) make the
/// method or path unknown.
fn method_and_path(flat: &str) -> Option<(String, String)> {
    let tail = flat.split(':').nth(5)?;
    let mut parts = tail.splitn(4, '/');
    let _api = parts.next()?;
    let _stage = parts.next()?;
    let method = parts.next()?.to_owned();
    let path = parts.next();
    // A trailing `*` (`.../*/*`) matches the method and every path after it.
    if method == "*" && path.is_none_or(|p| p.is_empty() || p == "*") {
        return None;
    }
    let path = path.unwrap_or("").to_owned();
    if method.contains("VAR") || path.contains("VAR") || method.is_empty() {
        return None;
    }
    Some((method, path))
}

/// `*` in the permission's path matches any run of characters (API Gateway's rule).
fn glob_match(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == path;
    }
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(pos) = rest.find(part) else {
                return false;
            };
            rest = &rest[pos + part.len()..];
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{glob_match, method_and_path};

    #[test]
    fn arn_tails() {
        assert_eq!(
            method_and_path("arn:aws:execute-api:VAR:VAR:VAR/*/POST/author"),
            Some(("POST".into(), "author".into()))
        );
        assert_eq!(method_and_path("arn:aws:execute-api:VAR:VAR:VAR/*"), None);
        assert_eq!(method_and_path("arn:aws:execute-api:VAR:VAR:VAR/*/*"), None);
        assert_eq!(
            method_and_path("arn:aws:execute-api:VAR:VAR:VAR/*/GET/"),
            Some(("GET".into(), String::new()))
        );
        assert!(glob_match("*", "a/b"));
        assert!(glob_match("items/*", "items/{id}"));
        assert!(!glob_match("items", "orders"));
        assert!(glob_match("", ""));
    }
}
