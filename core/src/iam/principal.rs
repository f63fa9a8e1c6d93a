//! Principals of trust and resource policies: who a statement lets in.

use crate::model::resolve::{collect_refs, resource_refs};
use crate::model::Template;
use crate::span::Span;
use crate::value::Value;

use super::statement::{list_items, raw_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `*`, `{AWS: "*"}`: every principal of every account (and, in resource policies,
    /// anonymous callers).
    Everyone,
    /// An account: `123456789012`, `arn:aws:iam::123456789012:root`.
    Account,
    /// A role, user or session of some account.
    Arn,
    /// An AWS service (`lambda.amazonaws.com`).
    Service,
    /// A federated identity provider (SAML, OIDC, Cognito identity pools).
    Federated,
    /// An S3 canonical user id (CloudFront origin access identities).
    Canonical,
}

/// Whose account a principal belongs to, as far as the template says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// The deploying account (`${AWS::AccountId}`, a role of this template).
    Same,
    /// Another account, or one the template does not fix (a literal id, a parameter):
    /// the text that names it.
    Other(String),
    /// Not an account-bound principal (`*`, services, federated providers).
    None,
}

#[derive(Debug, Clone)]
pub struct PrincipalItem {
    pub kind: PrincipalKind,
    /// As written (`*`, `lambda.amazonaws.com`, `arn:aws:iam::${AWS::AccountId}:root`);
    /// for a bare `Ref`/`GetAtt`, the resource it names.
    pub text: String,
    pub span: Span,
    pub cond: Option<String>,
    pub account: Account,
    /// The role or user of the template it names.
    pub target: Option<String>,
}

impl PrincipalItem {
    /// The service name of a `Service` principal (`lambda` of `lambda.amazonaws.com`).
    pub fn service(&self) -> Option<&str> {
        (self.kind == PrincipalKind::Service).then(|| {
            self.text
                .trim_end_matches(".amazonaws.com.cn")
                .trim_end_matches(".amazonaws.com")
        })
    }
}

impl PrincipalItem {
    /// The id of the graph node that stands for this principal (`principal:*`,
    /// `principal:codebuild.amazonaws.com`, `principal:123456789012`); `None` for a role or user
    /// of the template (drawn as itself) and for S3 canonical users.
    pub fn node_id(&self) -> Option<String> {
        match self.kind {
            _ if self.target.is_some() => None,
            PrincipalKind::Canonical => None,
            PrincipalKind::Everyone => Some("principal:*".into()),
            _ => Some(format!("principal:{}", self.text.trim())),
        }
    }

