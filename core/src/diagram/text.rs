//! Text widths without a DOM: the layout sizes boxes to their labels and shortens labels by
//! measured width, never by character count, so it runs the same natively, in Wasm, in the
//! CLI and in tests.
//!
//! The app's font stack starts with `system-ui`; the tables below are the advance widths
//! Chromium measured for it on Linux, where it resolves to DejaVu Sans (canvas
//! `measureText`, one character at a time, so no kerning), in hundredths of an em rounded
//! up. DejaVu Sans is among the widest sans-serif faces: Segoe UI, San Francisco, Roboto and
//! Noto Sans set the same text narrower, so a label measured here fits its box everywhere.
//! Retake them with `tests/src/bin/font_widths.rs`.

/// Advance widths of `' '..='~'`, regular weight (hundredths of an em).
const REGULAR: [u8; 95] = [
    32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 34, 34, 84, 84, 84, 54, 100, 69, 69, 70, 78, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75,
    79, 61, 79, 70, 64, 62, 74, 69, 99, 69, 62, 69, 40, 34, 40, 84, 50, 50, 62, 64, 55, 64, 62, 36,
    64, 64, 28, 28, 58, 28, 98, 64, 62, 64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
];

/// Advance widths of `' '..='~'`, bold (the labels' weight 600 is drawn with the bold face).
const BOLD: [u8; 95] = [
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70,
    70, 70, 70, 40, 40, 84, 84, 84, 59, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100,
    84, 86, 74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 37, 46, 84, 50, 50, 68, 72, 60, 72,
    68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60, 48, 72, 66, 93, 65, 66, 59, 72,
    37, 72, 84,
];

/// The ellipsis that marks shortened text.
pub const ELLIPSIS: char = '…';

/// The width of one character in ems.
fn em(c: char, bold: bool) -> f32 {
    let code = c as u32;
    if (32..127).contains(&code) {
        let t = if bold { &BOLD } else { &REGULAR };
        return f32::from(t[(code - 32) as usize]) / 100.0;
    }
    match c {
        '…' => 1.0,
        '·' => 0.35,
        // accented Latin, Greek, Cyrillic: no wider than the widest capitals
        _ if code < 0x2000 => 0.8,
        // CJK, symbols and emoji take a full em or more
        _ => 1.25,
    }
}

/// The width of `s` in pixels at `size` px.
pub fn width(s: &str, size: f32, bold: bool) -> f32 {
    s.chars().map(|c| em(c, bold)).sum::<f32>() * size
}

