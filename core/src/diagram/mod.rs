//! The service diagram: a deterministic layered layout of the graph, as a [`Scene`].
//!
//! One `Scene` feeds every picture: the web app draws it as live SVG elements, and
//! [`svg::render`] turns it into a standalone SVG file (exports, the CLI, the JS API). The
//! layout engine sits behind the [`Layout`] trait; [`layered::Layered`] is the default — a
//! Sugiyama-style left-to-right layout (entry points → APIs/triggers → functions → stores)
//! with barycenter crossing reduction and edges routed through the gaps between nodes.

pub mod layered;
pub mod present;
pub mod svg;
pub mod text;

use std::collections::HashMap;

use serde::Serialize;

use crate::graph::{EdgeKind, NodeKind};
use crate::report::FileReport;
use crate::rules::{Pillar, PillarSet, Severity};
use crate::Analysis;

/// A layout engine: same input, same picture.
pub trait Layout {
    fn layout(&self, input: &LayoutInput) -> Scene;
}

/// One pillar a node or edge violates, with its worst severity and how many findings say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub pillar: Pillar,
    pub severity: Severity,
    pub count: u32,
}

/// A fact drawn as a small badge on its node (role, permission, log group, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Badge {
    pub kind: String,
    pub text: String,
    pub id: Option<String>,
}

/// A node to lay out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub type_: String,
    pub group: Option<String>,
    pub marks: Vec<Mark>,
    pub badges: Vec<Badge>,
    /// A collapsed box: the ids of the nodes it stands for (empty for a plain node).
    pub members: Vec<String>,
    /// Extra words for the subtitle (`9 Lambda · 2 high`, `23 routes`), set when collapsing.
    pub note: String,
}

/// An edge to lay out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
    pub marks: Vec<Mark>,
    /// The weakest link of an attack path (its reason), in the attack-path view.
    pub weak: Option<String>,
}

/// A path from a public entry point to a data store (see [`crate::graph::derived::Reach`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttackPath {
    /// Node ids from the entry point's node to the store.
    pub nodes: Vec<String>,
    /// The hop that most lowers protection, and why.
    pub weak: (String, String),
    pub reason: String,
}

/// What a layout engine is given.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LayoutInput {
    pub nodes: Vec<InNode>,
    pub edges: Vec<InEdge>,
    /// Public entry point → data store paths, for the attack-path view.
    pub paths: Vec<AttackPath>,
}

/// A positioned node (`x`, `y` = top-left corner).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SceneNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub type_: String,
    pub group: Option<String>,
    pub marks: Vec<Mark>,
    pub badges: Vec<Badge>,
    /// A collapsed box: the ids of the nodes it stands for.
    pub members: Vec<String>,
    pub note: String,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub layer: u32,
}

impl SceneNode {
    pub fn cx(&self) -> f32 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f32 {
        self.y + self.h / 2.0
    }
}

/// A routed edge: `path` is SVG path data; `arrow` the arrowhead triangle at the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SceneEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
    pub marks: Vec<Mark>,
    /// The polyline the path follows (ports and waypoints), for hit-testing and tests.
    pub points: Vec<(f32, f32)>,
    pub path: String,
    pub arrow: [(f32, f32); 3],
    /// Where the label sits (its centre, on the text's baseline).
    pub label_at: (f32, f32),
    /// The label as drawn (shortened to its measured width; the full text is in the title).
    pub label_fit: String,
    /// No free place was found for the label: it is drawn on hover or selection only.
    pub label_hidden: bool,
    /// How many edges of the template this one draws (parallel edges are bundled).
    pub count: u32,
    pub weak: Option<String>,
}

/// A container box drawn behind its members (an API, a Composer group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SceneGroup {
    pub id: String,
    pub label: String,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Everything needed to draw the diagram.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub groups: Vec<SceneGroup>,
    pub nodes: Vec<SceneNode>,
    pub edges: Vec<SceneEdge>,
    /// Badge rows were left out to fit (what a node is attached to is in its details).
    pub compact: bool,
}

