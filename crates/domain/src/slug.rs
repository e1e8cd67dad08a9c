//! URL keys: lowercase ASCII words joined by hyphens, accents folded.

/// Folds the accented letters of Spanish, French, Portuguese and Italian to ASCII.
pub fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ñ' | 'Ñ' => "n",
        'ç' | 'Ç' => "c",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => return None,
    })
}

/// Turns a name into a URL key: `Disfraz de Bruja (mujer)` → `disfraz-de-bruja-mujer`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        let mut buffer = [0u8; 4];
        let piece = if c.is_ascii_alphanumeric() {
            &*c.to_ascii_lowercase().encode_utf8(&mut buffer)
        } else if let Some(folded) = fold_accent(c) {
            folded
        } else {
            pending_hyphen = true;
            continue;
        };
        if pending_hyphen && !slug.is_empty() {
            slug.push('-');
        }
        pending_hyphen = false;
        slug.push_str(piece);
    }
    slug
}

/// Whether `key` is a well-formed URL key (what [`slugify`] produces).
pub fn is_url_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && !key.starts_with('-')
        && !key.ends_with('-')
        && !key.contains("--")
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Disfraz de Bruja (mujer)"),
            "disfraz-de-bruja-mujer"
        );
        assert_eq!(
            slugify("Déguisement de sorcière"),
            "deguisement-de-sorciere"
        );
        assert_eq!(slugify("  Fantasia  de  bruxa! "), "fantasia-de-bruxa");
        assert_eq!(slugify("Cœur & Ñandú"), "coeur-nandu");
        assert!(is_url_key(&slugify("Costume da strega – taglia XL")));
        assert!(!is_url_key("Bad Key"));
        assert!(!is_url_key("-x"));
    }
}
