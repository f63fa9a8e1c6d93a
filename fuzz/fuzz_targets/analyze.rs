//! The whole analysis: read -> model -> graph -> rules -> report (and its JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = pillarlint_core::report_file("fuzz.yaml", data);
    let _ = serde_json::to_string(&report);
});