impl Scene {
    pub fn node(&self, id: &str) -> Option<&SceneNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// Which marks to show: enabled pillars and a minimum severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub pillars: PillarSet,
    pub min_severity: Severity,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            pillars: Pillar::ALL.into_iter().collect(),
            min_severity: Severity::Low,
        }
    }
}

impl Filter {
    pub fn shows(&self, pillar: Pillar, severity: Severity) -> bool {
        self.pillars.contains(&pillar) && severity >= self.min_severity
    }

    /// The marks that pass, in pillar order.
    pub fn visible<'a>(&'a self, marks: &'a [Mark]) -> impl Iterator<Item = &'a Mark> + 'a {
        marks.iter().filter(|m| self.shows(m.pillar, m.severity))
    }

    /// `"auth dos"`: the `data-pillars` attribute value.
    pub fn pillar_list(&self, marks: &[Mark]) -> String {
        self.visible(marks)
            .map(|m| m.pillar.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The most severe visible mark (ties: the first pillar).
    pub fn worst<'a>(&self, marks: &'a [Mark]) -> Option<&'a Mark> {
        marks
            .iter()
            .filter(|m| self.shows(m.pillar, m.severity))
            .fold(None, |best: Option<&Mark>, m| match best {
                Some(b) if b.severity >= m.severity => Some(b),
                _ => Some(m),
            })
    }
}

/// Fact resource (role, method, log group, …) -> the node it is drawn on: the analysis
/// graph's attachments when there is one, then the fact ids listed on the report's nodes
/// (all a findings-only report has).
pub fn owners(report: &FileReport, a: Option<&Analysis>) -> HashMap<String, String> {
    let mut owner: HashMap<String, String> =
        a.map(|a| a.graph.attached.clone()).unwrap_or_default();
    for n in &report.nodes {
        for f in &n.facts {
            if let Some(fid) = &f.id {
                owner.entry(fid.clone()).or_insert_with(|| n.id.clone());
            }
        }
    }
    owner
}

impl LayoutInput {
    /// The input for an analysis and its report, with the template's Composer groups
    /// (`owner` from [`owners`]).
    pub fn for_report(a: &Analysis, report: &FileReport, owner: &HashMap<String, String>) -> Self {
        let mut input = LayoutInput::from_report(report, owner);
        input.apply_composer_groups(&a.template.root);
        input.paths = present::paths_of(a);
        input
    }

    /// Build the input from an analysis: node marks come from unsuppressed findings on the
    /// node or on a resource attached to it; edge marks from findings naming the edge.
    pub fn from_analysis(a: &Analysis) -> LayoutInput {
        let report = a.to_report("");
        LayoutInput::for_report(a, &report, &owners(&report, Some(a)))
    }

    /// Infrastructure Composer groups are the author's own boxes: they win over derived ones.
    pub fn apply_composer_groups(&mut self, root: &crate::value::Value) {
        for (member, label) in composer_groups(root) {
            if let Some(n) = self.nodes.iter_mut().find(|n| n.id == member) {
                n.group = Some(label);
            }
        }
    }

