//! Measures the advance widths of the diagram's font in headless Chromium and prints them as
//! the tables of `core/src/diagram/text.rs` (hundredths of an em, rounded up), followed by
//! how far the committed tables are from this browser's.
//!
//! `cargo run -p pillarlint-tests --features browser --bin font_widths`

use pillarlint_core::diagram::text::width;
use pillarlint_tests::webdriver::Browser;
use serde_json::{json, Value};

/// The diagram's font stack (`svg.diagram` in static/css/app.css and the SVG export).
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

fn main() {
    let b = match Browser::start(800, 600) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("font_widths: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = b.goto("about:blank") {
        eprintln!("font_widths: {e}");
        std::process::exit(1);
    }
    let measure = |weight: &str| -> Vec<f64> {
        b.js(
            "const c = document.createElement('canvas').getContext('2d');\
             c.font = arguments[0] + ' 100px ' + arguments[1];\
             const out = [];\
             for (let i = 32; i < 127; i++) out.push(c.measureText(String.fromCharCode(i)).width / 100);\
             return out;",
            vec![json!(weight), json!(FONT)],
        )
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_f64)
        .collect()
    };
    for (name, weight) in [("REGULAR", "400"), ("BOLD", "600")] {
        let w = measure(weight);
        if w.len() != 95 {
            eprintln!("font_widths: no measurement for {name}");
            std::process::exit(1);
        }
        let cells: Vec<String> = w
            .iter()
            .map(|x| ((x * 100.0 - 1e-6).ceil() as i64).to_string())
            .collect();
        println!("const {name}: [u8; 95] = [\n    {},\n];", cells.join(", "));
        // the committed table against this browser, on every printable character
        let bold = weight == "600";
        let worst = (32u8..127)
            .zip(&w)
            .map(|(c, x)| width(&char::from(c).to_string(), 100.0, bold) / 100.0 - *x as f32)
            .fold(f32::INFINITY, f32::min);
        println!("// committed {name} minus measured, smallest: {worst:.3} em (never below 0 when the table is safe)\n");
    }
    let text = "LambdaFunctionPipelineTaskExecutionOutput";
    let browser = b
        .js(
            "const c = document.createElement('canvas').getContext('2d'); c.font = '600 13px ' + arguments[1]; return c.measureText(arguments[0]).width;",
            vec![json!(text), json!(FONT)],
        )
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN);
    println!(
        "// {text} at 13 px bold: browser {browser:.1} px, table {:.1} px",
        width(text, 13.0, true)
    );
}
