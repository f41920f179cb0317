//! Interleaving two clock domains (the host's and the core's).

/// Which clock edge comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    CoreRise,
    CoreFall,
    Host,
}

/// Host clock period in simulation time units (a unit is 1 ps at 100 MHz).
pub const HOST_PERIOD: u64 = 10_000;

/// Edges of two free-running clocks in time order: the host clock (rising
/// edges only; the host model is a behavioural process) of period
/// [`HOST_PERIOD`] time units starting at `phase`, and the core clock of
/// period `HOST_PERIOD / ratio` (ratio = f_core / f_host), rising at 0 and
/// falling half a period later. On a tie the core edge comes first.
#[derive(Debug, Clone)]
pub struct DualClock {
    core_half: u64,
    next_core: u64,
    core_high: bool,
    next_host: u64,
}

impl DualClock {
    /// `phase` is a fraction of the host period in [0, 1).
    pub fn new(ratio: f64, phase: f64) -> Self {
        let core_half = ((HOST_PERIOD as f64) / ratio / 2.0).round().max(1.0) as u64;
        DualClock {
            core_half,
            next_core: 0,
            core_high: false,
            next_host: (phase.clamp(0.0, 1.0) * HOST_PERIOD as f64) as u64 % HOST_PERIOD,
        }
    }

    /// The next edge and its time.
    pub fn advance(&mut self) -> (Edge, u64) {
        if self.next_core <= self.next_host {
            let t = self.next_core;
            self.next_core += self.core_half;
            self.core_high = !self.core_high;
            let edge = if self.core_high {
                Edge::CoreRise
            } else {
                Edge::CoreFall
            };
            (edge, t)
        } else {
            let t = self.next_host;
            self.next_host += HOST_PERIOD;
            (Edge::Host, t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_come_in_time_order_at_the_ratio() {
        let mut c = DualClock::new(4.0, 0.3);
        let edges: Vec<(Edge, u64)> = (0..40).map(|_| c.advance()).collect();
        assert!(edges.windows(2).all(|w| w[0].1 <= w[1].1));
        let count = |kind| {
            edges
                .iter()
                .filter(|e| e.0 == kind && e.1 < 4 * HOST_PERIOD)
                .count()
        };
        let (rises, hosts) = (count(Edge::CoreRise), count(Edge::Host));
        assert_eq!(edges[0], (Edge::CoreRise, 0));
        assert!(edges.contains(&(Edge::Host, 3000)));
        assert_eq!((rises, hosts), (16, 4), "{edges:?}");
    }
}
