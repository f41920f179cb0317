//! Seeded random numbers for workload generation. ChaCha8 is used because its
//! stream is fixed by its specification, so a seed gives the same workload on
//! every machine and crate version (the committed golden vectors rely on it).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// The project's one random number generator type.
pub type Rng = ChaCha8Rng;

/// A generator whose whole stream is fixed by `seed`.
pub fn seeded(seed: u64) -> Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// One draw from N(0, 1).
pub fn normal(rng: &mut Rng) -> f64 {
    StandardNormal.sample(rng)
}
