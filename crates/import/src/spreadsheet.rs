//! Text cells a spreadsheet would run as formulas. A CSV export opened in a
//! spreadsheet treats a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage
//! return before one) as a formula: shopper input such as `=HYPERLINK(…)` in a name
//! would run on a staff member's machine. Exports write such text cells behind a
//! leading `'` (the spreadsheets' own "this is text" mark), and Comptoir's import
//! takes it off again, so an export imports back exactly. Amounts and quantities are
//! never text cells.

use std::borrow::Cow;

/// The first characters that make a cell a formula, and `'` itself, so that a text
/// that starts with `'` also survives the round trip.
fn needs_mark(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// A text cell as an export writes it: behind a `'` when a spreadsheet would
/// otherwise read it as a formula.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if needs_mark(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as the export wrote it, back to its text.
pub fn restored(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(text) if needs_mark(text) => text,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_marked_as_text() {
        assert_eq!(
            neutralised("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralised("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(neutralised("-2+3"), "'-2+3");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("\t=1"), "'\t=1");
        assert_eq!(neutralised("Disfraz de bruja"), "Disfraz de bruja");
        assert_eq!(neutralised(""), "");
    }

    #[test]
    fn every_text_comes_back_exactly() {
        for text in [
            "=1+1",
            "'=1+1",
            "''",
            "'",
            "'quoted'",
            "- 100 % poliéster",
            "Pelucas|Pelucas de colores",
            "",
            "@ana",
        ] {
            assert_eq!(restored(&neutralised(text)), text, "{text:?}");
        }
        assert_eq!(
            restored("'plain"),
            "'plain",
            "a mark the export never writes stays"
        );
    }
}
