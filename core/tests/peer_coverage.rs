//! Breadth parity with checkov and cfn_nag: every peer check in scope
//! (`rules::peers::PEER_CHECKS`) is covered by a rule that names it in its `sources`, or
//! has a written decision in `rules::peers::DECIDED` — never neither, never both (a
//! decision next to a rule that now covers the check is stale). Prints the coverage.

use pillarlint_core::rules::peers::{covering, decision, DECIDED, PEER_CHECKS};
use pillarlint_core::rules::Source;

fn tool(s: Source) -> &'static str {
    match s {
        Source::Checkov(_) => "checkov",
        Source::CfnNag(_) => "cfn_nag",
        Source::CfnLint(_) => "cfn-lint",
        Source::ServerlessRules(_) => "serverless-rules",
        Source::CdkNag(_) => "cdk-nag",
        Source::Guard(_) => "guard",
    }
}

#[test]
fn every_peer_check_is_covered_or_decided() {
    let mut problems = Vec::new();
    // tool -> (covered, decided, total)
    let mut tally: Vec<(&str, usize, usize, usize)> = Vec::new();
    for c in PEER_CHECKS {
        let rules = covering(c.source);
        let why = decision(c.source);
        let t = tool(c.source);
        let i = match tally.iter().position(|x| x.0 == t) {
            Some(i) => i,
            None => {
                tally.push((t, 0, 0, 0));
                tally.len() - 1
            }
        };
        tally[i].3 += 1;
        match (rules.is_empty(), why) {
            (false, None) => tally[i].1 += 1,
            (true, Some(_)) => tally[i].2 += 1,
            (true, None) => problems.push(format!(
                "{t} {} ({}) is neither covered by a rule's sources nor decided",
                c.source.id(),
                c.what
            )),
            (false, Some(_)) => problems.push(format!(
                "{t} {} is covered by {} and also decided: remove the stale decision",
                c.source.id(),
                rules.join(", ")
            )),
        }
    }
    for (t, covered, decided, total) in &tally {
        println!(
            "{t}: {covered} covered + {decided} decided = {} of {total} ({} open)",
            covered + decided,
            total - covered - decided
        );
    }
    assert!(
        problems.is_empty(),
        "{} peer checks need a rule or a decision:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_tables_are_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for c in PEER_CHECKS {
        assert!(
            seen.insert((tool(c.source), c.source.id())),
            "{} listed twice",
            c.source.id()
        );
        assert!(
            !c.what.trim().is_empty(),
            "{} has no description",
            c.source.id()
        );
        let well_formed = match c.source {
            Source::Checkov(id) => id.starts_with("CKV_AWS_"),
            Source::CfnNag(id) => {
                (id.starts_with('F') || id.starts_with('W'))
                    && id[1..].chars().all(|ch| ch.is_ascii_digit())
            }
            _ => false,
        };
        assert!(
            well_formed,
            "{} is not a checkov or cfn_nag id",
            c.source.id()
        );
    }
    for (s, why) in DECIDED {
        assert!(
            PEER_CHECKS.iter().any(|c| c.source == *s),
            "decision for {}, which is not in the peer table",
            s.id()
        );
        assert!(
            why.len() > 40,
            "the decision for {} gives no real reason",
            s.id()
        );
    }
}

/// A decision that points to our answer (`DATA002`, `DOS011` …) must point to a rule that
/// exists, so a renamed or removed rule cannot leave a reason that sends users nowhere.
#[test]
fn decisions_name_existing_rules() {
    for (s, why) in DECIDED {
        let words = why.split(|c: char| !c.is_ascii_alphanumeric());
        for w in words {
            let digits = w.trim_start_matches(|c: char| c.is_ascii_uppercase());
            let prefix = &w[..w.len() - digits.len()];
            if matches!(prefix, "AUTH" | "DATA" | "LOG" | "DOS")
                && digits.len() == 3
                && digits.chars().all(|c| c.is_ascii_digit())
            {
                assert!(
                    pillarlint_core::rules::rule(w).is_some(),
                    "the decision for {} names {w}, which is no rule",
                    s.id()
                );
            }
        }
    }
}
