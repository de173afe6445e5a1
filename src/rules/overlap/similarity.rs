//! An all-pairs set-similarity join: every pair of sets whose Jaccard
//! similarity `|x ∩ y| / |x ∪ y|` reaches a threshold, without comparing
//! every pair (PPJoin, Xiao et al., "Efficient similarity joins for near
//! duplicate detection", WWW 2008).
//!
//! How it avoids the quadratic comparison:
//!
//! - Tokens (permission ids) are renumbered by global frequency, rarest
//!   first, and each set is sorted in that order, so a set's *prefix* holds
//!   its rarest tokens.
//! - Two sets with Jaccard ≥ t share at least `α = ⌈t/(1+t)·(|x|+|y|)⌉`
//!   tokens, hence share their ℓ rarest common tokens (ℓ = 2, or all of them
//!   when α < 2) within their *prefixes* of length `|x| − α + ℓ` (ℓ-prefix
//!   filter). The sets are processed by increasing size; each probes the
//!   inverted index with its first `|x| − ⌈t·|x|⌉ + ℓ` tokens, then indexes
//!   its first `|x| − ⌈2t/(1+t)·|x|⌉ + ℓ` tokens (enough, because every later
//!   probe is at least as large). A candidate found fewer than ℓ times is
//!   dropped without reading it.
//! - A candidate smaller than `t·|x|` cannot qualify (size filter); one whose
//!   overlap so far plus what the rest of both sets could still add stays
//!   below `α` is dropped (positional filter), also after the probe, using
//!   the probe tokens known to be missing from the candidate.
//! - Every surviving candidate is verified by an exact intersection of the
//!   two sorted sets (merged in frequency order, stopping as soon as the
//!   required overlap is out of reach).
//!
//! The filters use integer arithmetic on a rational just below the threshold
//! and the verification is the naive test itself ([`Threshold`]), so the
//! result is exactly that of the naive pairwise comparison, including pairs
//! whose similarity equals the threshold.

use rustc_hash::FxHashMap;

/// A similarity threshold in `[0, 1]`.
///
/// Pairs are accepted exactly as the naive comparison does: the Jaccard
/// similarity computed as `intersection as f64 / union as f64` is at least
/// the threshold. (A float quotient is correctly rounded, so for any union
/// below 2^26 tokens this is the same as comparing the exact fraction with
/// the decimal written in `rolelint.yaml`: 4/5 passes at 0.8.)
///
/// The filters that decide which pairs to verify work on integers with a
/// rational just below the threshold, so they never drop a pair the exact
/// test would accept, whatever the rounding.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    value: f64,
    /// `value · (1 − 2^-40)` rounded down, over [`FILTER_DENOMINATOR`]:
    /// below every similarity that rounds to at least `value`.
    filter_numerator: u64,
}

/// The denominator of the filters' rational threshold.
const FILTER_DENOMINATOR: u64 = 1 << 62;

impl Threshold {
    /// The threshold `value`, clamped to `[0, 1]`; NaN is 0.
    pub fn new(value: f64) -> Threshold {
        let value = if value.is_nan() {
            0.0
        } else {
            value.clamp(0.0, 1.0)
        };
        // The margin (2^-40 relative) dwarfs both the half-ulp by which an
        // accepted quotient may fall below `value` and the rounding of this
        // product (2^-53 relative), so the result stays a lower bound.
        let lowered = value * (1.0 - 2f64.powi(-40)) * FILTER_DENOMINATOR as f64;
        Threshold {
            value,
            filter_numerator: (lowered.floor() as u64).min(FILTER_DENOMINATOR),
        }
    }

    /// The threshold as given (clamped).
    pub fn value(self) -> f64 {
        self.value
    }

    /// Whether two sets sharing `intersection` tokens out of `union` are
    /// similar: they share at least one token and `intersection / union ≥ t`.
    /// (Sharing nothing is never similar, even at threshold 0.)
    pub fn admits(self, intersection: usize, union: usize) -> bool {
        intersection > 0 && intersection as f64 / union as f64 >= self.value
    }

