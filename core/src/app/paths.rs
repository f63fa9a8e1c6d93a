//! File paths inside an app: `/`-separated, relative to whatever the caller's root is (a
//! directory on disk, a dropped folder, a zip). Pure string work; nothing here touches a
//! file system.

/// `a/./b/../c` → `a/c`, `\` → `/`; a leading `..` that cannot go up is kept.
pub fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The directory part of a path (`""` for a file at the root).
pub fn dir_of(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or("", |i| &path[..i])
}

/// The last component of a path.
pub fn file_name(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or(path, |i| &path[i + 1..])
}

/// `rel` seen from directory `dir`.
pub fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') || dir.is_empty() {
        normalize(rel)
    } else {
        normalize(&format!("{dir}/{rel}"))
    }
}

/// A template location that names a file next to the template (not an `https://` or `s3://`
/// URL, not empty).
pub fn is_local(location: &str) -> bool {
    let l = location.trim();
    !l.is_empty() && !l.contains("://") && !l.contains("${")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_and_join() {
        assert_eq!(normalize("./a//b/./c/../d.yaml"), "a/b/d.yaml");
        assert_eq!(normalize("../x/../../y"), "../../y");
        assert_eq!(normalize("/a/../../b"), "/b");
        assert_eq!(
            normalize("cdk.out\\Stack.template.json"),
            "cdk.out/Stack.template.json"
        );
        assert_eq!(
            join("app/sub", "../nested/child.yaml"),
            "app/nested/child.yaml"
        );
        assert_eq!(join("", "./child.yaml"), "child.yaml");
        assert_eq!(join("a", "/abs/t.yaml"), "/abs/t.yaml");
        assert_eq!(dir_of("cdk.out/manifest.json"), "cdk.out");
        assert_eq!(dir_of("manifest.json"), "");
        assert_eq!(file_name("a/b/manifest.json"), "manifest.json");
        assert!(is_local("nested/child.yaml"));
        assert!(!is_local("https://s3.amazonaws.com/b/t.yaml"));
        assert!(!is_local("s3://bucket/t.yaml"));
        assert!(!is_local(" "));
    }
}
