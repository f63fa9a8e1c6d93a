//! What the diagram shows in a pane of a given size: the view (everything, attack paths, by
//! pillar), collapsed until every node's name is legible when the whole diagram fits the
//! pane, and the fit itself.
//!
//! Collapsing goes in levels, each tried only when the one before is still too small to read
//! at fit (a node's name under [`MIN_LABEL_PX`] on screen):
//!
//! 1. compact spacing, no badge rows;
//! 2. isolated nodes into one "Other resources" box;
//! 3. generic and outside resources that only receive edges into it too, and generic ones
//!    that only call (custom resources calling functions at deploy time) into a box of
//!    their own: one box both fed and feeding would pull the columns apart;
//! 4. a template group's members into one box, and the functions behind one trigger
//!    (routes of one API, one queue) into one box with a count — the API's edges to them
//!    bundle into one labelled `N routes`;
//! 5. smaller such boxes, data stores of one kind, and the functions left over;
//! 6. everything by kind (the boxes behind one trigger too).
//!
//! A box says how many it holds and how many of them have high or critical findings, and
//! carries their pillar chips: nothing serious is hidden without a visible badge. The user
//! opens a box ([`Options::expanded`]) or everything ([`Options::expand_all`]).

use serde::Serialize;

use super::layered::{Layered, LABEL_PX};
use super::{kind_from_str, kind_title, merge_marks, AttackPath, Filter, InEdge, InNode, Layout};
use super::{LayoutInput, Scene};
use crate::graph::{EdgeKind, NodeKind};
use crate::report::FileReport;
use crate::rules::Severity;
use crate::smap::{StrMap, StrSet};

/// Which part of the service the diagram shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewMode {
    #[default]
    All,
    /// Only the paths from public entry points to data stores, weakest links marked.
    AttackPaths,
    /// Only what violates the filter's pillars at its minimum severity.
    ByPillar,
}

/// How to present a diagram.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options {
    /// The pane's size in CSS pixels; `None` draws everything at full size (exports, CLI).
    pub pane: Option<(f32, f32)>,
    /// Collapsed boxes the user opened (their ids).
    pub expanded: Vec<String>,
    /// The user asked for everything, collapsed or not.
    pub expand_all: bool,
    pub mode: ViewMode,
    /// What [`ViewMode::ByPillar`] keeps.
    pub filter: Filter,
}

/// The smallest on-screen size of a node's name at fit.
pub const MIN_LABEL_PX: f32 = 9.0;
/// Room around the scene when fitting.
pub const FIT_PAD: f32 = 12.0;
/// The id of the box holding isolated, generic and outside resources.
pub const OTHER: &str = "+other";

/// The scale that fits a `w` × `h` scene in `pane`, never above 1:1 (a small service stays
/// crisp and calm).
pub fn fit_scale(w: f32, h: f32, pane: (f32, f32)) -> f32 {
    let (cw, ch) = (w.max(200.0) + 2.0 * FIT_PAD, h.max(120.0) + 2.0 * FIT_PAD);
    (pane.0 / cw).min(pane.1 / ch).clamp(1e-3, 1.0)
}

/// The view box (x, y, w, h) that shows the whole scene centred in `pane`.
pub fn fit_box(w: f32, h: f32, pane: (f32, f32)) -> [f32; 4] {
    let s = fit_scale(w, h, pane);
    let (vw, vh) = (pane.0 / s, pane.1 / s);
    [(w - vw) / 2.0, (h - vh) / 2.0, vw, vh]
}

/// Is every node's name at least [`MIN_LABEL_PX`] on screen when `scene` fits `pane`?
pub fn legible(scene: &Scene, pane: (f32, f32)) -> bool {
    LABEL_PX * fit_scale(scene.width, scene.height, pane) >= MIN_LABEL_PX
}

const LEVELS: u8 = 6;

