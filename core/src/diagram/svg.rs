//! A [`Scene`] as a standalone SVG document: styles are presentation attributes (no CSS,
//! no scripts, no external references), so it opens in any viewer and host page styles
//! cannot leak in through class names. Every piece of template text is XML-escaped.

use std::fmt::Write as _;

use super::layered::{card, name_lines, LINE, SMALL_PX, TEXT_RIGHT};
use super::text::{fit, width};
use super::{
    kind_family, kind_icon, pillar_color, pillar_glyph, severity_weight, subtitle, Filter, Num,
    Scene, SceneEdge, SceneNode,
};
use crate::graph::EdgeKind;

/// Rendering options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dark: bool,
    pub filter: Filter,
    /// A title drawn in the top-left corner and used as the document's `<title>`.
    pub title: Option<String>,
}

/// Theme colours for the standalone SVG.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub bg: &'static str,
    pub node_bg: &'static str,
    pub node_border: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub edge: &'static str,
    pub group_bg: &'static str,
    pub group_border: &'static str,
    pub badge_bg: &'static str,
}

pub const LIGHT: Palette = Palette {
    bg: "#f8fafc",
    node_bg: "#ffffff",
    node_border: "#cbd5e1",
    text: "#0f172a",
    muted: "#64748b",
    edge: "#94a3b8",
    group_bg: "#f1f5f9",
    group_border: "#cbd5e1",
    badge_bg: "#f1f5f9",
};

pub const DARK: Palette = Palette {
    bg: "#0b1120",
    node_bg: "#131c2e",
    node_border: "#334155",
    text: "#e2e8f0",
    muted: "#94a3b8",
    edge: "#64748b",
    group_bg: "#0f172a",
    group_border: "#334155",
    badge_bg: "#1e293b",
};

/// Tint of the icon tile by kind family.
pub fn family_color(family: &str, dark: bool) -> &'static str {
    match (family, dark) {
        ("edge", false) => "#0e7490",
        ("edge", true) => "#22d3ee",
        ("entry", false) => "#4338ca",
        ("entry", true) => "#a5b4fc",
        ("compute", false) => "#b45309",
        ("compute", true) => "#fbbf24",
        ("store", false) => "#15803d",
        ("store", true) => "#4ade80",
        ("messaging", false) => "#be185d",
        ("messaging", true) => "#f9a8d4",
        ("security", false) => "#475569",
        ("security", true) => "#cbd5e1",
        ("observe", false) => "#0369a1",
        ("observe", true) => "#7dd3fc",
        (_, false) => "#64748b",
        (_, true) => "#94a3b8",
    }
}

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // characters XML 1.0 forbids are dropped
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// The diagram of an analysis as a standalone SVG document (what the web app's export, the
/// CLI's `graph --format svg` and the JS API's `renderSvg` produce).
pub fn render_analysis(a: &crate::Analysis, opts: &Options) -> String {
    render(&super::scene(a), opts)
}

