use crate::declare_rule;
use crate::rules::paths::api_is_private;
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags resource policies that allow `Principal: "*"` with no condition: SQS queues,
    /// SNS topics, Secrets Manager secrets, KMS keys, ECR repositories, EventBridge buses,
    /// OpenSearch domains, Lambda layers (`Principal: "*"` without `OrganizationId`) and
    /// private REST APIs (S3 buckets: AUTH010; Lambda permissions: AUTH004).
    ///
    /// ## Why is this bad?
    /// Any AWS account can then send to the queue, publish to or subscribe to the topic,
    /// read the secret, decrypt with the key, pull the images, put events on the bus, query
    /// the domain, download the layer, or call the private API from its own VPC endpoint.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Queue:
    ///     Type: AWS::SQS::Queue
    ///   QueuePolicy:
    ///     Type: AWS::SQS::QueuePolicy
    ///     Properties:
    ///       Queues: [!Ref Queue]
    ///       PolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: "*"
    ///             Action: sqs:SendMessage
    ///             Resource: !GetAtt Queue.Arn
    /// ```
    ///
    /// ## Remediation
    /// Name the service or account that needs access, or add a condition such as
    /// `aws:SourceArn` / `aws:SourceAccount` / `aws:PrincipalOrgID`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_elements_principal.html
    pub OpenResourcePolicy {
        id: "AUTH011",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_169"), Source::Checkov("CKV_AWS_33"), Source::CfnNag("F18"), Source::CfnNag("F21"), Source::CfnNag("F76")],
    }
}

impl Rule for OpenResourcePolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let kinds: &[(&str, &str)] = &[
            ("AWS::SQS::QueuePolicy", "queue"),
            ("AWS::SQS::QueueInlinePolicy", "queue"),
            ("AWS::SNS::TopicPolicy", "topic"),
            ("AWS::SNS::TopicInlinePolicy", "topic"),
            ("AWS::SecretsManager::ResourcePolicy", "secret"),
            ("AWS::KMS::Key", "key"),
            ("AWS::ECR::Repository", "repository"),
            ("AWS::Events::EventBus", "event bus"),
            ("AWS::Events::EventBusPolicy", "event bus"),
            ("AWS::OpenSearchService::Domain", "domain"),
            ("AWS::Elasticsearch::Domain", "domain"),
            ("AWS::Lambda::LayerVersionPermission", "layer"),
        ];
        for (ty, what) in kinds {
            for p in t.resources_of(ty) {
                for d in cx.graph.iam.carried_by(&p.id) {
                    let targets = &d.holders;
                    for st in d
                        .statements
                        .iter()
                        .filter(|s| s.is_allow() && !s.has_condition())
                    {
                        let Some(who) = st.everyone() else {
                            continue;
                        };
                        let actions = st.action_texts();
                        let (consequence, severity) = match *what {
                            "key" => ("anyone can use the key to decrypt what it protects, or change its policy", Severity::High),
                            "repository" => ("anyone can pull its images, and with write actions replace them", Severity::High),
                            "event bus" => ("anyone can put events that trigger its rules", Severity::High),
                            "domain" => ("anyone can query (or change) the search data", Severity::High),
                            "layer" => ("any account can download the layer's code and whatever it bundles", Severity::Medium),
                            _ => ("anyone can use it", Severity::High),
                        };
                        out.push(
                            Finding::new(&Self::META, Some(&p.id), who.span,
                                format!("{} allows any AWS principal (`*`, no condition) to {} on the {what} {}: {consequence}", p.id, actions.join(", "), targets.join(", ")),
                                if *what == "layer" { "Set `OrganizationId`, or name the accounts that use the layer in `Principal`." } else { "Name the service or account that needs access, or add an `aws:SourceArn`/`aws:SourceAccount`/`aws:PrincipalOrgID` condition." })
                            .severity(severity)
                            .condition(p.condition.clone())
                            .related(targets.iter().filter(|x| **x != p.id).cloned()),
                        );
                    }
                }
            }
        }
        for api in t.resources_of("AWS::ApiGateway::RestApi") {
            let private = api_is_private(t, &api.id);
            for d in cx.graph.iam.carried_by(&api.id) {
                for st in d
                    .statements
                    .iter()
                    .filter(|s| s.is_allow() && !s.has_condition())
                {
                    let Some(who) = st.everyone() else {
                        continue;
                    };
                    let actions = st.action_texts();
                    let beyond_invoke = actions.iter().any(|a| a != "execute-api:Invoke");
                    if !private && !beyond_invoke {
                        // A public API allowing everyone to invoke is what an API without a policy does.
                        continue;
                    }
                    out.push(
                        Finding::new(&Self::META, Some(&api.id), who.span,
                            format!("the resource policy of {}API {} allows any principal to {} with no condition{}", if private { "private " } else { "" }, api.id, actions.join(", "), if private { ": any VPC endpoint in any account can call it" } else { "" }),
                            "Restrict the policy with `aws:SourceVpce` / `aws:SourceVpc` or specific principals.")
                        .condition(api.condition.clone()),
                    );
                }
            }
        }
    }
}