/// `s` shortened with an ellipsis to at most `max` pixels at `size` px. `middle` keeps the
/// start and the end (`LambdaFun…JobsPost`): CloudFormation ids often differ only at the end.
pub fn fit(s: &str, max: f32, size: f32, bold: bool, middle: bool) -> String {
    if width(s, size, bold) <= max {
        return s.to_owned();
    }
    let room = max - em(ELLIPSIS, bold) * size;
    let chars: Vec<char> = s.chars().collect();
    let w = |c: &char| em(*c, bold) * size;
    let (mut head, mut tail, mut used) = (0usize, 0usize, 0.0f32);
    // grow from the front (and the back, in turn, for `middle`) while the text still fits
    loop {
        let from_back = middle && tail < head;
        let next = if from_back {
            chars.len().checked_sub(tail + 1)
        } else {
            Some(head)
        };
        let Some(i) = next.filter(|&i| i >= head && i < chars.len() - tail) else {
            break;
        };
        let cw = w(&chars[i]);
        if used + cw > room {
            break;
        }
        used += cw;
        if from_back {
            tail += 1;
        } else {
            head += 1;
        }
    }
    let mut out: String = chars[..head].iter().collect();
    out.push(ELLIPSIS);
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// A node's name on at most two lines of `max` pixels: whole when it fits; else split where
/// a reader would (`SiteContentLogs|BucketPolicy`, after `-`, `_`, `.`, `/`, `:` or a space),
/// the second line shortened in the middle if it is still too long.
pub fn name_lines(s: &str, max: f32, size: f32, bold: bool) -> Vec<String> {
    if width(s, size, bold) <= max {
        return vec![s.to_owned()];
    }
    let chars: Vec<char> = s.chars().collect();
    let w = |cs: &[char]| cs.iter().map(|c| em(*c, bold)).sum::<f32>() * size;
    // as much as fits on the first line
    let mut used = 0.0;
    let hard = chars
        .iter()
        .take_while(|c| {
            used += em(**c, bold) * size;
            used <= max
        })
        .count()
        .max(1);
    // the word break that fits the first line and leaves the shortest second one
    let mut at = hard;
    let mut rest = f32::INFINITY;
    for i in 1..hard.min(chars.len() - 1) + 1 {
        let (a, b) = (chars[i - 1], chars[i]);
        // ASCII classes only: Unicode case tables would cost the bundle kilobytes
        let boundary = (a.is_ascii_lowercase() && b.is_ascii_uppercase())
            || (a.is_ascii_digit() != b.is_ascii_digit() && b.is_ascii_alphanumeric())
            || matches!(a, '-' | '_' | '.' | '/' | ':' | ' ');
        if boundary && w(&chars[i..]) < rest {
            (at, rest) = (i, w(&chars[i..]));
        }
    }
    // a break that leaves too much for the second line loses the most text: fill instead
    if rest > max && w(&chars[hard..]) <= max {
        at = hard;
    }
    let first: String = chars[..at].iter().collect();
    let tail: String = chars[at..].iter().collect();
    vec![first, fit(tail.trim_start(), max, size, bold, true)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_add_up_and_bold_is_wider() {
        assert!((width("mm", 10.0, false) - 2.0 * width("m", 10.0, false)).abs() < 1e-4);
        assert!(width("Lambda", 13.0, true) > width("Lambda", 13.0, false));
        assert!(width("iiii", 13.0, false) < width("WWWW", 13.0, false));
        assert_eq!(width("", 13.0, false), 0.0);
    }

    #[test]
    fn fit_shortens_by_width_and_keeps_short_text() {
        assert_eq!(fit("Api", 100.0, 13.0, true, true), "Api");
        let long = "LambdaFunctionPipelineTaskExecutionOutput";
        for middle in [false, true] {
            for max in [20.0, 60.0, 120.0, 200.0] {
                let f = fit(long, max, 13.0, true, middle);
                assert!(width(&f, 13.0, true) <= max + 1e-3, "{f} over {max}");
                assert!(f.contains(ELLIPSIS));
            }
        }
        let m = fit(long, 140.0, 13.0, true, true);
        assert!(m.starts_with("Lambda") && m.ends_with("Output"), "{m}");
        let e = fit(long, 140.0, 13.0, true, false);
        assert!(
            e.starts_with("LambdaFunction") && e.ends_with(ELLIPSIS),
            "{e}"
        );
        // narrow letters fit more of them than wide ones in the same width
        let i = fit(&"i".repeat(80), 100.0, 13.0, false, false);
        let w = fit(&"W".repeat(80), 100.0, 13.0, false, false);
        assert!(i.chars().count() > w.chars().count());
        // no room at all: the ellipsis alone
        assert_eq!(fit(long, 5.0, 13.0, true, true), "…");
        // multi-byte text is cut on character boundaries
        let jp = fit("注文テーブル注文テーブル", 60.0, 13.0, false, true);
        assert!(jp.contains(ELLIPSIS));
    }

    #[test]
    fn long_names_wrap_where_a_reader_would() {
        assert_eq!(name_lines("Orders", 100.0, 13.0, true), vec!["Orders"]);
        let l = name_lines("SiteCloudFrontLogsReplicaBucket", 130.0, 13.0, true);
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| width(x, 13.0, true) <= 130.0), "{l:?}");
        assert!(
            l[0].starts_with("Site") && !l[0].ends_with(ELLIPSIS),
            "{l:?}"
        );
        assert!(l[1].ends_with("Bucket"), "{l:?}");
        // every character is on the lines or stood for by the ellipsis
        let whole = name_lines("arn:aws:sns:*:*:email", 90.0, 11.0, false).concat();
        assert!(whole == "arn:aws:sns:*:*:email" || whole.contains(ELLIPSIS));
        // no break at all: a hard split, the rest shortened
        let n = name_lines(&"x".repeat(60), 80.0, 13.0, true);
        assert_eq!(n.len(), 2);
        assert!(n.iter().all(|x| width(x, 13.0, true) <= 80.0));
        assert!(n[1].contains(ELLIPSIS));
    }
}
