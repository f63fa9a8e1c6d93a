use crate::declare_rule;
use crate::rules::paths::{api_injection_waf, public_routes, reach, route_validated};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags public write routes (POST, PUT, PATCH, DELETE, ANY) whose function reaches a data
    /// store, when the route has no request validation (a REST `RequestValidator` with a
    /// model) and the API has no WAF web ACL with SQL-injection/XSS rules.
    ///
    /// ## Why is this bad?
    /// The request body goes straight into the function and on into the store. The classic
    /// `John Doe; DROP TABLE users;` and NoSQL operator injections (`{"$gt": ""}`) arrive
    /// unchecked; only the function's own code stands between the internet and the data.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Author:
    ///     Type: AWS::ApiGateway::Resource
    ///     Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: author}
    ///   PostAuthor:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !Ref Author
    ///       HttpMethod: POST
    ///       AuthorizationType: AWS_IAM
    ///       Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r, Environment: {Variables: {DB_HOST: !GetAtt Db.Endpoint}}}
    ///   Db:
    ///     Type: AWS::DocDB::DBCluster
    ///     Properties: {StorageEncrypted: true}
    /// ```
    ///
    /// ## Remediation
    /// Add an `AWS::ApiGateway::RequestValidator` (`ValidateRequestBody: true`) and a
    /// `RequestModels` JSON schema to the method (SAM: `RequestModel` with
    /// `ValidateBody: true`), and/or associate a WAF web ACL with the AWS managed
    /// `SQLiRuleSet` and `CommonRuleSet`; validate input in the function too.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
    /// - https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html
    pub WriteRouteWithoutValidation {
        id: "DATA011",
        pillar: Data,
        severity: Medium,
        sources: &[Source::CdkNag("AwsSolutions-APIG2")],
        graph: true,
    }
}

impl Rule for WriteRouteWithoutValidation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut memo = crate::rules::paths::ApiMemo::default();
        for r in public_routes(cx) {
            if !r.is_write() || r.route.method == "DELETE" {
                continue;
            }
            let stores: Vec<String> = reach(cx, r.func)
                .iter()
                .map(|x| x.store.to_owned())
                .collect();
            if stores.is_empty()
                || route_validated(t, &r)
                || memo.get(r.api, || api_injection_waf(t, r.api))
            {
                continue;
            }
            let span = t
                .resource(&r.route.resource)
                .map_or(r.edge.span, |m| m.span_of(&["HttpMethod"]));
            out.push(
                Finding::new(&Self::META, Some(&r.route.resource), span,
                    format!("write route {} on {} passes its body to {} which reaches {}, with no request validation and no WAF SQL-injection/XSS rules: injected input (`John Doe; DROP TABLE users;`, NoSQL operators) reaches the data unchecked", r.label(), r.api, r.func, stores.join(", ")),
                    "Add a RequestValidator with a JSON-schema model to the route and/or a WAF web ACL with the SQLi and common rule sets; validate in the function too.")
                .related([r.api.to_owned(), r.func.to_owned()])
                .related(stores)
                .edge(r.api, r.func),
            );
        }
    }
}