/// The scene to draw for `input` under `o`.
pub fn present(input: &LayoutInput, o: &Options) -> Scene {
    let view = match o.mode {
        ViewMode::All => None,
        ViewMode::AttackPaths => Some(attack_view(input)),
        ViewMode::ByPillar => Some(pillar_view(input, &o.filter)),
    };
    let base = view.as_ref().unwrap_or(input);
    let Some(pane) = o.pane.filter(|_| !o.expand_all) else {
        return Layered::default().layout(base);
    };
    // The least collapsed legible level: the full picture first (most templates), then a
    // binary search over the others (more collapsed is smaller, near enough), so a large
    // service takes three or four layouts, not seven.
    let lay = |level: u8| -> Scene {
        if level == 0 {
            return Layered::default().layout(base);
        }
        if level == 1 {
            return Layered::compact().layout(base);
        }
        Layered::compact().layout(&collapse(base, level, &o.expanded))
    };
    // the search moves down after a legible level, so the last one found is the least
    // collapsed; with none, the one that fits best
    let (mut lo, mut hi) = (0u8, LEVELS);
    let mut found: Option<Scene> = None;
    let mut fallback: Option<(f32, Scene)> = None;
    let mut first = true;
    while lo <= hi {
        let mid = if first { 0 } else { lo + (hi - lo) / 2 };
        first = false;
        let scene = lay(mid);
        if legible(&scene, pane) {
            found = Some(scene);
            if mid == 0 {
                break;
            }
            hi = mid - 1;
        } else {
            let s = fit_scale(scene.width, scene.height, pane);
            if fallback.as_ref().is_none_or(|f| s > f.0) {
                fallback = Some((s, scene));
            }
            lo = mid + 1;
        }
    }
    found.or(fallback.map(|f| f.1)).unwrap_or_default()
}

/// The plural noun for a box of one kind.
fn plural(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Api => "APIs",
        NodeKind::Function => "functions",
        NodeKind::FunctionUrl => "function URLs",
        NodeKind::Queue => "queues",
        NodeKind::Topic => "topics",
        NodeKind::Stream => "streams",
        NodeKind::EventBus => "event buses",
        NodeKind::EventRule => "event rules",
        NodeKind::Schedule => "schedules",
        NodeKind::StateMachine => "state machines",
        NodeKind::Table => "tables",
        NodeKind::Bucket => "buckets",
        NodeKind::DocumentDb | NodeKind::Database => "databases",
        NodeKind::Cache => "caches",
        NodeKind::UserPool | NodeKind::IdentityPool => "identity pools",
        NodeKind::Secret | NodeKind::Parameter => "secrets",
        NodeKind::KmsKey => "keys",
        NodeKind::WebAcl => "web ACLs",
        NodeKind::LogGroup => "log groups",
        NodeKind::Trail => "trails",
        NodeKind::Distribution => "distributions",
        NodeKind::UsagePlan => "usage plans",
        NodeKind::Role => "roles",
        NodeKind::User => "users",
        NodeKind::Group => "groups",
        NodeKind::Principal => "principals",
        NodeKind::External => "outside resources",
        NodeKind::Other => "linked resources",
    }
}

