//! Permalink decoding on hostile fragments: any bytes in, a state or a typed error out,
//! never a panic; a decoded state re-encodes and decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let link = String::from_utf8_lossy(data);
    if let Ok(state) = pillarlint_core::permalink::decode(&link) {
        if let Ok(again) = pillarlint_core::permalink::encode(&state) {
            let back = pillarlint_core::permalink::decode(&again).expect("a re-encoded state decodes");
            assert_eq!(back, state);
        }
    }
    // Redaction takes any text and keeps its line count.
    let red = pillarlint_core::permalink::redact_secrets(&link);
    assert_eq!(red.split('\n').count(), link.split('\n').count());
});
