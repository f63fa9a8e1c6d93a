use crate::declare_rule;
use crate::iam::DocKind;
use crate::rules::util::{cond_of, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements of resource policies (S3 bucket, SQS queue, SNS topic, KMS
    /// key, Secrets Manager, ECR, EventBridge, OpenSearch, API Gateway) written as
    /// `NotPrincipal` (high: everyone except those named), with `NotAction`, or with `*` /
    /// `<service>:*` actions; and Lambda permissions granting more than
    /// `lambda:InvokeFunction` (high for `lambda:*` and code or policy changes).
    ///
    /// ## Why is this bad?
    /// A resource policy is read by every account in the world. `Allow` + `NotPrincipal`
    /// grants the actions to everyone but a few principals, anonymous users included;
    /// `NotAction` and `*` grant deleting, re-configuring or re-opening the resource along
    /// with the intended read or write; a Lambda permission for `lambda:*` lets the caller
    /// replace the function's code.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Reports:
    ///     Type: AWS::S3::Bucket
    ///   ReportsPolicy:
    ///     Type: AWS::S3::BucketPolicy
    ///     Properties:
    ///       Bucket: !Ref Reports
    ///       PolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             NotPrincipal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/auditor"}
    ///             Action: s3:GetObject
    ///             Resource: !Sub "${Reports.Arn}/*"
    /// ```
    ///
    /// ## Remediation
    /// Name the principals that are allowed (use `NotPrincipal` only with `Deny`), list the
    /// actions they need, and grant Lambda callers `lambda:InvokeFunction` only.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
    pub ResourcePolicyShape {
        id: "AUTH028",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::CfnNag("F7"), Source::CfnNag("F8"), Source::CfnNag("F9"), Source::CfnNag("F15"), Source::CfnNag("F20"), Source::CfnNag("W18"), Source::CfnNag("W19"), Source::CfnNag("W20"), Source::CfnNag("W24")],
    }
}

impl Rule for ResourcePolicyShape {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for d in cx.graph.iam.docs_of_kind(DocKind::Resource) {
            let Some(carrier) = t.resource(&d.carrier) else {
                continue;
            };
            let on = if d.holders.is_empty() || d.holders == [d.carrier.clone()] {
                d.carrier.clone()
            } else {
                format!("{} ({})", d.carrier, d.holders.join(", "))
            };
            let related: Vec<String> = d
                .holders
                .iter()
                .filter(|h| **h != d.carrier)
                .cloned()
                .collect();
            for st in d.statements.iter().filter(|s| s.is_allow()) {
                if d.service == "lambda" {
                    // A Lambda permission: one action.
                    for a in st.actions.iter().filter(|a| {
                        !a.text.eq_ignore_ascii_case("lambda:InvokeFunction")
                            && !a.text.eq_ignore_ascii_case("lambda:InvokeFunctionUrl")
                            && !a.text.is_empty()
                    }) {
                        let bad = a.text == "*"
                            || a.text.eq_ignore_ascii_case("lambda:*")
                            || a.text.to_ascii_lowercase().starts_with("lambda:update")
                            || crate::iam::actions::permissions_management(&a.text);
                        out.push(
                            Finding::new(&Self::META, Some(&d.carrier), a.span,
                                format!("permission {} grants `{}`, not just `lambda:InvokeFunction`{}: {}", d.carrier, a.text, when(&a.cond), if bad { "the caller can replace the function's code or open it to others" } else { "the caller can do more with the function than call it" }),
                                "Grant `lambda:InvokeFunction` only.")
                            .severity(if bad { Severity::High } else { Severity::Medium })
                            .condition(cond_of(carrier, &a.cond))
                            .related(related.clone()),
                        );
                    }
                    continue;
                }
                if st.not_principal {
                    let span = st.principal_span.unwrap_or(st.span);
                    let except: Vec<String> = st.principals.iter().map(|p| p.label()).collect();
                    out.push(
                        Finding::new(&Self::META, Some(&d.carrier), span,
                            format!("the resource policy of {on} allows everyone except {} (`NotPrincipal` with `Allow`){}: every other AWS account, and anonymous callers, may {}", except.join(", "), when(&st.cond), if st.not_action { "do nearly anything".to_owned() } else { st.action_texts().join(", ") }),
                            "Name the principals that are allowed in `Principal`; use `NotPrincipal` only with `Deny`.")
                        .severity(Severity::High)
                        .condition(cond_of(carrier, &st.cond))
                        .related(related.clone()),
                    );
                }
                if st.not_action {
                    let span = st.action_span.unwrap_or(st.span);
                    out.push(
                        Finding::new(&Self::META, Some(&d.carrier), span,
                            format!("the resource policy of {on} allows every action except {} (`NotAction` with `Allow`){}: the principals it names can also delete, re-configure or re-open the resource", st.actions.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join(", "), when(&st.cond)),
                            "List the actions that are allowed; use `NotAction` only with `Deny`.")
                        .condition(cond_of(carrier, &st.cond))
                        .related(related.clone()),
                    );
                    continue;
                }
                // `kms:*` (or `s3:*`) for the account itself hands the decision to IAM
                // policies: the default key policy, not an opening.
                let own_account = !st.principals.is_empty()
                    && st.principals.iter().all(|p| {
                        p.kind == crate::iam::PrincipalKind::Account
                            && p.account == crate::iam::Account::Same
                    });
                // Open to everyone: AUTH010/AUTH011 report it, with the actions.
                if own_account || st.everyone().is_some() && !st.has_condition() {
                    continue;
                }
                for a in st
                    .actions
                    .iter()
                    .filter(|a| crate::iam::actions::is_service_wide(&a.text))
                {
                    out.push(
                        Finding::new(&Self::META, Some(&d.carrier), a.span,
                            format!("the resource policy of {on} allows `{}`{}: the principals it names can also delete, re-configure or re-open the resource, not just use it", a.text, when(&a.cond)),
                            "List the actions the principals need (`s3:GetObject`, `sqs:SendMessage`, `kms:Decrypt`).")
                        .condition(cond_of(carrier, &a.cond))
                        .related(related.clone()),
                    );
                }
            }
        }
    }
}
