//! Writing XML text and attribute values.

/// `text` fit for XML content or a quoted attribute: `&`, `<`, `>`, `"` and
/// `'` escaped, tabs and line breaks kept as character references, and the
/// characters XML 1.0 cannot hold at all (other control characters) given as
/// U+FFFD, the replacement character.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_control_characters_cannot_break_the_document() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ny\u{1}"), "x&#10;y\u{fffd}");
        assert_eq!(escape("Hà Nội"), "Hà Nội");
    }
}
