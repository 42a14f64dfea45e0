//! Hybrid logical clock (Kulkarni et al.): timestamps that follow wall time, never go backwards, and
//! order every change of every device totally. Persist the [`HlcClock`] with the device's data.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::ids::ClientId;
use crate::time::Timestamp;

/// A hybrid logical timestamp. Ordered by wall time, then counter, then node (so two devices never tie).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, as the clock believed.
    pub wall_ms: u64,
    /// Logical counter within one millisecond.
    pub counter: u32,
    /// The device that made it.
    pub node: ClientId,
}

impl Hlc {
    /// The smallest timestamp of a node.
    pub const fn zero(node: ClientId) -> Self {
        Self {
            wall_ms: 0,
            counter: 0,
            node,
        }
    }
    /// A timestamp, for tests and fixtures.
    pub const fn new(wall_ms: u64, counter: u32, node: ClientId) -> Self {
        Self {
            wall_ms,
            counter,
            node,
        }
    }
}

/// `000001741571400000-0000000003-<node uuid, simple>`: fixed width, so it sorts as text the way the
/// timestamps sort (handy as a database key).
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:018}-{:010}-{}",
            self.wall_ms,
            self.counter,
            self.node.0.simple()
        )
    }
}

impl FromStr for Hlc {
    type Err = HlcError;
    fn from_str(s: &str) -> Result<Self, HlcError> {
        let bad = || HlcError::Malformed {
            text: s.chars().take(80).collect(),
        };
        let mut parts = s.splitn(3, '-');
        let wall_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let counter = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let node = parts
            .next()
            .and_then(|p| Uuid::parse_str(p).ok())
            .ok_or_else(bad)?;
        Ok(Self {
            wall_ms,
            counter,
            node: ClientId(node),
        })
    }
}

/// Clock errors.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum HlcError {
    /// A remote timestamp is further in the future than the allowed drift.
    #[serde(rename = "hlc.too_far_ahead")]
    #[error("remote clock is {ahead_ms} ms ahead of ours; at most {max_drift_ms} ms is allowed")]
    TooFarAhead {
        /// How far ahead of our wall clock it is.
        ahead_ms: u64,
        /// The allowed drift.
        max_drift_ms: u64,
    },
    /// The logical counter would overflow (more than 4 billion events in one millisecond).
    #[serde(rename = "hlc.counter_overflow")]
    #[error("logical counter overflow")]
    CounterOverflow,
    /// A remote timestamp whose logical counter is so high that every device taking it in would be
    /// left with too few counter values to make changes in that millisecond.
    #[serde(rename = "hlc.counter_too_high")]
    #[error("remote clock counter {counter} is above {max}")]
    CounterTooHigh {
        /// The counter received.
        counter: u32,
        /// The highest accepted.
        max: u32,
    },
    /// Text that is not a timestamp.
    #[serde(rename = "hlc.malformed")]
    #[error("not a hybrid logical timestamp: {text}")]
    Malformed {
        /// The text (truncated).
        text: String,
    },
}

impl HlcError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooFarAhead { .. } => "hlc.too_far_ahead",
            Self::CounterOverflow => "hlc.counter_overflow",
            Self::CounterTooHigh { .. } => "hlc.counter_too_high",
            Self::Malformed { .. } => "hlc.malformed",
        }
    }
}

/// The clock of one device (or of the server). Serializable: persist it and restore it on start, so a
/// device whose wall clock was set back still never issues a timestamp lower than one it already issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HlcClock {
    last: Hlc,
    max_drift_ms: u64,
}

impl HlcClock {
    /// The default tolerated drift of remote clocks: 5 minutes.
    pub const DEFAULT_MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

    /// The highest logical counter taken in from another device. A device issues one counter
    /// value per change within a millisecond (an import of tens of thousands of rows in one act
    /// stays far below this); a remote counter near `u32::MAX` would leave every device that
    /// pulls it unable to make a change until its wall clock passes that millisecond.
    pub const MAX_REMOTE_COUNTER: u32 = 1 << 24;

    /// A fresh clock for `node`.
    pub fn new(node: ClientId) -> Self {
        Self {
            last: Hlc::zero(node),
            max_drift_ms: Self::DEFAULT_MAX_DRIFT_MS,
        }
    }
    /// With another drift limit.
    pub fn with_max_drift_ms(mut self, max_drift_ms: u64) -> Self {
        self.max_drift_ms = max_drift_ms;
        self
    }
    /// The node id.
    pub fn node(&self) -> ClientId {
        self.last.node
    }
    /// The last timestamp issued or observed.
    pub fn last(&self) -> Hlc {
        self.last
    }

    fn wall(now: Timestamp) -> u64 {
        u64::try_from(now.timestamp_millis()).unwrap_or(0)
    }

    /// A new timestamp for a local event at wall time `now`; strictly greater than every earlier one.
    pub fn tick(&mut self, now: Timestamp) -> Result<Hlc, HlcError> {
        let wall = Self::wall(now);
        let next = if wall > self.last.wall_ms {
            Hlc {
                wall_ms: wall,
                counter: 0,
                node: self.last.node,
            }
        } else if let Some(counter) = self.last.counter.checked_add(1) {
            Hlc {
                wall_ms: self.last.wall_ms,
                counter,
                node: self.last.node,
            }
        } else {
            // Every counter value of this millisecond is used: borrow the next millisecond
            // rather than refuse the change (still strictly after every earlier timestamp).
            Hlc {
                wall_ms: self
                    .last
                    .wall_ms
                    .checked_add(1)
                    .ok_or(HlcError::CounterOverflow)?,
                counter: 0,
                node: self.last.node,
            }
        };
        self.last = next;
        Ok(next)
    }

