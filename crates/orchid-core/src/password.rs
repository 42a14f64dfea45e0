//! How long a person's password may be: one rule for the device, which says it before anything is
//! sent, and the server, which also refuses the most common passwords (its list stays there).

/// The shortest password accepted, in characters.
pub const MIN_CHARS: usize = 10;
/// The longest password accepted, in characters (Argon2 hashes every one of them).
pub const MAX_CHARS: usize = 256;

/// Why a password's length is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthRefusal {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
}

impl LengthRefusal {
    /// The error code both the server's answer and the device's sentence use.
    pub fn code(self) -> &'static str {
        match self {
            LengthRefusal::TooShort => "password.too_short",
            LengthRefusal::TooLong => "password.too_long",
        }
    }
}

/// Checks a new password's length, counted in characters (a Chinese character is one).
pub fn check_length(password: &str) -> Result<(), LengthRefusal> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        Err(LengthRefusal::TooShort)
    } else if n > MAX_CHARS {
        Err(LengthRefusal::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_between_the_bounds() {
        assert_eq!(check_length("123456789"), Err(LengthRefusal::TooShort));
        assert_eq!(check_length("1234567890"), Ok(()));
        assert_eq!(check_length("兰心美容院的前台密码"), Ok(()));
        assert_eq!(check_length(&"x".repeat(256)), Ok(()));
        assert_eq!(check_length(&"x".repeat(257)), Err(LengthRefusal::TooLong));
        assert_eq!(LengthRefusal::TooShort.code(), "password.too_short");
    }
}
