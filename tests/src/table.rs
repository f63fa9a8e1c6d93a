//! Markdown tables for the benchmark binaries' output.

/// Print a table's header and separator rows: the first column left-aligned at its width,
/// the others right-aligned at theirs (the widths the rows use).
pub fn header(cols: &[(&str, usize)]) {
    let mut head = String::from("|");
    let mut rule = String::from("|");
    for (i, (name, w)) in cols.iter().enumerate() {
        if i == 0 {
            head.push_str(&format!(" {name:<w$} |"));
        } else {
            head.push_str(&format!(" {name:>w$} |"));
        }
        rule.push_str(&"-".repeat(w + 2));
        rule.push('|');
    }
    println!("{head}\n{rule}");
}
