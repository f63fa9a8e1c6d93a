use crate::declare_rule;
use crate::rules::paths::{public_routes, stages};
use crate::rules::{Context, Finding, Rule, RuleMeta};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Follows each public route and flags it when no hop on the path records anything:
    /// no access log on any stage of the API, no tracing on the stage, and no active tracing
    /// on the function.
    ///
    /// ## Why is this bad?
    /// One missing log is a gap; a path with none is a blind spot. A request can enter from
    /// the internet, run code and touch data without leaving any record beyond the
    /// function's own `console.log`.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   GetItems:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !GetAtt Api.RootResourceId
    ///       HttpMethod: GET
    ///       AuthorizationType: AWS_IAM
    ///       Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}
    ///   Stage:
    ///     Type: AWS::ApiGateway::Stage
    ///     Properties: {RestApiId: !Ref Api, StageName: prod}
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    /// ```
    ///
    /// ## Remediation
    /// Turn on at least the stage's access log and tracing on the stage and the function
    /// (the other logging rules say where).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/opex-observability.html
    pub ObservabilityGap {
        id: "LOG014",
        pillar: Logging,
        severity: Medium,
        sources: &[],
        graph: true,
    }
}

impl Rule for ObservabilityGap {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        // Per API: the stage ids, and whether any stage keeps an access log or traces.
        let mut per_api: crate::smap::StrMap<(Vec<String>, bool)> = crate::smap::StrMap::new();
        for r in public_routes(cx) {
            let (stage_ids, stage_records) = per_api
                .entry_or_insert_with(r.api, || {
                    let st = stages(t, r.api);
                    let records = st.iter().any(|s| {
                        s.settings
                            .get_path(&["AccessLogSetting", "DestinationArn"])
                            .is_some()
                            || s.settings
                                .get_path(&["AccessLogSettings", "DestinationArn"])
                                .is_some()
                            || s.settings.get("TracingEnabled").and_then(Value::as_bool)
                                == Some(true)
                    });
                    (st.iter().map(|s| s.res.id.clone()).collect(), records)
                })
                .clone();
            let fn_trace = t
                .resource(r.func)
                .and_then(|f| f.prop_path(&["TracingConfig", "Mode"]))
                .and_then(Value::as_str)
                == Some("Active");
            if stage_records || fn_trace {
                continue;
            }
            let span = t
                .resource(&r.route.resource)
                .map_or(r.edge.span, |m| m.span);
            out.push(
                Finding::new(&Self::META, Some(&r.route.resource), span,
                    format!("public route {} on {} -> {} leaves no record on any hop: no access log on the API's stages, no tracing on the stage or the function", r.label(), r.api, r.func),
                    "Enable access logging and tracing on the stage, and active tracing on the function.")
                .related([r.api.to_owned(), r.func.to_owned()])
                .related(stage_ids)
                .edge(r.api, r.func),
            );
        }
    }
}
