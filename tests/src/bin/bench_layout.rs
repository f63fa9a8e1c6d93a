//! `make bench`, layout quality: for the corpus's ten largest templates and the three the
//! diagram issue names, the diagram as the playground presents it in its pane at 1440×900
//! (collapsed until legible, then fitted): what is drawn, edge crossings, overlapping labels,
//! nodes outside the view after fit, node names running past their box, the smallest
//! on-screen name, and the time to present (collapse + layout), median of 5.
//!
//! `cargo run --profile release-native -p pillarlint-tests --bin bench_layout`

use std::time::Instant;

use pillarlint_core::diagram::layered::{card, name_lines, LABEL_PX, SMALL_PX, TEXT_RIGHT};
use pillarlint_core::diagram::present::{fit_box, fit_scale, present, Options};
use pillarlint_core::diagram::text::width;
use pillarlint_core::diagram::{owners, LayoutInput, Scene};
use pillarlint_tests::{paths, table};

/// The diagram pane of the playground at 1440×900 (CSS px), as the browser test measures it.
pub const PANE: (f32, f32) = (709.0, 627.0);

/// The three templates (file name ends).
const NAMED: &[&str] = &[
    "aws-cloud-migration-factory-solution.template",
    "Solutions__WebApp__webapp.json",
    "aws-python-pynamodb-s3-sigurl__serverless.yml",
];

type Pt = (f32, f32);

/// The drawn curve of an edge as a polyline: straight runs, horizontal-tangent cubics.
fn polyline(points: &[Pt]) -> Vec<Pt> {
    let mut out = Vec::new();
    for w in points.windows(2) {
        let (p, q) = (w[0], w[1]);
        if (p.1 - q.1).abs() < 0.05 {
            out.push(p);
            continue;
        }
        for k in 0..12 {
            let t = k as f32 / 12.0;
            let u = 1.0 - t;
            let y = p.1 * (u * u * u + 3.0 * u * u * t) + q.1 * (3.0 * u * t * t + t * t * t);
            out.push((p.0 + (q.0 - p.0) * t, y));
        }
    }
    if let Some(l) = points.last() {
        out.push(*l);
    }
    out
}

fn cross(a: Pt, b: Pt, c: Pt, d: Pt) -> bool {
    let o = |p: Pt, q: Pt, r: Pt| (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    let (d1, d2, d3, d4) = (o(c, d, a), o(c, d, b), o(a, b, c), o(a, b, d));
    (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0) && d1 != 0.0 && d3 != 0.0
}

/// Pairs of edges whose drawn curves cross (ends shared by both are not crossings).
fn crossings(s: &Scene) -> usize {
    let lines: Vec<Vec<Pt>> = s.edges.iter().map(|e| polyline(&e.points)).collect();
    let near = |p: Pt, q: Pt| (p.0 - q.0).abs() < 4.0 && (p.1 - q.1).abs() < 12.0;
    let mut n = 0;
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            let (a, b) = (&lines[i], &lines[j]);
            let shared = |p: Pt| {
                near(p, a[0]) || near(p, a[a.len() - 1]) || near(p, b[0]) || near(p, b[b.len() - 1])
            };
            let hit = a.windows(2).any(|x| {
                b.windows(2)
                    .any(|y| cross(x[0], x[1], y[0], y[1]) && !shared(x[0]) && !shared(x[1]))
            });
            n += usize::from(hit);
        }
    }
    n
}

type Rect = (f32, f32, f32, f32);

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Shown edge labels overlapping each other or a node.
fn label_overlaps(s: &Scene) -> usize {
    let boxes: Vec<Rect> = s
        .edges
        .iter()
        .filter(|e| !e.label_hidden && !e.label_fit.is_empty())
        .map(|e| {
            let w = width(&e.label_fit, SMALL_PX, !e.marks.is_empty());
            let (x, y) = e.label_at;
            (x - w / 2.0, y - 9.0, x + w / 2.0, y + 2.0)
        })
        .collect();
    let nodes: Vec<Rect> = s
        .nodes
        .iter()
        .map(|n| (n.x, n.y, n.x + n.w, n.y + n.h))
        .collect();
    let mut n = 0;
    for (i, a) in boxes.iter().enumerate() {
        n += boxes[i + 1..].iter().filter(|b| overlap(a, b)).count();
        n += nodes.iter().filter(|b| overlap(a, b)).count();
    }
    n
}

