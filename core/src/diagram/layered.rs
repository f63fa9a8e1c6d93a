//! A deterministic layered (Sugiyama-style) layout, left to right.
//!
//! 1. Parallel edges (same ends, same kind) are bundled into one with a merged label
//!    (`GET, OPTIONS /jwt`) and a count.
//! 2. Break cycles (DFS back edges are reversed for layout only).
//! 3. Rank: longest path from the sources, with each kind's natural column as a floor
//!    (entry points → APIs/triggers → functions → stores); pure sources are pulled right next
//!    to what they feed, so a queue that triggers a function sits just before it.
//! 4. Long edges get one dummy vertex per crossed layer, so they are routed through the gaps
//!    between boxes and never across one.
//! 5. Crossing reduction: barycenter sweeps down and up, keeping the best order seen; members
//!    of one container stay contiguous in each layer.
//! 6. Vertical positions: each layer is pulled toward its neighbours' centres with an
//!    order-preserving least-squares fit (pool-adjacent-violators with minimum gaps), so no
//!    two boxes overlap and edges run as straight as the order allows.
//! 7. Sizes from measured text ([`super::text`]): each box is as wide as its label needs
//!    within limits, each column as wide as its widest box, each gap as wide as the labels
//!    that sit in it need within limits.
//! 8. Edges: spread ports on each side of a box, smooth cubic curves between columns,
//!    straight runs through columns, an arrowhead at the target. Labels are placed along the
//!    route where they collide with no box, group title or other label; a label that finds
//!    no free place is drawn on hover and selection only.
//!
//! Nothing depends on hash order: the same input always gives the same scene.

use crate::smap::StrMap;
use std::fmt::Write as _;

use super::text;
use super::{
    merge_labels, merge_marks, subtitle, InEdge, Layout, LayoutInput, Num, Scene, SceneEdge,
    SceneGroup, SceneNode,
};
use crate::graph::{EdgeKind, NodeKind};

/// Node label size and weight (the stylesheet's `.node .label`).
pub const LABEL_PX: f32 = 13.0;
/// Subtitle and edge label size.
pub const SMALL_PX: f32 = 11.0;
/// Right margin of a node's text.
pub const TEXT_RIGHT: f32 = 10.0;
/// The second line of a long name.
pub const LINE: f32 = 15.0;

/// The lines of a node's name in a box `w` wide (see [`text::name_lines`]).
pub fn name_lines(label: &str, w: f32, compact: bool) -> Vec<String> {
    text::name_lines(label, w - card(compact).text_x - TEXT_RIGHT, LABEL_PX, true)
}

/// Where things sit inside a node's box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Card {
    pub h: f32,
    /// The icon tile: its side and its offset from the box's corner.
    pub tile: f32,
    pub tile_at: f32,
    /// Left of the name and subtitle.
    pub text_x: f32,
    /// Baselines of the name and the subtitle.
    pub label_y: f32,
    pub sub_y: f32,
}

/// The regular card, and the smaller one of compact diagrams.
pub const CARD: Card = Card {
    h: 56.0,
    tile: 36.0,
    tile_at: 10.0,
    text_x: 56.0,
    label_y: 25.0,
    sub_y: 42.0,
};
pub const COMPACT_CARD: Card = Card {
    h: 42.0,
    tile: 24.0,
    tile_at: 9.0,
    text_x: 41.0,
    label_y: 19.0,
    sub_y: 33.0,
};

/// The card of a diagram.
pub fn card(compact: bool) -> &'static Card {
    if compact {
        &COMPACT_CARD
    } else {
        &CARD
    }
}

/// The layered engine and its spacing.
#[derive(Debug, Clone)]
pub struct Layered {
    pub node_h: f32,
    pub badge_row: f32,
    /// Box widths: sized to the label within these limits.
    pub min_w: f32,
    pub max_w: f32,
    /// Gaps between columns: sized to their labels within these limits.
    pub min_gap: f32,
    pub max_gap: f32,
    pub node_gap: f32,
    pub dummy_gap: f32,
    pub margin: f32,
    pub group_pad: f32,
    pub sweeps: usize,
    /// Upper bound on dummy vertices; longer edges beyond it are drawn as direct curves.
    pub max_dummies: usize,
    /// Leave out the badge rows (what a node is attached to stays in its details).
    pub compact: bool,
}

impl Default for Layered {
    fn default() -> Self {
        Layered {
            node_h: 56.0,
            badge_row: 22.0,
            min_w: 136.0,
            max_w: 232.0,
            min_gap: 64.0,
            max_gap: 168.0,
            node_gap: 26.0,
            dummy_gap: 12.0,
            margin: 28.0,
            group_pad: 14.0,
            sweeps: 8,
            max_dummies: 20_000,
            compact: false,
        }
    }
}

impl Layered {
    /// The compact card and spacing used when a diagram must shrink to fit its pane.
    pub fn compact() -> Self {
        Layered {
            node_h: COMPACT_CARD.h,
            min_w: 120.0,
            max_w: 160.0,
            min_gap: 48.0,
            max_gap: 72.0,
            node_gap: 10.0,
            margin: 16.0,
            compact: true,
            ..Layered::default()
        }
    }
}

/// A vertex of the layered graph: a real node or a dummy on a long edge.
#[derive(Debug, Clone)]
struct Vert {
    node: Option<usize>,
    layer: usize,
    h: f32,
    group: Option<usize>,
    preds: Vec<usize>,
    succs: Vec<usize>,
}

/// Parallel edges of the input drawn as one.
struct Bundle {
    edge: InEdge,
    count: u32,
}

/// Group input edges by (from, to, kind), first occurrence first; labels and marks merge.
fn bundle(input: &LayoutInput, index: &StrMap<usize>) -> Vec<(Bundle, usize, usize)> {
    let mut at: StrMap<usize> = StrMap::new();
    let mut out: Vec<(Bundle, usize, usize)> = Vec::new();
    let mut labels: Vec<Vec<&str>> = Vec::new();
    for e in &input.edges {
        let (Some(&a), Some(&b)) = (index.get(&e.from), index.get(&e.to)) else {
            continue;
        };
        let key = format!("{a} {b} {}", e.kind.as_str());
        if let Some(&k) = at.get(&key) {
            let (bd, _, _) = &mut out[k];
            bd.count += 1;
            merge_marks(&mut bd.edge.marks, &e.marks);
            if bd.edge.weak.is_none() {
                bd.edge.weak.clone_from(&e.weak);
            }
            labels[k].push(&e.label);
        } else {
            at.insert(key, out.len());
            labels.push(vec![&e.label]);
            out.push((
                Bundle {
                    edge: e.clone(),
                    count: 1,
                },
                a,
                b,
            ));
        }
    }
    for ((bd, _, _), ls) in out.iter_mut().zip(&labels) {
        if ls.len() > 1 {
            bd.edge.label = merge_labels(ls);
        }
    }
    out
}

/// An axis-aligned box: x0, y0, x1, y1.
type Rect = (f32, f32, f32, f32);

