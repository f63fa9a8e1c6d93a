//! Serverless Framework (`serverless.yml`, v3/v4) expansion into the CloudFormation that
//! `serverless package` generates. Source: the Serverless Framework's naming module
//! (`lib/plugins/aws/lib/naming.js`) and compilers (`lib/plugins/aws/package/compile/`) of
//! v3.40.0, checked against v4.41.0.
//!
//! # Layout
//! [`expand`] (here) resolves variables, expands each function and its events, emits the APIs
//! and the shared role, then merges `resources:`.
//! - `variables`: `${…}` resolution ([`resolve_variables`]); `naming`: the Framework's
//!   normalization rules ([`normalize_function_name`], [`alnum_name`], [`normalize_path`]).
//! - `provider`: provider settings and IAM (the shared `IamRoleLambdaExecution`, per-function
//!   roles, log statements).
//! - `functions`: a function and what it generates besides its events (log group, URL, event
//!   invoke config, role); `events/`: one handler per event family, behind one dispatcher.
//! - `apis`: the REST, HTTP and WebSocket APIs the events asked for, and their OpenAPI bodies.
//! - `resources`: `resources.Resources` (merged into generated resources), `extensions`,
//!   `Outputs`, `Conditions`, `Parameters`.
//!
//! # Ids
//! - A function's node id is its **key** under `functions:` (the report contract); the
//!   Framework's logical ID `<Normalized>LambdaFunction` is recorded in [`Template::aliases`]
//!   and every reference to it (in `resources:` too) is rewritten to the key.
//! - Shared role `IamRoleLambdaExecution`; per-function roles `<Normalized>IamRoleLambdaExecution`
//!   (v4 built-in / `serverless-iam-roles-per-function`), REST API `ApiGatewayRestApi`, HTTP API
//!   `HttpApi` + `HttpApiStage`, WebSocket API `WebsocketsApi`, and the resources each
//!   event type compiles to (see `events/`).
//!
//! # Routes
//! The Framework emits `AWS::ApiGateway::Method`/`Resource` resources; pillarlint writes the
//! same routes into the API's `Properties.Body` as an OpenAPI document **in exactly the shape the
//! SAM expansion uses** (see [`super::sam`]) so the graph reads one representation. Each operation
//! carries `x-pillarlint-logical-id` with the Framework's Method/Route logical ID
//! (`ApiGatewayMethodUsersIdVarGet`, `HttpApiRouteGetUsersIdVar`). Authorizers: `aws_iam` →
//! `AWS_IAM` scheme; a function name/ARN → `custom` (token/request); a Cognito ARN or
//! `type: COGNITO_USER_POOLS` → `cognito_user_pools`; `private: true` → `api_key`.
//!
//! # Stage settings
//! REST stage logging/tracing are patched after deploy (not in the template). pillarlint records
//! what `provider.logs.restApi` / `provider.tracing.apiGateway` will set as
//! `Metadata.StageSettingsAppliedAfterDeploy` on the `ApiGatewayDeployment…` resource, in
//! `AWS::ApiGateway::Stage` property shape (`TracingEnabled`, `AccessLogSetting`, `MethodSettings`).
//!
//! # Not generated (deliberately)
//! The core template's `ServerlessDeploymentBucket` (the Framework's artifact bucket, AES256 +
//! TLS-only policy: always the same, never the user's data), function versions (their hash
//! needs the zip), layers, and the custom-resource plumbing for existing buckets/user pools.
//! Functions' `Code.S3Bucket` still names `ServerlessDeploymentBucket`.
//!
//! # Variables
//! `${self:…}`, `${opt:…}` (no CLI options: only fallbacks apply), `${sls:stage}`
//! (`provider.stage` → `dev`), `${aws:region}`, `${env:…}` (never read: only its fallback),
//! `${strToBool(…)}`, `${param:…}` from `params.<stage>`/`stages.<stage>.params` (and their
//! `default`) and literal fallbacks are resolved; `${file(…)}`, `${ssm:…}`, `${cf:…}`, `${s3:…}`,
//! dashboard parameters and unresolvable ones stay as written with a diagnostic. Self-references
//! terminate with a diagnostic. CloudFormation `${AWS::Region}`/`${Res.Arn}` are not variables.

mod apis;
mod events;
mod functions;
pub mod includes;
mod naming;
mod provider;
mod resources;
mod variables;

use std::collections::HashMap;

use crate::parse::ParseError;
use crate::span::Span;
use crate::value::Value;

use super::mk::{self, getatt, obj, s};
use super::{Resource, Template};

/// The error a build without the Serverless reader (the `serverless` feature) gives for a
/// Serverless service ([`crate::model::reader_left_out`]).
pub fn not_in_this_build() -> ParseError {
    crate::model::reader_left_out(
        "a Serverless Framework service",
        "Serverless",
        "the web app's full page",
    )
}

pub use naming::{alnum_name, normalize_function_name, normalize_path};
pub use variables::resolve_variables;

use apis::{finish_apis, HttpApi, RestApi};
use functions::expand_function;
use provider::shared_role;

