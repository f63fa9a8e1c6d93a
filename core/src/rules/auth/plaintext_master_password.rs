use crate::declare_rule;
use crate::model::resolve::dynamic_reference;
use crate::rules::util::{finding, prop, raw_text};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags DocumentDB, RDS/Aurora (and Redshift) master passwords written in the template,
    /// taken from a parameter without `NoEcho`, or from a `NoEcho` parameter whose default
    /// is a literal.
    ///
    /// ## Why is this bad?
    /// The password is visible to anyone who can read the template, its repository, or the
    /// stack's parameters in the console, and it never rotates.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Db:
    ///     Type: AWS::DocDB::DBCluster
    ///     Properties:
    ///       MasterUsername: admin
    ///       MasterUserPassword: SuperSecret123
    ///       StorageEncrypted: true
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Db:
    ///     Type: AWS::RDS::DBCluster
    ///     Properties:
    ///       Engine: aurora-postgresql
    ///       MasterUsername: admin
    ///       ManageMasterUserPassword: true
    ///       StorageEncrypted: true
    /// ```
    ///
    /// ## Remediation
    /// Use `ManageMasterUserPassword: true` (RDS/Aurora: Secrets Manager manages and rotates
    /// it), or a `{{resolve:secretsmanager:...}}` dynamic reference to a generated secret.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
    pub PlaintextMasterPassword {
        id: "AUTH009",
        pillar: Auth,
        severity: High,
        sources: &[Source::CfnNag("F23"), Source::CfnNag("F70")],
    }
}

const TYPES: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
    "AWS::Neptune::DBCluster",
];

impl Rule for PlaintextMasterPassword {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for r in t
            .resources
            .iter()
            .filter(|r| TYPES.contains(&r.type_.as_str()))
        {
            for b in prop(r, &["MasterUserPassword"]) {
                let Some(v) = b.value else { continue };
                if let Some(s) = v.as_str() {
                    if dynamic_reference(s).is_some() {
                        if dynamic_reference(s) == Some("ssm") {
                            out.push(finding(&Self::META, r, v.span, &b.cond,
                                format!("the master password of {} comes from a plain SSM String parameter: anyone who can read parameters reads the password", r.id),
                                "Use `{{resolve:secretsmanager:...}}` or `ManageMasterUserPassword: true`.").severity(Severity::Medium));
                        }
                        continue;
                    }
                    out.push(finding(&Self::META, r, v.span, &b.cond,
                        format!("the master password of {} is written in the template: anyone who reads it or its repository can log in to the database, and it never rotates", r.id),
                        "Use `ManageMasterUserPassword: true` or a `{{resolve:secretsmanager:...}}` dynamic reference to a generated secret."));
                    continue;
                }
                match v.intrinsic() {
                    Some(("Ref", arg)) => {
                        let Some(p) = arg.as_str().and_then(|n| t.parameter(n)) else {
                            continue;
                        };
                        if !p.no_echo {
                            out.push(finding(&Self::META, r, v.span, &b.cond,
                                format!("the master password of {} comes from parameter {} without `NoEcho`: the console and `describe-stacks` show it to anyone with read access", r.id, p.name),
                                "Use `ManageMasterUserPassword: true` or a Secrets Manager dynamic reference; at least set `NoEcho: true`."));
                        } else if p
                            .default
                            .as_ref()
                            .and_then(Value::as_str)
                            .is_some_and(|d| !d.is_empty())
                        {
                            out.push(finding(&Self::META, r, v.span, &b.cond,
                                format!("the master password of {} comes from NoEcho parameter {} whose default is written in the template", r.id, p.name),
                                "Remove the default; better, use `ManageMasterUserPassword: true` or a Secrets Manager dynamic reference."));
                        }
                    }
                    Some(("Fn::Sub" | "Fn::Join", _)) => {
                        let text = raw_text(v).unwrap_or_default();
                        if text.contains("{{resolve:secretsmanager")
                            || text.contains("{{resolve:ssm-secure")
                        {
                            continue;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