fn hits(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The label boxes already placed, in a grid of 64 × 40 cells for quick look-ups (boxes
/// beyond the grid fall into its border cells: a check is always against the real boxes).
struct Taken {
    cells: Vec<Vec<Rect>>,
    cols: usize,
    rows: usize,
}

impl Taken {
    fn new(w: f32, h: f32) -> Self {
        let (cols, rows) = ((w / 64.0) as usize + 1, (h / 40.0) as usize + 1);
        Taken {
            cells: vec![Vec::new(); cols * rows],
            cols,
            rows,
        }
    }
    fn cells_of(&self, r: &Rect) -> Vec<usize> {
        let cell = |v: f32, step: f32, n: usize| ((v.max(0.0) / step) as usize).min(n - 1);
        let mut out = Vec::new();
        for y in cell(r.1, 40.0, self.rows)..=cell(r.3, 40.0, self.rows) {
            for x in cell(r.0, 64.0, self.cols)..=cell(r.2, 64.0, self.cols) {
                out.push(y * self.cols + x);
            }
        }
        out
    }
    fn free(&self, r: &Rect) -> bool {
        self.cells_of(r)
            .into_iter()
            .all(|c| self.cells[c].iter().all(|o| !hits(o, r)))
    }
    fn take(&mut self, r: Rect) {
        for c in self.cells_of(&r) {
            self.cells[c].push(r);
        }
    }
}

impl Layout for Layered {
    fn layout(&self, input: &LayoutInput) -> Scene {
        // -- nodes (first of each id wins) and edges between present nodes
        let mut index: StrMap<usize> = StrMap::new();
        let mut nodes = Vec::new();
        for n in &input.nodes {
            if !index.contains_key(&n.id) {
                index.insert(n.id.clone(), nodes.len());
                nodes.push(n);
            }
        }
        let n = nodes.len();
        let bundles = bundle(input, &index);
        let edges: Vec<(usize, usize, usize)> = bundles
            .iter()
            .enumerate()
            .map(|(i, (_, a, b))| (i, *a, *b))
            .collect();

        // -- sizes from measured text
        let sizes: Vec<(f32, f32)> = nodes
            .iter()
            .map(|nd| {
                let worst = nd.marks.iter().max_by_key(|m| m.severity);
                let sub = subtitle(nd.kind, &nd.note, worst.map(|m| m.severity));
                let name_w = text::width(&nd.label, LABEL_PX, true);
                let text_x = card(self.compact).text_x;
                // a box's name says what it holds: it may take a little more room
                let max = self.max_w + if nd.members.is_empty() { 0.0 } else { 24.0 };
                // a name too long for the widest box takes two lines
                let (w, wrapped) = if name_w <= max - text_x - TEXT_RIGHT {
                    let text_w = name_w.max(text::width(&sub, SMALL_PX, false));
                    (
                        (text_x + text_w + TEXT_RIGHT + 2.0).clamp(self.min_w, max),
                        false,
                    )
                } else {
                    (max, true)
                };
                let badges = !self.compact && !nd.badges.is_empty();
                (
                    w.ceil(),
                    self.node_h
                        + if badges { self.badge_row } else { 0.0 }
                        + if wrapped { LINE } else { 0.0 },
                )
            })
            .collect();

        let mut group_ids: StrMap<usize> = StrMap::new();
        for nd in &nodes {
            if let Some(g) = nd.group.as_deref() {
                let next = group_ids.len();
                group_ids.entry_or_insert_with(g, || next);
            }
        }
        let group_of: Vec<Option<usize>> = nodes
            .iter()
            .map(|nd| nd.group.as_deref().and_then(|g| group_ids.get(g).copied()))
            .collect();

        // -- cycle breaking. Protection edges (an authorizer, a WAF, a log group, a key:
        // `guards`) never decide a column; they are drawn between whatever columns the flow
        // puts their ends in. Of the flow edges, one back to a node of an earlier natural
        // column is drawn right to left unless it is a trigger from a pure source (those sit
        // just before what they trigger): a function writing to a user pool, a bucket written
        // by functions that triggers another function, a route reaching CloudFront. Each kind
        // keeps its column instead of the diagram growing a column per hop. Then a DFS in
        // (natural column, input order) reverses what still closes a cycle.
        let flow: Vec<bool> = edges
            .iter()
            .map(|&(bi, a, b)| a != b && bundles[bi].0.edge.kind != EdgeKind::Guards)
            .collect();
        let mut fed = vec![false; n];
        for (slot, &(_, _, b)) in edges.iter().enumerate() {
            fed[b] |= flow[slot];
        }
        let against: Vec<bool> = edges
            .iter()
            .map(|&(bi, a, b)| {
                let trigger = bundles[bi].0.edge.kind == EdgeKind::Trigger;
                (fed[a] || !trigger) && nodes[b].kind.layer() < nodes[a].kind.layer()
            })
            .collect();
        let mut out_adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n]; // (edge slot, target)
        for (slot, &(_, a, b)) in edges.iter().enumerate() {
            if flow[slot] {
                let (x, y) = if against[slot] { (b, a) } else { (a, b) };
                out_adj[x].push((slot, y));
            }
        }
        let mut start_order: Vec<usize> = (0..n).collect();
        crate::sort::sort_by_key(&mut start_order, |&i| (nodes[i].kind.layer(), i));
        let mut reversed: Vec<bool> = back_edges(n, &out_adj, &start_order, edges.len())
            .into_iter()
            .zip(&against)
            .map(|(back, against)| back != *against)
            .collect();

        // The acyclic layout edges (a -> b).
        let dag: Vec<(usize, usize)> = edges
            .iter()
            .enumerate()
            .filter(|(slot, _)| flow[*slot])
            .map(|(slot, &(_, a, b))| if reversed[slot] { (b, a) } else { (a, b) })
            .collect();

        // -- ranking
        let rank = rank_nodes(n, &nodes.iter().map(|x| x.kind).collect::<Vec<_>>(), &dag);
        // protection edges follow the ranks; within one column they loop out to its right
        let mut side = vec![false; edges.len()];
        for (slot, &(_, a, b)) in edges.iter().enumerate() {
            if !flow[slot] && a != b {
                reversed[slot] = rank[a] > rank[b];
                side[slot] = rank[a] == rank[b];
            }
        }

        // -- layered graph with dummies
        let layers_n = rank.iter().copied().max().map_or(0, |m| m + 1);
        let mut verts: Vec<Vert> = (0..n)
            .map(|i| Vert {
                node: Some(i),
                layer: rank[i],
                h: sizes[i].1,
                group: group_of[i],
                preds: Vec::new(),
                succs: Vec::new(),
            })
            .collect();
        // chain of vertices per edge slot, in layout direction
        let mut chains: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
        let mut dummies = 0usize;
        for (slot, &(_, a0, b0)) in edges.iter().enumerate() {
            if a0 == b0 || side[slot] {
                chains[slot] = vec![a0];
                continue;
            }
            let (a, b) = if reversed[slot] { (b0, a0) } else { (a0, b0) };
            let mut chain = vec![a];
            let span = rank[b].saturating_sub(rank[a]);
            if span > 1 && dummies + span - 1 <= self.max_dummies {
                for l in rank[a] + 1..rank[b] {
                    let d = verts.len();
                    verts.push(Vert {
                        node: None,
                        layer: l,
                        h: 0.0,
                        group: None,
                        preds: Vec::new(),
                        succs: Vec::new(),
                    });
                    chain.push(d);
                    dummies += 1;
                }
            }
            chain.push(b);
            for w in chain.windows(2) {
                verts[w[0]].succs.push(w[1]);
                verts[w[1]].preds.push(w[0]);
            }
            chains[slot] = chain;
        }

        // -- ordering
        let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layers_n];
        {
            let mut real: Vec<usize> = (0..n).collect();
            crate::sort::sort_by_key(&mut real, |&i| (group_of[i].map_or(usize::MAX, |g| g), i));
            for i in real {
                layers[verts[i].layer].push(i);
            }
            for v in n..verts.len() {
                layers[verts[v].layer].push(v);
            }
        }
        let mut pos = vec![0usize; verts.len()];
        let set_pos = |layers: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
            for l in layers {
                for (i, &v) in l.iter().enumerate() {
                    pos[v] = i;
                }
            }
        };
        set_pos(&layers, &mut pos);
        let mut best = layers.clone();
        let mut best_cross = total_crossings(&layers, &verts, &pos);
        for sweep in 0..self.sweeps {
            if best_cross == 0 {
                break;
            }
            let down = sweep % 2 == 0;
            let order: Vec<usize> = if down {
                (1..layers_n).collect()
            } else {
                (0..layers_n.saturating_sub(1)).rev().collect()
            };
            for l in order {
                let bary: Vec<f32> = layers[l]
                    .iter()
                    .map(|&v| {
                        let nb = if down {
                            &verts[v].preds
                        } else {
                            &verts[v].succs
                        };
                        if nb.is_empty() {
                            pos[v] as f32
                        } else {
                            nb.iter().map(|&u| pos[u] as f32).sum::<f32>() / nb.len() as f32
                        }
                    })
                    .collect();
                // (sum, count) of the group's barycenters in this layer, by group index
                let mut gsum: Vec<(f32, f32)> = vec![(0.0, 0.0); group_ids.len()];
                for (i, &v) in layers[l].iter().enumerate() {
                    if let Some(g) = verts[v].group {
                        let e = &mut gsum[g];
                        e.0 += bary[i];
                        e.1 += 1.0;
                    }
                }
                let mut keyed: Vec<(f32, usize, f32, usize, usize)> = layers[l]
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let gb = verts[v]
                            .group
                            .map(|g| &gsum[g])
                            .map_or(bary[i], |(s, c)| s / c);
                        let gk = verts[v].group.map_or(usize::MAX - v, |g| g);
                        (gb, gk, bary[i], i, v)
                    })
                    .collect();
                crate::sort::sort_by(&mut keyed, |a, b| {
                    a.0.total_cmp(&b.0)
                        .then(a.1.cmp(&b.1))
                        .then(a.2.total_cmp(&b.2))
                        .then(a.3.cmp(&b.3))
                });
                layers[l] = keyed.into_iter().map(|k| k.4).collect();
                for (i, &v) in layers[l].iter().enumerate() {
                    pos[v] = i;
                }
            }
            let c = total_crossings(&layers, &verts, &pos);
            if c < best_cross {
                best_cross = c;
                best = layers.clone();
            }
        }
        let layers = best;
        set_pos(&layers, &mut pos);

        // -- vertical positions (centres)
        let mut y = vec![0.0f32; verts.len()];
        let seps: Vec<Vec<f32>> = layers
            .iter()
            .map(|l| {
                l.windows(2)
                    .map(|w| {
                        let (a, b) = (&verts[w[0]], &verts[w[1]]);
                        let gap = if a.node.is_some() && b.node.is_some() {
                            self.node_gap
                        } else {
                            self.dummy_gap
                        };
                        let group_break = if a.group != b.group {
                            2.0 * self.group_pad + 18.0
                        } else {
                            0.0
                        };
                        a.h / 2.0 + b.h / 2.0 + gap + group_break
                    })
                    .collect()
            })
            .collect();
        for (l, layer) in layers.iter().enumerate() {
            let mut acc = 0.0;
            for (i, &v) in layer.iter().enumerate() {
                if i > 0 {
                    acc += seps[l][i - 1];
                }
                y[v] = acc;
            }
        }
        let rounds = 4 * 2 + 1;
        for round in 0..rounds {
            let mode = if round == rounds - 1 { 2 } else { round % 2 };
            let order: Vec<usize> = if mode == 1 {
                (0..layers_n).rev().collect()
            } else {
                (0..layers_n).collect()
            };
            for l in order {
                let layer = &layers[l];
                if layer.is_empty() {
                    continue;
                }
                let desired: Vec<f32> = layer
                    .iter()
                    .map(|&v| {
                        let vx = &verts[v];
                        let nb: Vec<usize> = match mode {
                            0 => vx.preds.clone(),
                            1 => vx.succs.clone(),
                            _ => vx.preds.iter().chain(vx.succs.iter()).copied().collect(),
                        };
                        if nb.is_empty() {
                            y[v]
                        } else {
                            nb.iter().map(|&u| y[u]).sum::<f32>() / nb.len() as f32
                        }
                    })
                    .collect();
                let weights: Vec<f32> = layer
                    .iter()
                    .map(|&v| if verts[v].node.is_some() { 1.0 } else { 3.0 })
                    .collect();
                let fitted = fit_with_gaps(&desired, &weights, &seps[l]);
                for (i, &v) in layer.iter().enumerate() {
                    y[v] = fitted[i];
                }
            }
        }
        // top of everything at the margin
        let top = verts
            .iter()
            .enumerate()
            .map(|(i, v)| {
                y[i] - v.h / 2.0
                    - if v.group.is_some() {
                        self.group_pad + 22.0
                    } else {
                        0.0
                    }
            })
            .fold(f32::INFINITY, f32::min);
        let shift = if top.is_finite() {
            self.margin - top
        } else {
            0.0
        };
        for yy in &mut y {
            *yy += shift;
        }

        // -- ports: spread edge ends along each side, ordered by the other end's height
        // by edge slot: the port at the chain's first vertex (out) and last (in)
        let mut out_ports: Vec<Option<f32>> = vec![None; chains.len()];
        let mut in_ports: Vec<Option<f32>> = vec![None; chains.len()];
        {
            let mut outs: Vec<Vec<(f32, usize, usize)>> = vec![Vec::new(); n];
            let mut ins: Vec<Vec<(f32, usize, usize)>> = vec![Vec::new(); n];
            for (slot, chain) in chains.iter().enumerate() {
                if chain.len() < 2 {
                    continue;
                }
                let a = chain[0];
                let b = chain[chain.len() - 1];
                outs[a].push((y[chain[1]], slot, a));
                ins[b].push((y[chain[chain.len() - 2]], slot, b));
            }
            let spread = |list: &mut Vec<(f32, usize, usize)>, into: &mut Vec<Option<f32>>| {
                crate::sort::sort_by(list, |p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
                let k = list.len();
                if k == 0 {
                    return;
                }
                let v = list[0].2;
                let h = verts[v].h;
                let step = if k > 1 {
                    ((h - 18.0) / (k - 1) as f32).min(9.0)
                } else {
                    0.0
                };
                for (j, &(_, slot, _)) in list.iter().enumerate() {
                    let off = (j as f32 - (k - 1) as f32 / 2.0) * step;
                    into[slot] = Some(y[v] + off);
                }
            };
            for list in &mut outs {
                spread(list, &mut out_ports);
            }
            for list in &mut ins {
                spread(list, &mut in_ports);
            }
        }
        let mut out_deg = vec![0usize; n];
        let mut in_deg = vec![0usize; n];
        for &(_, a, b) in &edges {
            out_deg[a] += 1;
            in_deg[b] += 1;
        }

        // -- labels: which gap each sits in (layout gap index), its width, and the gap widths
        let gaps_n = layers_n.saturating_sub(1);
        let mut need = vec![0.0f32; gaps_n];
        // per edge slot: (preferred gap, label width); the label is drawn bold when marked
        let label_gap: Vec<Option<usize>> = edges
            .iter()
            .enumerate()
            .map(|(slot, &(bi, a0, b0))| {
                let chain = &chains[slot];
                if a0 == b0 || bundles[bi].0.edge.label.is_empty() || chain.len() < 2 {
                    return None;
                }
                let first = verts[chain[0]].layer;
                let last = verts[chain[chain.len() - 1]].layer.saturating_sub(1);
                // beside the less crowded end
                let near_target = out_deg[a0] > in_deg[b0];
                Some(if near_target != reversed[slot] {
                    last
                } else {
                    first
                })
            })
            .collect();
        let label_bold = |bi: usize| !bundles[bi].0.edge.marks.is_empty();
        for (slot, g) in label_gap.iter().enumerate() {
            if let Some(g) = *g {
                let bi = edges[slot].0;
                let w = text::width(&bundles[bi].0.edge.label, SMALL_PX, label_bold(bi));
                if let Some(x) = need.get_mut(g) {
                    *x = x.max(w + 14.0);
                }
            }
        }
        let gap_w: Vec<f32> = need
            .iter()
            .map(|&w| w.clamp(self.min_gap, self.max_gap).ceil())
            .collect();

        // -- x positions: columns as wide as their widest box
        let mut col_w = vec![16.0f32; layers_n];
        for i in 0..n {
            col_w[rank[i]] = col_w[rank[i]].max(sizes[i].0);
        }
        let mut col_x = vec![self.margin + self.group_pad; layers_n];
        for l in 1..layers_n {
            col_x[l] = col_x[l - 1] + col_w[l - 1] + gap_w[l - 1];
        }
        // the free strip of a gap: between one column's right side and the next's left
        let strip = |g: usize| (col_x[g] + col_w[g], col_x[g + 1]);

        let mut scene_nodes: Vec<SceneNode> = (0..n)
            .map(|i| {
                let nd = nodes[i];
                let (w, h) = sizes[i];
                let l = rank[i];
                SceneNode {
                    id: nd.id.clone(),
                    kind: nd.kind,
                    label: nd.label.clone(),
                    type_: nd.type_.clone(),
                    group: nd.group.clone(),
                    marks: nd.marks.clone(),
                    badges: nd.badges.clone(),
                    members: nd.members.clone(),
                    note: nd.note.clone(),
                    x: round1(col_x[l] + (col_w[l] - w) / 2.0),
                    y: round1(y[i] - h / 2.0),
                    w,
                    h,
                    layer: u32::try_from(l).unwrap_or(u32::MAX),
                }
            })
            .collect();

        // -- groups: one box per run of columns that holds no foreign box (members are
        // contiguous within each column, so a single column's box is always clean)
        let groups = self.group_boxes(&scene_nodes, &group_ids, &group_of);

        // -- edges
        let mut scene_edges = Vec::with_capacity(edges.len());
        // per edge slot: its route's points in layout direction
        let mut routes: Vec<Vec<(f32, f32)>> = Vec::with_capacity(edges.len());
        for (slot, &(bi, a0, b0)) in edges.iter().enumerate() {
            let (bd, _, _) = &bundles[bi];
            let e = &bd.edge;
            let chain = &chains[slot];
            let (points, path, arrow, label_at) = if a0 == b0 {
                routes.push(Vec::new());
                self_loop(&scene_nodes[a0])
            } else if side[slot] {
                routes.push(Vec::new());
                let l = rank[a0];
                side_loop(&scene_nodes[a0], &scene_nodes[b0], col_x[l] + col_w[l])
            } else {
                let a = chain[0];
                let b = chain[chain.len() - 1];
                let mut pts: Vec<(f32, f32)> = Vec::with_capacity(chain.len() * 2);
                pts.push((
                    scene_nodes[a].x + scene_nodes[a].w,
                    out_ports[slot].unwrap_or(y[a]),
                ));
                for &d in &chain[1..chain.len() - 1] {
                    let l = verts[d].layer;
                    pts.push((col_x[l], y[d]));
                    pts.push((col_x[l] + col_w[l], y[d]));
                }
                pts.push((scene_nodes[b].x, in_ports[slot].unwrap_or(y[b])));
                for p in &mut pts {
                    *p = (round1(p.0), round1(p.1));
                }
                routes.push(pts.clone());
                if reversed[slot] {
                    pts.reverse();
                }
                // leave room for the arrowhead
                let last = pts.len() - 1;
                let dir = if pts[last].0 >= pts[last - 1].0 {
                    1.0
                } else {
                    -1.0
                };
                let tip = pts[last];
                pts[last].0 -= dir * 7.0;
                let path = curve_path(&pts);
                let arrow = [
                    tip,
                    (tip.0 - dir * 9.0, tip.1 - 4.5),
                    (tip.0 - dir * 9.0, tip.1 + 4.5),
                ];
                (pts, path, arrow, (0.0, 0.0))
            };
            let label_fit = match label_gap[slot] {
                Some(g) => text::fit(&e.label, gap_w[g] - 12.0, SMALL_PX, label_bold(bi), false),
                None => text::fit(
                    &e.label,
                    self.max_gap - 12.0,
                    SMALL_PX,
                    label_bold(bi),
                    false,
                ),
            };
            scene_edges.push(SceneEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind,
                label: e.label.clone(),
                marks: e.marks.clone(),
                points,
                path,
                arrow,
                label_at,
                label_fit,
                label_hidden: false,
                count: bd.count,
                weak: e.weak.clone(),
            });
        }

        // -- label placement: marked edges first (worst first), then bundles, then in order
        let mut order: Vec<usize> = (0..scene_edges.len())
            .filter(|&s| !scene_edges[s].label_fit.is_empty())
            .collect();
        // one key: worse severity first, then weak links, then bigger bundles
        crate::sort::sort_by_key(&mut order, |&s| {
            let e = &scene_edges[s];
            let worst = e
                .marks
                .iter()
                .map(|m| m.severity as u64 + 1)
                .max()
                .unwrap_or(0);
            (9 - worst) << 40 | u64::from(e.weak.is_none()) << 39 | u64::from(u32::MAX - e.count)
        });
        let extent = scene_nodes.iter().fold((0.0f32, 0.0f32), |(w, h), n| {
            (w.max(n.x + n.w), h.max(n.y + n.h))
        });
        let mut taken = Taken::new(extent.0 + 64.0, extent.1 + 80.0);
        // group titles are obstacles in every gap they cross
        let titles: Vec<Rect> = groups
            .iter()
            .filter(|g| !g.label.is_empty())
            .map(|g| (g.x, g.y, g.x + g.w, g.y + 24.0))
            .collect();
        let mut bottom = 0.0f32;
        for s in order {
            let e = &mut scene_edges[s];
            let lw = text::width(&e.label_fit, SMALL_PX, !e.marks.is_empty());
            let chips = e.marks.len() as f32;
            let half = (lw.max(chips * 18.0) / 2.0 + 2.0).ceil();
            let below = if chips > 0.0 { 20.0 } else { 3.0 };
            // candidate centres: along the preferred gap, then the route's other gaps
            let route = &routes[s];
            let mut cands: Vec<(usize, f32, f32)> = Vec::new();
            if route.is_empty() {
                // a loop: above its node, or at the side loop's far point in the next gap
                let (x, y0) = e.label_at;
                let g = scene_nodes[index.get(&e.from).copied().unwrap_or(0)].layer as usize;
                if e.from == e.to {
                    cands.push((usize::MAX, x, y0));
                } else if g < gaps_n {
                    let (l, r) = strip(g);
                    if l + half + 2.0 <= r - half - 2.0 {
                        let x = x.clamp(l + half + 2.0, r - half - 2.0);
                        cands.push((g, x, y0));
                        cands.push((g, x, y0 + 14.0));
                    }
                }
            } else {
                let first = scene_nodes[index.get(&e.from).copied().unwrap_or(0)].layer;
                let lo =
                    first.min(scene_nodes[index.get(&e.to).copied().unwrap_or(0)].layer) as usize;
                // each stretch of the route between columns, the preferred gap's first
                let pref = label_gap[s].unwrap_or(lo);
                for pass in [true, false] {
                    for (i, w) in route.windows(2).enumerate().step_by(2) {
                        let g = lo + i / 2;
                        if (g == pref) != pass || g >= gaps_n {
                            continue;
                        }
                        let (p, q) = (w[0], w[1]);
                        let (l, r) = strip(g);
                        let (lo_x, hi_x) = (l + half + 2.0, r - half - 2.0);
                        if lo_x > hi_x {
                            continue;
                        }
                        for t in [0.5, 0.3, 0.7, 0.15, 0.85] {
                            let x = bezier_at(p, q, t).0.clamp(lo_x, hi_x);
                            // the curve's height where the label is centred
                            let ty = if (q.0 - p.0).abs() > 0.1 {
                                ((x - p.0) / (q.0 - p.0)).clamp(0.0, 1.0)
                            } else {
                                t
                            };
                            let yy = bezier_at(p, q, ty).1;
                            cands.push((g, x, yy - 5.0));
                            cands.push((g, x, yy + 14.0));
                        }
                    }
                }
            }
            let mut placed = false;
            for &(g, x, base) in &cands {
                let r = (x - half, base - 10.0, x + half, base + below);
                let clear_of_nodes = g != usize::MAX
                    || scene_nodes
                        .iter()
                        .all(|o| !hits(&(o.x, o.y, o.x + o.w, o.y + o.h), &r));
                if clear_of_nodes && taken.free(&r) && titles.iter().all(|t| !hits(t, &r)) {
                    taken.take(r);
                    e.label_at = (round1(x), round1(base));
                    bottom = bottom.max(r.3);
                    placed = true;
                    break;
                }
            }
            if !placed {
                e.label_hidden = true;
                if let Some(&(_, x, base)) = cands.first() {
                    e.label_at = (round1(x), round1(base));
                }
            }
        }

        let mut width = self.margin * 2.0;
        let mut height = (bottom + self.margin / 2.0).max(self.margin * 2.0);
        for s in &scene_nodes {
            width = width.max(s.x + s.w + self.margin + self.group_pad);
            height = height.max(s.y + s.h + self.margin + self.group_pad);
        }
        for e in &scene_edges {
            for p in &e.points {
                height = height.max(p.1 + self.margin);
                width = width.max(p.0 + self.margin);
            }
        }
        for g in &groups {
            width = width.max(g.x + g.w + self.margin);
            height = height.max(g.y + g.h + self.margin);
        }
        // stable output order: nodes as given
        scene_nodes.shrink_to_fit();
        Scene {
            width: round1(width),
            height: round1(height),
            groups,
            nodes: scene_nodes,
            edges: scene_edges,
            compact: self.compact,
        }
    }
}

