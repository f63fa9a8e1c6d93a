use crate::declare_rule;
use crate::model::resolve::dynamic_reference;
use crate::rules::util::{branches, finding, harmless_literal, secret_name};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags Lambda environment variables that hold a secret written into the template: a
    /// secret-looking name (`DB_PASSWORD`, `API_KEY`) with a literal value, a value that is
    /// itself a credential (an AWS access key id, a private key), or a
    /// `{{resolve:secretsmanager:...}}` dynamic reference, which CloudFormation resolves
    /// into the plain environment where anyone with `lambda:GetFunctionConfiguration`
    /// (console read access) sees it.
    ///
    /// ## Why is this bad?
    /// Templates live in source control and CI logs; environment variables are shown in the
    /// console and returned by the API. A password there is readable by far more people than
    /// should hold it, and rotating it means redeploying.
    ///
    /// ## Example
    /// ```yaml,expect_finding
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
    ///           DB_PASSWORD: SuperSecret123
    /// ```
    /// ```yaml,expect_no_finding
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
    ///           DB_PASSWORD_SECRET_ARN: arn:aws:secretsmanager:us-east-1:123456789012:secret:db
    /// ```
    ///
    /// ## Remediation
    /// Store the secret in Secrets Manager (or SSM SecureString), pass only its ARN or name
    /// in the environment, and read it at runtime (the Parameters and Secrets Lambda
    /// extension caches it).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption
    pub SecretInEnvironment {
        id: "AUTH008",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_45")],
    }
}

/// Does the literal look like a credential whatever the variable is called?
fn credential_shaped(s: &str) -> Option<&'static str> {
    let s = s.trim();
    if s.len() == 20
        && (s.starts_with("AKIA") || s.starts_with("ASIA"))
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key id");
    }
    if s.contains("-----BEGIN") && s.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if s.starts_with("sk_live_") || s.starts_with("xoxb-") || s.starts_with("ghp_") {
        return Some("an API token");
    }
    None
}

/// A Serverless Framework variable that pulls a secret in at deploy time
/// (`${ssm:/aws/reference/secretsmanager/...}`, `${ssm:...}` or `${env:...}` for a
/// secret-named variable).
fn deploy_time_secret(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim();
    if !v.contains("${") {
        return None;
    }
    if v.contains("${ssm:/aws/reference/secretsmanager") || v.contains("${secretsmanager:") {
        return Some("Secrets Manager");
    }
    if secret_name(name) {
        if v.contains("${ssm:") {
            return Some("SSM Parameter Store");
        }
        if v.contains("${env:") || v.contains("${file(") || v.contains("${param:") {
            return Some("the deploy environment");
        }
    }
    None
}

impl Rule for SecretInEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for f in cx.template.resources_of("AWS::Lambda::Function") {
            let Some(vars) = f
                .prop_path(&["Environment", "Variables"])
                .and_then(Value::as_map)
            else {
                continue;
            };
            for (k, v) in vars {
                for b in branches(v) {
                    let Some(val) = b.value else { continue };
                    // A dynamic reference, literal or inside a Sub.
                    let text = crate::rules::util::raw_text(val);
                    if let Some(kind) = text.as_deref().and_then(dynamic_reference) {
                        if kind == "secretsmanager" {
                            out.push(
                                finding(&Self::META, f, val.span, &b.cond,
                                    format!("environment variable {} of {} is filled from Secrets Manager with `{{{{resolve:secretsmanager}}}}`: CloudFormation writes the secret's plain value into the environment, where anyone with console read access sees it", k.name, f.id),
                                    "Pass the secret's ARN instead and read it at runtime (Secrets Manager SDK or the Parameters and Secrets extension).")
                                .severity(Severity::Medium),
                            );
                        } else if kind == "ssm" && secret_name(&k.name) {
                            out.push(
                                finding(&Self::META, f, val.span, &b.cond,
                                    format!("environment variable {} of {} is filled from a plain SSM String parameter with `{{{{resolve:ssm}}}}`: the secret is stored unencrypted and copied in plain text into the environment", k.name, f.id),
                                    "Keep the secret in Secrets Manager or an SSM SecureString, pass its name, and read it at runtime.")
                                .severity(Severity::Medium),
                            );
                        }
                        continue;
                    }
                    let Some(lit) = val.as_str() else { continue };
                    if let Some(src) = deploy_time_secret(&k.name, lit) {
                        out.push(
                            finding(&Self::META, f, val.span, &b.cond,
                                format!("environment variable {} of {} is filled at deploy time from {src}: the Serverless Framework resolves it into the plain environment, where anyone with console read access sees it", k.name, f.id),
                                "Pass the parameter's or secret's name instead and read it at runtime (SDK or the Parameters and Secrets extension).")
                            .severity(Severity::Medium),
                        );
                        continue;
                    }
                    if let Some(what) = credential_shaped(lit) {
                        out.push(finding(&Self::META, f, val.span, &b.cond,
                            format!("environment variable {} of {} holds {what} in plain text: it is readable in the template, in source control and in the console", k.name, f.id),
                            "Remove the credential, rotate it, store it in Secrets Manager and pass only its ARN.")
                            .severity(Severity::Critical));
                        continue;
                    }
                    if secret_name(&k.name) && !harmless_literal(lit) {
                        out.push(finding(&Self::META, f, val.span, &b.cond,
                            format!("environment variable {} of {} holds a literal secret: it is readable by anyone who reads the template, its repository or the function's console page", k.name, f.id),
                            "Store the value in Secrets Manager (or SSM SecureString), pass only its ARN or name, and read it at runtime."));
                    }
                }
            }
        }
    }
}