    /// Build the input from a report (the findings-only path: no template needed; its
    /// attack paths are [`present::paths_from_edges`]). `attached` maps fact resources
    /// (roles, methods, log groups) to their node; fact ids listed on the nodes are used as
    /// well.
    pub fn from_report(r: &FileReport, attached: &HashMap<String, String>) -> LayoutInput {
        let mut owner: crate::smap::StrMap<&str> = crate::smap::StrMap::new();
        for n in &r.nodes {
            for f in &n.facts {
                if let Some(id) = &f.id {
                    owner.entry_or_insert_with(id, || n.id.as_str());
                }
            }
        }
        for (k, v) in attached {
            owner.insert(k.clone(), v.as_str());
        }
        // By node id, and by `from` NUL `to` for edges (ids hold no NUL).
        let mut node_marks: crate::smap::StrMap<Tally> = crate::smap::StrMap::new();
        let mut edge_marks: crate::smap::StrMap<Tally> = crate::smap::StrMap::new();
        let edge_key = |from: &str, to: &str| format!("{from}\u{0}{to}");
        let add = |m: &mut Tally, p: Pillar, s: Severity| {
            let e = m[p as usize].get_or_insert((s, 0));
            e.0 = e.0.max(s);
            e.1 += 1;
        };
        for f in r.active() {
            if let Some(e) = &f.edge {
                add(
                    edge_marks.entry_or_insert_with(&edge_key(&e.from, &e.to), Tally::default),
                    f.pillar,
                    f.severity,
                );
            } else if let Some(res) = f.resource.as_deref() {
                let node = owner.get(res).copied().unwrap_or(res);
                add(
                    node_marks.entry_or_insert_with(node, Tally::default),
                    f.pillar,
                    f.severity,
                );
            }
        }
        let to_marks = |m: Option<&Tally>| -> Vec<Mark> {
            m.map(|m| {
                Pillar::ALL
                    .into_iter()
                    .zip(m)
                    .filter_map(|(p, t)| {
                        t.map(|(s, c)| Mark {
                            pillar: p,
                            severity: s,
                            count: c,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
        };
        let nodes = r
            .nodes
            .iter()
            .map(|n| InNode {
                id: n.id.clone(),
                kind: kind_from_str(&n.kind),
                label: n.label.clone(),
                type_: n.type_.clone(),
                group: n.group.clone(),
                marks: to_marks(node_marks.get(&n.id)),
                badges: n
                    .facts
                    .iter()
                    .filter(|f| f.kind != "setting")
                    .map(|f| Badge {
                        kind: f.kind.clone(),
                        text: f.text.clone(),
                        id: f.id.clone(),
                    })
                    .collect(),
                members: Vec::new(),
                note: String::new(),
            })
            .collect();
        let edges = r
            .edges
            .iter()
            .map(|e| InEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: edge_kind_from_str(&e.kind),
                label: e.label.clone(),
                marks: to_marks(edge_marks.get(&edge_key(&e.from, &e.to))),
                weak: None,
            })
            .collect();
        LayoutInput {
            nodes,
            edges,
            paths: Vec::new(),
        }
    }
}

/// `Metadata: AWS::Composer::Groups: {Key: {Label, Members: [ids]}}` as (member, label) pairs.
pub fn composer_groups(root: &crate::value::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(groups) = root
        .get("Metadata")
        .and_then(|m| m.get("AWS::Composer::Groups"))
        .and_then(crate::value::Value::as_map)
    else {
        return out;
    };
    for (key, g) in groups {
        let label = g
            .get("Label")
            .and_then(crate::value::Value::as_str)
            .unwrap_or(&key.name)
            .to_owned();
        for m in g
            .get("Members")
            .map(crate::value::Value::items)
            .unwrap_or_default()
        {
            if let Some(id) = m.as_str() {
                out.push((id.to_owned(), label.clone()));
            }
        }
    }
    out
}

/// Worst severity and count per pillar (indexed by pillar).
type Tally = [Option<(Severity, u32)>; 4];

/// Lay out an analysis with the default engine.
pub fn scene(a: &Analysis) -> Scene {
    layered::Layered::default().layout(&LayoutInput::from_analysis(a))
}

/// The `NodeKind` for a report's `kind` string (unknown strings draw as plain resources).
pub fn kind_from_str(s: &str) -> NodeKind {
    ALL_KINDS
        .iter()
        .copied()
        .find(|k| k.as_str() == s)
        .unwrap_or(NodeKind::Other)
}

pub fn edge_kind_from_str(s: &str) -> EdgeKind {
    match s {
        "trigger" => EdgeKind::Trigger,
        "access" => EdgeKind::Access,
        "guards" => EdgeKind::Guards,
        "assumes" => EdgeKind::Assumes,
        _ => EdgeKind::Reference,
    }
}

const ALL_KINDS: &[NodeKind] = &[
    NodeKind::Api,
    NodeKind::Function,
    NodeKind::FunctionUrl,
    NodeKind::Queue,
    NodeKind::Topic,
    NodeKind::Stream,
    NodeKind::EventBus,
    NodeKind::EventRule,
    NodeKind::Schedule,
    NodeKind::StateMachine,
    NodeKind::Table,
    NodeKind::Bucket,
    NodeKind::DocumentDb,
    NodeKind::Database,
    NodeKind::Cache,
    NodeKind::UserPool,
    NodeKind::IdentityPool,
    NodeKind::Secret,
    NodeKind::Parameter,
    NodeKind::KmsKey,
    NodeKind::WebAcl,
    NodeKind::LogGroup,
    NodeKind::Trail,
    NodeKind::Distribution,
    NodeKind::UsagePlan,
    NodeKind::Role,
    NodeKind::User,
    NodeKind::Group,
    NodeKind::Principal,
    NodeKind::External,
    NodeKind::Other,
];

/// A human name for a node kind (the node's subtitle).
pub fn kind_title(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Api => "API",
        NodeKind::Function => "Lambda",
        NodeKind::FunctionUrl => "Function URL",
        NodeKind::Queue => "SQS queue",
        NodeKind::Topic => "SNS topic",
        NodeKind::Stream => "Stream",
        NodeKind::EventBus => "Event bus",
        NodeKind::EventRule => "Event rule",
        NodeKind::Schedule => "Schedule",
        NodeKind::StateMachine => "State machine",
        NodeKind::Table => "DynamoDB",
        NodeKind::Bucket => "S3 bucket",
        NodeKind::DocumentDb => "DocumentDB",
        NodeKind::Database => "Database",
        NodeKind::Cache => "Cache",
        NodeKind::UserPool => "User pool",
        NodeKind::IdentityPool => "Identity pool",
        NodeKind::Secret => "Secret",
        NodeKind::Parameter => "Parameter",
        NodeKind::KmsKey => "KMS key",
        NodeKind::WebAcl => "WAF web ACL",
        NodeKind::LogGroup => "Log group",
        NodeKind::Trail => "CloudTrail",
        NodeKind::Distribution => "CloudFront",
        NodeKind::UsagePlan => "Usage plan",
        NodeKind::Role => "IAM role",
        NodeKind::User => "IAM user",
        NodeKind::Group => "IAM group",
        NodeKind::Principal => "Trusted principal",
        NodeKind::External => "External",
        NodeKind::Other => "Resource",
    }
}

/// The icon category of a kind (tints the icon tile).
pub fn kind_family(k: NodeKind) -> &'static str {
    match k {
        NodeKind::WebAcl
        | NodeKind::UserPool
        | NodeKind::IdentityPool
        | NodeKind::Distribution
        | NodeKind::User
        | NodeKind::Group
        | NodeKind::Principal => "edge",
        NodeKind::Api
        | NodeKind::FunctionUrl
        | NodeKind::EventBus
        | NodeKind::EventRule
        | NodeKind::Schedule => "entry",
        NodeKind::Function | NodeKind::StateMachine => "compute",
        NodeKind::Table
        | NodeKind::Bucket
        | NodeKind::DocumentDb
        | NodeKind::Database
        | NodeKind::Cache => "store",
        NodeKind::Queue | NodeKind::Topic | NodeKind::Stream => "messaging",
        NodeKind::Secret | NodeKind::Parameter | NodeKind::KmsKey | NodeKind::Role => "security",
        NodeKind::LogGroup | NodeKind::Trail => "observe",
        NodeKind::UsagePlan => "entry",
        NodeKind::External | NodeKind::Other => "other",
    }
}

/// Stroke-drawn icon for a kind, in a 20×20 box.
pub fn kind_icon(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Api => "M6 5 1.5 10 6 15M14 5l4.5 5-4.5 5M11.5 3.5l-3 13",
        NodeKind::Function => "M4.5 16.5 9.6 8.2M6.5 3.5c2.5 0 3.3 1.2 4 3.4l2.6 8c.4 1.2 1.2 1.6 2.4 1.6",
        NodeKind::FunctionUrl => "M8.5 11.5l3-3M7 9.5 5.2 11.3a2.6 2.6 0 0 0 3.7 3.7l1.8-1.8M13 10.5l1.8-1.8a2.6 2.6 0 0 0-3.7-3.7L9.3 6.8",
        NodeKind::Queue => "M2.5 6h4v8h-4zM8 6h4v8H8zM13.5 6h4v8h-4z",
        NodeKind::Topic => "M8 10a2 2 0 1 0 4 0 2 2 0 1 0-4 0M5.5 5.5a6.4 6.4 0 0 0 0 9M14.5 5.5a6.4 6.4 0 0 1 0 9M3 3a10 10 0 0 0 0 14M17 3a10 10 0 0 1 0 14",
        NodeKind::Stream => "M2 6.5q4-3 8 0t8 0M2 10.5q4-3 8 0t8 0M2 14.5q4-3 8 0t8 0",
        NodeKind::EventBus => "M2 10h16M5.5 5.5v9M10 5.5v9M14.5 5.5v9",
        NodeKind::EventRule => "M3.5 4h13l-5 6v6l-3-1.5V10z",
        NodeKind::Schedule => "M3 10a7 7 0 1 0 14 0 7 7 0 1 0-14 0M10 5.5V10l3 2",
        NodeKind::StateMachine => "M3 3h5v5H3zM12 12h5v5h-5zM5.5 8v6.5H12M12 5.5h2.5V12",
        NodeKind::Table => "M3 4h14v12H3zM3 8h14M3 12h14M9 4v12",
        NodeKind::Bucket => "M3 5.5h14l-2 11H5zM3 5.5a7 2 0 0 0 14 0 7 2 0 0 0-14 0",
        NodeKind::DocumentDb | NodeKind::Database | NodeKind::Cache => {
            "M4 5a6 2 0 0 0 12 0 6 2 0 0 0-12 0v10a6 2 0 0 0 12 0V5M4 10a6 2 0 0 0 12 0"
        }
        NodeKind::UserPool | NodeKind::IdentityPool => {
            "M7 6.5a3 3 0 1 0 6 0 3 3 0 1 0-6 0M3.5 17a6.5 5 0 0 1 13 0"
        }
        NodeKind::Secret | NodeKind::Parameter | NodeKind::KmsKey => {
            "M3 10a3 3 0 1 0 6 0 3 3 0 1 0-6 0M9 10h8.5M15.5 10v3M12.5 10v2"
        }
        NodeKind::WebAcl => "M10 2.5l6.5 2.5v5c0 4-2.8 6.6-6.5 7.8C6.3 16.6 3.5 14 3.5 10V5z",
        NodeKind::LogGroup | NodeKind::Trail => "M5 2.5h10v15H5zM7.5 6.5h5M7.5 10h5M7.5 13.5h3",
        NodeKind::Distribution => {
            "M3 10a7 7 0 1 0 14 0 7 7 0 1 0-14 0M3 10h14M10 3c3 3 3 11 0 14M10 3c-3 3-3 11 0 14"
        }
        // a gauge: throttling and quotas
        NodeKind::UsagePlan => "M3 14a7 7 0 1 1 14 0M10 14l3.5-4.5M3 14h2M15 14h2",
        NodeKind::Role => "M7.5 7a2.5 2.5 0 1 0 5 0 2.5 2.5 0 1 0-5 0M5.5 15.5a4.5 4 0 0 1 9 0M3 3h14v14H3z",
        // a person with a key
        NodeKind::User => "M4.5 6.5a2.7 2.7 0 1 0 5.4 0 2.7 2.7 0 1 0-5.4 0M1.8 16.5a5.4 4.5 0 0 1 10.8 0M12.5 11h5.5M16 11v2.5",
        // two people
        NodeKind::Group => "M3.5 7a2.3 2.3 0 1 0 4.6 0 2.3 2.3 0 1 0-4.6 0M11.9 7a2.3 2.3 0 1 0 4.6 0 2.3 2.3 0 1 0-4.6 0M1.2 16a4.6 4 0 0 1 9.2 0M9.6 16a4.6 4 0 0 1 9.2 0",
        // a way in: an arrow through a door
        NodeKind::Principal => "M10.5 3h6v14h-6M2.5 10h9M8.5 7l3 3-3 3",
        NodeKind::External | NodeKind::Other => "M4 4h12v12H4zM4 4l12 12",
    }
}

/// The glyph of a pillar (white on the pillar colour), in a box from -6 to 6; stroke-drawn.
/// Colour is never the only cue: each pillar has its own shape.
pub fn pillar_glyph(p: Pillar) -> &'static str {
    match p {
        // a padlock
        Pillar::Auth => "M-3.5-.5h7v5h-7zM-2-.5v-2a2 2 0 0 1 4 0v2",
        // a database cylinder
        Pillar::Data => "M-4-3a4 1.5 0 0 0 8 0 4 1.5 0 0 0-8 0v6a4 1.5 0 0 0 8 0v-6",
        // an eye
        Pillar::Logging => {
            "M-5 0q5-6 10 0-5 6-10 0zM-1.4 0a1.4 1.4 0 1 0 2.8 0 1.4 1.4 0 1 0-2.8 0"
        }
        // a lightning bolt
        Pillar::Dos => "M1-5-3.5.5H0l-1 4.5L3.5-.5H0z",
    }
}

/// A one-character symbol for a pillar, for plain-text places (titles, tooltips).
pub fn pillar_symbol(p: Pillar) -> &'static str {
    match p {
        Pillar::Auth => "🔒",
        Pillar::Data => "🛢",
        Pillar::Logging => "👁",
        Pillar::Dos => "⚡",
    }
}

