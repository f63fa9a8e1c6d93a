//! Turning command-line paths into the list of files to analyse.
//!
//! Files named explicitly are always analysed. Directories are recursed and globs expanded;
//! files found that way are candidates, picked by content (see [`sniff`]) rather than by
//! name, so `template.yaml`, `*.template.json`, `serverless.yml` and CDK's
//! `cdk.out/*.template.json` are found while `package.json` or a CI workflow are not. A
//! cloud assembly's `manifest.json` and its other files are found too: the core groups them
//! into one app (see `run`); its `asset.*` directories are skipped.
//! Terraform's `.tf` and `.tf.json` files found in a directory are one input per directory
//! (a module, read as one configuration, as Terraform does).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// The built-in example.
    Example,
    /// A file; `named` when given explicitly on the command line.
    File { path: PathBuf, named: bool },
    /// A Terraform module: the `.tf` and `.tf.json` files of one directory.
    Module { dir: PathBuf, files: Vec<PathBuf> },
}

/// Is this a Terraform configuration file by its name?
pub fn is_terraform(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Directories never worth entering.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".aws-sam",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    ".idea",
    ".vscode",
];

/// Extensions of files that may be templates.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "cfn", "sam", "tf"];

/// Ignore globs (from the config), matched against paths relative to the config's directory
/// and against the path as given.
#[derive(Debug)]
pub struct Ignore {
    set: GlobSet,
    dir: PathBuf,
}

impl Ignore {
    pub fn new(patterns: &[String], dir: &Path) -> Result<Self, String> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            let g = Glob::new(p).map_err(|e| format!("ignore pattern `{p}`: {e}"))?;
            b.add(g);
            // `vendor` also ignores everything under it.
            if !p.contains('*') {
                let sub = format!("{}/**", p.trim_end_matches('/'));
                b.add(Glob::new(&sub).map_err(|e| format!("ignore pattern `{p}`: {e}"))?);
            }
        }
        Ok(Ignore {
            set: b.build().map_err(|e| e.to_string())?,
            dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        })
    }

    pub fn is_ignored(&self, path: &Path) -> bool {
        if self.set.is_empty() {
            return false;
        }
        let clean = path.strip_prefix("./").unwrap_or(path);
        if self.set.is_match(clean) {
            return true;
        }
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        abs.strip_prefix(&self.dir)
            .is_ok_and(|rel| self.set.is_match(rel))
    }
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Expand the command-line paths. Problems (a missing path, a bad glob) come back as
/// `(path, message)` so they can be reported per file without stopping the run.
pub fn expand(args: &[String], ignore: &Ignore) -> (Vec<Input>, Vec<(String, String)>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    if args.is_empty() {
        inputs.push(Input::Example);
    }
    for arg in args {
        if arg == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            walk(&path, None, ignore, &mut inputs);
        } else if path.exists() || !has_glob_chars(arg) {
            if !ignore.is_ignored(&path) {
                inputs.push(Input::File { path, named: true });
            }
        } else {
            match Glob::new(arg) {
                Ok(g) => {
                    let matcher = g.compile_matcher();
                    let base = glob_base(arg);
                    let before = inputs.len();
                    walk(&base, Some(&matcher), ignore, &mut inputs);
                    if inputs.len() == before {
                        problems.push((arg.clone(), "no file matches this pattern".to_owned()));
                    }
                }
                Err(e) => problems.push((arg.clone(), format!("invalid pattern: {e}"))),
            }
        }
    }
    // The same file named twice is analysed once.
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| match i {
        Input::File { path, .. } => {
            seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
        }
        _ => true,
    });
    (inputs, problems)
}

/// The directory a glob starts from: its leading components without glob characters.
fn glob_base(pattern: &str) -> PathBuf {
    let mut base = PathBuf::new();
    for comp in Path::new(pattern).components() {
        let s = comp.as_os_str().to_string_lossy();
        if has_glob_chars(&s) {
            break;
        }
        base.push(comp);
    }
    if base.as_os_str().is_empty() || base == Path::new(pattern) {
        PathBuf::from(".")
    } else {
        base
    }
}