    /// A short label for that node.
    pub fn label(&self) -> String {
        let s = self.text.trim();
        match self.kind {
            PrincipalKind::Everyone => "anyone (*)".into(),
            PrincipalKind::Account => match &self.account {
                Account::Same => "this account".into(),
                Account::Other(a) if !a.is_empty() => format!("account {a}"),
                _ => format!("account {s}"),
            },
            PrincipalKind::Federated => s
                .rsplit_once("oidc-provider/")
                .or_else(|| s.rsplit_once("saml-provider/"))
                .map_or(s, |(_, p)| p)
                .to_owned(),
            PrincipalKind::Arn => s.rsplit(['/', ':']).next().unwrap_or(s).to_owned(),
            _ => s.to_owned(),
        }
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn classify_aws(t: &Template, v: &Value, text: &str) -> (PrincipalKind, Account, Option<String>) {
    let target = resource_refs(t, v).into_iter().next().map(|(id, _)| id);
    if target.is_some() {
        return (PrincipalKind::Arn, Account::Same, target);
    }
    let s = text.trim();
    if s == "*" {
        return (PrincipalKind::Everyone, Account::None, None);
    }
    let mut names_account_param = false;
    collect_refs(v, &mut |n, _| names_account_param |= n == "AWS::AccountId");
    let account_part = s.strip_prefix("arn:").map_or(s, |rest| {
        // arn:partition:iam::ACCOUNT:root
        rest.split(':').nth(3).unwrap_or("")
    });
    let same = names_account_param || account_part.contains("${AWS::AccountId}");
    let account = if same {
        Account::Same
    } else {
        Account::Other(account_part.to_owned())
    };
    let root = s.ends_with(":root") || is_account_id(s) || !s.starts_with("arn:");
    let kind = if root {
        PrincipalKind::Account
    } else {
        PrincipalKind::Arn
    };
    (kind, account, None)
}

fn one(t: &Template, kind_key: &str, v: &Value, cond: Option<String>) -> PrincipalItem {
    let text = raw_text(v).unwrap_or_default();
    let (kind, account, target) = match kind_key {
        "Service" => (PrincipalKind::Service, Account::None, None),
        "Federated" => (
            PrincipalKind::Federated,
            Account::None,
            resource_refs(t, v).into_iter().next().map(|(id, _)| id),
        ),
        "CanonicalUser" if text.trim() == "*" => (PrincipalKind::Everyone, Account::None, None),
        "CanonicalUser" => (PrincipalKind::Canonical, Account::None, None),
        _ => classify_aws(t, v, &text),
    };
    let text = match (&target, text.is_empty()) {
        (Some(id), true) => id.clone(),
        _ => text,
    };
    PrincipalItem {
        kind,
        text,
        span: v.span,
        cond,
        account,
        target,
    }
}

/// Read a `Principal`/`NotPrincipal` value: `"*"`, or a map of `AWS`, `Service`,
/// `Federated`, `CanonicalUser` to one value or a list.
pub fn read(t: &Template, v: &Value, cond: &Option<String>) -> Vec<PrincipalItem> {
    let mut out = Vec::new();
    for (c, p) in super::statement::if_branches(v, cond.clone()) {
        match p.as_map() {
            Some(m) if p.intrinsic().is_none() => {
                for (k, vals) in m {
                    for (ic, x) in list_items(vals, c.clone()) {
                        out.push(one(t, &k.name, x, ic));
                    }
                }
            }
            _ => out.push(one(t, "AWS", p, c)),
        }
    }
    out
}

/// A Lambda permission's (or layer permission's) `Principal` property: a service name, an
/// account, an ARN or `*`.
pub fn read_flat(t: &Template, v: &Value, cond: &Option<String>) -> Vec<PrincipalItem> {
    let mut out = Vec::new();
    for (c, p) in super::statement::if_branches(v, cond.clone()) {
        let text = raw_text(p).unwrap_or_default();
        let key = if text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn") {
            "Service"
        } else {
            "AWS"
        };
        out.push(one(t, key, p, c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principals(yaml_principal: &str) -> Vec<PrincipalItem> {
        let text = format!(
            "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {yaml_principal}\n            Action: sts:AssumeRole\n"
        );
        let a = crate::analyze_text(&text).expect("parses");
        let r = a.template.resource("R").expect("R");
        let p = r
            .prop_path(&["AssumeRolePolicyDocument", "Statement"])
            .and_then(|s| s.items().first().copied())
            .and_then(|s| s.get("Principal"))
            .expect("principal");
        read(&a.template, p, &None)
    }

    #[test]
    fn classifies_principals() {
        let p = principals("'*'");
        assert_eq!(p[0].kind, PrincipalKind::Everyone);
        let p = principals("{AWS: '*'}");
        assert_eq!(p[0].kind, PrincipalKind::Everyone);
        let p = principals("{AWS: '123456789012'}");
        assert_eq!(p[0].kind, PrincipalKind::Account);
        assert_eq!(p[0].account, Account::Other("123456789012".into()));
        let p = principals("{AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}");
        assert_eq!(p[0].kind, PrincipalKind::Account);
        assert_eq!(p[0].account, Account::Same);
        let p = principals("{AWS: 'arn:aws:iam::111122223333:role/deployer'}");
        assert_eq!(p[0].kind, PrincipalKind::Arn);
        assert_eq!(p[0].account, Account::Other("111122223333".into()));
        let p = principals("{Service: [lambda.amazonaws.com, states.amazonaws.com]}");
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].service(), Some("states"));
        let p = principals("{Federated: cognito-identity.amazonaws.com}");
        assert_eq!(p[0].kind, PrincipalKind::Federated);
    }
}
