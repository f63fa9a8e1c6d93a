//! Apps of several files: a zip archive's stored entries, or parts of the input cut at
//! `\n--8<--\n` into `f0.yaml`, `f1.yaml`, `f2.tf`, … (every third part a `.tf` file, so
//! two or more make a Terraform module; a first part starting with `{` is a
//! `manifest.json`), grouped into apps and analysed with every report and view serialised.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pillarlint_core::app::{self, zip, FileSet};

fuzz_target!(|data: &[u8]| {
    let mut files: Vec<(String, &[u8])> = Vec::new();
    if let Ok(entries) = zip::entries(data) {
        for e in entries {
            if e.method == zip::Method::Stored {
                files.push((e.path, e.data));
            }
        }
    } else {
        let mut rest = data;
        let cut: &[u8] = b"\n--8<--\n";
        while !rest.is_empty() && files.len() < 8 {
            let (part, next) = match rest.windows(cut.len()).position(|w| w == cut) {
                Some(i) => (&rest[..i], &rest[i + cut.len()..]),
                None => (rest, &[][..]),
            };
            let name = if files.is_empty() && part.first() == Some(&b'{') {
                "manifest.json".to_owned()
            } else {
                let n = files.len();
                format!("f{n}.{}", if n % 3 == 2 { "tf" } else { "yaml" })
            };
            files.push((name, part));
            rest = next;
        }
    }
    let set: FileSet<'_> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    for a in app::analyze_set(&set) {
        let _ = serde_json::to_string(&a.reports());
        let _ = serde_json::to_string(&a.view());
        let _ = a.scene();
    }
});
