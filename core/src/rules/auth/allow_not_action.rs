use crate::declare_rule;
use crate::iam::statement::join;
use crate::iam::DocKind;
use crate::rules::util::{cond_of, doc_target, held_by, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements of identity policies (roles, users, groups, policy
    /// resources) written with `NotAction` or `NotResource`: high for `NotAction` on every
    /// resource, medium otherwise. (AWS managed `PowerUserAccess` is reported by AUTH006.)
    ///
    /// ## Why is this bad?
    /// `Allow` + `NotAction: iam:*` on `*` grants every action of every other service,
    /// including those AWS adds next year: deleting stores, reading secrets, running code.
    /// `Allow` + `NotResource` grants the actions on everything but a few resources. Both
    /// read like restrictions and are the opposite.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Operator:
    ///     Type: AWS::IAM::User
    ///     Properties:
    ///       Policies:
    ///         - PolicyName: all-but-iam
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 NotAction: iam:*
    ///                 Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// List the actions (and resources) that are allowed. Keep `NotAction`/`NotResource`
    /// for `Deny` statements, where they mean "deny everything but".
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
    pub AllowNotAction {
        id: "AUTH022",
        pillar: Auth,
        severity: High,
        sources: &[Source::CfnNag("W15"), Source::CfnNag("W16"), Source::CfnNag("W17"), Source::CfnNag("W21"), Source::CfnNag("W22"), Source::CfnNag("W23")],
    }
}

impl Rule for AllowNotAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        for d in iam.docs_of_kind(DocKind::Identity) {
            if d.managed.is_some() {
                continue;
            }
            let Some(carrier) = t.resource(&d.carrier) else {
                continue;
            };
            for st in d.statements.iter().filter(|s| s.is_allow()) {
                let cond = join(&d.cond, &st.cond);
                if st.not_action {
                    let everywhere = st.any_resource();
                    let except: Vec<&str> = st.actions.iter().map(|a| a.text.as_str()).collect();
                    out.push(
                        Finding::new(&Self::META, Some(doc_target(t, d)), st.action_span.unwrap_or(st.span),
                            format!("{} allows every action except {} on {}{}: whoever holds it can {}", held_by(iam, d), except.join(", "), if everywhere { "every resource" } else { "the listed resources" }, when(&cond),
                                if everywhere { "delete stores, read secrets, run code and use every service AWS adds later" } else { "use every other action on them, deletes and policy changes included" }),
                            "List the actions that are allowed; keep `NotAction` for `Deny` statements.")
                        .severity(if everywhere { Severity::High } else { Severity::Medium })
                        .condition(cond_of(carrier, &cond))
                        .related(d.holders.iter().cloned()),
                    );
                }
                if st.not_resource {
                    let span = st.resources.first().map_or(st.span, |r| r.span);
                    let actions: Vec<&str> = st.actions.iter().map(|a| a.text.as_str()).collect();
                    out.push(
                        Finding::new(&Self::META, Some(doc_target(t, d)), span,
                            format!("{} allows {} on every resource except {}{}: everything else in the account, other stacks' included, is in reach", held_by(iam, d), if st.not_action { "those actions".to_owned() } else { actions.join(", ") }, st.resources.iter().map(|r| r.display()).collect::<Vec<_>>().join(", "), when(&cond)),
                            "List the resources the actions apply to; keep `NotResource` for `Deny` statements.")
                        .severity(Severity::Medium)
                        .condition(cond_of(carrier, &cond))
                        .related(d.holders.iter().cloned()),
                    );
                }
            }
        }
    }
}