fn walk(
    root: &Path,
    matcher: Option<&globset::GlobMatcher>,
    ignore: &Ignore,
    out: &mut Vec<Input>,
) {
    let mut found = Vec::new();
    let it = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
                        || is_cdk_asset_dir(e.path())))
        });
    for entry in it.flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let p = entry.path();
        let ext_ok = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if !ext_ok {
            continue;
        }
        if let Some(m) = matcher {
            let clean = p.strip_prefix("./").unwrap_or(p);
            if !m.is_match(clean) && !m.is_match(p) {
                continue;
            }
        }
        if ignore.is_ignored(p) {
            continue;
        }
        if is_terraform(p) {
            // one module per directory, where its first file was found
            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
            match found
                .iter_mut()
                .find(|i| matches!(i, Input::Module { dir: d, .. } if *d == dir))
            {
                Some(Input::Module { files, .. }) => files.push(p.to_path_buf()),
                _ => found.push(Input::Module {
                    dir,
                    files: vec![p.to_path_buf()],
                }),
            }
            continue;
        }
        found.push(Input::File {
            path: p.to_path_buf(),
            named: false,
        });
    }
    out.extend(found);
}

/// A CDK asset directory (`cdk.out/asset.<hash>/`: bundled function code, Docker contexts):
/// never templates of the app, even when they hold YAML.
fn is_cdk_asset_dir(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("asset."))
        && dir
            .parent()
            .is_some_and(|p| p.join("manifest.json").is_file())
}

/// Could these bytes be a template? A cheap look for the keys every template format has,
/// used only for files found by recursion (a named file is always analysed).
pub fn sniff(bytes: &[u8]) -> bool {
    const MARKERS: &[&[u8]] = &[
        b"Resources",
        b"AWSTemplateFormatVersion",
        b"Transform",
        b"service",
        b"provider",
    ];
    if bytes.contains(&0) {
        return false;
    }
    MARKERS
        .iter()
        .any(|m| bytes.windows(m.len()).any(|w| w == *m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_bases() {
        assert_eq!(glob_base("infra/**/*.yaml"), PathBuf::from("infra"));
        assert_eq!(glob_base("*.yaml"), PathBuf::from("."));
        assert_eq!(glob_base("a/b/c?.json"), PathBuf::from("a/b"));
    }

    #[test]
    fn terraform_files_of_a_directory_are_one_module() {
        let dir = std::env::temp_dir().join(format!("pillarlint-discover-{}", std::process::id()));
        let sub = dir.join("modules").join("queue");
        std::fs::create_dir_all(&sub).expect("dirs");
        for (p, text) in [
            (dir.join("main.tf"), "resource \"aws_s3_bucket\" \"b\" {}\n"),
            (dir.join("variables.tf"), "variable \"x\" {}\n"),
            (dir.join("extra.tf.json"), "{\"resource\": {}}\n"),
            (dir.join("template.yaml"), "Resources: {}\n"),
            (sub.join("main.tf"), "resource \"aws_sqs_queue\" \"q\" {}\n"),
        ] {
            std::fs::write(p, text).expect("write");
        }
        let ignore = Ignore::new(&[], &dir).expect("ignore");
        let (inputs, problems) = expand(&[dir.to_string_lossy().into_owned()], &ignore);
        assert!(problems.is_empty());
        let modules: Vec<(PathBuf, usize)> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::Module { dir, files } => Some((dir.clone(), files.len())),
                _ => None,
            })
            .collect();
        assert_eq!(modules, [(dir.clone(), 3), (sub.clone(), 1)]);
        assert!(inputs
            .iter()
            .any(|i| matches!(i, Input::File { path, .. } if path.ends_with("template.yaml"))));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sniffs_templates() {
        assert!(sniff(b"Resources:\n  A: {Type: X}\n"));
        assert!(sniff(b"service: x\nprovider: {name: aws}\n"));
        assert!(!sniff(b"{\"name\": \"pkg\", \"version\": \"1.0.0\"}"));
        assert!(!sniff(b"Resources\0"));
    }
}
