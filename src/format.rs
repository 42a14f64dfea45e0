//! Pure helpers that put values into words and figures the same way on every page (no store, no
//! browser): the lowest layer but `i18n`.
use orchid_core::time::{Timestamp, UtcOffset};

/// A moment as the store's local date and time (`2025-03-08 14:30`).
pub fn local_text(offset: UtcOffset, at: Timestamp) -> String {
    offset.local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// One line of a CSV file (RFC 4180): fields with a comma, a quote or a line break are quoted,
/// quotes doubled.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| {
            let f = f.as_ref();
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::csv_line;

    #[test]
    fn csv_fields_with_commas_quotes_and_lines_are_quoted() {
        assert_eq!(
            csv_line(&["a", "b,c", "say \"hi\"", "两\n行"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"两\n行\"\r\n"
        );
    }
}
