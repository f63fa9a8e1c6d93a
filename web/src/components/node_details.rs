//! What a clicked node is: its type, its attached facts, and its findings.

use std::rc::Rc;

use pillarlint_core::diagram::{kind_from_str, kind_title};
use yew::prelude::*;

use super::glyph::{pillar_icon, severity_tag};
use crate::state::View;

/// A plain function, not a component (no state of its own; a component costs bundle size).
pub struct NodeDetailsProps {
    pub view: Rc<View>,
    pub id: String,
    pub on_select_finding: Callback<usize>,
    pub on_close: Callback<()>,
}

/// `s3:GetObject on Reports/*`, `everything except iam:* on *`.
fn permission_text(g: &pillarlint_core::iam::effective::Permission) -> String {
    if g.actions.is_empty() && !g.not_actions {
        return "contents not known".into();
    }
    let list = |v: &[String]| v.join(", ");
    format!(
        "{}{} on {}{}",
        if g.not_actions {
            "everything except "
        } else {
            ""
        },
        list(&g.actions),
        if g.not_resources {
            "everything except "
        } else {
            ""
        },
        list(&g.resources)
    )
}

pub fn node_details(p: &NodeDetailsProps) -> Html {
    let Some(n) = p.view.report.nodes.iter().find(|n| n.id == p.id) else {
        return html! {};
    };
    let kind = kind_title(kind_from_str(&n.kind));
    let mut findings: Vec<(usize, _)> = p
        .view
        .report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.suppressed.is_none()
                && (p.view.node_of(f).as_deref() == Some(n.id.as_str())
                    || f.edge
                        .as_ref()
                        .is_some_and(|e| e.from == n.id || e.to == n.id))
        })
        .collect();
    pillarlint_core::sort::sort_by(&mut findings, |a, b| {
        b.1.severity.cmp(&a.1.severity).then(a.0.cmp(&b.0))
    });
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <section class="node-details" aria-label={format!("Details of {}", n.id)} data-details-for={n.id.clone()}>
            <header>
                <div>
                    <h3>{ n.id.clone() }</h3>
                    <div class="muted small">{ format!("{kind} · {} · line {}", n.type_, n.line) }</div>
                </div>
                <button type="button" class="close" onclick={close} aria-label="Close details">{"×"}</button>
            </header>
            if !n.facts.is_empty() {
                <h4>{"Attached"}</h4>
                <ul class="facts">
                    { for n.facts.iter().map(|f| html! {
                        <li><span class="fact-kind">{ f.kind.replace('_', " ") }</span>{ f.text.clone() }</li>
                    }) }
                </ul>
            }
            if !n.permissions.is_empty() {
                <h4>{"Permissions (after Deny)"}</h4>
                <ul class="facts permissions">
                    { for n.permissions.iter().map(|g| html! {
                        <li>
                            <code>{ permission_text(g) }</code>
                            <span class="muted small">{ format!(" — {}{}", g.source, if g.conditional { ", with a condition" } else { "" }) }</span>
                        </li>
                    }) }
                </ul>
            }
            <h4>{ format!("Findings ({})", findings.len()) }</h4>
            if findings.is_empty() {
                <p class="muted small">{"None — this resource looks fine."}</p>
            }
            <ul class="node-findings">
                { for findings.iter().map(|(i, f)| {
                    let cb = p.on_select_finding.clone();
                    let i = *i;
                    html! {
                        <li>
                            <button type="button" class="linklike" onclick={Callback::from(move |_: MouseEvent| cb.emit(i))}>
                                { pillar_icon(f.pillar) }{ severity_tag(f.severity) }
                                <span>{ format!(" {} — ", f.rule) }{ super::markdown::inline(&f.message, "message") }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
