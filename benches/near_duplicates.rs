//! Benchmark of the near-duplicate role join (`overlap/near-duplicate-roles`).
//!
//! 50,000 roles with effective permission sets of 5–60 permissions drawn
//! from 5,000 permissions with Zipf-like frequencies (a few permissions, such
//! as SSO login, are in many roles; most are in few), about 2% of them
//! near-copies of an earlier role (one permission added, removed or
//! replaced). Runs the join at threshold 0.8 several times and prints the
//! median time and the number of similar pairs.
//!
//! Run: `cargo bench --bench near_duplicates`

use std::time::{Duration, Instant};

use rolelint::rules::overlap::similarity::{Threshold, similar_pairs};

const ROLES: usize = 50_000;
const PERMISSIONS: u32 = 5_000;
const NEAR_COPY_PERCENT: u8 = 2;
const THRESHOLD: f64 = 0.8;
const RUNS: usize = 7;

/// Samples permission ids with probability ∝ 1/(rank+1) (Zipf, s = 1).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(count: u32) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..count)
            .map(|rank| {
                total += 1.0 / f64::from(rank + 1);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut fastrand::Rng) -> u32 {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.f64() * total;
        self.cumulative.partition_point(|&c| c < target) as u32
    }
}

fn roles(rng: &mut fastrand::Rng) -> Vec<Vec<u32>> {
    let zipf = Zipf::new(PERMISSIONS);
    // Permission ids are interned application by application; scatter the
    // popular ones so frequency does not follow the id.
    let mut scatter: Vec<u32> = (0..PERMISSIONS).collect();
    rng.shuffle(&mut scatter);
    let mut sets: Vec<Vec<u32>> = Vec::with_capacity(ROLES);
    while sets.len() < ROLES {
        let mut set = if !sets.is_empty() && rng.u8(..100) < NEAR_COPY_PERCENT {
            let mut copy = sets[rng.usize(..sets.len())].clone();
            match rng.u8(..3) {
                0 => copy.push(scatter[zipf.sample(rng) as usize]),
                1 => {
                    copy.swap_remove(rng.usize(..copy.len()));
                }
                _ => {
                    let at = rng.usize(..copy.len());
                    copy[at] = scatter[zipf.sample(rng) as usize];
                }
            }
            copy
        } else {
            let size = rng.usize(5..=60);
            let mut set = Vec::with_capacity(size);
            while set.len() < size {
                let permission = scatter[zipf.sample(rng) as usize];
                if !set.contains(&permission) {
                    set.push(permission);
                }
            }
            set
        };
        set.sort_unstable();
        set.dedup();
        if set.len() >= 5 {
            sets.push(set);
        }
    }
    sets
}

fn main() {
    let mut rng = fastrand::Rng::with_seed(20_261_126);
    let sets = roles(&mut rng);
    let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
    let tokens: usize = sets.iter().map(Vec::len).sum();
    let threshold = Threshold::new(THRESHOLD);

    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut pairs = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let found = similar_pairs(std::hint::black_box(&slices), threshold);
        times.push(started.elapsed());
        pairs = found.len();
    }
    times.sort_unstable();
    let median = times[RUNS / 2];
    println!(
        "near_duplicates: {} roles, {} permission entries, {} distinct permissions, threshold {THRESHOLD}",
        sets.len(),
        tokens,
        PERMISSIONS
    );
    println!(
        "near_duplicates: median {:.1} ms over {RUNS} runs (min {:.1} ms, max {:.1} ms), {pairs} similar pairs",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3,
    );
}