/// Colour-blind-safe pillar colours (light theme, dark theme).
pub fn pillar_color(p: Pillar, dark: bool) -> &'static str {
    match (p, dark) {
        (Pillar::Auth, false) => "#c2410c",
        (Pillar::Auth, true) => "#fb923c",
        (Pillar::Data, false) => "#1d4ed8",
        (Pillar::Data, true) => "#60a5fa",
        (Pillar::Logging, false) => "#047857",
        (Pillar::Logging, true) => "#34d399",
        (Pillar::Dos, false) => "#a21caf",
        (Pillar::Dos, true) => "#e879f9",
    }
}

/// Stroke width for a severity (worse = heavier).
pub fn severity_weight(s: Severity) -> f32 {
    match s {
        Severity::Low => 1.5,
        Severity::Medium => 2.0,
        Severity::High => 2.75,
        Severity::Critical => 3.5,
    }
}

/// A coordinate as SVG text: rounded to hundredths, without trailing zeros (`12`, `12.5`,
/// `-3.25`). Integer arithmetic only: float formatting would add some 20 KB of Wasm.
#[derive(Debug, Clone, Copy)]
pub struct Num(pub f32);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        if !x.is_finite() {
            return f.write_str("0");
        }
        let c = (f64::from(x) * 100.0).round() as i64;
        let (sign, c) = if c < 0 { ("-", -c) } else { ("", c) };
        let (int, frac) = (c / 100, c % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            _ if frac % 10 == 0 => write!(f, "{sign}{int}.{}", frac / 10),
            _ => write!(f, "{sign}{int}.{frac:02}"),
        }
    }
}

