//! Reading: bytes -> UTF-8 check -> the YAML/JSON loader -> format detection.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pillarlint_core::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = parse::decode(data) {
        if let Ok(root) = parse::load(text, &parse::Limits::default()) {
            let _ = parse::detect(&root);
        }
    }
});
