//! "Did you mean" suggestions for unknown fields, keywords, rules and references.

use std::hash::Hasher as _;

use rustc_hash::{FxHashMap, FxHasher};

/// Whether `candidate` is close enough to `word` to be a likely typo, and how close.
fn closeness(word: &str, candidate: &str) -> Option<f64> {
    if candidate == word {
        return None;
    }
    // Ids are ASCII: their bytes are their characters, and comparing bytes
    // gives the same scores without decoding UTF-8 on every comparison.
    let ascii = word.is_ascii() && candidate.is_ascii();
    let score = match ascii {
        true => strsim::generic_jaro_winkler(&Bytes(word), &Bytes(candidate)),
        false => strsim::jaro_winkler(word, candidate),
    };
    if score >= 0.85 {
        return Some(score);
    }
    // The edit distance (the costlier measure) is at least the difference
    // in length: most candidates are ruled out without computing it.
    let limit = (word.len() / 4).clamp(1, 3);
    let distance = match ascii {
        true if word.len().abs_diff(candidate.len()) > limit => return None,
        true => strsim::generic_levenshtein(&Bytes(word), &Bytes(candidate)),
        false if word.chars().count().abs_diff(candidate.chars().count()) > limit => return None,
        false => strsim::levenshtein(word, candidate),
    };
    (distance <= limit).then_some(score)
}

/// A string's bytes as strsim's generic measures take them.
struct Bytes<'a>(&'a str);

impl<'a> IntoIterator for &Bytes<'a> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, u8>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.as_bytes().iter().copied()
    }
}

/// The best of `candidates`; ties go to the smallest candidate, so
/// suggestions never depend on the iteration order of a hash map.
fn best<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let profile = Profile::of(word);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if profile
            .as_ref()
            .is_some_and(|profile| profile.rules_out(candidate))
        {
            continue;
        }
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

/// What bounds both measures of [`closeness`] for an ASCII word, so that
/// most candidates of a scan are ruled out without computing either: with
/// `c` characters in common (as multisets), Jaro matches at most `c`
/// characters, and the edit distance is at least the longer length minus `c`.
struct Profile<'w> {
    word: &'w [u8],
    counts: [u16; 128],
}

impl<'w> Profile<'w> {
    fn of(word: &'w str) -> Option<Self> {
        // No count can overflow (an undercount would break the bound).
        if word.len() > usize::from(u16::MAX) {
            return None;
        }
        let mut counts = [0u16; 128];
        for byte in word.bytes() {
            *counts.get_mut(usize::from(byte))? += 1;
        }
        Some(Profile {
            word: word.as_bytes(),
            counts,
        })
    }