    /// Takes in a remote timestamp seen at wall time `now`, so later local timestamps order after it.
    /// Refuses (and leaves the clock unchanged) if it is more than the allowed drift ahead of `now`.
    pub fn observe(&mut self, remote: Hlc, now: Timestamp) -> Result<(), HlcError> {
        let wall = Self::wall(now);
        let limit = wall.saturating_add(self.max_drift_ms);
        if remote.wall_ms > limit {
            return Err(HlcError::TooFarAhead {
                ahead_ms: remote.wall_ms - wall,
                max_drift_ms: self.max_drift_ms,
            });
        }
        if remote.counter > Self::MAX_REMOTE_COUNTER {
            return Err(HlcError::CounterTooHigh {
                counter: remote.counter,
                max: Self::MAX_REMOTE_COUNTER,
            });
        }
        let node = self.last.node;
        let max_wall = wall.max(self.last.wall_ms).max(remote.wall_ms);
        let counter = if max_wall == self.last.wall_ms && max_wall == remote.wall_ms {
            self.last.counter.max(remote.counter)
        } else if max_wall == self.last.wall_ms {
            self.last.counter
        } else if max_wall == remote.wall_ms {
            remote.counter
        } else {
            0
        };
        if (max_wall, counter) > (self.last.wall_ms, self.last.counter) {
            self.last = Hlc {
                wall_ms: max_wall,
                counter,
                node,
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn t(ms: i64) -> Timestamp {
        DateTime::<Utc>::from_timestamp_millis(ms).unwrap()
    }
    const A: ClientId = ClientId::from_u128(1);
    const B: ClientId = ClientId::from_u128(2);

    #[test]
    fn tick_is_monotonic_even_if_wall_goes_back() {
        let mut c = HlcClock::new(A);
        let h1 = c.tick(t(1000)).unwrap();
        let h2 = c.tick(t(1000)).unwrap();
        let h3 = c.tick(t(500)).unwrap();
        let h4 = c.tick(t(2000)).unwrap();
        assert!(h1 < h2 && h2 < h3 && h3 < h4);
        assert_eq!(h3, Hlc::new(1000, 2, A));
        assert_eq!(h4, Hlc::new(2000, 0, A));
    }

    #[test]
    fn observe_moves_past_remote() {
        let mut c = HlcClock::new(A);
        c.tick(t(1000)).unwrap();
        c.observe(Hlc::new(5000, 7, B), t(1000)).unwrap();
        let next = c.tick(t(1000)).unwrap();
        assert!(next > Hlc::new(5000, 7, B));
        assert_eq!(next, Hlc::new(5000, 8, A));
    }

    #[test]
    fn remote_too_far_ahead_is_refused_at_the_boundary() {
        let mut c = HlcClock::new(A).with_max_drift_ms(60_000);
        assert!(c.observe(Hlc::new(61_000, 0, B), t(1000)).is_ok());
        let before = c.clone();
        let e = c.observe(Hlc::new(61_001, 0, B), t(1000)).unwrap_err();
        assert_eq!(
            e,
            HlcError::TooFarAhead {
                ahead_ms: 60_001,
                max_drift_ms: 60_000
            }
        );
        assert_eq!(e.code(), "hlc.too_far_ahead");
        assert_eq!(c, before);
    }

    #[test]
    fn a_remote_counter_near_its_maximum_is_refused_and_leaves_the_clock_alone() {
        let mut c = HlcClock::new(A);
        c.tick(t(1000)).unwrap();
        let before = c.clone();
        let e = c.observe(Hlc::new(1000, u32::MAX, B), t(1000)).unwrap_err();
        assert_eq!(e.code(), "hlc.counter_too_high");
        assert_eq!(c, before);
        assert!(
            c.observe(Hlc::new(1000, HlcClock::MAX_REMOTE_COUNTER, B), t(1000))
                .is_ok()
        );
    }

    #[test]
    fn a_clock_whose_counter_is_used_up_still_ticks_into_the_next_millisecond() {
        let mut c: HlcClock = serde_json::from_value(serde_json::json!({
            "last": { "wall_ms": 1000, "counter": u32::MAX, "node": A },
            "max_drift_ms": 60_000
        }))
        .unwrap();
        let next = c.tick(t(1000)).unwrap();
        assert_eq!(next, Hlc::new(1001, 0, A));
        assert!(c.tick(t(1000)).unwrap() > next);
    }

    #[test]
    fn string_form_sorts_like_the_timestamps() {
        let hs = [
            Hlc::new(9, 5, B),
            Hlc::new(10, 0, A),
            Hlc::new(10, 0, B),
            Hlc::new(100, 0, A),
        ];
        for w in hs.windows(2) {
            assert!(w[0] < w[1]);
            assert!(w[0].to_string() < w[1].to_string());
        }
        for h in hs {
            assert_eq!(h.to_string().parse::<Hlc>().unwrap(), h);
        }
        assert_eq!("nope".parse::<Hlc>().unwrap_err().code(), "hlc.malformed");
    }

    #[test]
    fn clock_persists() {
        let mut c = HlcClock::new(A);
        c.tick(t(42)).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        let mut back: HlcClock = serde_json::from_str(&json).unwrap();
        assert!(back.tick(t(0)).unwrap() > Hlc::new(42, 0, A));
    }
}
