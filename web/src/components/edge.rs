//! One diagram edge, drawn from its `SceneEdge`.

use pillarlint_core::diagram::{ellipsize, severity_weight, Filter, SceneEdge, LABEL_CHARS};
use yew::prelude::*;

use super::glyph::chip;

struct Ctx<'a> {
    filter: &'a Filter,
    selected: bool,
    dimmed: bool,
}

/// One edge as SVG (a plain function, like `node_view`).
pub fn edge_view(e: &SceneEdge, filter: &Filter, selected: bool, dimmed: bool) -> Html {
    let p = Ctx {
        filter,
        selected,
        dimmed,
    };
    let worst = p.filter.worst(&e.marks);
    let visible: Vec<_> = p.filter.visible(&e.marks).collect();
    let (lx, ly) = e.label_at;
    let label = ellipsize(&e.label, LABEL_CHARS);
    let n = visible.len() as f32;
    let chips: Html = visible
        .iter()
        .enumerate()
        .map(|(i, m)| {
            chip(
                m.pillar,
                lx + (i as f32 - (n - 1.0) / 2.0) * 18.0,
                ly + 12.0,
                7.5,
            )
        })
        .collect();
    let a = e.arrow;
    html! {
        <g class={classes!("edge", format!("k-{}", e.kind.as_str()),
                    worst.map(|m| format!("worst-{}", m.pillar.as_str())),
                    p.dimmed.then_some("dim"))}
           data-edge-from={e.from.clone()} data-edge-to={e.to.clone()} data-kind={e.kind.as_str()}
           data-pillars={p.filter.pillar_list(&e.marks)}
           data-selected={p.selected.then_some("true")}>
            <title>{ format!("{} → {}{}{}", e.from, e.to, if e.label.is_empty() { "" } else { ": " }, e.label) }</title>
            <path class="line" d={e.path.clone()}
                  stroke-width={worst.map_or(1.5, |m| severity_weight(m.severity)).to_string()} />
            <path class="arrow" d={format!("M{} {}L{} {}L{} {}Z", a[0].0, a[0].1, a[1].0, a[1].1, a[2].0, a[2].1)} />
            if !label.is_empty() {
                <text class="elabel" x={lx.to_string()} y={ly.to_string()}>{ label }</text>
            }
            { chips }
        </g>
    }
}