/// Merge `add` into `marks`: per pillar the worst severity and the summed count.
pub fn merge_marks(marks: &mut Vec<Mark>, add: &[Mark]) {
    for m in add {
        match marks.iter_mut().find(|x| x.pillar == m.pillar) {
            Some(x) => {
                x.severity = x.severity.max(m.severity);
                x.count += m.count;
            }
            None => marks.push(*m),
        }
    }
    crate::sort::sort_by_key(marks, |m| m.pillar as u8);
}

/// One label for bundled parallel edges: routes on one path share it (`GET, OPTIONS /jwt`),
/// a few distinct labels are listed, many are counted (`14 routes`).
pub fn merge_labels(labels: &[&str]) -> String {
    let mut distinct: Vec<&str> = Vec::new();
    for l in labels {
        if !l.is_empty() && !distinct.contains(l) {
            distinct.push(l);
        }
    }
    let routes: Vec<(&str, &str)> = distinct
        .iter()
        .filter_map(|l| l.split_once(' '))
        .filter(|(m, p)| p.starts_with('/') && m.bytes().all(|b| b.is_ascii_uppercase()))
        .collect();
    match distinct.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        _ if routes.len() == distinct.len() && routes.iter().all(|r| r.1 == routes[0].1) => {
            let methods: Vec<&str> = routes.iter().map(|r| r.0).collect();
            format!("{} {}", methods.join(", "), routes[0].1)
        }
        _ if routes.len() == distinct.len() => format!("{} routes", routes.len()),
        _ => {
            let all = distinct.join(", ");
            if all.chars().count() <= 24 {
                all
            } else {
                format!("{} +{}", distinct[0], distinct.len() - 1)
            }
        }
    }
}

