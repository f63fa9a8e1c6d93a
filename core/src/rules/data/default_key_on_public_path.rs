use crate::declare_rule;
use crate::rules::paths::{public_functions, public_stores};
use crate::rules::util::prop;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// For buckets, tables, queues, topics, streams and function log groups reached from a
    /// public route, flags those encrypted only with the provider's default key (SSE-S3, the
    /// DynamoDB owned key, SSE-SQS, `alias/aws/sns`, `alias/aws/kinesis`, the CloudWatch Logs
    /// service key) rather than a customer managed KMS key. This is advice (low): the data *is* encrypted at rest.
    ///
    /// ## Why is this bad?
    /// With the default key, anyone with read permission on the store reads the data; a
    /// customer managed key adds a second, separately audited permission (`kms:Decrypt`)
    /// and lets you revoke access to all the data at once.
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
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt FnRole.Arn}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument: {}
    ///       Policies:
    ///         - PolicyName: read
    ///           PolicyDocument: {Statement: [{Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn}]}
    ///   Table:
    ///     Type: AWS::DynamoDB::Table
    /// ```
    ///
    /// ## Remediation
    /// Encrypt the store with a customer managed KMS key (`SSESpecification.KMSMasterKeyId`,
    /// `BucketEncryption` with `aws:kms`, `KmsMasterKeyId`) and grant `kms:Decrypt` only to
    /// the functions that need it.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk
    pub DefaultKeyOnPublicPath {
        id: "DATA002",
        pillar: Data,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_119"), Source::CfnNag("W74"), Source::CfnNag("W48"), Source::CdkNag("AwsSolutions-KDS3")],
        graph: true,
    }
}

impl Rule for DefaultKeyOnPublicPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let funcs = public_functions(cx);
        let stores = public_stores(cx);
        // Log group -> the function whose logs it holds.
        let owners: std::collections::HashMap<String, String> = t
            .resources_of("AWS::Lambda::Function")
            .filter_map(|f| {
                crate::rules::logging::log_retention::function_log_group(t, f)
                    .map(|lg| (lg.id.clone(), f.id.clone()))
            })
            .collect();
        for r in &t.resources {
            let (uses_cmk, what) = match r.type_.as_str() {
                "AWS::S3::Bucket" => {
                    let mut cmk = false;
                    if let Some(rules) =
                        r.prop_path(&["BucketEncryption", "ServerSideEncryptionConfiguration"])
                    {
                        rules.walk(&mut |_, v| {
                            if v.get("KMSMasterKeyID").is_some() {
                                cmk = true;
                            }
                        });
                    }
                    (cmk, "SSE-S3 (the S3 managed key)")
                }
                "AWS::DynamoDB::Table" => (
                    prop(r, &["SSESpecification", "KMSMasterKeyId"])
                        .iter()
                        .all(|b| b.value.is_some()),
                    "an AWS owned or AWS managed DynamoDB key",
                ),
                "AWS::SNS::Topic" => (
                    prop(r, &["KmsMasterKeyId"])
                        .iter()
                        .all(|b| b.value.is_none_or(|v| v.as_str() != Some("alias/aws/sns"))),
                    "the SNS managed key (alias/aws/sns)",
                ),
                "AWS::Kinesis::Stream" => (
                    prop(r, &["StreamEncryption", "KeyId"]).iter().all(|b| {
                        b.value
                            .is_none_or(|v| v.as_str() != Some("alias/aws/kinesis"))
                    }),
                    "the Kinesis managed key (alias/aws/kinesis)",
                ),
                "AWS::Logs::LogGroup" => (
                    r.prop("KmsKeyId").is_some(),
                    "the CloudWatch Logs service key",
                ),
                "AWS::SQS::Queue" => (
                    prop(r, &["KmsMasterKeyId"])
                        .iter()
                        .all(|b| b.value.is_some_and(|v| v.as_str() != Some("alias/aws/sqs"))),
                    "SSE-SQS (the SQS managed key)",
                ),
                _ => continue,
            };
            if uses_cmk {
                continue;
            }
            // An SQS queue with SSE explicitly disabled is DATA014's concern.
            if r.type_ == "AWS::SQS::Queue"
                && r.prop("SqsManagedSseEnabled").and_then(|v| v.as_bool()) == Some(false)
            {
                continue;
            }
            let entry = if r.type_ == "AWS::Logs::LogGroup" {
                log_group_public_entry(&owners, &funcs, r)
            } else {
                stores.get(&r.id).cloned()
            };
            let Some(path) = entry else {
                continue;
            };
            out.push(
                Finding::new(&Self::META, Some(&r.id), r.span,
                    format!("{} is reached from a public entry ({path}) and uses the default key, {what}: it is encrypted at rest, but read access alone reads the data", r.id),
                    "Consider a customer managed KMS key, with kms:Decrypt granted only to the functions that need it.")
                .condition(r.condition.clone()),
            );
        }
    }
}

/// A log group of a function that a public route or URL reaches.
fn log_group_public_entry(
    owners: &std::collections::HashMap<String, String>,
    funcs: &std::collections::HashMap<String, String>,
    lg: &crate::model::Resource,
) -> Option<String> {
    let f = owners.get(&lg.id)?;
    funcs
        .get(f)
        .map(|e| format!("{e} -> {f}, whose logs it holds"))
}
