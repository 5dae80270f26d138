//! Substring search in Chinese without a full scan: every project's searchable text is cut
//! into overlapping character bigrams (and its last character alone), stored in
//! `project_grams`. A query of two or more characters needs all its bigrams to be present —
//! an index lookup — and is then checked with LIKE on the few candidates; a one-character
//! query is a prefix range on the same index.

use std::collections::BTreeSet;

/// Lowercase, whitespace (incl. full-width spaces) removed, full-width ASCII folded.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The distinct grams of an already-normalized text.
pub fn grams(normalized: &str) -> BTreeSet<String> {
    let chars: Vec<char> = normalized.chars().collect();
    let mut out = BTreeSet::new();
    for i in 0..chars.len() {
        if i + 1 < chars.len() {
            out.insert(chars[i..i + 2].iter().collect());
        } else {
            out.insert(chars[i].to_string());
        }
    }
    out
}

/// What a query needs: the bigrams to intersect (at most a few: first, middle, last).
pub fn query_grams(normalized_query: &str) -> Vec<String> {
    let chars: Vec<char> = normalized_query.chars().collect();
    if chars.len() < 2 {
        return vec![];
    }
    let all: Vec<String> = (0..chars.len() - 1).map(|i| chars[i..i + 2].iter().collect()).collect();
    let mut pick = vec![all[0].clone()];
    for g in [&all[all.len() / 2], &all[all.len() - 1]] {
        if !pick.contains(g) {
            pick.push(g.clone());
        }
    }
    pick
}

/// Escape `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_cover_every_substring_of_two() {
        let g = grams(&normalize("郑州 智能终端 Project"));
        for q in ["郑州", "智能", "终端", "端p", "pr"] {
            assert!(g.contains(q), "{q}");
        }
        assert!(g.contains("t"), "last character alone, for one-character queries");
    }

    #[test]
    fn normalize_folds_full_width_and_case() {
        assert_eq!(normalize("ＡＢ１２　科技"), "ab12科技");
    }

    #[test]
    fn query_grams_pick_few() {
        assert_eq!(query_grams("科技"), vec!["科技"]);
        assert_eq!(query_grams("智能终端"), vec!["智能", "能终", "终端"]);
        assert!(query_grams("科").is_empty());
    }

    #[test]
    fn like_escape_escapes_wildcards() {
        assert_eq!(like_escape("50%_a\\"), "50\\%\\_a\\\\");
    }
}