/// The state of one expansion: what is generated so far, and what later passes need.
struct Sls {
    service: String,
    stage: String,
    provider: Value,
    out: Vec<Resource>,
    diags: Vec<(String, Span)>,
    /// Statements added to the shared role by event compilers.
    role_statements: Vec<Value>,
    rest: Option<RestApi>,
    http: Option<HttpApi>,
    websockets: bool,
    /// Function keys (for authorizers named by function).
    functions: Vec<String>,
}

impl Sls {
    fn warn(&mut self, m: impl Into<String>, span: Span) {
        self.diags.push((m.into(), span));
    }

    fn push(&mut self, id: String, type_: &str, props: Value, span: Span, by: &str) -> usize {
        self.out.push(mk::resource(id, type_, props, span, by));
        self.out.len() - 1
    }

    fn push_permission(
        &mut self,
        id: String,
        fn_key: &str,
        principal: &str,
        source: Option<Value>,
        span: Span,
    ) {
        if self.out.iter().any(|r| r.id == id) {
            return;
        }
        let mut p = obj(
            span,
            vec![
                ("FunctionName", getatt(fn_key, "Arn", span)),
                ("Action", s("lambda:InvokeFunction", span)),
                ("Principal", s(principal, span)),
            ],
        );
        if let Some(src) = source {
            mk::set(&mut p, "SourceArn", src);
        }
        self.push(id, "AWS::Lambda::Permission", p, span, fn_key);
    }

    fn p(&self, path: &[&str]) -> Option<&Value> {
        self.provider.get_path(path)
    }
}

/// Expand a Serverless Framework service into the CloudFormation it packages to.
pub fn expand(t: &mut Template) -> Result<(), ParseError> {
    let (root, var_diags) = resolve_variables(&t.root);
    for (m, sp) in var_diags {
        t.warn(m, sp);
    }
    let service = match root.get("service") {
        Some(v) => v
            .as_str()
            .or_else(|| v.get("name").and_then(Value::as_str))
            .unwrap_or("service")
            .to_owned(),
        None => "service".to_owned(),
    };
    let provider = root
        .get("provider")
        .cloned()
        .unwrap_or_else(|| mk::empty(root.span));
    if provider.as_map().is_none() {
        return Err(ParseError::at(
            "`provider` must be a map (name: aws, runtime, ...)",
            provider.span.start.line,
            provider.span.start.column,
        ));
    }
    let stage = provider
        .get("stage")
        .and_then(Value::as_str)
        .filter(|s| !s.contains("${"))
        .unwrap_or("dev")
        .to_owned();
    let mut x = Sls {
        service,
        stage,
        provider,
        out: Vec::new(),
        diags: Vec::new(),
        role_statements: Vec::new(),
        rest: None,
        http: None,
        websockets: false,
        functions: Vec::new(),
    };
    let functions: Vec<(String, Span, Value)> = match root.get("functions") {
        Some(f) => match f.as_map() {
            Some(m) => m
                .iter()
                .map(|(k, v)| (k.name.clone(), k.span, v.clone()))
                .collect(),
            None if f.is_null() => Vec::new(),
            None => {
                x.warn(
                    "`functions` must be a map of function names to functions",
                    f.span,
                );
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    x.functions = functions.iter().map(|(k, _, _)| k.clone()).collect();
    let mut aliases = HashMap::new();
    for (key, span, f) in &functions {
        aliases.insert(
            format!("{}LambdaFunction", normalize_function_name(key)),
            key.clone(),
        );
        expand_function(&mut x, key, *span, f);
    }
    finish_apis(&mut x);
    shared_role(&mut x, &functions);

    let declared = resources::declared_resources(&mut x, &root, &aliases)?;
    resources::read_sections(t, &root);
    let mut resources = x.out;
    resources.extend(declared);
    for r in &mut resources {
        mk::rename_refs(&mut r.properties, &aliases);
        for d in &mut r.depends_on {
            if let Some(to) = aliases.get(d.as_str()) {
                *d = to.clone();
            }
        }
    }
    t.resources = resources;
    t.aliases = aliases;
    // Keep the configuration with its variables resolved (positions are the written ones), so
    // later stages read the values the Framework would use.
    t.root = root;
    for (m, sp) in x.diags {
        t.warn(m, sp);
    }
    t.reindex();
    Ok(())
}

#[cfg(test)]
mod build_tests {
    /// A build without this reader refuses a service with a message the web app's first
    /// bundle recognises (and so does a build without the Terraform reader).
    #[test]
    fn refusals_of_a_build_without_a_reader_are_recognised() {
        let s = super::not_in_this_build();
        assert_eq!(
            s.message,
            "this is a Serverless Framework service, and this build of pillarlint leaves its Serverless reader out: use the CLI, the JS API or the web app's full page"
        );
        let t = crate::model::terraform::not_in_this_build();
        assert_eq!(
            t.message,
            "this is Terraform, and this build of pillarlint leaves its Terraform reader out: use the CLI, the JS API or the web app's Terraform page"
        );
        assert!(crate::model::needs_other_build(&s.message));
        assert!(crate::model::needs_other_build(&t.message));
        assert!(!crate::model::needs_other_build("expected a mapping"));
    }
}
