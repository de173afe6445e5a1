//! "Did you mean" suggestions for unknown fields, keywords, rules and references.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let score = strsim::jaro_winkler(word, candidate);
        let edits = strsim::levenshtein(word, candidate);
        let close = score >= 0.85 || edits <= (word.len() / 4).clamp(1, 3);
        // Ties go to the smallest candidate, so suggestions never depend on
        // the iteration order of a hash map.
        let better = best.is_none_or(|(best_score, best_candidate)| {
            score > best_score || (score == best_score && candidate < best_candidate)
        });
        if close && better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_words_only() {
        let fields = ["permissions", "inherits", "owner"];
        assert_eq!(did_you_mean("permisions", fields), Some("permissions"));
        assert_eq!(did_you_mean("inherit", fields), Some("inherits"));
        assert_eq!(did_you_mean("colour", fields), None);
    }
}