    /// True only if [`closeness`] is `None` for `candidate`.
    fn rules_out(&self, candidate: &str) -> bool {
        let candidate = candidate.as_bytes();
        let mut counts = self.counts;
        let mut common = 0usize;
        for &byte in candidate {
            let Some(count) = counts.get_mut(usize::from(byte)) else {
                return false;
            };
            if *count > 0 {
                *count -= 1;
                common += 1;
            }
        }
        let (word_len, candidate_len) = (self.word.len(), candidate.len());
        let limit = (word_len / 4).clamp(1, 3);
        let distance_at_least = word_len.max(candidate_len) - common;
        let edit_fails = word_len.abs_diff(candidate_len) > limit || distance_at_least > limit;
        if !edit_fails || common == 0 {
            return edit_fails;
        }
        let prefix = self
            .word
            .iter()
            .zip(candidate)
            .take(4)
            .take_while(|(a, b)| a == b)
            .count();
        let common = common as f64;
        let jaro_at_most = (common / word_len as f64 + common / candidate_len as f64 + 1.0) / 3.0;
        let winkler_at_most = jaro_at_most + 0.1 * prefix as f64 * (1.0 - jaro_at_most);
        // A margin for rounding: the bound must never rule out a match.
        winkler_at_most < 0.85 - 1e-9
    }
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

/// Suggestions for many words at once over a large set of ids (every role or
/// identity), without comparing each word with every id: a
/// symmetric-deletion index maps each word, and each word with one character
/// deleted, to the words it came from; one pass over the ids looks up their
/// keys the same way. Two words within one insertion, deletion, substitution
/// or adjacent transposition share a key, so those typos are found.
///
/// The index holds the words (the few unknown references), not the ids (the
/// many): the pass over the ids costs one hash lookup per key and nothing is
/// sorted. Keys are 64-bit hashes, not strings; a hash collision only adds a
/// candidate, which is scored like the others and suggested only if close.
///
/// Returns the suggestion for each word, in order. Sets of at most
/// [`SCAN_LIMIT`] ids are scanned whole, like [`did_you_mean`].
pub fn suggest_all<'a>(words: &[&str], ids: &[&'a str]) -> Vec<Option<&'a str>> {
    if ids.len() <= SCAN_LIMIT {
        return words
            .iter()
            .map(|word| best(word, ids.iter().copied()))
            .collect();
    }
    let mut scratch = Vec::new();
    let mut by_key: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (index, word) in words.iter().enumerate() {
        key_hashes(word, &mut scratch, |hash| {
            let words = by_key.entry(hash).or_default();
            // A word whose deletions coincide ("aab" without either "a").
            if words.last() != Some(&(index as u32)) {
                words.push(index as u32);
            }
        });
    }
    let filter = KeyFilter::of(by_key.keys().copied());
    let mut candidates: Vec<Vec<&'a str>> = vec![Vec::new(); words.len()];
    for id in ids {
        key_hashes(id, &mut scratch, |hash| {
            if !filter.may_hold(hash) {
                return;
            }
            for index in by_key.get(&hash).into_iter().flatten() {
                candidates[*index as usize].push(id);
            }
        });
    }
    words
        .iter()
        .zip(candidates)
        .map(|(word, mut found)| {
            found.sort_unstable();
            found.dedup();
            best(word, found)
        })
        .collect()
}

/// A one-hash Bloom filter over the index's keys: almost every key of an id
/// is in no word's index, and a bit test (in a table that stays in cache)
/// says so for most of them without probing the hash map.
struct KeyFilter {
    bits: Vec<u64>,
    /// log2 of the number of bits.
    log_bits: u32,
}

impl KeyFilter {
    fn of(keys: impl ExactSizeIterator<Item = u64>) -> KeyFilter {
        // About 16 bits per key: one key in 16 of the others passes falsely.
        let wanted = keys.len().saturating_mul(16).clamp(1 << 12, 1 << 24);
        let log_bits = wanted.next_power_of_two().trailing_zeros();
        let mut filter = KeyFilter {
            bits: vec![0; (1usize << log_bits) / 64],
            log_bits,
        };
        for key in keys {
            let bit = filter.bit(key);
            filter.bits[bit / 64] |= 1 << (bit % 64);
        }
        filter
    }

    /// The key's bit, from its high bits (the well-mixed ones of [`finish`]).
    fn bit(&self, key: u64) -> usize {
        (key >> (64 - self.log_bits)) as usize
    }

