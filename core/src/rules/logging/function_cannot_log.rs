use crate::declare_rule;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags Lambda functions whose role (declared in the template) cannot write CloudWatch
    /// Logs: no statement allows `logs:PutLogEvents`, and no AWS managed policy that does
    /// is attached (`AWSLambdaBasicExecutionRole`, the VPC / SQS / Kinesis / DynamoDB / MSK
    /// execution roles, `AWSLambdaExecute`, `CloudWatchLogsFullAccess`). Roles with other
    /// AWS managed policies are not judged (their contents are not known here).
    ///
    /// ## Why is this bad?
    /// The function runs, but every `print`, error and stack trace is dropped: incidents
    /// cannot be investigated and nothing alarms on its errors.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt FnRole.Arn}
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
    /// ```
    ///
    /// ## Remediation
    /// Attach `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`, or allow
    /// `logs:CreateLogStream` and `logs:PutLogEvents` on the function's log group.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    pub FunctionCannotLog {
        id: "LOG016",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::CfnNag("W58")],
    }
}

/// AWS managed policies that let a function write its logs.
const LOGGING_MANAGED: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaMSKExecutionRole",
    "AWSLambdaExecute",
    "AWSLambdaReplicator",
    "CloudWatchLogsFullAccess",
    "AdministratorAccess",
    "PowerUserAccess",
];

impl Rule for FunctionCannotLog {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        for f in t.resources_of("AWS::Lambda::Function") {
            let Some(role) = crate::graph::build::function_role(t, f) else {
                continue;
            };
            let Some(who) = iam.identity(&role.id) else {
                continue;
            };
            if who.boundary {
                continue;
            }
            // A managed policy of the template, or an AWS managed one not known here, may grant it.
            let opaque = who.managed.iter().any(|(n, _, _)| {
                LOGGING_MANAGED.contains(&n.as_str()) || crate::iam::managed::grant(n).is_none()
            }) || role.prop("ManagedPolicyArns").is_some_and(|v| {
                v.items().iter().any(|x| {
                    crate::iam::collect::managed_name(x).is_none()
                        && crate::model::resolve::resource_refs(t, x).is_empty()
                })
            });
            if opaque {
                continue;
            }
            let can = iam
                .statements_of(&role.id)
                .iter()
                .any(|(_, s)| s.is_allow() && s.covers_action("logs:PutLogEvents"));
            if can {
                continue;
            }
            let span = f.prop("Role").map_or(f.span, |v| v.span);
            out.push(
                Finding::new(&Self::META, Some(&f.id), span,
                    format!("function {} runs as role {}, which cannot write CloudWatch Logs (no `logs:PutLogEvents`, no AWSLambdaBasicExecutionRole): its output and errors are dropped, so failures and attacks leave no trace", f.id, role.id),
                    "Attach `AWSLambdaBasicExecutionRole`, or allow `logs:CreateLogStream` and `logs:PutLogEvents` on the function's log group.")
                .condition(f.condition.clone())
                .related([role.id.clone()]),
            );
        }
    }
}
