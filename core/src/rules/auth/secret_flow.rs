use crate::declare_rule;
use crate::rules::util::{branches, finding, names, raw_text, secret_name};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Follows secrets into Lambda environment variables through `Ref`, `Fn::Sub` and
    /// `Fn::Join`: a `NoEcho` parameter, a secret-named parameter, or a Secrets Manager
    /// secret resolved with `{{resolve:secretsmanager:${Secret}...}}`.
    ///
    /// ## Why is this bad?
    /// `NoEcho` hides a value in the console's parameter view, but once copied into an
    /// environment variable it is shown in plain text on the function's configuration page
    /// and returned by `GetFunctionConfiguration`. The protection silently ends there.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Parameters:
    ///   DbPassword:
    ///     Type: String
    ///     NoEcho: true
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: nodejs20.x
    ///       Handler: index.handler
    ///       Code: {ZipFile: "x"}
    ///       Role: arn:aws:iam::123456789012:role/r
    ///       Environment:
    ///         Variables:
    ///           DB_URL: !Sub "mongodb://admin:${DbPassword}@db.example.com:27017"
    /// ```
    ///
    /// ## Remediation
    /// Keep the secret in Secrets Manager, pass its ARN in the environment, and read it at
    /// runtime.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties
    pub SecretFlow {
        id: "AUTH016",
        pillar: Auth,
        severity: High,
        sources: &[],
        graph: true,
    }
}

impl Rule for SecretFlow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for f in t.resources_of("AWS::Lambda::Function") {
            let Some(vars) = f
                .prop_path(&["Environment", "Variables"])
                .and_then(Value::as_map)
            else {
                continue;
            };
            for (k, v) in vars {
                for b in branches(v) {
                    let Some(val) = b.value else { continue };
                    if val.as_str().is_some() {
                        continue; // literals: AUTH008
                    }
                    let mut hit: Option<(String, Vec<String>)> = None;
                    for n in names(val) {
                        if let Some(p) = t.parameter(&n) {
                            if p.no_echo {
                                hit = Some((format!("NoEcho parameter {}", p.name), vec![]));
                                break;
                            }
                            if secret_name(&p.name) && p.type_ == "String" {
                                hit = Some((
                                    format!(
                                        "parameter {} (a secret by its name, and not even NoEcho)",
                                        p.name
                                    ),
                                    vec![],
                                ));
                                break;
                            }
                        }
                    }
                    if hit.is_none() {
                        let text = raw_text(val).unwrap_or_default();
                        if text.contains("{{resolve:secretsmanager:") && val.as_str().is_none() {
                            let secrets: Vec<String> = names(val)
                                .into_iter()
                                .filter(|n| {
                                    t.resource(n)
                                        .is_some_and(|r| r.type_ == "AWS::SecretsManager::Secret")
                                })
                                .collect();
                            hit = Some((
                                format!(
                                    "secret {}",
                                    if secrets.is_empty() {
                                        "from Secrets Manager".to_owned()
                                    } else {
                                        secrets.join(", ")
                                    }
                                ),
                                secrets,
                            ));
                        }
                    }
                    let Some((what, related)) = hit else { continue };
                    out.push(
                        finding(&Self::META, f, val.span, &b.cond,
                            format!("the value of {what} flows into environment variable {} of {}: it is shown in plain text on the function's configuration and to anyone who can read it", k.name, f.id),
                            "Pass the secret's ARN or name instead and read the value at runtime from Secrets Manager or SSM SecureString.")
                        .severity(if related.is_empty() { Severity::High } else { Severity::Medium })
                        .related(related),
                    );
                }
            }
        }
    }
}
