//! serde's `rename_all` rules, applied to snake_case field names, so the
//! derive knows each token's wire name.

pub(crate) fn apply(rule: &str, field: &str) -> Option<String> {
    let words = field.split('_').filter(|w| !w.is_empty());
    let capitalized = |w: &str| {
        let mut chars = w.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    Some(match rule {
        "lowercase" => field.to_ascii_lowercase(),
        "UPPERCASE" => field.to_ascii_uppercase(),
        "PascalCase" => words.map(capitalized).collect(),
        "camelCase" => {
            let pascal: String = words.map(capitalized).collect();
            let mut chars = pascal.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        "snake_case" => field.to_owned(),
        "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.replace('_', "-").to_ascii_uppercase(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn rules_match_serde() {
        let cases = [
            ("PascalCase", "next_key_marker", "NextKeyMarker"),
            ("camelCase", "next_key_marker", "nextKeyMarker"),
            ("SCREAMING_SNAKE_CASE", "next_token", "NEXT_TOKEN"),
            ("kebab-case", "next_token", "next-token"),
            ("lowercase", "next_token", "next_token"),
        ];
        for (rule, field, wire) in cases {
            assert_eq!(super::apply(rule, field).as_deref(), Some(wire));
        }
        assert_eq!(super::apply("Title Case", "x"), None);
    }
}