/// `input` with the nodes of `level` (see the module docs) folded into boxes.
pub fn collapse(input: &LayoutInput, level: u8, expanded: &[String]) -> LayoutInput {
    let n = input.nodes.len();
    let mut index: StrMap<usize> = StrMap::new();
    for (i, nd) in input.nodes.iter().enumerate() {
        index.entry_or_insert_with(&nd.id, || i);
    }
    let (mut ins, mut outs) = (vec![0usize; n], vec![0usize; n]);
    let mut calls_only = vec![true; n];
    let mut sources: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &input.edges {
        let (Some(&a), Some(&b)) = (index.get(&e.from), index.get(&e.to)) else {
            continue;
        };
        if a != b {
            outs[a] += 1;
            ins[b] += 1;
            calls_only[a] &= e.kind == EdgeKind::Trigger;
            if e.kind == EdgeKind::Trigger && !sources[b].contains(&a) {
                sources[b].push(a);
            }
        }
    }
    let by_kind = |kind: NodeKind| {
        let p = plural(kind);
        let mut label = p[..1].to_ascii_uppercase();
        label.push_str(&p[1..]);
        (format!("+k:{}", kind.as_str()), label)
    };
    // (box id, box label) per node
    let key = |i: usize| -> Option<(String, String)> {
        let nd = &input.nodes[i];
        if !nd.members.is_empty() {
            return None;
        }
        let other = || Some((OTHER.to_owned(), "Other resources".to_owned()));
        if ins[i] + outs[i] == 0 {
            return other();
        }
        if level >= 3 && matches!(nd.kind, NodeKind::Other | NodeKind::External) {
            if outs[i] == 0 {
                return other();
            }
            if ins[i] == 0 && calls_only[i] {
                return Some(("+custom".to_owned(), "Custom resources".to_owned()));
            }
        }
        if level >= 4 {
            if let Some(g) = &nd.group {
                return Some((format!("+g:{g}"), g.clone()));
            }
        }
        // at the last level the boxes behind one trigger merge by kind too
        if (4..LEVELS).contains(&level)
            && matches!(nd.kind, NodeKind::Function | NodeKind::StateMachine)
        {
            if let [s] = sources[i].as_slice() {
                let via = &input.nodes[*s].id;
                return Some((format!("+via:{via}"), format!("via {via}")));
            }
        }
        if (level >= 5 && nd.kind.is_data_store()) || level >= 6 {
            return Some(by_kind(nd.kind));
        }
        None
    };
    let mut keys: Vec<Option<(String, String)>> = (0..n).map(key).collect();
    let min = if level >= 5 { 2 } else { 3 };
    let count = |keys: &[Option<(String, String)>]| {
        let mut sizes: StrMap<usize> = StrMap::new();
        for (k, _) in keys.iter().flatten() {
            *sizes.entry_or_insert_with(k, || 0) += 1;
        }
        sizes
    };
    let boxed_in = |sizes: &StrMap<usize>, k: &str| {
        sizes
            .get(k)
            .is_some_and(|&c| c >= min || (!k.starts_with("+v") && c >= 2))
            && !expanded.iter().any(|x| x == k)
    };
    let mut sizes = count(&keys);
    // from level 5, functions left alone (several triggers, or a box of one) go by kind
    if level >= 5 {
        for (i, k) in keys.iter_mut().enumerate() {
            let kind = input.nodes[i].kind;
            let alone = k.as_ref().is_none_or(|(k, _)| !boxed_in(&sizes, k));
            if alone
                && input.nodes[i].members.is_empty()
                && matches!(kind, NodeKind::Function | NodeKind::StateMachine)
            {
                *k = Some(by_kind(kind));
            }
        }
        sizes = count(&keys);
    }
    let boxed = |k: &str| boxed_in(&sizes, k);
    // nodes: boxes where their first member was
    let mut out = LayoutInput {
        paths: input.paths.clone(),
        ..LayoutInput::default()
    };
    let mut at: StrMap<usize> = StrMap::new();
    let mut map: StrMap<String> = StrMap::new();
    for (i, nd) in input.nodes.iter().enumerate() {
        let Some((k, label)) = keys[i].as_ref().filter(|(k, _)| boxed(k)) else {
            out.nodes.push(nd.clone());
            continue;
        };
        map.insert(nd.id.clone(), k.clone());
        match at.get(k) {
            Some(&j) => {
                let b = &mut out.nodes[j];
                if b.kind != nd.kind {
                    b.kind = NodeKind::Other;
                }
                merge_marks(&mut b.marks, &nd.marks);
                b.members.push(nd.id.clone());
            }
            None => {
                at.insert(k.clone(), out.nodes.len());
                out.nodes.push(InNode {
                    id: k.clone(),
                    kind: nd.kind,
                    label: label.clone(),
                    type_: String::new(),
                    group: None,
                    marks: nd.marks.clone(),
                    badges: Vec::new(),
                    members: vec![nd.id.clone()],
                    note: String::new(),
                });
            }
        }
    }
    // each box's note: how many, of what, and how many of them are serious
    let worst = |id: &str| {
        index
            .get(id)
            .and_then(|&i| input.nodes[i].marks.iter().map(|m| m.severity).max())
    };
    for b in out.nodes.iter_mut().filter(|b| !b.members.is_empty()) {
        let what = if b.kind == NodeKind::Other {
            "resources"
        } else {
            kind_title(b.kind)
        };
        let count = |s: Severity| b.members.iter().filter(|m| worst(m) == Some(s)).count();
        let (crit, high) = (count(Severity::Critical), count(Severity::High));
        let mut note = format!("{} {what}", b.members.len());
        if crit > 0 {
            note.push_str(&format!(" · {crit} critical"));
        }
        if high > 0 {
            note.push_str(&format!(" · {high} high"));
        }
        b.note = note;
    }
    // edges between what is drawn; edges inside one box are its own business
    for e in &input.edges {
        let from = map.get(&e.from).cloned().unwrap_or_else(|| e.from.clone());
        let to = map.get(&e.to).cloned().unwrap_or_else(|| e.to.clone());
        if from == to && (map.contains_key(&e.from) || map.contains_key(&e.to)) {
            continue;
        }
        out.edges.push(InEdge {
            from,
            to,
            ..e.clone()
        });
    }
    out
}

