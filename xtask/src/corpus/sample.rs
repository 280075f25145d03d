//! `corpus --check --sample N --seed S`: which of the generated crates are
//! checked, picked reproducibly on any machine by a seeded shuffle; the
//! generator behind it, [`SplitMix64`], also drives `cargo xtask fuzz`.

use super::Member;

/// SplitMix64 (Steele, Lea and Flood, 2014), the generator that seeds
/// xoshiro: add 0x9E3779B97F4A7C15 to the state, then mix the new state with
/// two xor-shift-multiply rounds (constants 0xBF58476D1CE4E5B9 and
/// 0x94D049BB133111EB, shifts 30, 27 and 31).
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `n` of `members` (all of them if there are no more), the same for the
/// same members and `seed` on any machine: the members are sorted by spec
/// path, shuffled by Fisher–Yates driven by [`SplitMix64`] with state `seed`
/// (for `i` from the last index down to 1, swap `i` with `next() % (i + 1)`),
/// the first `n` kept and returned sorted by spec path again.
pub(super) fn sample(members: &[Member], n: usize, seed: u64) -> Vec<Member> {
    let mut shuffled = members.to_vec();
    shuffled.sort();
    let mut random = SplitMix64(seed);
    for i in (1..shuffled.len()).rev() {
        // `i + 1` fits in a u64 and the remainder is at most `i`.
        let j = (random.next() % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    shuffled.truncate(n);
    shuffled.sort();
    shuffled
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::generate::crate_name;

    fn member(rel: &str) -> Member {
        Member {
            rel: rel.to_owned(),
            name: crate_name(Path::new(rel)),
        }
    }

    #[test]
    fn splitmix64_matches_the_reference() {
        // The first outputs of the reference implementation for seed 0.
        let mut random = SplitMix64(0);
        assert_eq!(random.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(random.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn samples_are_reproducible_and_independent_of_order() {
        let members: Vec<Member> = (0..50).map(|i| member(&format!("api/{i}.json"))).collect();
        let mut reversed = members.clone();
        reversed.reverse();
        let picked = sample(&members, 10, 7);
        assert_eq!(picked.len(), 10);
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
        assert!(picked == sample(&reversed, 10, 7));
        assert!(picked != sample(&members, 10, 8));
        assert_eq!(sample(&members, 100, 7).len(), 50);
    }
}
