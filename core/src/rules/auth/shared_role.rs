use crate::smap::StrSet;

use crate::declare_rule;
use crate::rules::util::{edit_target, refs};
use crate::rules::{Context, Finding, Rule, RuleMeta};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags an IAM role shared by several functions that use different data stores (as
    /// their environment variables show).
    ///
    /// ## Why is this bad?
    /// A shared role holds the union of every function's permissions: the function that
    /// only reads statistics can also write the authors database. A flaw in the least
    /// critical function reaches everything the others can.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Shared:
    ///     Type: AWS::IAM::Role
    ///     Properties: {AssumeRolePolicyDocument: {}}
    ///   A:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt Shared.Arn, Environment: {Variables: {TABLE: !Ref Orders}}}
    ///   B:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: !GetAtt Shared.Arn, Environment: {Variables: {BUCKET: !Ref Reports}}}
    ///   Orders:
    ///     Type: AWS::DynamoDB::Table
    ///   Reports:
    ///     Type: AWS::S3::Bucket
    /// ```
    ///
    /// ## Remediation
    /// Give each function its own role with only the permissions it needs (SAM and the
    /// Serverless `serverless-iam-roles-per-function` plugin make this easy).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub SharedRole {
        id: "AUTH007",
        pillar: Auth,
        severity: Medium,
        sources: &[],
    }
}

/// The data stores a function names in its environment.
pub fn env_stores(cx: &Context<'_>, f: &crate::model::Resource) -> StrSet {
    let t = cx.template;
    f.prop_path(&["Environment", "Variables"])
        .and_then(Value::as_map)
        .map(|vars| {
            vars.iter()
                .flat_map(|(_, v)| refs(t, v))
                .filter(|id| {
                    cx.graph.node(id).is_some_and(|n| {
                        n.kind.is_data_store() || n.kind == crate::graph::NodeKind::DocumentDb
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Rule for SharedRole {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let users = crate::rules::util::role_users(t);
        for role in t.resources_of("AWS::IAM::Role") {
            let fns: Vec<&crate::model::Resource> = users
                .get(&role.id)
                .map(|ids| ids.iter().filter_map(|id| t.resource(id)).collect())
                .unwrap_or_default();
            if fns.len() < 2 {
                continue;
            }
            let needs: Vec<(String, StrSet)> = fns
                .iter()
                .map(|f| (f.id.clone(), env_stores(cx, f)))
                .collect();
            // How many distinct non-empty sets.
            let mut distinct: Vec<&StrSet> = Vec::new();
            for (_, s) in &needs {
                if !s.is_empty() && !distinct.contains(&s) {
                    distinct.push(s);
                }
            }
            let differ = distinct.len() >= 2
                || (distinct.len() == 1 && needs.iter().any(|(_, s)| s.is_empty()));
            if !differ {
                continue;
            }
            let detail: Vec<String> = needs
                .iter()
                .map(|(f, s)| {
                    if s.is_empty() {
                        format!("{f}: none")
                    } else {
                        format!("{f}: {}", s.iter().cloned().collect::<Vec<_>>().join("+"))
                    }
                })
                .collect();
            out.push(
                Finding::new(
                    &Self::META,
                    Some(edit_target(t, role)),
                    role.span,
                    format!("role {} is shared by {} functions that use different stores ({}): each function holds every other function's permissions", role.id, fns.len(), detail.join("; ")),
                    "Give each function its own role scoped to the stores it uses.",
                )
                .related(fns.iter().map(|f| f.id.clone())),
            );
        }
    }
}
