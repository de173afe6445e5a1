//! "Did you mean" suggestions for unknown fields, keywords, rules and references.

use rustc_hash::FxHashMap;

/// Whether `candidate` is close enough to `word` to be a likely typo, and how close.
fn closeness(word: &str, candidate: &str) -> Option<f64> {
    if candidate == word {
        return None;
    }
    let score = strsim::jaro_winkler(word, candidate);
    let edits = strsim::levenshtein(word, candidate);
    (score >= 0.85 || edits <= (word.len() / 4).clamp(1, 3)).then_some(score)
}

/// The best of `candidates`; ties go to the smallest candidate, so
/// suggestions never depend on the iteration order of a hash map.
fn best<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let Some(score) = closeness(word, candidate) else {
            continue;
        };
        let better = best.is_none_or(|(best_score, best_candidate)| {
            score > best_score || (score == best_score && candidate < best_candidate)
        });
        if better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo. Scans every candidate: for small sets (fields, keywords, rules).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    best(word, candidates)
}

/// Namespaces up to this size are scanned whole; larger ones use the index.
const SCAN_LIMIT: usize = 2_000;

/// Suggestions over a large set of ids (every role or identity), without
/// comparing a word with every id: a symmetric-deletion index maps each id,
/// and each id with one character deleted, to the ids it came from. Two
/// words within one insertion, deletion, substitution or adjacent
/// transposition share a key, so those typos are found in a few lookups.
pub struct Suggester<'a> {
    words: Vec<&'a str>,
    by_key: FxHashMap<String, Vec<u32>>,
}

fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(index, c)| {
        let mut key = String::with_capacity(word.len());
        key.push_str(&word[..index]);
        key.push_str(&word[index + c.len_utf8()..]);
        key
    })
}

impl<'a> Suggester<'a> {
    pub fn new(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words: Vec<&'a str> = words.into_iter().collect();
        words.sort_unstable();
        words.dedup();
        let mut by_key: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        if words.len() > SCAN_LIMIT {
            for (index, word) in words.iter().enumerate() {
                by_key
                    .entry((*word).to_owned())
                    .or_default()
                    .push(index as u32);
                for key in deletions(word) {
                    by_key.entry(key).or_default().push(index as u32);
                }
            }
        }
        Suggester { words, by_key }
    }

    pub fn suggest(&self, word: &str) -> Option<&'a str> {
        if self.words.len() <= SCAN_LIMIT {
            return best(word, self.words.iter().copied());
        }
        let mut candidates: Vec<u32> = std::iter::once(word.to_owned())
            .chain(deletions(word))
            .filter_map(|key| self.by_key.get(&key))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        best(
            word,
            candidates.iter().map(|index| self.words[*index as usize]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let fields = ["permissions", "inherits", "owner"];
        assert_eq!(did_you_mean("permisions", fields), Some("permissions"));
        assert_eq!(did_you_mean("inherit", fields), Some("inherits"));
        assert_eq!(did_you_mean("colour", fields), None);
    }

    #[test]
    fn the_index_finds_single_edit_typos_in_large_sets() {
        let ids: Vec<String> = (0..10_000).map(|n| format!("svc-billing-{n:05}")).collect();
        let mut words: Vec<&str> = ids.iter().map(String::as_str).collect();
        words.push("payments-operator");
        let suggester = Suggester::new(words.iter().copied());
        assert_eq!(
            suggester.suggest("payments-operater"),
            Some("payments-operator")
        );
        assert_eq!(
            suggester.suggest("payments-opertor"),
            Some("payments-operator")
        );
        assert_eq!(
            suggester.suggest("payments-operatorr"),
            Some("payments-operator")
        );
        assert_eq!(
            suggester.suggest("payments-oper8tor"),
            Some("payments-operator")
        );
        assert_eq!(
            suggester.suggest("svc-billing-0042"),
            Some("svc-billing-00042")
        );
        assert_eq!(suggester.suggest("completely-different"), None);
    }

    #[test]
    fn small_sets_are_scanned_like_did_you_mean() {
        let words = ["alice", "bob", "carol"];
        let suggester = Suggester::new(words);
        assert_eq!(suggester.suggest("alcie"), did_you_mean("alcie", words));
    }
}