/// A node's subtitle: its note (a collapsed box's count) or its kind, then the worst severity.
pub fn subtitle(kind: NodeKind, note: &str, worst: Option<Severity>) -> String {
    let head = if note.is_empty() {
        kind_title(kind)
    } else {
        note
    };
    match worst {
        Some(s) if note.is_empty() => format!("{head} · {}", s.as_str()),
        _ => head.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in ALL_KINDS {
            assert_eq!(kind_from_str(k.as_str()), *k);
        }
        assert_eq!(kind_from_str("nonsense"), NodeKind::Other);
    }

    #[test]
    fn filter_hides_pillars_and_low_severities() {
        let marks = [
            Mark {
                pillar: Pillar::Auth,
                severity: Severity::High,
                count: 1,
            },
            Mark {
                pillar: Pillar::Dos,
                severity: Severity::Low,
                count: 2,
            },
        ];
        let all = Filter::default();
        assert_eq!(all.pillar_list(&marks), "auth dos");
        assert_eq!(all.worst(&marks).map(|m| m.pillar), Some(Pillar::Auth));
        let f = Filter {
            min_severity: Severity::Medium,
            ..Filter::default()
        };
        assert_eq!(f.pillar_list(&marks), "auth");
        let mut g = Filter::default();
        g.pillars.remove(&Pillar::Auth);
        assert_eq!(g.pillar_list(&marks), "dos");
        assert_eq!(g.worst(&marks).map(|m| m.pillar), Some(Pillar::Dos));
    }

    #[test]
    fn composer_groups_box_their_members() {
        let text = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  AWS::Composer::Groups:\n    Orders:\n      Label: Order handling\n      Members: [A, B]\nResources:\n  A:\n    Type: AWS::SQS::Queue\n  B:\n    Type: AWS::SQS::Queue\n  C:\n    Type: AWS::SQS::Queue\n";
        let a = crate::analyze_text(text).expect("parses");
        let s = scene(&a);
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.groups[0].label, "Order handling");
        let g = &s.groups[0];
        for id in ["A", "B"] {
            let n = s.node(id).expect("member");
            assert!(n.x >= g.x && n.y >= g.y && n.x + n.w <= g.x + g.w && n.y + n.h <= g.y + g.h);
        }
        let c = s.node("C").expect("C");
        assert!(!(c.y >= g.y && c.y + c.h <= g.y + g.h && c.x >= g.x && c.x + c.w <= g.x + g.w));
    }

    #[test]
    fn parallel_labels_merge() {
        assert_eq!(
            merge_labels(&["GET /jwt", "OPTIONS /jwt"]),
            "GET, OPTIONS /jwt"
        );
        assert_eq!(merge_labels(&["GET /a", "POST /b", "GET /a"]), "2 routes");
        assert_eq!(merge_labels(&["read", "write"]), "read, write");
        assert_eq!(merge_labels(&["logs", "logs"]), "logs");
        assert_eq!(
            merge_labels(&["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]),
            "s3:ObjectCreated:* +1"
        );
        assert_eq!(merge_labels(&["", ""]), "");
    }

    #[test]
    fn marks_merge_by_pillar() {
        let m = |pillar, severity, count| Mark {
            pillar,
            severity,
            count,
        };
        let mut a = vec![m(Pillar::Dos, Severity::Low, 1)];
        merge_marks(
            &mut a,
            &[
                m(Pillar::Dos, Severity::High, 2),
                m(Pillar::Auth, Severity::Low, 1),
            ],
        );
        assert_eq!(
            a,
            vec![
                m(Pillar::Auth, Severity::Low, 1),
                m(Pillar::Dos, Severity::High, 3)
            ]
        );
    }
}
