use crate::declare_rule;
use crate::graph::lookup::{function_role, role_statements_via};
use crate::graph::iam::glob;
use crate::rules::paths::public_functions;
use crate::rules::util::{is_allow, raw_text, str_items};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

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
    "CloudWatchLogsFullAccess",
    "AdministratorAccess",
    "PowerUserAccess",
];

/// What the role's managed policies tell: `Some(true)` one of them lets it log, `None` one
/// of them is opaque (a customer managed policy outside the template, a parameter, an
/// unknown AWS managed policy), `Some(false)` none does and all are known.
fn managed_lets_log(t: &crate::model::Template, role: &crate::model::Resource) -> Option<bool> {
    let mut opaque = false;
    for m in role
        .prop("ManagedPolicyArns")
        .map(crate::graph::lookup::flatten_if)
        .unwrap_or_default()
    {
        // A policy defined in the template: its statements are read with the role's.
        if crate::rules::util::refs(t, m).iter().any(|id| {
            t.resource(id)
                .is_some_and(|r| r.type_ == "AWS::IAM::ManagedPolicy")
        }) {
            continue;
        }
        let name = raw_text(m).unwrap_or_default();
        let last = name.rsplit('/').next().unwrap_or("");
        if LOGGING_POLICIES.contains(&last) {
            return Some(true);
        }
        opaque = true;
    }
    (!opaque).then_some(false)
}

fn grants(st: &Value, action: &str) -> bool {
    let matches = |key: &str| {
        str_items(st, key).iter().any(|a| {
            a.as_str()
                .is_some_and(|p| glob(&p.to_ascii_lowercase(), action))
        })
    };
    is_allow(st) && (matches("Action") || (st.get("NotAction").is_some() && !matches("NotAction")))
}

impl Rule for FunctionCannotLog {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let mut public = None;
        for f in t.resources_of("AWS::Lambda::Function") {
            let Some(role) = function_role(t, f) else {
                continue; // a role from elsewhere: its policies are not in view
            };
            match managed_lets_log(t, role) {
                Some(true) | None => continue,
                Some(false) => {}
            }
            let statements = role_statements_via(t, role);
            let can = |action: &str| statements.iter().any(|(_, st)| grants(st, action));
            if can("logs:createlogstream") && can("logs:putlogevents") {
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
