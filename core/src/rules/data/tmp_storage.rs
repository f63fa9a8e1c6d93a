use crate::declare_rule;
use crate::graph::NodeKind;
use crate::rules::paths::reach;
use crate::rules::util::secret_name;
use crate::rules::{Context, Finding, Rule, RuleMeta};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags functions whose inline code (`Code.ZipFile`, SAM `InlineCode`) writes to
    /// `/tmp`, and functions that handle secrets or sensitive stores (databases, secrets)
    /// with enlarged `EphemeralStorage`. This is advice (low).
    ///
    /// ## Why is this bad?
    /// `/tmp` survives between invocations of a warm execution environment: a file written
    /// for one request (a decrypted export, a user's upload) can be read while serving the
    /// next, possibly another user's.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: index.handler
    ///       Role: arn:aws:iam::123456789012:role/r
    ///       Code:
    ///         ZipFile: |
    ///           def handler(event, context):
    ///               with open("/tmp/export.csv", "w") as f:
    ///                   f.write(event["body"])
    /// ```
    ///
    /// ## Remediation
    /// Write per-request files under a unique name and delete them before returning (or
    /// keep data in memory); never cache secrets or other users' data in `/tmp`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
    pub TmpStorage {
        id: "DATA012",
        pillar: Data,
        severity: Low,
        sources: &[],
    }
}

impl Rule for TmpStorage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for f in cx.template.resources_of("AWS::Lambda::Function") {
            if let Some(code) = f.prop_path(&["Code", "ZipFile"]) {
                let text = crate::rules::util::raw_text(code).unwrap_or_default();
                let writes = text.contains("/tmp")
                    && [
                        "open(",
                        "write",
                        "writeFile",
                        "createWriteStream",
                        ">",
                        "download_file",
                    ]
                    .iter()
                    .any(|w| text.contains(w));
                if writes {
                    out.push(
                        Finding::new(&Self::META, Some(&f.id), code.span,
                            format!("the inline code of {} writes to /tmp, which persists across invocations of a warm environment: one request's files can leak into the next", f.id),
                            "Use unique file names per request and delete them before returning, or keep the data in memory.")
                        .condition(f.condition.clone()),
                    );
                }
            }
            let Some(size) = f.prop_path(&["EphemeralStorage", "Size"]) else {
                continue;
            };
            if size.as_i64().is_none_or(|n| n <= 512) {
                continue;
            }
            let secrets = f
                .prop_path(&["Environment", "Variables"])
                .and_then(Value::as_map)
                .is_some_and(|vars| vars.iter().any(|(k, _)| secret_name(&k.name)));
            let sensitive: Vec<String> = reach(cx, &f.id)
                .iter()
                .filter(|x| {
                    matches!(
                        x.kind,
                        NodeKind::DocumentDb | NodeKind::Database | NodeKind::Secret
                    )
                })
                .map(|x| x.store.to_owned())
                .collect();
            if !secrets && sensitive.is_empty() {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&f.id), size.span,
                    format!("{} has {} MB of /tmp and handles {}: data left in /tmp stays readable by later invocations", f.id, size.as_str().unwrap_or("?"), if sensitive.is_empty() { "secrets".to_owned() } else { sensitive.join(", ") }),
                    "Clean /tmp at the end of every invocation, or keep sensitive data in memory only.")
                .condition(f.condition.clone())
                .related(sensitive),
            );
        }
    }
}