    /// `⌈t · size⌉` (with the filters' lowered `t`): at most the fewest
    /// tokens a set similar to one of `size` tokens has, and shares with it.
    fn min_overlap_with(self, size: usize) -> usize {
        ceil_div(
            u128::from(self.filter_numerator) * size as u128,
            u128::from(FILTER_DENOMINATOR),
        )
    }

    /// `⌈t/(1+t) · (x + y)⌉` (at least 1): at most the fewest shared tokens
    /// that make sets of sizes `x` and `y` similar, from `i ≥ t·(x + y − i)`.
    fn required_overlap(self, x: usize, y: usize) -> usize {
        ceil_div(
            u128::from(self.filter_numerator) * (x + y) as u128,
            u128::from(self.filter_numerator) + u128::from(FILTER_DENOMINATOR),
        )
        .max(1)
    }

    /// Prefix a set probes the index with: `|x| − ⌈t·|x|⌉ + ℓ`.
    fn probe_prefix(self, size: usize) -> usize {
        (size + SHARED_IN_PREFIX)
            .saturating_sub(self.min_overlap_with(size).max(1))
            .min(size)
    }

    /// Prefix a set is indexed with: `|x| − ⌈2t/(1+t)·|x|⌉ + ℓ`, enough
    /// because every set that probes it later is at least as large.
    fn index_prefix(self, size: usize) -> usize {
        (size + SHARED_IN_PREFIX)
            .saturating_sub(self.required_overlap(size, size))
            .min(size)
    }
}

/// ℓ: prefixes are one token longer than the classic prefix filter needs,
/// so that two similar sets share at least ℓ tokens in them (the ℓ rarest
/// tokens they share), or all of their shared tokens when they need fewer.
/// A candidate found only once is then dropped without reading it, which
/// is most candidates.
const SHARED_IN_PREFIX: usize = 2;

fn ceil_div(numerator: u128, denominator: u128) -> usize {
    numerator.div_ceil(denominator) as usize
}

