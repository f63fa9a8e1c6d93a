//! `.pillarlint.yaml`: rule selection, severity overrides and ignored paths.
//!
//! ```yaml
//! pillars: [auth, data]        # only these pillars (default: all)
//! rules: [AUTH001]             # only these rules (default: all)
//! skip-rules: [AUTH002]        # never these rules
//! min-severity: medium         # drop findings below
//! fail-on: high                # exit 1 at or above (or `never`)
//! severity:                    # per-rule severity overrides
//!   AUTH002: critical
//! ignore:                      # globs, relative to the config file's directory
//!   - "vendor/**"
//! suppress:                    # accepted findings (reported as suppressed)
//!   - {rule: AUTH001, resource: PublicApi, reason: "public status page"}
//! ```
//! Unknown keys are errors, so a typo never silently disables a setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pillarlint_core::rules::{Pillar, Severity};
use serde::Deserialize;

pub const FILE_NAMES: &[&str] = &[".pillarlint.yaml", ".pillarlint.yml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub pillars: Option<Vec<Pillar>>,
    #[serde(default)]
    pub rules: Option<Vec<String>>,
    #[serde(default)]
    pub skip_rules: Vec<String>,
    #[serde(default)]
    pub min_severity: Option<Severity>,
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Findings accepted on purpose: reported as suppressed (SARIF `suppressions`), never
    /// failing the run.
    #[serde(default)]
    pub suppress: Vec<SuppressEntry>,
    /// Where the permalinks in Markdown reports point.
    #[serde(default)]
    pub base_url: Option<String>,
}

/// One accepted finding: a rule, optionally only on one resource, and why.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SuppressEntry {
    pub rule: String,
    #[serde(default)]
    pub resource: Option<String>,
    pub reason: String,
}

/// `--fail-on`: a severity, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        if s.trim().eq_ignore_ascii_case("never") {
            return Some(FailOn::Never);
        }
        Severity::parse(s).map(FailOn::from)
    }

    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

impl From<Severity> for FailOn {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Low => FailOn::Low,
            Severity::Medium => FailOn::Medium,
            Severity::High => FailOn::High,
            Severity::Critical => FailOn::Critical,
        }
    }
}

/// A loaded config and the directory its relative paths are resolved against.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub dir: PathBuf,
}

/// The nearest config file walking up from `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        dir = d.parent();
    }
    None
}

/// Read and check a config file. Errors name the file and, when known, the position.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the config file: {e}", path.display()))?;
    let config = parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(Loaded { config, dir })
}

/// Parse config text; the error starts with `line:column:` when the position is known.
pub fn parse(text: &str) -> Result<Config, String> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let config: Config = serde_yaml::from_str(text).map_err(|e| match e.location() {
        Some(l) => format!("{}:{}: {e}", l.line(), l.column()),
        None => format!(" {e}"),
    })?;
    for id in config
        .rules
        .iter()
        .flatten()
        .chain(&config.skip_rules)
        .chain(config.severity.keys())
        .chain(config.suppress.iter().map(|s| &s.rule))
    {
        if pillarlint_core::rules::rule(id).is_none() {
            return Err(format!(
                " unknown rule `{id}` (run `pillarlint rules` for the list)"
            ));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let c = parse(
            "pillars: [auth, data]\nrules: [AUTH001]\nskip-rules: [AUTH002]\nmin-severity: medium\nfail-on: never\nseverity:\n  AUTH002: critical\nignore: ['vendor/**']\nsuppress:\n  - {rule: AUTH001, resource: PublicApi, reason: public on purpose}\n",
        )
        .expect("valid config");
        assert_eq!(c.pillars, Some(vec![Pillar::Auth, Pillar::Data]));
        assert_eq!(c.fail_on, Some(FailOn::Never));
        assert_eq!(c.severity.get("AUTH002"), Some(&Severity::Critical));
        assert_eq!(c.ignore, vec!["vendor/**".to_owned()]);
        assert_eq!(c.suppress[0].resource.as_deref(), Some("PublicApi"));
        let e = parse("suppress:\n  - {rule: AUTH001, why: x}\n").expect_err("unknown key");
        assert!(e.contains("unknown field `why`"), "{e}");
    }

    #[test]
    fn unknown_keys_and_rules_are_errors() {
        let e = parse("pilars: [auth]\n").expect_err("typo");
        assert!(e.contains("unknown field `pilars`"), "{e}");
        assert!(e.starts_with("1:"), "{e}");
        let e = parse("skip-rules: [NOPE1]\n").expect_err("unknown rule");
        assert!(e.contains("NOPE1"), "{e}");
        let e = parse("min-severity: extreme\n").expect_err("bad severity");
        assert!(e.contains("extreme"), "{e}");
    }
}
