use crate::declare_rule;
use crate::graph::lookup::function_role;
use crate::rules::paths::public_functions;
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags Lambda functions whose execution role, defined in the template, cannot write
    /// CloudWatch Logs: no statement allows both `logs:CreateLogStream` and
    /// `logs:PutLogEvents`, and no attached AWS managed policy that does
    /// (`AWSLambdaBasicExecutionRole` and the other Lambda execution roles,
    /// `CloudWatchLogsFullAccess`). Roles with other managed policies, whose content the
    /// template does not show, are left alone.
    ///
    /// ## Why is this bad?
    /// The function runs blind: its errors, its own security logging and every `print` are
    /// dropped, so a failure or an attack through it leaves no trace, and nobody notices
    /// until something downstream breaks. On a public route it is the one hop that should
    /// record who called it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Code: {ZipFile: "def handler(e, c): return e"}
    ///       Role: !GetAtt FnRole.Arn
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Code: {ZipFile: "def handler(e, c): return e"}
    ///       Role: !GetAtt FnRole.Arn
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
    ///       ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
    /// ```
    ///
    /// ## Remediation
    /// Attach `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`, or allow
    /// `logs:CreateLogStream` and `logs:PutLogEvents` on the function's log group (and
    /// `logs:CreateLogGroup` unless the template creates the group).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub FunctionCannotLog {
        id: "LOG017",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::CfnNag("W58")],
        graph: true,
    }
}

/// AWS managed policies that let a function write its logs.
const LOGGING_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaBasicDurableExecutionRolePolicy",
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
        let mut public = None;
        for f in t.resources_of("AWS::Lambda::Function") {
            let Some(role) = function_role(t, f) else {
                continue; // a role from elsewhere: its policies are not in view
            };
            let Some(who) = iam.identity(&role.id) else {
                continue;
            };
            if who.boundary {
                continue;
            }
            // An AWS managed policy that lets it log, or one whose content is not known here
            // (a customer managed policy outside the template, a parameter, an AWS managed
            // policy the table does not hold), may grant it: leave the role alone.
            let opaque = who.managed.iter().any(|(n, _, _)| {
                LOGGING_POLICIES.contains(&n.as_str()) || crate::iam::managed::grant(n).is_none()
            }) || role.prop("ManagedPolicyArns").is_some_and(|v| {
                v.items().iter().any(|x| {
                    crate::iam::collect::managed_name(x).is_none()
                        && crate::model::resolve::resource_refs(t, x).is_empty()
                })
            });
            if opaque {
                continue;
            }
            let statements = iam.statements_of(&role.id);
            let can = |action: &str| {
                statements
                    .iter()
                    .any(|(_, s)| s.is_allow() && s.covers_action(action))
            };
            if can("logs:CreateLogStream") && can("logs:PutLogEvents") {
                continue;
            }
            let public = public.get_or_insert_with(|| public_functions(cx));
            let entry = public.get(&f.id);
            out.push(
                Finding::new(&Self::META, Some(&f.id), f.prop("Role").map_or(f.span, |v| v.span),
                    format!("function {}{} runs as role {}, which cannot write CloudWatch Logs (no logs:CreateLogStream and logs:PutLogEvents, no AWSLambdaBasicExecutionRole): its errors and any record of who called it are dropped", f.id, entry.map(|e| format!(" (reachable from {e})")).unwrap_or_default(), role.id),
                    "Attach the AWSLambdaBasicExecutionRole managed policy to the role, or allow logs:CreateLogStream and logs:PutLogEvents on the function's log group.")
                .severity(if entry.is_some() { Severity::High } else { Severity::Medium })
                .condition(f.condition.clone())
                .related([role.id.clone()]),
            );
        }
    }
}