impl Layered {
    /// Container boxes: one per run of consecutive columns whose box holds no foreign node.
    fn group_boxes(
        &self,
        scene_nodes: &[SceneNode],
        group_ids: &StrMap<usize>,
        group_of: &[Option<usize>],
    ) -> Vec<SceneGroup> {
        let mut groups = Vec::new();
        let pad = self.group_pad;
        let bbox = |ms: &[&SceneNode]| -> Rect {
            let x0 = ms.iter().map(|m| m.x).fold(f32::INFINITY, f32::min) - pad;
            let y0 = ms.iter().map(|m| m.y).fold(f32::INFINITY, f32::min) - pad - 20.0;
            let x1 = ms
                .iter()
                .map(|m| m.x + m.w)
                .fold(f32::NEG_INFINITY, f32::max)
                + pad;
            let y1 = ms
                .iter()
                .map(|m| m.y + m.h)
                .fold(f32::NEG_INFINITY, f32::max)
                + pad;
            (x0, y0, x1, y1)
        };
        for (gid, &g) in group_ids {
            // the group's members by layer, layers in order
            let mut members: Vec<&SceneNode> = scene_nodes
                .iter()
                .enumerate()
                .filter(|&(i, _)| group_of[i] == Some(g))
                .map(|(_, sn)| sn)
                .collect();
            crate::sort::sort_by_key(&mut members, |sn| sn.layer);
            let mut by_layer: Vec<(u32, Vec<&SceneNode>)> = Vec::new();
            for sn in members {
                match by_layer.last_mut() {
                    Some((layer, ms)) if *layer == sn.layer => ms.push(sn),
                    _ => by_layer.push((sn.layer, vec![sn])),
                }
            }
            let foreign_inside = |b: Rect| {
                scene_nodes.iter().enumerate().any(|(i, o)| {
                    group_of[i] != Some(g)
                        && o.x < b.2
                        && b.0 < o.x + o.w
                        && o.y < b.3
                        && b.1 < o.y + o.h
                })
            };
            let mut runs: Vec<Vec<&SceneNode>> = Vec::new();
            let mut last_layer = None;
            for (layer, ms) in by_layer {
                let extend = match (runs.last(), last_layer) {
                    (Some(run), Some(prev)) if layer == prev + 1 => {
                        let mut all = run.clone();
                        all.extend(ms.iter().copied());
                        !foreign_inside(bbox(&all))
                    }
                    _ => false,
                };
                match runs.last_mut() {
                    Some(run) if extend => run.extend(ms),
                    _ => runs.push(ms),
                }
                last_layer = Some(layer);
            }
            for (k, run) in runs.iter().enumerate() {
                let (x0, y0, x1, y1) = bbox(run);
                groups.push(SceneGroup {
                    id: (*gid).to_owned(),
                    label: if k == 0 {
                        (*gid).to_owned()
                    } else {
                        String::new()
                    },
                    x: round1(x0),
                    y: round1(y0),
                    w: round1(x1 - x0),
                    h: round1(y1 - y0),
                });
            }
        }
        groups
    }
}

fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Edge slots closing a cycle in an iterative DFS (in `start_order`, edges in given order).
fn back_edges(
    n: usize,
    out_adj: &[Vec<(usize, usize)>],
    start_order: &[usize],
    m: usize,
) -> Vec<bool> {
    let mut reversed = vec![false; m];
    // 0 = new, 1 = on stack, 2 = done
    let mut state = vec![0u8; n];
    for &s in start_order {
        if state[s] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(s, 0)];
        state[s] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if *next < out_adj[v].len() {
                let (slot, w) = out_adj[v][*next];
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[slot] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Longest-path ranks with kind floors; pure sources pulled right next to their targets;
/// empty layers removed.
fn rank_nodes(n: usize, kinds: &[NodeKind], dag: &[(usize, usize)]) -> Vec<usize> {
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        preds[b].push(a);
        succs[a].push(b);
    }
    // Kahn's algorithm, smallest index first for determinism.
    let mut indeg: Vec<usize> = preds.iter().map(Vec::len).collect();
    // `ready` is kept in descending order: the smallest is popped from the end
    let mut ready: Vec<usize> = (0..n).rev().filter(|&i| indeg[i] == 0).collect();
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = ready.pop() {
        topo.push(v);
        for &w in &succs[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                let at = ready.partition_point(|&x| x > w);
                ready.insert(at, w);
            }
        }
    }
    let mut rank = vec![0usize; n];
    for &v in &topo {
        let floor = if preds[v].is_empty() && !succs[v].is_empty() {
            0
        } else {
            usize::from(kinds[v].layer())
        };
        let from_preds = preds[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(0);
        rank[v] = floor.max(from_preds);
    }
    // pull pure sources right, next to their nearest target
    for &v in topo.iter().rev() {
        if preds[v].is_empty() && !succs[v].is_empty() {
            let nearest = succs[v].iter().map(|&w| rank[w]).min().unwrap_or(1);
            rank[v] = rank[v].max(nearest.saturating_sub(1));
        }
    }
    // compress empty layers
    let mut used: Vec<usize> = rank.clone();
    crate::sort::sort(&mut used);
    used.dedup();
    rank.iter()
        .map(|r| used.binary_search(r).unwrap_or(0))
        .collect()
}

/// Crossings between adjacent layers (inversion count with a Fenwick tree).
fn total_crossings(layers: &[Vec<usize>], verts: &[Vert], pos: &[usize]) -> usize {
    let mut total = 0;
    for l in 0..layers.len().saturating_sub(1) {
        let mut segs: Vec<(usize, usize)> = Vec::new();
        for &v in &layers[l] {
            for &w in &verts[v].succs {
                if verts[w].layer == l + 1 {
                    segs.push((pos[v], pos[w]));
                }
            }
        }
        crate::sort::sort(&mut segs);
        let size = layers[l + 1].len() + 1;
        let mut tree = vec![0usize; size + 1];
        for (i, &(_, b)) in segs.iter().enumerate() {
            // count earlier segments with target > b
            let mut k = b + 1;
            let mut le = 0;
            while k > 0 {
                le += tree[k];
                k &= k - 1;
            }
            total += i - le;
            let mut k = b + 1;
            while k <= size {
                tree[k] += 1;
                k += k & k.wrapping_neg();
            }
        }
    }
    total
}

/// Order-preserving weighted least-squares fit of `desired` with minimum gaps `seps`
/// between consecutive items (pool adjacent violators on gap-shifted targets).
fn fit_with_gaps(desired: &[f32], weights: &[f32], seps: &[f32]) -> Vec<f32> {
    let k = desired.len();
    let mut offset = vec![0.0f32; k];
    for i in 1..k {
        offset[i] = offset[i - 1] + seps[i - 1];
    }
    // blocks: (mean, weight, count)
    let mut blocks: Vec<(f32, f32, usize)> = Vec::with_capacity(k);
    for i in 0..k {
        let t = desired[i] - offset[i];
        blocks.push((t, weights[i], 1));
        while blocks.len() > 1 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = ((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(k);
    for (m, _, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(m + offset[i]);
        }
    }
    out
}

/// SVG path data through `pts`: straight where a run is horizontal inside a column,
/// a smooth horizontal-tangent cubic between columns.
fn curve_path(pts: &[(f32, f32)]) -> String {
    let mut d = String::new();
    let Some(first) = pts.first() else {
        return d;
    };
    let _ = write!(d, "M{} {}", Num(first.0), Num(first.1));
    for w in pts.windows(2) {
        let (p, q) = (w[0], w[1]);
        if (p.1 - q.1).abs() < 0.05 {
            let _ = write!(d, "L{} {}", Num(q.0), Num(q.1));
        } else {
            let dx = (q.0 - p.0) / 2.0;
            let _ = write!(
                d,
                "C{} {} {} {} {} {}",
                Num(round1(p.0 + dx)),
                Num(p.1),
                Num(round1(q.0 - dx)),
                Num(q.1),
                Num(q.0),
                Num(q.1)
            );
        }
    }
    d
}

/// An edge between two boxes of one column: out of the first box's right side, through the
/// gap, back into the second's right side. `right` is the column's right edge.
fn side_loop(a: &SceneNode, b: &SceneNode, right: f32) -> Routed {
    let (ya, yb) = (a.cy() + 6.0, b.cy() - 6.0);
    let (xa, xb) = (a.x + a.w, b.x + b.w);
    let reach = right + 16.0 + ((ya - yb).abs() / 20.0).min(24.0);
    let tip = (xb, yb);
    let path = format!(
        "M{} {}C{} {} {} {} {} {}",
        Num(xa),
        Num(ya),
        Num(reach),
        Num(ya),
        Num(reach),
        Num(yb),
        Num(xb + 7.0),
        Num(yb)
    );
    let arrow = [tip, (tip.0 + 9.0, tip.1 - 4.5), (tip.0 + 9.0, tip.1 + 4.5)];
    let mid = (round1(0.25 * xa + 0.75 * reach), round1((ya + yb) / 2.0));
    (
        vec![(xa, ya), (reach, ya), (reach, yb), (xb, yb)],
        path,
        arrow,
        (mid.0 + 4.0, mid.1 + 4.0),
    )
}

/// A point on the horizontal-tangent cubic from `p` to `q`.
fn bezier_at(p: (f32, f32), q: (f32, f32), t: f32) -> (f32, f32) {
    let u = 1.0 - t;
    let x = p.0 + (q.0 - p.0) * t;
    let y = p.1 * (u * u * u + 3.0 * u * u * t) + q.1 * (3.0 * u * t * t + t * t * t);
    (x, y)
}

type Routed = (Vec<(f32, f32)>, String, [(f32, f32); 3], (f32, f32));

fn self_loop(s: &SceneNode) -> Routed {
    let x0 = s.x + s.w - 44.0;
    let x1 = s.x + s.w - 16.0;
    let y = s.y;
    let path = format!(
        "M{} {}C{} {} {} {} {} {}",
        Num(x0),
        Num(y),
        Num(x0),
        Num(y - 30.0),
        Num(x1),
        Num(y - 30.0),
        Num(x1),
        Num(y - 7.0)
    );
    let arrow = [(x1, y), (x1 - 4.5, y - 9.0), (x1 + 4.5, y - 9.0)];
    (
        vec![(x0, y), (x1, y)],
        path,
        arrow,
        ((x0 + x1) / 2.0, y - 28.0),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagram::{InEdge, InNode};
    use crate::graph::EdgeKind;

    fn node(id: &str, kind: NodeKind) -> InNode {
        InNode {
            id: id.into(),
            kind,
            label: id.into(),
            type_: String::new(),
            group: None,
            marks: Vec::new(),
            badges: Vec::new(),
            members: Vec::new(),
            note: String::new(),
        }
    }

    fn edge(a: &str, b: &str) -> InEdge {
        InEdge {
            from: a.into(),
            to: b.into(),
            kind: EdgeKind::Trigger,
            label: String::new(),
            marks: Vec::new(),
            weak: None,
        }
    }

    fn overlaps(s: &Scene) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, a) in s.nodes.iter().enumerate() {
            for b in &s.nodes[i + 1..] {
                if a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h {
                    out.push((a.id.clone(), b.id.clone()));
                }
            }
        }
        out
    }

    /// A generated service: `apis` APIs, each with routes to functions, each function
    /// touching a few stores, some queues triggering functions, and a cycle.
    pub(crate) fn generated(total: usize) -> LayoutInput {
        let mut inp = LayoutInput::default();
        let mut i = 0;
        let mut funcs = Vec::new();
        let mut stores = Vec::new();
        while inp.nodes.len() < total {
            let api = format!("Api{i}");
            inp.nodes.push(node(&api, NodeKind::Api));
            for f in 0..4 {
                let fid = format!("Fn{i}_{f}");
                inp.nodes.push(node(&fid, NodeKind::Function));
                inp.edges.push(edge(&api, &fid));
                funcs.push(fid);
            }
            for s in 0..3 {
                let sid = format!("Table{i}_{s}");
                inp.nodes.push(node(
                    &sid,
                    if s == 2 {
                        NodeKind::Queue
                    } else {
                        NodeKind::Table
                    },
                ));
                stores.push(sid);
            }
            i += 1;
        }
        for (k, f) in funcs.iter().enumerate() {
            for j in 0..2 {
                let s = &stores[(k * 7 + j * 13) % stores.len()];
                inp.edges.push(edge(f, s));
            }
            if k % 5 == 0 {
                let q = &stores[(k * 3) % stores.len()];
                inp.edges.push(edge(q, &funcs[(k + 11) % funcs.len()]));
            }
        }
        inp
    }

    #[test]
    fn bookstore_lays_out_left_to_right_without_overlap() {
        let a = crate::analyze_text(crate::example::BOOKSTORE.text).expect("example parses");
        let s = crate::diagram::scene(&a);
        assert!(overlaps(&s).is_empty(), "{:?}", overlaps(&s));
        for e in &s.edges {
            let (Some(a), Some(b)) = (s.node(&e.from), s.node(&e.to)) else {
                panic!("edge end missing")
            };
            if e.kind != EdgeKind::Guards {
                assert!(a.layer < b.layer, "{} -> {} should flow right", a.id, b.id);
            }
        }
    }

    #[test]
    fn layers_follow_kinds_and_edges() {
        let mut inp = LayoutInput::default();
        inp.nodes.push(node("Table", NodeKind::Table));
        inp.nodes.push(node("Fn", NodeKind::Function));
        inp.nodes.push(node("Api", NodeKind::Api));
        inp.nodes.push(node("Pool", NodeKind::UserPool));
        inp.nodes.push(node("Queue", NodeKind::Queue));
        inp.nodes.push(node("Worker", NodeKind::Function));
        inp.edges.push(edge("Api", "Fn"));
        inp.edges.push(edge("Fn", "Table"));
        inp.edges.push(edge("Pool", "Api"));
        inp.edges.push(edge("Queue", "Worker"));
        inp.edges.push(edge("Worker", "Table"));
        let s = Layered::default().layout(&inp);
        let layer = |id: &str| s.node(id).map(|n| n.layer);
        assert_eq!(layer("Pool"), Some(0));
        assert_eq!(layer("Api"), Some(1));
        assert_eq!(layer("Fn"), Some(2));
        assert_eq!(layer("Table"), Some(3));
        // a queue that only triggers sits right before its function
        assert_eq!(layer("Queue"), Some(1));
        assert_eq!(layer("Worker"), Some(2));
        assert!(overlaps(&s).is_empty());
    }

    #[test]
    fn cycles_and_self_loops_do_not_break_the_layout() {
        let mut inp = LayoutInput::default();
        for id in ["A", "B", "C"] {
            inp.nodes.push(node(id, NodeKind::Function));
        }
        inp.edges.push(edge("A", "B"));
        inp.edges.push(edge("B", "C"));
        inp.edges.push(edge("C", "A"));
        inp.edges.push(edge("B", "B"));
        inp.edges.push(edge("A", "Missing"));
        let s = Layered::default().layout(&inp);
        assert_eq!(s.nodes.len(), 3);
        assert_eq!(s.edges.len(), 4, "the edge to a missing node is dropped");
        assert!(overlaps(&s).is_empty());
        for e in &s.edges {
            assert!(!e.path.is_empty());
            assert!(e.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        }
    }

    #[test]
    fn long_edges_are_routed_around_boxes() {
        // Api -> Fn -> Table plus Api -> Table directly: the long edge needs a waypoint in
        // the function column that is not inside any box.
        let mut inp = LayoutInput::default();
        inp.nodes.push(node("Api", NodeKind::Api));
        inp.nodes.push(node("Fn", NodeKind::Function));
        inp.nodes.push(node("Fn2", NodeKind::Function));
        inp.nodes.push(node("Table", NodeKind::Table));
        inp.edges.push(edge("Api", "Fn"));
        inp.edges.push(edge("Api", "Fn2"));
        inp.edges.push(edge("Fn", "Table"));
        inp.edges.push(edge("Api", "Table"));
        let s = Layered::default().layout(&inp);
        let long = s
            .edges
            .iter()
            .find(|e| e.from == "Api" && e.to == "Table")
            .expect("edge");
        assert!(
            long.points.len() >= 4,
            "a waypoint pair in the middle column"
        );
        for p in &long.points[1..long.points.len() - 1] {
            for n in &s.nodes {
                let inside =
                    p.0 > n.x + 0.5 && p.0 < n.x + n.w - 0.5 && p.1 > n.y && p.1 < n.y + n.h;
                assert!(!inside, "waypoint {p:?} inside {}", n.id);
            }
        }
    }

    #[test]
    fn groups_stay_contiguous_and_boxed() {
        let mut inp = LayoutInput::default();
        for (id, g) in [("F1", Some("Orders")), ("F2", None), ("F3", Some("Orders"))] {
            let mut n = node(id, NodeKind::Function);
            n.group = g.map(str::to_owned);
            inp.nodes.push(n);
        }
        let s = Layered::default().layout(&inp);
        assert_eq!(s.groups.len(), 1);
        let g = &s.groups[0];
        let f2 = s.node("F2").expect("F2");
        let inside = f2.y >= g.y && f2.y + f2.h <= g.y + g.h;
        assert!(!inside, "a non-member must not sit inside the group box");
        for id in ["F1", "F3"] {
            let n = s.node(id).expect("member");
            assert!(n.y >= g.y && n.y + n.h <= g.y + g.h && n.x >= g.x);
        }
    }

    #[test]
    fn layout_is_deterministic() {
        let inp = generated(120);
        let a = Layered::default().layout(&inp);
        let b = Layered::default().layout(&inp);
        assert_eq!(a, b);
    }

    /// Random graphs (duplicates, self-loops, cycles, dangling ends, groups): never a
    /// panic, never an overlap, every coordinate finite.
    #[test]
    fn random_graphs_lay_out_cleanly() {
        let kinds = [
            NodeKind::Api,
            NodeKind::Function,
            NodeKind::Table,
            NodeKind::Queue,
            NodeKind::UserPool,
            NodeKind::Other,
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |m: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % m.max(1)
        };
        for round in 0..150 {
            let n = 1 + next(60);
            let mut inp = LayoutInput::default();
            for i in 0..n {
                let mut nd = node(&format!("N{i}"), kinds[next(kinds.len())]);
                if next(4) == 0 {
                    nd.group = Some(format!("G{}", next(3)));
                }
                if next(3) == 0 {
                    nd.badges.push(crate::diagram::Badge {
                        kind: "role".into(),
                        text: "r".into(),
                        id: None,
                    });
                }
                inp.nodes.push(nd);
            }
            for _ in 0..next(3 * n + 1) {
                let a = format!("N{}", next(n + 2)); // sometimes dangling
                let b = format!("N{}", next(n + 2));
                let mut e = edge(&a, &b);
                e.label = ["GET /a", "POST /orders/{id}", "read", "", "write"][next(5)].into();
                e.kind = [EdgeKind::Trigger, EdgeKind::Access, EdgeKind::Guards][next(3)];
                inp.edges.push(e);
            }
            let s = if round % 2 == 0 {
                Layered::default().layout(&inp)
            } else {
                Layered::compact().layout(&inp)
            };
            assert!(overlaps(&s).is_empty(), "round {round}: {:?}", overlaps(&s));
            // shown labels never overlap each other or a box
            let labels: Vec<(f32, f32, f32, f32)> = s
                .edges
                .iter()
                .filter(|e| !e.label_hidden && !e.label_fit.is_empty())
                .map(|e| {
                    let w = crate::diagram::text::width(&e.label_fit, SMALL_PX, false);
                    (
                        e.label_at.0 - w / 2.0,
                        e.label_at.1 - 9.0,
                        e.label_at.0 + w / 2.0,
                        e.label_at.1 + 2.0,
                    )
                })
                .collect();
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    assert!(!hits(a, b), "round {round}: labels {a:?} {b:?}");
                }
                for nd in &s.nodes {
                    assert!(
                        !hits(a, &(nd.x, nd.y, nd.x + nd.w, nd.y + nd.h)),
                        "round {round}: label on {}",
                        nd.id
                    );
                }
            }
            assert_eq!(s.nodes.len(), n);
            for e in &s.edges {
                assert!(e.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
                assert!(e.label_at.0.is_finite() && e.label_at.1.is_finite());
            }
            assert!(s.width.is_finite() && s.height.is_finite());
            for g in &s.groups {
                for nd in s.nodes.iter().filter(|x| x.group.as_deref() != Some(&g.id)) {
                    let inside = nd.x < g.x + g.w
                        && g.x < nd.x + nd.w
                        && nd.y < g.y + g.h
                        && g.y < nd.y + nd.h;
                    assert!(!inside, "round {round}: {} inside group {}", nd.id, g.id);
                }
            }
        }
    }

    #[test]
    fn fit_keeps_order_and_gaps() {
        let y = fit_with_gaps(&[10.0, 10.0, 10.0], &[1.0, 1.0, 1.0], &[20.0, 20.0]);
        assert_eq!(y, vec![-10.0, 10.0, 30.0]);
        let y = fit_with_gaps(&[0.0, 100.0], &[1.0, 1.0], &[20.0]);
        assert_eq!(y, vec![0.0, 100.0]);
    }

    #[test]
    fn crossing_reduction_untangles_a_swap() {
        let mut inp = LayoutInput::default();
        for id in ["A1", "A2"] {
            inp.nodes.push(node(id, NodeKind::Api));
        }
        for id in ["F1", "F2"] {
            inp.nodes.push(node(id, NodeKind::Function));
        }
        // given order would cross: A1 -> F2, A2 -> F1
        inp.edges.push(edge("A1", "F2"));
        inp.edges.push(edge("A2", "F1"));
        let s = Layered::default().layout(&inp);
        let y = |id: &str| s.node(id).map(|n| n.y).unwrap_or_default();
        assert_eq!(y("A1") < y("A2"), y("F2") < y("F1"));
    }

    /// Prints the layout time for generated graphs (run with `--nocapture`).
    #[test]
    fn bench_layout_500_nodes() {
        for total in [60, 150, 500] {
            let inp = generated(total);
            let t = std::time::Instant::now();
            let s = Layered::default().layout(&inp);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "layout: {} nodes, {} edges -> {:.1} ms ({}x{})",
                s.nodes.len(),
                s.edges.len(),
                ms,
                s.width,
                s.height
            );
            assert!(overlaps(&s).is_empty());
        }
    }
}
