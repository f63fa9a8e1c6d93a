use crate::declare_rule;
use crate::rules::util::secret_name;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags functions whose environment carries secret-named variables (passwords, keys,
    /// tokens, whatever their source) and no `KmsKeyArn`.
    ///
    /// ## Why is this bad?
    /// Without a customer managed key, the environment is decrypted for anyone who can read
    /// the function's configuration; with one, reading it also needs `kms:Decrypt`.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Parameters:
    ///   ApiToken: {Type: String, NoEcho: true}
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
    ///           API_TOKEN: !Ref ApiToken
    /// ```
    ///
    /// ## Remediation
    /// Move the secret to Secrets Manager; until then, set `KmsKeyArn` to a customer managed
    /// key whose policy limits who can decrypt.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
    pub EnvSecretsWithoutKms {
        id: "DATA009",
        pillar: Data,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_173")],
    }
}

impl Rule for EnvSecretsWithoutKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for f in cx.template.resources_of("AWS::Lambda::Function") {
            if f.prop("KmsKeyArn").is_some() {
                continue;
            }
            let Some(vars) = f
                .prop_path(&["Environment", "Variables"])
                .and_then(Value::as_map)
            else {
                continue;
            };
            let secret: Vec<&str> = vars
                .iter()
                .filter(|(k, v)| {
                    secret_name(&k.name)
                        && !v.as_str().is_some_and(crate::rules::util::harmless_literal)
                })
                .map(|(k, _)| k.name.as_str())
                .collect();
            if secret.is_empty() {
                continue;
            }
            let span = vars
                .iter()
                .find(|(k, _)| k.name == secret[0])
                .map_or(f.span, |(k, _)| k.span);
            out.push(
                Finding::new(&Self::META, Some(&f.id), span,
                    format!("function {} keeps {} in its environment without a customer managed key (`KmsKeyArn`): anyone who can read the function's configuration reads them", f.id, secret.join(", ")),
                    "Move secrets to Secrets Manager; otherwise set `KmsKeyArn` to a customer managed key.")
                .condition(f.condition.clone()),
            );
        }
    }
}