    fn may_hold(&self, key: u64) -> bool {
        let bit = self.bit(key);
        self.bits[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// The word itself, then the word with each character deleted in turn,
/// written into `key` one after another for `visit`: the keys of the index,
/// built; the tests check [`key_hashes`] against them.
#[cfg(test)]
fn for_each_key(word: &str, key: &mut String, mut visit: impl FnMut(&str)) {
    key.clear();
    key.push_str(word);
    visit(key);
    for (index, c) in word.char_indices() {
        key.clear();
        key.push_str(&word[..index]);
        key.push_str(&word[index + c.len_utf8()..]);
        visit(key);
    }
}

/// The multiplier of the polynomial hash of [`key_hashes`] (odd, so it is
/// invertible modulo 2^64; any odd constant with mixed bits will do).
const HASH_BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hashes of the index's keys (the word, and the word with each
/// character deleted in turn), without building them:
/// with a polynomial hash, the hash of `prefix + suffix` is
/// `hash(prefix) * BASE^len(suffix) + hash(suffix)`, so one pass over the
/// word's prefixes and one over its suffixes give every deletion's hash.
/// `scratch` is reused between calls.
fn key_hashes(word: &str, scratch: &mut Vec<(u64, u64)>, mut visit: impl FnMut(u64)) {
    let bytes = word.as_bytes();
    // suffix[i] = (hash of bytes[i..], BASE^(len - i)).
    scratch.clear();
    scratch.resize(bytes.len() + 1, (0, 1));
    for i in (0..bytes.len()).rev() {
        let (hash, power) = scratch[i + 1];
        scratch[i] = (
            u64::from(bytes[i]).wrapping_mul(power).wrapping_add(hash),
            power.wrapping_mul(HASH_BASE),
        );
    }
    visit(finish(scratch[0].0, bytes.len()));
    let mut prefix = 0u64;
    // Ids are nearly always ASCII: one byte a character, no decoding.
    if word.is_ascii() {
        let deleted_len = bytes.len().saturating_sub(1);
        for (&byte, &(suffix, power)) in bytes.iter().zip(&scratch[1..]) {
            visit(finish(
                prefix.wrapping_mul(power).wrapping_add(suffix),
                deleted_len,
            ));
            prefix = prefix.wrapping_mul(HASH_BASE).wrapping_add(u64::from(byte));
        }
        return;
    }
    for (index, c) in word.char_indices() {
        let rest = index + c.len_utf8();
        let (suffix, power) = scratch[rest];
        let deleted = prefix.wrapping_mul(power).wrapping_add(suffix);
        visit(finish(deleted, bytes.len() - c.len_utf8()));
        for byte in &bytes[index..rest] {
            prefix = prefix
                .wrapping_mul(HASH_BASE)
                .wrapping_add(u64::from(*byte));
        }
    }
}

/// Mixes the length in and spreads the bits (a polynomial hash of short
/// strings leaves the high bits, which the sort looks at first, alike).
fn finish(hash: u64, len: usize) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u64(hash);
    hasher.write_usize(len);
    hasher.finish()
}

/// Whether the two words share a key of the symmetric-deletion index.
#[cfg(test)]
fn share_a_key(word: &str, candidate: &str) -> bool {
    let mut keys = Vec::new();
    let mut buffer = String::new();
    for_each_key(word, &mut buffer, |key| keys.push(key.to_owned()));
    let mut shared = false;
    for_each_key(candidate, &mut buffer, |key| {
        shared = shared || keys.iter().any(|k| k == key);
    });
    shared
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

    /// `closeness` as it was written first: on characters only.
    fn closeness_on_chars(word: &str, candidate: &str) -> Option<f64> {
        if candidate == word {
            return None;
        }
        let score = strsim::jaro_winkler(word, candidate);
        let limit = (word.len() / 4).clamp(1, 3);
        (score >= 0.85 || strsim::levenshtein(word, candidate) <= limit).then_some(score)
    }

    #[test]
    fn the_profile_rules_out_only_what_closeness_rejects() {
        // Short words over a small alphabet: many close pairs and many far.
        let mut rng = fastrand::Rng::with_seed(7);
        let words: Vec<String> = (0..400)
            .map(|_| {
                let len = rng.usize(0..12);
                (0..len)
                    .map(|_| rng.choice(b"abcde.-7".iter()).map_or('a', |b| *b as char))
                    .collect()
            })
            .collect();
        let mut ruled_out = 0;
        for word in &words {
            let profile = Profile::of(word).unwrap();
            for candidate in &words {
                if profile.rules_out(candidate) {
                    ruled_out += 1;
                    assert_eq!(closeness(word, candidate), None, "{word:?} ~ {candidate:?}");
                }
            }
        }
        // And it does rule out: most pairs of random words are far apart.
        assert!(ruled_out > words.len() * words.len() / 4, "{ruled_out}");
        assert!(Profile::of("zoë").is_none());
    }

    #[test]
    fn ascii_words_score_as_their_characters_do() {
        let words = [
            "payments-admin",
            "payment-admin",
            "paymnets-admin",
            "ravi.shah",
            "ravi.sha",
            "priya.robets",
            "priya.roberts",
            "zoë.müller",
            "zoe.muller",
            "a",
            "ab",
            "",
        ];
        for word in words {
            for candidate in words {
                assert_eq!(
                    closeness(word, candidate),
                    closeness_on_chars(word, candidate),
                    "{word:?} ~ {candidate:?}"
                );
            }
        }
    }

    #[test]
    fn the_index_finds_single_edit_typos_in_large_sets() {
        let ids: Vec<String> = (0..10_000).map(|n| format!("svc-billing-{n:05}")).collect();
        let mut candidates: Vec<&str> = ids.iter().map(String::as_str).collect();
        candidates.push("payments-operator");
        let words = [
            "payments-operater",
            "payments-opertor",
            "payments-operatorr",
            "payments-oper8tor",
            "svc-billing-0042",
            "completely-different",
            "payments-operater",
        ];
        assert_eq!(
            suggest_all(&words, &candidates),
            [
                Some("payments-operator"),
                Some("payments-operator"),
                Some("payments-operator"),
                Some("payments-operator"),
                Some("svc-billing-00042"),
                None,
                Some("payments-operator"),
            ]
        );
    }

    #[test]
    fn the_hashed_index_finds_what_a_scan_of_single_edit_neighbours_finds() {
        let ids: Vec<String> = (0..3_000)
            .map(|n| {
                format!(
                    "{}-role-{}",
                    ["eng", "fin", "ops"][n % 3],
                    n * 7919 % 10_007
                )
            })
            .collect();
        let candidates: Vec<&str> = ids.iter().map(String::as_str).collect();
        let typos: Vec<String> = ids
            .iter()
            .enumerate()
            .step_by(97)
            .map(|(n, id)| {
                let mut typo: Vec<char> = id.chars().collect();
                match n % 3 {
                    0 => {
                        typo.remove(n % typo.len());
                    }
                    1 => typo.insert(n % typo.len(), 'q'),
                    _ => typo.swap(1, 2),
                }
                typo.into_iter().collect()
            })
            .collect();
        let words: Vec<&str> = typos.iter().map(String::as_str).collect();
        let suggested = suggest_all(&words, &candidates);
        for (typo, suggestion) in typos.iter().zip(suggested) {
            let scanned = best(
                typo,
                candidates
                    .iter()
                    .copied()
                    .filter(|candidate| share_a_key(typo, candidate)),
            );
            assert!(scanned.is_some(), "{typo}");
            assert_eq!(suggestion, scanned, "{typo}");
        }
    }

    #[test]
    fn the_key_filter_holds_every_key_and_few_others() {
        let mut rng = fastrand::Rng::with_seed(7);
        let keys: Vec<u64> = (0..10_000).map(|_| rng.u64(..)).collect();
        let filter = KeyFilter::of(keys.iter().copied());
        assert!(keys.iter().all(|key| filter.may_hold(*key)));
        let passed = (0..100_000)
            .filter(|_| filter.may_hold(rng.u64(..)))
            .count();
        // 16 bits per key: about 6% pass; allow for chance.
        assert!(passed < 10_000, "{passed} of 100,000 other keys passed");
    }

    #[test]
    fn key_hashes_are_the_hashes_of_the_keys() {
        let hash_of = |key: &str| {
            let mut only = Vec::new();
            key_hashes(key, &mut Vec::new(), |hash| only.push(hash));
            only[0]
        };
        for word in ["", "a", "payments-operator", "zoë.müller", "日本-ops"] {
            let mut built = Vec::new();
            for_each_key(word, &mut String::new(), |key| built.push(hash_of(key)));
            let mut computed = Vec::new();
            key_hashes(word, &mut Vec::new(), |hash| computed.push(hash));
            assert_eq!(computed, built, "{word}");
        }
        assert_ne!(hash_of("ab"), hash_of("ba"));
        assert_ne!(hash_of("a"), hash_of("a\0"));
    }

    #[test]
    fn small_sets_are_scanned_like_did_you_mean() {
        let ids = ["alice", "bob", "carol"];
        assert_eq!(
            suggest_all(&["alcie", "bobby"], &ids),
            [did_you_mean("alcie", ids), did_you_mean("bobby", ids)]
        );
    }
}
