use crate::declare_rule;
use crate::rules::util::{branches, finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags API Gateway custom domains with a TLS policy below 1.2, and CloudFront
    /// distributions that allow plain HTTP (`ViewerProtocolPolicy: allow-all`) or accept
    /// TLS below 1.2 on a custom certificate.
    ///
    /// ## Why is this bad?
    /// TLS 1.0/1.1 have known weaknesses and are deprecated; plain HTTP exposes requests,
    /// cookies and tokens to anyone on the network.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Domain:
    ///     Type: AWS::ApiGateway::DomainName
    ///     Properties:
    ///       DomainName: api.example.com
    ///       RegionalCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
    ///       SecurityPolicy: TLS_1_0
    /// ```
    ///
    /// ## Remediation
    /// Use `SecurityPolicy: TLS_1_2`; on CloudFront use `redirect-to-https` or `https-only`
    /// and `MinimumProtocolVersion: TLSv1.2_2021`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
    /// - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
    pub WeakTls {
        id: "DATA008",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_206"), Source::CfnNag("W62"), Source::Checkov("CKV_AWS_34"), Source::Checkov("CKV_AWS_174"), Source::CfnNag("W70"), Source::CdkNag("AwsSolutions-CFR4")],
    }
}

fn old_cloudfront_tls(v: &str) -> bool {
    matches!(v, "SSLv3" | "TLSv1" | "TLSv1_2016" | "TLSv1.1_2016")
}

impl Rule for WeakTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for d in t.resources_of("AWS::ApiGateway::DomainName") {
            for b in prop(d, &["SecurityPolicy"]) {
                match b.str() {
                    Some(p)
                        if p.to_ascii_uppercase().contains("TLS_1_0")
                            || p.to_ascii_uppercase().contains("TLS_1_1")
                            || p.to_ascii_uppercase().contains("TLS13_1_0") => {}
                    None if b.value.is_none() => {}
                    _ => continue,
                }
                out.push(finding(&Self::META, d, span_or(d, &b, &["SecurityPolicy"]), &b.cond,
                    format!("custom domain {} {}: clients may connect with TLS 1.0, which is deprecated and weak", d.id, if b.value.is_some() { "uses a TLS 1.0 security policy" } else { "does not set `SecurityPolicy` (REST custom domains then accept TLS 1.0)" }),
                    "Set `SecurityPolicy: TLS_1_2`."));
            }
        }
        for d in t.resources_of("AWS::ApiGatewayV2::DomainName") {
            for cfg in d
                .prop("DomainNameConfigurations")
                .map(Value::items)
                .unwrap_or_default()
            {
                if let Some(p) = cfg
                    .get("SecurityPolicy")
                    .filter(|p| p.as_str() == Some("TLS_1_0"))
                {
                    out.push(finding(&Self::META, d, p.span, &None,
                        format!("custom domain {} uses `SecurityPolicy: TLS_1_0`: clients may connect with deprecated TLS 1.0", d.id),
                        "Set `SecurityPolicy: TLS_1_2`."));
                }
            }
        }
        for d in t.resources_of("AWS::CloudFront::Distribution") {
            let Some(cfg) = d.prop("DistributionConfig") else {
                continue;
            };
            let mut behaviors: Vec<&Value> = cfg.get("DefaultCacheBehavior").into_iter().collect();
            behaviors.extend(
                cfg.get("CacheBehaviors")
                    .map(Value::items)
                    .unwrap_or_default(),
            );
            for beh in behaviors {
                for b in beh
                    .get("ViewerProtocolPolicy")
                    .map(branches)
                    .unwrap_or_default()
                {
                    if b.str() == Some("allow-all") {
                        let span = b.value.map_or(d.span, |v| v.span);
                        out.push(finding(&Self::META, d, span, &b.cond,
                            format!("distribution {} serves content over plain HTTP (`ViewerProtocolPolicy: allow-all`): requests, cookies and tokens can be read or altered on the network", d.id),
                            "Use `redirect-to-https` or `https-only`."));
                    }
                }
            }
            if let Some(vc) = cfg.get("ViewerCertificate") {
                let custom =
                    vc.get("AcmCertificateArn").is_some() || vc.get("IamCertificateId").is_some();
                for b in vc
                    .get("MinimumProtocolVersion")
                    .map(branches)
                    .unwrap_or_default()
                {
                    if b.str().is_some_and(old_cloudfront_tls) {
                        let span = b.value.map_or(d.span, |v| v.span);
                        out.push(finding(&Self::META, d, span, &b.cond,
                            format!("distribution {} accepts TLS below 1.2 (`MinimumProtocolVersion: {}`)", d.id, b.str().unwrap_or("")),
                            "Set `MinimumProtocolVersion: TLSv1.2_2021`."));
                    }
                }
                if custom && vc.get("MinimumProtocolVersion").is_none() {
                    out.push(finding(&Self::META, d, vc.span, &None,
                        format!("distribution {} uses a custom certificate without `MinimumProtocolVersion`: CloudFront then accepts TLS 1.0", d.id),
                        "Set `MinimumProtocolVersion: TLSv1.2_2021`."));
                }
            }
        }
    }
}