/// Only the nodes and edges on attack paths; each path's weakest hop marked.
pub fn attack_view(input: &LayoutInput) -> LayoutInput {
    let mut on = StrSet::new();
    let mut hops = StrSet::new();
    let mut weak: StrMap<String> = StrMap::new();
    let hop = |a: &str, b: &str| format!("{a}\u{0}{b}");
    for p in &input.paths {
        on.extend(p.nodes.iter().cloned());
        for w in p.nodes.windows(2) {
            hops.insert(hop(&w[0], &w[1]));
        }
        let (a, b) = &p.weak;
        weak.entry_or_insert_with(&hop(a, b), || p.reason.clone());
    }
    let nodes = input
        .nodes
        .iter()
        .filter(|n| on.contains(&n.id))
        .map(|n| {
            let mut n = n.clone();
            // a path whose weakest point is its start (a public bucket, an open policy)
            if let Some(r) = weak.get(&hop(&n.id, &n.id)) {
                n.note = format!("⚠ {r}");
            }
            n
        })
        .collect();
    let edges = input
        .edges
        .iter()
        .filter(|e| hops.contains(&hop(&e.from, &e.to)))
        .map(|e| {
            let mut e = e.clone();
            if let Some(r) = weak.get(&hop(&e.from, &e.to)) {
                e.label = format!("⚠ {r}");
                e.weak = Some(r.clone());
            }
            e
        })
        .collect();
    LayoutInput {
        nodes,
        edges,
        paths: input.paths.clone(),
    }
}

/// Only what violates the filter's pillars (at its minimum severity), with the edges between.
pub fn pillar_view(input: &LayoutInput, f: &Filter) -> LayoutInput {
    let mut keep = StrSet::new();
    for n in &input.nodes {
        if f.visible(&n.marks).next().is_some() {
            keep.insert(n.id.clone());
        }
    }
    for e in &input.edges {
        if f.visible(&e.marks).next().is_some() {
            keep.insert(e.from.clone());
            keep.insert(e.to.clone());
        }
    }
    LayoutInput {
        nodes: input
            .nodes
            .iter()
            .filter(|n| keep.contains(&n.id))
            .cloned()
            .collect(),
        edges: input
            .edges
            .iter()
            .filter(|e| keep.contains(&e.from) && keep.contains(&e.to))
            .cloned()
            .collect(),
        paths: input.paths.clone(),
    }
}

