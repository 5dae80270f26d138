//! The deterministic generator: a seeded PRNG and quota decks (exact proportions).

/// SplitMix64: tiny, fast, good enough for test data, and stable forever
/// (a dependency's algorithm could change between versions).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn fork(&mut self) -> Rng {
        Rng::new(self.next_u64())
    }

    /// Uniform in `0..n` (n > 0); multiply-shift, bias negligible here.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`/1000.
    pub(crate) fn permille(&mut self, p: u32) -> bool {
        self.below(1000) < p as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Index drawn with the given weights (not all zero).
    pub(crate) fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u64 = weights.clone().map(u64::from).sum();
        let mut roll = ((self.next_u64() as u128 * total as u128) >> 64) as u64;
        for (i, w) in weights.enumerate() {
            if roll < u64::from(w) {
                return i;
            }
            roll -= u64::from(w);
        }
        unreachable!("weights must not all be zero")
    }

    pub(crate) fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// `n` indices into `weights`, in random order, with each index appearing in
/// proportion to its weight (largest-remainder rounding) and — when `n` is
/// at least the number of weights — every index at least once. Exact quotas
/// rather than independent draws: coverage of units, stages and industries
/// must hold for every seed, not just most.
pub(crate) fn quota_deck(rng: &mut Rng, weights: &[u32], n: usize) -> Vec<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let n64 = n as u64;
    let mut counts: Vec<usize> = weights.iter().map(|&w| (n64 * u64::from(w) / total) as usize).collect();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(n64 * u64::from(weights[i]) % total));
    let assigned: usize = counts.iter().sum();
    for &i in by_remainder.iter().take(n - assigned) {
        counts[i] += 1;
    }
    if n >= weights.len() {
        for i in 0..counts.len() {
            if counts[i] == 0 {
                let donor = (0..counts.len()).max_by_key(|&j| (counts[j], std::cmp::Reverse(j))).unwrap();
                counts[donor] -= 1;
                counts[i] = 1;
            }
        }
    }
    let mut deck: Vec<usize> = counts.iter().enumerate().flat_map(|(i, &c)| std::iter::repeat_n(i, c)).collect();
    rng.shuffle(&mut deck);
    deck
}
