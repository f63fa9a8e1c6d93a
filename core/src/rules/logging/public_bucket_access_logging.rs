use crate::declare_rule;
use crate::rules::paths::public_stores;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags buckets reached from a public route (through the function behind it) that have
    /// no server access logging (`LoggingConfiguration`).
    ///
    /// ## Why is this bad?
    /// When a public endpoint is abused to read or overwrite objects, the bucket's access
    /// log is what shows which objects were touched, when and by whom.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   GetFile:
    ///     Type: AWS::ApiGateway::Method
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       ResourceId: !GetAtt Api.RootResourceId
    ///       HttpMethod: GET
    ///       AuthorizationType: NONE
    ///       Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"}
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt FnRole.Arn}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument: {}
    ///       Policies:
    ///         - PolicyName: read
    ///           PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Files.Arn}/*"}]}
    ///   Files:
    ///     Type: AWS::S3::Bucket
    /// ```
    ///
    /// ## Remediation
    /// Set `LoggingConfiguration: {DestinationBucketName: !Ref AccessLogs}` (or enable
    /// CloudTrail S3 data events for the bucket).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
    pub PublicBucketAccessLogging {
        id: "LOG013",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_18"), Source::CfnNag("W35"), Source::CdkNag("AwsSolutions-S1")],
        graph: true,
    }
}

impl Rule for PublicBucketAccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let public = public_stores(cx);
        for b in cx.template.resources_of("AWS::S3::Bucket") {
            if b.prop("LoggingConfiguration").is_some() {
                continue;
            }
            let Some(path) = public.get(&b.id) else {
                continue;
            };
            out.push(
                Finding::new(&Self::META, Some(&b.id), b.span,
                    format!("bucket {} is reached from a public entry ({path}) but has no access logging: abuse through that route leaves no record of which objects were read or written", b.id),
                    "Set `LoggingConfiguration` to a log bucket, or enable CloudTrail S3 data events for it.")
                .condition(b.condition.clone()),
            );
        }
    }
}