/// Render a scene as a standalone SVG document.
pub fn render(scene: &Scene, opts: &Options) -> String {
    let pal = if opts.dark { DARK } else { LIGHT };
    let top = if opts.title.is_some() { 36.0 } else { 0.0 };
    let w = Num(scene.width.max(120.0));
    let h = Num(scene.height.max(80.0) + top);
    let top = Num(top);
    let mut s = String::with_capacity(4096 + scene.nodes.len() * 1200);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{FONT}" role="img""#
    );
    if let Some(t) = &opts.title {
        let _ = write!(s, r#" aria-label="{}""#, esc(t));
    }
    s.push('>');
    if let Some(t) = &opts.title {
        let _ = write!(s, "<title>{}</title>", esc(t));
    }
    let _ = write!(s, r#"<rect width="100%" height="100%" fill="{}"/>"#, pal.bg);
    if let Some(t) = &opts.title {
        let _ = write!(
            s,
            r#"<text x="28" y="28" font-size="15" font-weight="600" fill="{}">{}</text>"#,
            pal.text,
            esc(t)
        );
    }
    let _ = write!(s, r#"<g transform="translate(0 {top})">"#);
    body(&mut s, scene, &opts.filter, Paint::Inline(&pal, opts.dark));
    s.push_str("</g></svg>");
    s
}

/// The scene's groups, edges and nodes as SVG markup for the web app's live diagram (set as
/// the inner HTML of its `<svg>`): the same shapes and `data-*` contract as [`render`], styled
/// by class names the app's stylesheet themes (light and dark follow the system), with nodes
/// focusable buttons for the keyboard and screen readers. Selection and dimming are the
/// app's to toggle on these elements.
pub fn render_live(scene: &Scene, filter: &Filter) -> String {
    let mut s = String::with_capacity(256 + scene.nodes.len() * 1500);
    body(&mut s, scene, filter, Paint::Classes);
    s
}

/// How shapes get their colours: presentation attributes from a palette (a standalone
/// document), or class names a stylesheet themes (the live diagram).
#[derive(Clone, Copy)]
enum Paint<'a> {
    Inline(&'a Palette, bool),
    Classes,
}

impl Paint<'_> {
    /// Write ` class="…"` (live) or the presentation attributes `inline` writes (standalone).
    fn look(self, s: &mut String, class: &str, inline: impl FnOnce(&mut String, &Palette, bool)) {
        match self {
            Paint::Classes if class.is_empty() => {}
            Paint::Classes => {
                let _ = write!(s, r#" class="{class}""#);
            }
            Paint::Inline(pal, dark) => inline(s, pal, dark),
        }
    }
}

fn body(s: &mut String, scene: &Scene, filter: &Filter, p: Paint<'_>) {
    let live = matches!(p, Paint::Classes);
    if live {
        s.push_str(r#"<g class="groups">"#);
    }
    for g in &scene.groups {
        s.push_str("<g");
        p.look(s, "group", |_, _, _| {});
        let _ = write!(
            s,
            r#" data-group-id="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="14""#,
            esc(&g.id),
            Num(g.x),
            Num(g.y),
            Num(g.w),
            Num(g.h),
        );
        p.look(s, "", |s, pal, _| {
            let _ = write!(
                s,
                r#" fill="{}" stroke="{}" stroke-dasharray="5 4""#,
                pal.group_bg, pal.group_border
            );
        });
        let _ = write!(
            s,
            r#"/><text x="{}" y="{}""#,
            Num(g.x + 12.0),
            Num(g.y + 17.0)
        );
        p.look(s, "", |s, pal, _| {
            let _ = write!(
                s,
                r#" font-size="11" font-weight="600" letter-spacing=".04em" fill="{}""#,
                pal.muted
            );
        });
        // bold with letter-spacing: measured bold, with a tenth to spare
        let title = fit(&g.label, (g.w - 24.0) * 0.9, SMALL_PX, true, false);
        let _ = write!(s, ">{}</text></g>", esc(&title));
    }
    if live {
        s.push_str(r#"</g><g class="edges">"#);
    }
    for e in &scene.edges {
        edge(s, e, filter, p);
    }
    if live {
        s.push_str(r#"</g><g class="nodes">"#);
    }
    for n in &scene.nodes {
        node(s, n, filter, p, scene.compact);
    }
    if live {
        s.push_str("</g>");
    }
}

fn edge(s: &mut String, e: &SceneEdge, filter: &Filter, p: Paint<'_>) {
    let live = matches!(p, Paint::Classes);
    let worst = filter.worst(&e.marks);
    let width = Num(worst.map_or(1.5, |m| severity_weight(m.severity)));
    let color =
        |pal: &Palette, dark: bool| worst.map_or(pal.edge, |m| pillar_color(m.pillar, dark));
    s.push_str("<g");
    p.look(
        s,
        &format!(
            "edge k-{}{}{}",
            e.kind.as_str(),
            worst.map_or(String::new(), |m| format!(" worst-{}", m.pillar.as_str())),
            if e.weak.is_some() { " weak" } else { "" }
        ),
        |_, _, _| {},
    );
    let _ = write!(
        s,
        r#" data-edge-from="{}" data-edge-to="{}" data-kind="{}" data-pillars="{}""#,
        esc(&e.from),
        esc(&e.to),
        e.kind.as_str(),
        filter.pillar_list(&e.marks),
    );
    if e.count > 1 {
        let _ = write!(s, r#" data-count="{}""#, e.count);
    }
    if let Some(w) = &e.weak {
        let _ = write!(s, r#" data-weak="{}""#, esc(w));
    }
    let _ = write!(
        s,
        "><title>{} → {}{}{}{}</title><path",
        esc(&e.from),
        esc(&e.to),
        if e.label.is_empty() { "" } else { ": " },
        esc(&e.label),
        if e.count > 1 {
            format!(" ({} edges)", e.count)
        } else {
            String::new()
        },
    );
    p.look(s, "line", |s, pal, dark| {
        let dash = match e.kind {
            EdgeKind::Reference => r#" stroke-dasharray="6 4""#,
            EdgeKind::Guards => r#" stroke-dasharray="2 4""#,
            EdgeKind::Assumes => r#" stroke-dasharray="8 3 2 3""#,
            _ => "",
        };
        let _ = write!(
            s,
            r#" fill="none" stroke="{}"{dash} stroke-linecap="round""#,
            color(pal, dark)
        );
    });
    let _ = write!(s, r#" d="{}" stroke-width="{width}"/><path"#, e.path);
    p.look(s, "arrow", |s, pal, dark| {
        let _ = write!(s, r#" fill="{}""#, color(pal, dark));
    });
    let _ = write!(
        s,
        r#" d="M{} {}L{} {}L{} {}Z"/>"#,
        Num(e.arrow[0].0),
        Num(e.arrow[0].1),
        Num(e.arrow[1].0),
        Num(e.arrow[1].1),
        Num(e.arrow[2].0),
        Num(e.arrow[2].1),
    );
    // a label with no free place is drawn on hover and selection only (live), or not at all
    if e.label_hidden && !live {
        s.push_str("</g>");
        return;
    }
    let visible: Vec<_> = filter.visible(&e.marks).collect();
    let label = &e.label_fit;
    let (lx, ly) = e.label_at;
    if live && e.label_hidden {
        s.push_str(r#"<g class="hover">"#);
    }
    if !label.is_empty() {
        let _ = write!(s, r#"<text x="{}" y="{}""#, Num(lx), Num(ly));
        p.look(s, "elabel", |s, pal, dark| {
            let _ = write!(
                s,
                r#" text-anchor="middle" font-size="11" fill="{}" stroke="{}" stroke-width="4" stroke-linejoin="round" paint-order="stroke""#,
                if worst.is_some() { color(pal, dark) } else { pal.muted },
                pal.bg,
            );
        });
        let _ = write!(s, ">{}</text>", esc(label));
    }
    // pillar chips under the label, one per violated pillar
    let n = visible.len() as f32;
    for (i, m) in visible.iter().enumerate() {
        let cx = lx + (i as f32 - (n - 1.0) / 2.0) * 18.0;
        chip(s, cx, ly + 12.0, 7.5, m.pillar, p, |pal| pal.bg);
    }
    if live && e.label_hidden {
        s.push_str("</g>");
    }
    s.push_str("</g>");
}

/// A pillar chip (coloured disc, white glyph) centred at (cx, cy); `ring` picks the palette
/// colour of the disc's outline (the background it sits on).
fn chip(
    s: &mut String,
    cx: f32,
    cy: f32,
    r: f32,
    pillar: crate::rules::Pillar,
    p: Paint<'_>,
    ring: fn(&Palette) -> &'static str,
) {
    let k = r / 8.0;
    let (cx, cy, r, k) = (Num(cx), Num(cy), Num(r), Num(k));
    s.push_str("<g");
    p.look(s, &format!("chip p-{}", pillar.as_str()), |_, _, _| {});
    let _ = write!(
        s,
        r#" data-pillar="{}"><circle cx="{cx}" cy="{cy}" r="{r}""#,
        pillar.as_str()
    );
    p.look(s, "", |s, pal, dark| {
        let _ = write!(
            s,
            r#" fill="{}" stroke="{}" stroke-width="1.5""#,
            pillar_color(pillar, dark),
            ring(pal)
        );
    });
    let _ = write!(
        s,
        r#"/><path transform="translate({cx} {cy}) scale({k})" d="{}""#,
        pillar_glyph(pillar)
    );
    p.look(s, "", |s, _, _| {
        let fill = if pillar == crate::rules::Pillar::Dos {
            "#fff"
        } else {
            "none"
        };
        let _ = write!(
            s,
            r#" fill="{fill}" stroke="white" stroke-width="1.4" stroke-linejoin="round" stroke-linecap="round""#
        );
    });
    s.push_str("/></g>");
}

fn node(s: &mut String, n: &SceneNode, filter: &Filter, p: Paint<'_>, compact: bool) {
    let worst = filter.worst(&n.marks);
    let bw = Num(worst.map_or(1.0, |m| severity_weight(m.severity)));
    let family = kind_family(n.kind);
    let agg = !n.members.is_empty();
    let marks = filter
        .visible(&n.marks)
        .map(|m| format!("{} {}", m.pillar.as_str(), m.severity.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let title = if agg {
        // a collapsed box names what it holds (the first few)
        let mut t = format!(
            "{} (collapsed: {}; click or press Enter to expand)",
            n.label, n.note
        );
        for (i, m) in n.members.iter().enumerate() {
            if i == 24 {
                let _ = write!(t, "\n… {} more", n.members.len() - i);
                break;
            }
            let _ = write!(t, "\n{m}");
        }
        t
    } else {
        // starts with the text the box shows (its accessible name must contain it)
        let shown = name_lines(&n.label, n.w, compact).join(" ");
        format!(
            "{}{} ({}){}{}",
            if n.id.starts_with(shown.trim_end_matches('…')) {
                String::new()
            } else {
                format!("{shown}: ")
            },
            n.id,
            n.type_,
            if marks.is_empty() { "" } else { ": " },
            marks
        )
    };
    s.push_str("<g");
    p.look(
        s,
        &format!(
            "node fam-{family} {}{}",
            worst.map_or("clean".to_owned(), |m| format!(
                "worst-{}",
                m.pillar.as_str()
            )),
            if agg { " agg" } else { "" }
        ),
        |_, _, _| {},
    );
    let _ = write!(
        s,
        r#" data-node-id="{}" data-kind="{}" data-pillars="{}" transform="translate({} {})""#,
        esc(&n.id),
        n.kind.as_str(),
        filter.pillar_list(&n.marks),
        Num(n.x),
        Num(n.y),
    );
    if agg {
        let _ = write!(s, r#" data-collapsed="{}""#, n.members.len());
    }
    if matches!(p, Paint::Classes) {
        // a button for the keyboard and screen readers, named by its <title> (id, type and
        // what it violates), which starts with the label it shows: no aria-label, whose
        // name would have to repeat every text inside (WCAG 2.5.3, label in name)
        s.push_str(r#" tabindex="0" role="button" aria-pressed="false""#);
    }
    let _ = write!(s, "><title>{}</title>", esc(&title));
    if agg {
        // a second card behind: a stack of several
        s.push_str("<rect");
        p.look(s, "stack", |s, pal, _| {
            let _ = write!(s, r#" fill="{}" stroke="{}""#, pal.node_bg, pal.node_border);
        });
        let _ = write!(
            s,
            r#" x="5" y="-5" width="{}" height="{}" rx="10"/>"#,
            Num(n.w),
            Num(n.h)
        );
    }
    s.push_str("<rect");
    p.look(s, "body", |s, pal, dark| {
        let border = worst.map_or(pal.node_border, |m| pillar_color(m.pillar, dark));
        let _ = write!(s, r#" fill="{}" stroke="{border}""#, pal.node_bg);
    });
    let _ = write!(
        s,
        r#" width="{}" height="{}" rx="10" stroke-width="{bw}"/><rect"#,
        Num(n.w),
        Num(n.h),
    );
    p.look(s, "tile", |s, _, dark| {
        let _ = write!(
            s,
            r#" fill="{}" fill-opacity=".14""#,
            family_color(family, dark)
        );
    });
    let c = card(compact);
    let _ = write!(
        s,
        r#" x="{t}" y="{t}" width="{w}" height="{w}" rx="8"/><path"#,
        t = Num(c.tile_at),
        w = Num(c.tile)
    );
    p.look(s, "kind-icon", |s, _, dark| {
        let _ = write!(
            s,
            r#" fill="none" stroke="{}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round""#,
            family_color(family, dark)
        );
    });
    let _ = write!(
        s,
        r#" transform="translate({i} {i})" d="{}"/><text"#,
        kind_icon(n.kind),
        i = Num(c.tile_at + (c.tile - 20.0) / 2.0)
    );
    p.look(s, "label", |s, pal, _| {
        let _ = write!(
            s,
            r#" font-size="13" font-weight="600" fill="{}""#,
            pal.text
        );
    });
    let room = n.w - c.text_x - TEXT_RIGHT;
    let lines = name_lines(&n.label, n.w, compact);
    let mut y = c.label_y;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            s.push_str("<text");
            p.look(s, "label", |s, pal, _| {
                let _ = write!(
                    s,
                    r#" font-size="13" font-weight="600" fill="{}""#,
                    pal.text
                );
            });
        }
        let _ = write!(
            s,
            r#" x="{}" y="{}">{}</text>"#,
            Num(c.text_x),
            Num(y),
            esc(line)
        );
        y += LINE;
    }
    let sub = subtitle(n.kind, &n.note, worst.map(|m| m.severity));
    s.push_str("<text");
    p.look(s, "sub", |s, pal, _| {
        let _ = write!(s, r#" font-size="11" fill="{}""#, pal.muted);
    });
    let _ = write!(
        s,
        r#" x="{}" y="{}">{}</text>"#,
        Num(c.text_x),
        Num(c.sub_y + (lines.len().max(1) - 1) as f32 * LINE),
        esc(&fit(&sub, room, SMALL_PX, false, false))
    );
    // badges (role, permissions, log group); left out of compact diagrams
    let mut bx = 10.0;
    for b in n.badges.iter().take(4).filter(|_| !compact) {
        let t = badge_text(&b.kind);
        let bwid = (10.0 + width(&t, 10.0, false)).ceil();
        if bx + bwid > n.w - 8.0 {
            break;
        }
        s.push_str("<g");
        p.look(s, "badge", |_, _, _| {});
        let _ = write!(
            s,
            r#" data-badge="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="16" rx="8""#,
            esc(&b.kind),
            esc(&b.text),
            Num(bx),
            Num(n.h - 24.0),
            Num(bwid),
        );
        p.look(s, "", |s, pal, _| {
            let _ = write!(s, r#" fill="{}""#, pal.badge_bg);
        });
        let _ = write!(
            s,
            r#"/><text x="{}" y="{}""#,
            Num(bx + 5.0),
            Num(n.h - 12.5)
        );
        p.look(s, "", |s, pal, _| {
            let _ = write!(s, r#" font-size="10" fill="{}""#, pal.muted);
        });
        let _ = write!(s, ">{}</text></g>", esc(&t));
        bx += bwid + 4.0;
    }
    // pillar chips on the top edge, right-aligned
    let visible: Vec<_> = filter.visible(&n.marks).collect();
    for (i, m) in visible.iter().rev().enumerate() {
        let cx = n.w - 14.0 - i as f32 * 21.0;
        chip(s, cx, 0.0, 9.0, m.pillar, p, |pal| pal.node_bg);
    }
    s.push_str("</g>");
}

/// A small overview of the scene for the minimap: each node a rectangle classed by its worst
/// visible pillar, in the scene's coordinates.
pub fn render_overview(scene: &Scene, filter: &Filter) -> String {
    let mut s = String::with_capacity(64 + scene.nodes.len() * 80);
    for n in &scene.nodes {
        let _ = write!(
            s,
            r#"<rect class="mm {}" x="{}" y="{}" width="{}" height="{}" rx="8"/>"#,
            filter
                .worst(&n.marks)
                .map_or("clean", |m| m.pillar.as_str()),
            Num(n.x),
            Num(n.y),
            Num(n.w),
            Num(n.h)
        );
    }
    s
}

/// The short word on a badge.
pub fn badge_text(kind: &str) -> String {
    match kind {
        "role" => "role".into(),
        "policy" => "policy".into(),
        "permission" => "invoke perm".into(),
        "log_group" => "logs".into(),
        "multiplicity" => "× n".into(),
        other => other.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::layered::Layered;
    use crate::diagram::{InEdge, InNode, Layout, LayoutInput, Mark};
    use crate::graph::NodeKind;
    use crate::rules::{Pillar, Severity};

    /// A node's accessible name (its `<title>`: no aria-label) starts with the label it
    /// shows (WCAG 2.5.3, label in name; axe-core's label-content-name-mismatch).
    #[test]
    fn node_names_start_with_their_label() {
        let node = |id: &str, label: &str| InNode {
            id: id.into(),
            kind: NodeKind::Function,
            label: label.into(),
            type_: "AWS::Serverless::Function".into(),
            group: None,
            marks: vec![Mark {
                pillar: Pillar::Auth,
                severity: Severity::High,
                count: 1,
            }],
            badges: Vec::new(),
            members: Vec::new(),
            note: String::new(),
        };
        let inp = LayoutInput {
            nodes: vec![
                node(
                    "ordersHandlerFunctionWithALongName",
                    "ordersHandlerFunctionWithALongName",
                ),
                node("HelloLambdaFunction", "hello"),
            ],
            edges: Vec::new(),
            paths: Vec::new(),
        };
        let live = render_live(&Layered::default().layout(&inp), &Filter::default());
        let nodes: Vec<&str> = live
            .split("<g")
            .filter(|g| g.contains("data-node-id="))
            .collect();
        assert_eq!(nodes.len(), 2);
        for g in nodes {
            assert!(!g.contains("aria-label"), "{g}");
            let title = g
                .split("<title>")
                .nth(1)
                .and_then(|r| r.split('<').next())
                .expect("a title");
            let label = g
                .split("class=\"label\"")
                .nth(1)
                .and_then(|r| r.split_once('>'))
                .and_then(|(_, r)| r.split('<').next())
                .expect("a label");
            assert!(
                title.starts_with(label.trim_end_matches('…')),
                "title {title:?} does not start with the label {label:?}"
            );
            assert!(title.contains("auth high"), "{title}");
        }
    }

    #[test]
    fn hostile_names_are_inert() {
        let evil = r#"<script>alert("x")</script>&'"#;
        let inp = LayoutInput {
            nodes: vec![
                InNode {
                    id: evil.into(),
                    kind: NodeKind::Function,
                    label: evil.into(),
                    type_: evil.into(),
                    group: Some(evil.into()),
                    marks: vec![Mark {
                        pillar: Pillar::Auth,
                        severity: Severity::High,
                        count: 1,
                    }],
                    badges: vec![crate::diagram::Badge {
                        kind: evil.into(),
                        text: evil.into(),
                        id: None,
                    }],
                    members: vec![evil.into()],
                    note: evil.into(),
                },
                InNode {
                    id: "B".into(),
                    kind: NodeKind::Table,
                    label: "B".into(),
                    type_: String::new(),
                    group: None,
                    marks: Vec::new(),
                    badges: Vec::new(),
                    members: Vec::new(),
                    note: String::new(),
                },
            ],
            edges: vec![InEdge {
                from: evil.into(),
                to: "B".into(),
                kind: EdgeKind::Access,
                label: evil.into(),
                marks: Vec::new(),
                weak: Some(evil.into()),
            }],
            paths: Vec::new(),
        };
        let svg = render(
            &Layered::default().layout(&inp),
            &Options {
                title: Some(evil.into()),
                ..Options::default()
            },
        );
        let live = render_live(&Layered::default().layout(&inp), &Filter::default());
        for svg in [&svg, &live] {
            assert!(!svg.contains("<script"), "{svg}");
            assert!(svg.contains("&lt;script&gt;"));
            // every quote inside attribute values is escaped: attributes stay balanced
            assert!(!svg.contains(r#""x""#));
            assert!(svg.contains(r#"data-pillars="auth""#));
        }
    }

    #[test]
    fn example_svg_names_every_node_and_edge() {
        let a = crate::analyze_text(crate::example::BOOKSTORE.text).expect("example parses");
        let scene = crate::diagram::scene(&a);
        let svg = render(&scene, &Options::default());
        assert_eq!(
            svg,
            render_analysis(&a, &Options::default()),
            "one picture, one path"
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        for n in a.graph.nodes() {
            assert!(
                svg.contains(&format!("data-node-id=\"{}\"", esc(&n.id))),
                "{}",
                n.id
            );
        }
        assert_eq!(svg.matches("data-edge-from=").count(), scene.edges.len());
        let dark = render(
            &scene,
            &Options {
                dark: true,
                ..Options::default()
            },
        );
        assert!(dark.contains(DARK.bg));
    }

    /// Every built-in example renders; with `PILLARLINT_SVG_DUMP=dir` the SVGs are written
    /// there to look at.
    #[test]
    fn every_example_renders() {
        for ex in crate::example::EXAMPLES {
            let a = crate::analyze_text(ex.text).expect("example parses");
            let scene = crate::diagram::scene(&a);
            for dark in [false, true] {
                let svg = render(
                    &scene,
                    &Options {
                        dark,
                        title: Some(ex.title.to_owned()),
                        ..Options::default()
                    },
                );
                assert_eq!(svg.matches("data-node-id=").count(), scene.nodes.len());
                if let Some(dir) = std::env::var_os("PILLARLINT_SVG_DUMP") {
                    let name = format!("{}{}.svg", ex.id, if dark { "-dark" } else { "" });
                    std::fs::write(std::path::Path::new(&dir).join(name), &svg).expect("write");
                }
            }
        }
    }

    /// The live markup keeps the standalone one's contract (every node and edge, the same
    /// `data-*` values) but carries no colours of its own: the app's stylesheet themes it.
    #[test]
    fn live_markup_matches_the_standalone_contract() {
        for ex in crate::example::EXAMPLES {
            let a = crate::analyze_text(ex.text).expect("example parses");
            let scene = crate::diagram::scene(&a);
            let filter = Filter::default();
            let live = render_live(&scene, &filter);
            let doc = render(&scene, &Options::default());
            let attrs = |svg: &str, name: &str| -> Vec<String> {
                svg.split(&format!(" {name}=\""))
                    .skip(1)
                    .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
                    .collect()
            };
            for name in [
                "data-node-id",
                "data-edge-from",
                "data-edge-to",
                "data-pillars",
                "data-kind",
            ] {
                assert_eq!(attrs(&live, name), attrs(&doc, name), "{}: {name}", ex.id);
            }
            assert_eq!(live.matches("data-node-id=").count(), scene.nodes.len());
            assert_eq!(
                live.matches(r#"tabindex="0" role="button""#).count(),
                scene.nodes.len()
            );
            assert!(
                !live.contains(" fill=\"#"),
                "{}: live markup paints nothing itself",
                ex.id
            );
            assert!(!live.contains(LIGHT.node_bg));
            assert_eq!(live.matches("<g").count(), live.matches("</g>").count());
            for n in &scene.nodes {
                let family = kind_family(n.kind);
                let open = format!("data-node-id=\"{}\"", esc(&n.id));
                let at = live.find(&open).expect("node present");
                let tag_start = live[..at].rfind("<g").expect("node group");
                assert!(
                    live[tag_start..at].contains(&format!("node fam-{family}")),
                    "{}",
                    n.id
                );
            }
        }
        // a filtered view drops the hidden pillars from marks, classes and chips
        let a = crate::analyze_text(crate::example::BOOKSTORE.text).expect("example parses");
        let scene = crate::diagram::scene(&a);
        let only_dos = Filter {
            pillars: [crate::rules::Pillar::Dos].into_iter().collect(),
            ..Filter::default()
        };
        let live = render_live(&scene, &only_dos);
        assert!(!live.contains("worst-auth") && !live.contains(r#"data-pillar="auth""#));
        assert!(live.contains(r#"data-pillar="dos""#));
    }

    /// A label with no free place: drawn on hover in the app, left out of a file.
    #[test]
    fn hidden_labels_show_on_hover_only() {
        let a = crate::analyze_text(crate::example::BOOKSTORE.text).expect("example parses");
        let mut scene = crate::diagram::scene(&a);
        let e = scene
            .edges
            .iter_mut()
            .find(|e| !e.label_fit.is_empty())
            .expect("a labelled edge");
        e.label_hidden = true;
        let label = e.label_fit.clone();
        let live = render_live(&scene, &Filter::default());
        let hover = live
            .split(r#"<g class="hover">"#)
            .nth(1)
            .expect("a hover group");
        assert!(hover.starts_with("<text x=") && hover.contains(&esc(&label)));
        assert_eq!(live.matches(r#"<g class="hover">"#).count(), 1);
        let doc = render(&scene, &Options::default());
        assert!(!doc.contains(&format!(">{}</text>", esc(&label))) || label.is_empty());
    }

    #[test]
    fn escape_drops_control_characters() {
        assert_eq!(esc("a\u{1}b<"), "ab&lt;");
    }
}