/// The nodes within `hops` edges of `id` (either direction), `id` included.
pub fn neighbourhood(scene: &Scene, id: &str, hops: usize) -> StrSet {
    let mut seen = StrSet::new();
    seen.insert(id.to_owned());
    let mut frontier = vec![id.to_owned()];
    for _ in 0..hops {
        let mut next = Vec::new();
        for e in &scene.edges {
            for (a, b) in [(&e.from, &e.to), (&e.to, &e.from)] {
                if frontier.contains(a) && !seen.contains(b) {
                    seen.insert(b.clone());
                    next.push(b.clone());
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    seen
}

/// Attack paths of an analysis: every data store reachable from a public entry point
/// ([`crate::graph::derived::Reach`]), one per distinct path.
pub fn paths_of(a: &crate::Analysis) -> Vec<AttackPath> {
    let public: StrSet = a
        .graph
        .public_entry_points()
        .map(|e| e.key.clone())
        .collect();
    let mut out: Vec<AttackPath> = Vec::new();
    for r in &a.graph.derived.reach {
        if !public.contains(&r.entry) || out.iter().any(|p| p.nodes == r.path) {
            continue;
        }
        out.push(AttackPath {
            nodes: r.path.clone(),
            weak: (r.weakest.from.clone(), r.weakest.to.clone()),
            reason: r.weakest.reason.clone(),
        });
    }
    out
}

/// Attack paths from a report alone (a findings-only link carries no template): public
/// routes, then triggers and access edges onward to data stores; the route is the weak link.
pub fn paths_from_edges(r: &FileReport) -> Vec<AttackPath> {
    let mut index: StrMap<usize> = StrMap::new();
    for (i, n) in r.nodes.iter().enumerate() {
        index.entry_or_insert_with(&n.id, || i);
    }
    let at = |id: &str| index.get(id).copied();
    let store: Vec<bool> = r
        .nodes
        .iter()
        .map(|n| {
            let k = kind_from_str(&n.kind);
            k.is_data_store() || k == NodeKind::External
        })
        .collect();
    // the edges a path follows, by their source node
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); r.nodes.len()];
    for e in &r.edges {
        if let (Some(a), Some(b), "trigger" | "access") = (at(&e.from), at(&e.to), e.kind.as_str())
        {
            next[a].push(b);
        }
    }
    let mut out: Vec<AttackPath> = Vec::new();
    for e in &r.edges {
        let Some(route) = e.route.as_ref().filter(|rt| rt.public) else {
            continue;
        };
        let (Some(api), Some(first)) = (at(&e.from), at(&e.to)) else {
            continue;
        };
        let reason = if route.api_key_required {
            "API key only"
        } else {
            "no authorization"
        };
        // breadth-first from the route's target; a store ends a path
        let mut parent = vec![usize::MAX; r.nodes.len()];
        parent[first] = api;
        let mut queue = vec![first];
        let mut k = 0;
        while let Some(&cur) = queue.get(k) {
            k += 1;
            if store[cur] && cur != first {
                continue;
            }
            for &b in &next[cur] {
                if b != api && parent[b] == usize::MAX {
                    parent[b] = cur;
                    queue.push(b);
                }
            }
        }
        for &s in queue.iter().filter(|&&s| store[s]) {
            let mut nodes = vec![r.nodes[s].id.clone()];
            let mut cur = s;
            while cur != api && nodes.len() <= r.nodes.len() {
                cur = parent[cur];
                nodes.push(r.nodes[cur].id.clone());
            }
            nodes.reverse();
            if !out.iter().any(|p| p.nodes == nodes) {
                out.push(AttackPath {
                    nodes,
                    weak: (e.from.clone(), e.to.clone()),
                    reason: reason.to_owned(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::layered::{card, SMALL_PX, TEXT_RIGHT};
    use crate::diagram::text::width;
    use crate::diagram::{Mark, Scene};
    use crate::rules::Pillar;

    const PUBLIC_PATH: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::SimpleTable\n  Archive:\n    Type: AWS::Serverless::SimpleTable\n  PutOrder:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: .\n      Policies:\n        - DynamoDBCrudPolicy: {TableName: !Ref Orders}\n      Events:\n        Put:\n          Type: Api\n          Properties: {Path: /orders, Method: post}\n  Nightly:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: .\n      Policies:\n        - DynamoDBCrudPolicy: {TableName: !Ref Archive}\n";

    fn input_of(text: &str) -> LayoutInput {
        let a = crate::analyze_text(text).expect("parses");
        LayoutInput::from_analysis(&a)
    }

    fn pane(w: f32, h: f32) -> Options {
        Options {
            pane: Some((w, h)),
            ..Options::default()
        }
    }

    /// Shown edge labels as boxes (the text's extent around its baseline).
    fn label_boxes(s: &Scene) -> Vec<(f32, f32, f32, f32)> {
        s.edges
            .iter()
            .filter(|e| !e.label_hidden && !e.label_fit.is_empty())
            .map(|e| {
                let w = width(&e.label_fit, SMALL_PX, !e.marks.is_empty());
                let (x, y) = e.label_at;
                (x - w / 2.0, y - 9.0, x + w / 2.0, y + 2.0)
            })
            .collect()
    }

    fn overlap(a: &(f32, f32, f32, f32), b: &(f32, f32, f32, f32)) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    /// What the issue asks of any presented scene: names fit their boxes, shown labels
    /// clear of each other and of every node.
    fn assert_clean(s: &Scene) {
        let c = card(s.compact);
        for n in &s.nodes {
            let room = n.w - c.text_x - TEXT_RIGHT;
            let lines = crate::diagram::layered::name_lines(&n.label, n.w, s.compact);
            assert!(lines.len() <= 2);
            for l in lines {
                assert!(width(&l, crate::diagram::layered::LABEL_PX, true) <= room + 0.01);
            }
        }
        let labels = label_boxes(s);
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!overlap(a, b), "labels overlap: {a:?} {b:?}");
            }
            for n in &s.nodes {
                assert!(
                    !overlap(a, &(n.x, n.y, n.x + n.w, n.y + n.h)),
                    "label on {}",
                    n.id
                );
            }
        }
    }

    #[test]
    fn a_large_service_collapses_until_legible_and_hides_nothing_serious() {
        let mut input = crate::diagram::layered::tests::generated(150);
        // one serious finding on a function that will be boxed
        input.nodes[1].marks.push(Mark {
            pillar: Pillar::Auth,
            severity: Severity::Critical,
            count: 1,
        });
        let full = present(&input, &Options::default());
        assert_eq!(full.nodes.len(), input.nodes.len());
        assert!(!legible(&full, (712.0, 773.0)));
        let s = present(&input, &pane(712.0, 773.0));
        assert!(legible(&s, (712.0, 773.0)), "{}x{}", s.width, s.height);
        assert!(s.nodes.len() < input.nodes.len());
        assert_clean(&s);
        // every node is drawn, alone or in exactly one box
        let mut drawn: Vec<&str> = Vec::new();
        for n in &s.nodes {
            if n.members.is_empty() {
                drawn.push(&n.id);
            } else {
                drawn.extend(n.members.iter().map(String::as_str));
            }
        }
        drawn.sort_unstable();
        let mut want: Vec<&str> = input.nodes.iter().map(|n| n.id.as_str()).collect();
        want.sort_unstable();
        assert_eq!(drawn, want);
        // the critical function's box shows it: its chip, and the count on its face
        let holder = s
            .nodes
            .iter()
            .find(|n| n.members.contains(&input.nodes[1].id))
            .expect("boxed");
        assert!(holder
            .marks
            .iter()
            .any(|m| m.severity == Severity::Critical));
        assert!(holder.note.contains("1 critical"), "{}", holder.note);
        assert!(holder.id.starts_with('+'));
        // the same input, the same picture
        assert_eq!(s, present(&input, &pane(712.0, 773.0)));
    }

    #[test]
    fn opened_boxes_stay_open_and_expand_all_draws_everything() {
        let input = crate::diagram::layered::tests::generated(150);
        let s = present(&input, &pane(712.0, 773.0));
        let b = s
            .nodes
            .iter()
            .find(|n| !n.members.is_empty())
            .expect("a box");
        let opened = present(
            &input,
            &Options {
                expanded: vec![b.id.clone()],
                ..pane(712.0, 773.0)
            },
        );
        assert!(opened.node(&b.id).is_none());
        for m in &b.members {
            let shown = opened
                .nodes
                .iter()
                .any(|n| n.id == *m || n.members.contains(m));
            assert!(shown, "{m} drawn");
        }
        let all = present(
            &input,
            &Options {
                expand_all: true,
                ..pane(712.0, 773.0)
            },
        );
        assert_eq!(all.nodes.len(), input.nodes.len());
        assert!(all.nodes.iter().all(|n| n.members.is_empty()));
    }

    #[test]
    fn small_services_are_never_collapsed() {
        let input = input_of(crate::example::BOOKSTORE.text);
        let s = present(&input, &pane(712.0, 773.0));
        assert!(s.nodes.iter().all(|n| n.members.is_empty()));
        assert!(!s.compact, "the bookstore fits at full size");
        assert_clean(&s);
    }

    #[test]
    fn isolated_and_generic_resources_share_one_box() {
        let mut text = String::from("Resources:\n");
        for i in 0..60 {
            text.push_str(&format!("  Thing{i}:\n    Type: Custom::Thing\n"));
        }
        let s = present(&input_of(&text), &pane(712.0, 773.0));
        assert_eq!(s.nodes.len(), 1);
        assert_eq!(s.nodes[0].id, OTHER);
        assert_eq!(s.nodes[0].members.len(), 60);
        assert_eq!(s.nodes[0].note, "60 resources");
    }

    #[test]
    fn attack_paths_run_from_public_entries_to_stores() {
        let a = crate::analyze_text(PUBLIC_PATH).expect("parses");
        let input = LayoutInput::from_analysis(&a);
        assert!(!input.paths.is_empty());
        let v = attack_view(&input);
        let ids: Vec<&str> = v.nodes.iter().map(|n| n.id.as_str()).collect();
        assert!(
            ids.contains(&"PutOrder") && ids.contains(&"Orders"),
            "{ids:?}"
        );
        assert!(
            !ids.contains(&"Nightly") && !ids.contains(&"Archive"),
            "{ids:?}"
        );
        let weak: Vec<_> = v.edges.iter().filter(|e| e.weak.is_some()).collect();
        assert_eq!(weak.len(), 1);
        assert_eq!(weak[0].weak.as_deref(), Some("no authorization"));
        assert_eq!(weak[0].to, "PutOrder");
        // a findings-only link carries no template: the report's edges give the same path
        let report = a.to_report("t.yaml");
        let from_report = paths_from_edges(&report);
        assert_eq!(
            from_report.iter().map(|p| &p.nodes).collect::<Vec<_>>(),
            input.paths.iter().map(|p| &p.nodes).collect::<Vec<_>>()
        );
        // drawn, the weak edge is marked and nothing else is there
        let s = present(
            &input,
            &Options {
                mode: ViewMode::AttackPaths,
                ..pane(712.0, 773.0)
            },
        );
        assert_eq!(s.nodes.len(), v.nodes.len());
        assert!(s.edges.iter().any(|e| e.weak.is_some()));
        assert_clean(&s);
    }

    #[test]
    fn by_pillar_keeps_what_violates_the_filter() {
        let input = input_of(crate::example::BOOKSTORE.text);
        let f = Filter {
            pillars: [Pillar::Dos].into_iter().collect(),
            ..Filter::default()
        };
        let v = pillar_view(&input, &f);
        assert!(!v.nodes.is_empty() && v.nodes.len() < input.nodes.len());
        for n in &v.nodes {
            let marked = f.visible(&n.marks).next().is_some();
            let on_marked_edge = input
                .edges
                .iter()
                .any(|e| (e.from == n.id || e.to == n.id) && f.visible(&e.marks).next().is_some());
            assert!(marked || on_marked_edge, "{}", n.id);
        }
        for e in &v.edges {
            assert!(v.nodes.iter().any(|n| n.id == e.from) && v.nodes.iter().any(|n| n.id == e.to));
        }
    }

    #[test]
    fn neighbourhood_grows_with_hops() {
        let input = crate::diagram::layered::tests::generated(60);
        let s = present(&input, &Options::default());
        let id = &s.nodes[0].id;
        let one = neighbourhood(&s, id, 1);
        let two = neighbourhood(&s, id, 2);
        assert!(one.contains(id));
        for e in s.edges.iter().filter(|e| e.from == *id) {
            assert!(one.contains(&e.to));
        }
        assert!(two.len() > one.len());
        assert_eq!(neighbourhood(&s, id, 0).len(), 1);
    }

    #[test]
    fn fit_shows_the_whole_scene_centred_and_never_magnifies() {
        let [x, y, w, h] = fit_box(1000.0, 400.0, (500.0, 500.0));
        assert!(x <= 0.0 && y <= 0.0 && x + w >= 1000.0 && y + h >= 400.0);
        assert!((x + w / 2.0 - 500.0).abs() < 0.01 && (y + h / 2.0 - 200.0).abs() < 0.01);
        let [_, _, w, h] = fit_box(100.0, 100.0, (800.0, 600.0));
        assert_eq!((w, h), (800.0, 600.0), "1:1 for a small scene");
        assert!((fit_scale(2000.0, 100.0, (1000.0, 1000.0)) - 1000.0 / 2024.0).abs() < 1e-4);
    }
}
