//! The offline-unlock PIN's rule, one for every device and the server: 6 to 12 digits, not one
//! digit repeated (`000000`) and not a straight run up or down (`123456`, `654321`, `0123456789`),
//! the first PINs anyone tries on a found tablet.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The shortest PIN.
pub const MIN_PIN_DIGITS: usize = 6;
/// The longest PIN.
pub const MAX_PIN_DIGITS: usize = 12;

/// Why a PIN was refused. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum PinError {
    /// Something other than the digits 0–9.
    #[serde(rename = "pin.not_digits")]
    #[error("a PIN is made of the digits 0 to 9 only")]
    NotDigits,
    /// Fewer than [`MIN_PIN_DIGITS`] digits.
    #[serde(rename = "pin.too_short")]
    #[error("a PIN has at least {min} digits")]
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More than [`MAX_PIN_DIGITS`] digits.
    #[serde(rename = "pin.too_long")]
    #[error("a PIN has at most {max} digits")]
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// One digit repeated, or a straight run up or down.
    #[serde(rename = "pin.too_simple")]
    #[error("a PIN of one repeated digit or a straight run is too easy to guess")]
    TooSimple,
}

impl PinError {
    /// Stable machine code, e.g. `pin.too_simple`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "pin.not_digits",
            Self::TooShort { .. } => "pin.too_short",
            Self::TooLong { .. } => "pin.too_long",
            Self::TooSimple => "pin.too_simple",
        }
    }
}

/// Is `pin` acceptable as an offline-unlock PIN?
pub fn check_pin(pin: &str) -> Result<(), PinError> {
    if pin.is_empty() || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::NotDigits);
    }
    // All ASCII from here on: bytes are characters.
    let digits: Vec<i16> = pin.bytes().map(|b| i16::from(b - b'0')).collect();
    if digits.len() < MIN_PIN_DIGITS {
        return Err(PinError::TooShort {
            min: MIN_PIN_DIGITS,
        });
    }
    if digits.len() > MAX_PIN_DIGITS {
        return Err(PinError::TooLong {
            max: MAX_PIN_DIGITS,
        });
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    // Every step the same and 0 (repeated), +1 (run up) or -1 (run down).
    let straight = steps
        .first()
        .is_some_and(|first| matches!(first, -1..=1) && steps.iter().all(|s| s == first));
    if straight {
        return Err(PinError::TooSimple);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_pins_are_refused_with_their_code() {
        for simple in [
            "000000",
            "999999999",
            "123456",
            "654321",
            "0123456789",
            "9876543210",
            "345678",
        ] {
            assert_eq!(check_pin(simple), Err(PinError::TooSimple), "{simple}");
        }
        assert_eq!(check_pin("12345").unwrap_err().code(), "pin.too_short");
        assert_eq!(check_pin("11111").unwrap_err().code(), "pin.too_short");
        assert_eq!(check_pin("12a456").unwrap_err().code(), "pin.not_digits");
        assert_eq!(
            check_pin("１２３９８７").unwrap_err().code(),
            "pin.not_digits"
        );
        assert_eq!(check_pin("").unwrap_err().code(), "pin.not_digits");
        assert_eq!(
            check_pin("1357913579135").unwrap_err().code(),
            "pin.too_long"
        );
    }

    #[test]
    fn ordinary_pins_pass() {
        for ok in ["135790", "120456", "246802", "112233", "987650", "482913"] {
            assert_eq!(check_pin(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn the_code_is_the_serialized_tag() {
        for err in [
            PinError::NotDigits,
            PinError::TooShort { min: 6 },
            PinError::TooLong { max: 12 },
            PinError::TooSimple,
        ] {
            assert_eq!(serde_json::to_value(&err).unwrap()["code"], err.code());
        }
    }
}
