//! Terraform: bytes -> the HCL reader, then the whole module analysis (evaluation, mapping,
//! folding, graph, rules) as `pillarlint check dir/` runs it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pillarlint_core::model::terraform::hcl;
use pillarlint_core::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = parse::decode(data) {
        let _ = hcl::parse(text, 0, &parse::Limits::default());
    }
    let report = pillarlint_core::report_module("fuzz", &[("main.tf".to_owned(), data.to_vec())]);
    if let Some(e) = &report.error {
        assert!(e.line >= 1 || e.message.contains("bytes"), "unpositioned: {e:?}");
    }
    let _ = serde_json::to_string(&report);
});