/// Node names (as drawn, shortened to their room) wider than the room in their box.
fn names_past_box(s: &Scene) -> usize {
    s.nodes
        .iter()
        .filter(|n| {
            let room = n.w - card(s.compact).text_x - TEXT_RIGHT;
            name_lines(&n.label, n.w, s.compact)
                .iter()
                .any(|l| width(l, LABEL_PX, true) > room + 0.01)
        })
        .count()
}

fn outside(s: &Scene) -> usize {
    let [x, y, w, h] = fit_box(s.width, s.height, PANE);
    s.nodes
        .iter()
        .filter(|n| n.x < x || n.y < y || n.x + n.w > x + w || n.y + n.h > y + h)
        .count()
}

fn main() {
    let mut files: Vec<(std::path::PathBuf, String)> = paths::corpus_files()
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    files.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
    let mut picked: Vec<(std::path::PathBuf, String)> = Vec::new();
    for (p, t) in &files {
        if picked.len() < 10 && pillarlint_core::analyze_text(t).is_ok() {
            picked.push((p.clone(), t.clone()));
        }
    }
    for want in NAMED {
        if let Some(f) = files
            .iter()
            .find(|(p, _)| p.to_string_lossy().ends_with(want))
        {
            if !picked.iter().any(|(p, _)| *p == f.0) {
                picked.push(f.clone());
            }
        }
    }
    println!(
        "The playground's diagram pane at 1440×900 ({}×{} px): collapsed until a name is ≥ 9 px at fit, then fitted; present = collapse + layout, median of 5\n",
        PANE.0, PANE.1
    );
    table::header(&[
        ("template", 34),
        ("nodes", 6),
        ("drawn", 6),
        ("edges", 6),
        ("drawn", 6),
        ("crossings", 9),
        ("label overlaps", 14),
        ("hover labels", 12),
        ("outside", 7),
        ("past box", 8),
        ("name px", 7),
        ("present ms", 10),
    ]);
    for (p, text) in picked {
        let Ok(a) = pillarlint_core::analyze_text(&text) else {
            continue;
        };
        let report = a.to_report("bench");
        let input = LayoutInput::for_report(&a, &report, &owners(&report, Some(&a)));
        let opts = Options {
            pane: Some(PANE),
            ..Options::default()
        };
        let mut times = Vec::new();
        let mut scene = Scene::default();
        for _ in 0..5 {
            let t = Instant::now();
            scene = present(&input, &opts);
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let name: String = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let short: String = if name.chars().count() > 34 {
            let tail: String = name
                .chars()
                .rev()
                .take(33)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            name
        };
        let px = LABEL_PX * fit_scale(scene.width, scene.height, PANE);
        // PILLARLINT_SVG_DUMP=dir: each template's diagram as presented, to look at
        if let Some(dir) = std::env::var_os("PILLARLINT_SVG_DUMP") {
            let svg = pillarlint_core::diagram::svg::render(&scene, &Default::default());
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{short}.svg")), svg);
        }
        if std::env::var_os("BENCH_LAYOUT_DEBUG").is_some() {
            let layers = scene.nodes.iter().map(|n| n.layer).max().unwrap_or(0) + 1;
            eprintln!(
                "{short}: {}x{} layers {layers} compact {}",
                scene.width, scene.height, scene.compact
            );
            for l in 0..layers {
                let ns: Vec<&str> = scene
                    .nodes
                    .iter()
                    .filter(|n| n.layer == l)
                    .map(|n| n.id.as_str())
                    .collect();
                eprintln!("  L{l} ({}): {}", ns.len(), ns.join(" "));
            }
            if let Ok(id) = std::env::var("BENCH_LAYOUT_NODE") {
                for e in scene.edges.iter().filter(|e| e.from == id || e.to == id) {
                    eprintln!("  {} -> {} {:?} {}", e.from, e.to, e.kind, e.label);
                }
            }
        }
        println!(
            "| {short:<34} | {:>6} | {:>6} | {:>6} | {:>6} | {:>9} | {:>14} | {:>12} | {:>7} | {:>8} | {:>7.1} | {:>10.2} |",
            input.nodes.len(),
            scene.nodes.len(),
            input.edges.len(),
            scene.edges.len(),
            crossings(&scene),
            label_overlaps(&scene),
            scene.edges.iter().filter(|e| e.label_hidden).count(),
            outside(&scene),
            names_past_box(&scene),
            px,
            times[times.len() / 2],
        );
    }
    println!("\nnodes/edges = in the template's graph; drawn = after collapsing (boxes) and bundling parallel edges; hover labels = edge labels with no free place, shown on hover or selection; outside = nodes not inside the view after fit; past box = node names wider than their box; name px = a node name's on-screen size at fit.");
}