/// The number of tokens two sorted, duplicate-free sets share.
pub fn intersection_size(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The number of tokens two sorted sets share, or `None` as soon as it is
/// clear it cannot reach `required`: in frequency order, unrelated sets
/// differ in their first (rarest) tokens, so most candidates stop early.
fn overlap_reaching(a: &[u32], b: &[u32], required: usize) -> Option<usize> {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if shared + (a.len() - i).min(b.len() - j) < required {
            return None;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (shared >= required).then_some(shared)
}

/// A pair of similar sets: indices into the input (`first < second`), with
/// their intersection and union sizes (the similarity is their ratio).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimilarPair {
    pub first: u32,
    pub second: u32,
    pub intersection: u32,
    pub union: u32,
}

/// Every pair of `sets` (each sorted ascending and duplicate-free) whose
/// Jaccard similarity is at least `threshold` and which share at least one
/// token, sorted by `(first, second)`. Empty sets pair with nothing;
/// identical sets are included (similarity 1).
///
/// Exactly the pairs the naive comparison of every pair finds, without
/// comparing every pair.
pub fn similar_pairs(sets: &[&[u32]], threshold: Threshold) -> Vec<SimilarPair> {
    let ranked = RankedSets::new(sets);
    let bounds = Bounds::new(
        threshold,
        sets.iter().map(|set| set.len()).max().unwrap_or(0),
    );
    let mut order: Vec<u32> = (0..sets.len() as u32)
        .filter(|&set| !sets[set as usize].is_empty())
        .collect();
    // Increasing size, so that every indexed set is at most as large as the probe.
    order.sort_by_key(|&set| (sets[set as usize].len(), set));

    // Inverted index: rank → the sets whose index prefix holds it, in the
    // order they were indexed (increasing size). Entries carry the set's size
    // so that filtering does not touch the set itself.
    let mut index: Vec<Vec<Posting>> = vec![Vec::new(); ranked.token_count];
    // Entries before `live_from[rank]` belong to sets too small for every
    // later probe (the size filter only grows).
    let mut live_from: Vec<usize> = vec![0; ranked.token_count];
    // The last (rarest-last) token of each indexed set's index prefix.
    let mut last_indexed: Vec<u32> = vec![0; sets.len()];
    // What the current probe found of each candidate.
    let mut state: Vec<Candidate> = vec![Candidate::default(); sets.len()];
    let mut candidates: Vec<u32> = Vec::new();
    let mut pairs = Vec::new();

    for &probe in &order {
        let tokens = ranked.tokens(probe);
        let size = tokens.len();
        let min_size = bounds.min_size[size];
        let probe_prefix = bounds.probe_prefix[size];
        for (position, &token) in tokens[..probe_prefix].iter().enumerate() {
            let list = &index[token as usize];
            let start = &mut live_from[token as usize];
            while *start < list.len() && (list[*start].size as usize) < min_size {
                *start += 1;
            }
            for posting in &list[*start..] {
                let candidate = &mut state[posting.set as usize];
                if candidate.found == PRUNED {
                    continue;
                }
                let candidate_size = posting.size as usize;
                // The most tokens the pair could share: those found, this one,
                // and all that follow it in the smaller remainder.
                let reachable = (size - position).min(candidate_size - posting.position as usize);
                if candidate.found == 0 {
                    candidates.push(posting.set);
                }
                if candidate.found as usize + reachable
                    >= bounds.required_overlap[size + candidate_size]
                {
                    candidate.found += 1;
                    candidate.probe_position = position as u32;
                    candidate.position = posting.position;
                    candidate.size = posting.size;
                } else {
                    candidate.found = PRUNED;
                }
            }
        }
        for candidate in candidates.drain(..) {
            let found = std::mem::take(&mut state[candidate as usize]);
            if found.found == PRUNED {
                continue;
            }
            // Every token both sets share up to the last one found was found
            // (it lies in both prefixes). Probe tokens after that one, still
            // in the probe prefix and no later than the candidate's last
            // indexed token, are known to be missing from the candidate.
            let shared_so_far = found.found as usize;
            let candidate_size = found.size as usize;
            let required = bounds.required_overlap[size + candidate_size];
            if shared_so_far < required.min(SHARED_IN_PREFIX) {
                continue;
            }
            let (after_probe, after_candidate) = (
                found.probe_position as usize + 1,
                found.position as usize + 1,
            );
            let last = last_indexed[candidate as usize];
            let missing = tokens[after_probe..probe_prefix]
                .iter()
                .take_while(|&&token| token <= last)
                .count();
            let reachable = (size - after_probe - missing).min(candidate_size - after_candidate);
            if shared_so_far + reachable < required {
                continue;
            }
            let other = ranked.tokens(candidate);
            let Some(shared_after) = overlap_reaching(
                &tokens[after_probe..],
                &other[after_candidate..],
                required.saturating_sub(shared_so_far),
            ) else {
                continue;
            };
            let shared = shared_so_far + shared_after;
            let union = size + candidate_size - shared;
            if threshold.admits(shared, union) {
                pairs.push(SimilarPair {
                    first: probe.min(candidate),
                    second: probe.max(candidate),
                    intersection: shared as u32,
                    union: union as u32,
                });
            }
        }
        let index_prefix = bounds.index_prefix[size];
        for (position, &token) in tokens[..index_prefix].iter().enumerate() {
            index[token as usize].push(Posting {
                set: probe,
                position: position as u32,
                size: size as u32,
            });
        }
        last_indexed[probe as usize] = tokens[index_prefix - 1];
    }
    pairs.sort_unstable();
    pairs
}

/// An entry of the inverted index: a set, where the token is in it, its size.
#[derive(Clone, Copy)]
struct Posting {
    set: u32,
    position: u32,
    size: u32,
}

/// Marks a candidate the positional filter ruled out for the current probe.
const PRUNED: i32 = -1;

/// What the current probe found of one candidate: how many shared tokens
/// (or [`PRUNED`]), and where the last one is in each set.
#[derive(Clone, Copy, Default)]
struct Candidate {
    found: i32,
    probe_position: u32,
    position: u32,
    size: u32,
}

/// The filters' bounds for every set size (and sum of two sizes), computed
/// once: the join's inner loop must not divide 128-bit integers.
struct Bounds {
    /// By size: the smallest candidate size worth looking at.
    min_size: Vec<usize>,
    probe_prefix: Vec<usize>,
    index_prefix: Vec<usize>,
    /// By the sum of the two sizes: the overlap that makes them similar.
    required_overlap: Vec<usize>,
}

impl Bounds {
    fn new(threshold: Threshold, max_size: usize) -> Bounds {
        let sizes = 0..=max_size;
        Bounds {
            min_size: sizes
                .clone()
                .map(|size| threshold.min_overlap_with(size).max(1))
                .collect(),
            probe_prefix: sizes
                .clone()
                .map(|size| threshold.probe_prefix(size))
                .collect(),
            index_prefix: sizes.map(|size| threshold.index_prefix(size)).collect(),
            required_overlap: (0..=2 * max_size)
                .map(|total| threshold.required_overlap(total, 0))
                .collect(),
        }
    }
}

/// The input sets with tokens renumbered by increasing global frequency (ties
/// by token), each sorted in that order, stored flat.
struct RankedSets {
    tokens: Vec<u32>,
    offsets: Vec<usize>,
    token_count: usize,
}

impl RankedSets {
    fn new(sets: &[&[u32]]) -> RankedSets {
        let total: usize = sets.iter().map(|set| set.len()).sum();
        let max_token = sets
            .iter()
            .filter_map(|set| set.last())
            .copied()
            .max()
            .unwrap_or(0) as usize;
        // Interned permission ids are dense: count in a vector. Arbitrary
        // sparse tokens go through a map instead of a huge vector.
        let rank_of: Box<dyn Fn(u32) -> u32> = if max_token <= 4 * total + 1024 {
            let mut frequency = vec![0u32; max_token + 1];
            for &token in sets.iter().flat_map(|set| set.iter()) {
                frequency[token as usize] += 1;
            }
            let mut present: Vec<u32> = (0..=max_token as u32)
                .filter(|&token| frequency[token as usize] > 0)
                .collect();
            present.sort_by_key(|&token| (frequency[token as usize], token));
            let mut rank = vec![0u32; max_token + 1];
            for (position, &token) in present.iter().enumerate() {
                rank[token as usize] = position as u32;
            }
            Box::new(move |token| rank[token as usize])
        } else {
            let mut frequency: FxHashMap<u32, u32> = FxHashMap::default();
            for &token in sets.iter().flat_map(|set| set.iter()) {
                *frequency.entry(token).or_default() += 1;
            }
            let mut present: Vec<(u32, u32)> = frequency.into_iter().collect();
            present.sort_by_key(|&(token, count)| (count, token));
            let rank: FxHashMap<u32, u32> = present
                .iter()
                .enumerate()
                .map(|(position, &(token, _))| (token, position as u32))
                .collect();
            Box::new(move |token| rank.get(&token).copied().unwrap_or(0))
        };
        let mut tokens = Vec::with_capacity(total);
        let mut offsets = Vec::with_capacity(sets.len() + 1);
        offsets.push(0);
        let mut distinct = 0;
        for set in sets {
            let start = tokens.len();
            tokens.extend(set.iter().map(|&token| rank_of(token)));
            tokens[start..].sort_unstable();
            if let Some(&last) = tokens[start..].last() {
                distinct = distinct.max(last as usize + 1);
            }
            offsets.push(tokens.len());
        }
        RankedSets {
            tokens,
            offsets,
            token_count: distinct,
        }
    }

    fn tokens(&self, set: u32) -> &[u32] {
        &self.tokens[self.offsets[set as usize]..self.offsets[set as usize + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: every pair, Jaccard as a float quotient (which for
    /// these small sets and decimal thresholds rounds the same way as the
    /// decimal itself, so equality at the threshold is kept).
    fn naive(sets: &[Vec<u32>], threshold: f64) -> Vec<SimilarPair> {
        let mut pairs = Vec::new();
        for first in 0..sets.len() {
            for second in first + 1..sets.len() {
                let (a, b) = (&sets[first], &sets[second]);
                let shared = a.iter().filter(|token| b.contains(token)).count();
                let union = a.len() + b.len() - shared;
                if shared > 0 && shared as f64 / union as f64 >= threshold {
                    pairs.push(SimilarPair {
                        first: first as u32,
                        second: second as u32,
                        intersection: shared as u32,
                        union: union as u32,
                    });
                }
            }
        }
        pairs
    }

    /// The reference for rational thresholds: exact cross-multiplication.
    fn naive_rational(sets: &[Vec<u32>], numerator: u64, denominator: u64) -> Vec<SimilarPair> {
        let mut pairs = Vec::new();
        for first in 0..sets.len() {
            for second in first + 1..sets.len() {
                let (a, b) = (&sets[first], &sets[second]);
                let shared = a.iter().filter(|token| b.contains(token)).count() as u64;
                let union = (a.len() + b.len()) as u64 - shared;
                if shared > 0 && shared * denominator >= numerator * union {
                    pairs.push(SimilarPair {
                        first: first as u32,
                        second: second as u32,
                        intersection: shared as u32,
                        union: union as u32,
                    });
                }
            }
        }
        pairs
    }

    fn join(sets: &[Vec<u32>], threshold: Threshold) -> Vec<SimilarPair> {
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        similar_pairs(&slices, threshold)
    }

    /// A random family: `count` sets over `universe` tokens, with skewed
    /// token frequencies, some empty sets and some copies and near-copies.
    fn family(rng: &mut fastrand::Rng, count: usize, universe: u32) -> Vec<Vec<u32>> {
        let mut sets: Vec<Vec<u32>> = Vec::with_capacity(count);
        for _ in 0..count {
            let mut set: Vec<u32> = if !sets.is_empty() && rng.u8(..4) == 0 {
                // A copy of an earlier set, perhaps with one token changed.
                let mut copy = sets[rng.usize(..sets.len())].clone();
                match rng.u8(..3) {
                    0 => copy.push(rng.u32(..universe)),
                    1 if !copy.is_empty() => {
                        copy.remove(rng.usize(..copy.len()));
                    }
                    _ => {}
                }
                copy
            } else {
                let size = rng.usize(..=universe.min(12) as usize);
                // Squaring skews towards small tokens: frequent and rare ones.
                (0..size)
                    .map(|_| {
                        let x = rng.f64();
                        ((x * x) * f64::from(universe)) as u32
                    })
                    .collect()
            };
            set.sort_unstable();
            set.dedup();
            sets.push(set);
        }
        sets
    }

    const THRESHOLDS: &[f64] = &[
        0.0,
        0.1,
        0.2,
        0.25,
        0.3,
        0.3333333333333333,
        0.4,
        0.5,
        0.6,
        0.6666666666666666,
        0.7,
        0.75,
        0.8,
        0.8333333333333334,
        0.85,
        0.9,
        0.95,
        1.0,
    ];

    #[test]
    fn equals_the_naive_join_on_random_families() {
        for seed in 0..200u64 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let count = rng.usize(1..40);
            let universe = rng.u32(2..24);
            let sets = family(&mut rng, count, universe);
            for &threshold in THRESHOLDS {
                assert_eq!(
                    join(&sets, Threshold::new(threshold)),
                    naive(&sets, threshold),
                    "seed {seed}, threshold {threshold}, sets {sets:?}"
                );
            }
        }
    }

    #[test]
    fn equals_the_naive_join_for_rational_thresholds() {
        // Every fraction with a denominator up to 12: thresholds a float
        // cannot hold exactly, where a pair sits right at the threshold.
        let ratios: Vec<(u64, u64)> = (1..=12u64)
            .flat_map(|denominator| {
                (0..=denominator).map(move |numerator| (numerator, denominator))
            })
            .collect();
        for seed in 1000..1100u64 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let count = rng.usize(1..50);
            let universe = rng.u32(2..30);
            let sets = family(&mut rng, count, universe);
            for &(numerator, denominator) in &ratios {
                assert_eq!(
                    join(&sets, Threshold::new(numerator as f64 / denominator as f64)),
                    naive_rational(&sets, numerator, denominator),
                    "seed {seed}, threshold {numerator}/{denominator}"
                );
            }
        }
    }

    #[test]
    fn equals_the_naive_join_on_larger_families() {
        for seed in 5000..5006u64 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let sets = family(&mut rng, 400, 60);
            for threshold in [0.5, 0.8, 1.0] {
                assert_eq!(
                    join(&sets, Threshold::new(threshold)),
                    naive(&sets, threshold),
                    "seed {seed}, threshold {threshold}"
                );
            }
        }
    }

    #[test]
    fn sparse_tokens_are_ranked_through_a_map() {
        let sets = vec![
            vec![7, 4_000_000_000, u32::MAX],
            vec![7, 4_000_000_000],
            vec![1, 2, 3],
        ];
        assert_eq!(join(&sets, Threshold::new(0.5)), naive(&sets, 0.5));
        assert_eq!(join(&sets, Threshold::new(0.5)).len(), 1);
    }

    #[test]
    fn similarity_equal_to_the_threshold_counts() {
        // 4 of 5 shared: exactly 0.8.
        let sets = vec![vec![1, 2, 3, 4, 5], vec![1, 2, 3, 4]];
        let pairs = join(&sets, Threshold::new(0.8));
        assert_eq!(
            pairs,
            vec![SimilarPair {
                first: 0,
                second: 1,
                intersection: 4,
                union: 5
            }]
        );
        // 0.07 · 100 is 7.000000000000001 in floating point; 7/100 must still pass.
        let big: Vec<u32> = (0..100).collect();
        let small: Vec<u32> = (0..7).collect();
        assert_eq!(join(&[big, small], Threshold::new(0.07)).len(), 1);
    }

    #[test]
    fn empty_and_disjoint_sets_are_never_similar() {
        let sets = vec![vec![], vec![], vec![1], vec![2]];
        assert!(join(&sets, Threshold::new(0.0)).is_empty());
    }

    #[test]
    fn thresholds_compare_like_the_exact_fractions() {
        let eight_tenths = Threshold::new(0.8);
        assert!(eight_tenths.admits(4, 5));
        assert!(eight_tenths.admits(8, 10));
        assert!(!eight_tenths.admits(7, 9));
        assert!(!eight_tenths.admits(79, 99));
        // 0.07 · 100 is 7.000000000000001 in floating point.
        assert!(Threshold::new(0.07).admits(7, 100));
        // A threshold written as the float nearest to 5/6 admits 5/6.
        assert!(Threshold::new(5.0 / 6.0).admits(5, 6));
        assert!(!Threshold::new(0.0).admits(0, 5));
        assert!(Threshold::new(0.0).admits(1, 1000));
        assert!(Threshold::new(1.0).admits(3, 3));
        assert!(!Threshold::new(1.0).admits(2, 3));
        assert_eq!(Threshold::new(-3.0).value(), 0.0);
        assert_eq!(Threshold::new(f64::NAN).value(), 0.0);
        assert_eq!(Threshold::new(7.0).value(), 1.0);
        // The filters' integer bounds agree with the exact ones.
        assert_eq!(eight_tenths.min_overlap_with(5), 4);
        assert_eq!(eight_tenths.required_overlap(5, 4), 4);
        // With ℓ = 2: one token more than the classic prefix.
        assert_eq!(eight_tenths.probe_prefix(5), 3);
        assert_eq!(eight_tenths.index_prefix(5), 2);
        assert_eq!(Threshold::new(1.0).probe_prefix(5), 2);
        assert_eq!(Threshold::new(0.0).probe_prefix(5), 5);
    }
}
