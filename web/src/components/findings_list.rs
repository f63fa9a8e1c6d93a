//! Findings grouped by pillar, with counts and a per-pillar score.

use std::rc::Rc;

use pillarlint_core::diagram::Filter;
use pillarlint_core::report::FindingOut;
use pillarlint_core::rules::{Pillar, Severity};
use yew::prelude::*;

use super::finding::FindingItem;
use super::glyph::pillar_icon;
use crate::state::View;

/// 100 minus a weight per unsuppressed finding, floored at 0.
pub fn pillar_score<'a>(findings: impl Iterator<Item = &'a FindingOut>) -> u32 {
    let lost: u32 = findings
        .map(|f| match f.severity {
            Severity::Critical => 40,
            Severity::High => 20,
            Severity::Medium => 8,
            Severity::Low => 3,
        })
        .sum();
    100u32.saturating_sub(lost)
}

#[derive(Properties, PartialEq)]
pub struct FindingsListProps {
    pub view: Rc<View>,
    pub filter: Filter,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

#[function_component(FindingsList)]
pub fn findings_list(p: &FindingsListProps) -> Html {
    let findings = &p.view.report.findings;
    let active = || {
        findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.suppressed.is_none())
    };
    let total = active().count();
    let suppressed = findings.len() - total;
    let groups: Html = Pillar::ALL
        .iter()
        .filter(|pl| p.filter.pillars.contains(pl))
        .map(|&pl| {
            let of_pillar: Vec<(usize, &FindingOut)> =
                active().filter(|(_, f)| f.pillar == pl).collect();
            let score = pillar_score(of_pillar.iter().map(|(_, f)| *f));
            let shown: Vec<&(usize, &FindingOut)> = of_pillar
                .iter()
                .filter(|(_, f)| f.severity >= p.filter.min_severity)
                .collect();
            let hidden = of_pillar.len() - shown.len();
            html! {
                <section class={classes!("pillar-group", format!("p-{}", pl.as_str()))} data-pillar={pl.as_str()}
                         aria-label={format!("{}: {} findings, score {}", pl.title(), of_pillar.len(), score)}>
                    <h3>
                        { pillar_icon(pl) }
                        <span class="title">{ pl.title() }</span>
                        <span class="count" title="findings">{ of_pillar.len() }</span>
                        <span class={classes!("score", if score >= 90 { "good" } else if score >= 60 { "fair" } else { "poor" })}
                              title="pillar score out of 100">{ score }</span>
                    </h3>
                    if shown.is_empty() && hidden == 0 {
                        <p class="clean-note muted">{"No findings. "}</p>
                    }
                    <ul>
                        { for shown.iter().map(|(i, f)| html! {
                            <FindingItem key={*i} index={*i} finding={(*f).clone()} selected={p.selected == Some(*i)}
                                         on_select={p.on_select.clone()} />
                        }) }
                    </ul>
                    if hidden > 0 {
                        <p class="muted small">{ format!("{hidden} below the minimum severity") }</p>
                    }
                </section>
            }
        })
        .collect();
    html! {
        <section class="pane findings-pane" aria-label="Findings">
            <div class="toolbar">
                <h2 class="pane-title">{ format!("{total} finding{}", if total == 1 { "" } else { "s" }) }</h2>
                if suppressed > 0 {
                    <span class="muted">{ format!(" · {suppressed} suppressed") }</span>
                }
                <span class="spacer" />
                <a href="rules.html#/rules" class="muted">{"All rules"}</a>
            </div>
            <div class="findings-scroll">{ groups }</div>
        </section>
    }
}
