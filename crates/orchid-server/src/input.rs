//! Text that people type and the server keeps or logs: logins, display names, device names,
//! passwords. Every such text has a bound, logins are compared in one normal form, and
//! characters that make text look like something else (control, bidirectional overrides,
//! zero-width) are refused or escaped.
use unicode_normalization::UnicodeNormalization;

use crate::error::AppError;
use axum::http::StatusCode;

/// The longest login, in characters (after normalisation).
pub const MAX_LOGIN_CHARS: usize = 64;
/// The longest display name or store name.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest device name kept from a sign-in.
pub const MAX_DEVICE_CHARS: usize = 200;
/// Passwords: NIST SP 800-63B asks for a minimum and for accepting long passphrases; the upper
/// bound keeps hashing cheap enough that it cannot be used to tie up the server.
pub use orchid_core::password::{MAX_CHARS as MAX_PASSWORD_CHARS, MIN_CHARS as MIN_PASSWORD_CHARS};

/// Passwords refused whatever their length: the most common ones (lower-case, one a line).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Bidirectional embeddings, overrides and isolates, and the marks: they reorder what a reader
/// sees (a login that displays as `owner` but is not).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Characters that show as nothing: two logins that look alike would differ only by them.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Control, bidirectional or zero-width: never accepted in a login or a person's name.
pub fn is_deceptive(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_zero_width(c)
}

/// A 400 with a rule's stable code.
pub fn refused(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::Rejected {
        status: StatusCode::BAD_REQUEST,
        code,
        message: message.into(),
    }
}

/// A login as it is stored and looked up: NFKC (full-width `ｏｗｎｅｒ` is `owner`), lower-case,
/// trimmed. Refused (400): empty (`login.empty`), longer than [`MAX_LOGIN_CHARS`]
/// (`login.too_long`), or with a control, bidirectional or zero-width character
/// (`login.invalid_character`).
pub fn normalize_login(raw: &str) -> Result<String, AppError> {
    // Checked on the raw bytes first: a 200,000-character login is refused before any work on it.
    if raw.len() > MAX_LOGIN_CHARS * 8 {
        return Err(refused(
            "login.too_long",
            format!("a login is at most {MAX_LOGIN_CHARS} characters"),
        ));
    }
    if raw.chars().any(is_deceptive) {
        return Err(refused(
            "login.invalid_character",
            "a login may not contain control, bidirectional or zero-width characters",
        ));
    }
    let login: String = raw.nfkc().collect::<String>().to_lowercase();
    let login = login.trim();
    // NFKC can itself produce such characters from compatibility forms: check again.
    if login.chars().any(is_deceptive) {
        return Err(refused(
            "login.invalid_character",
            "a login may not contain control, bidirectional or zero-width characters",
        ));
    }
    if login.is_empty() {
        return Err(refused("login.empty", "a login may not be empty"));
    }
    if login.chars().count() > MAX_LOGIN_CHARS {
        return Err(refused(
            "login.too_long",
            format!("a login is at most {MAX_LOGIN_CHARS} characters"),
        ));
    }
    Ok(login.to_owned())
}

/// A login a new account may take: normalised, and only letters, digits, `.`, `_`, `-`, `@`
/// (`login.invalid_character` otherwise), so that it reads the same everywhere it is shown.
pub fn new_login(raw: &str) -> Result<String, AppError> {
    let login = normalize_login(raw)?;
    if !login
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(refused(
            "login.invalid_character",
            "a login is letters, digits, `.`, `_`, `-` or `@`",
        ));
    }
    Ok(login)
}

/// A person's or a store's name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, without control,
/// bidirectional or zero-width characters (`name.empty`, `name.too_long`,
/// `name.invalid_character`).
pub fn checked_name(raw: &str) -> Result<String, AppError> {
    if raw.len() > MAX_NAME_CHARS * 8 {
        return Err(refused(
            "name.too_long",
            format!("a name is at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let name = raw.trim();
    if name.is_empty() {
        return Err(refused("name.empty", "a name may not be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(refused(
            "name.too_long",
            format!("a name is at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(is_deceptive) {
        return Err(refused(
            "name.invalid_character",
            "a name may not contain control, bidirectional or zero-width characters",
        ));
    }
    Ok(name.to_owned())
}

/// The device name a sign-in gives, as kept: at most [`MAX_DEVICE_CHARS`] characters, the
/// deceptive ones left out (it is only a label in the devices list; refusing the sign-in for it
/// would lock a person out over a browser's user agent).
pub fn device_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_deceptive(*c))
        .take(MAX_DEVICE_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Why a new password is refused: `password.too_short`, `password.too_long`,
/// `password.too_common` (400).
pub fn check_password(password: &str) -> Result<(), AppError> {
    use orchid_core::password::{LengthRefusal, check_length};
    if let Err(refusal) = check_length(password) {
        let why = match refusal {
            LengthRefusal::TooShort => {
                format!("a password is at least {MIN_PASSWORD_CHARS} characters long")
            }
            LengthRefusal::TooLong => {
                format!("a password is at most {MAX_PASSWORD_CHARS} characters long")
            }
        };
        return Err(refused(refusal.code(), why));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .any(|common| !common.is_empty() && common == lower)
    {
        return Err(refused(
            "password.too_common",
            "this password is among the most common ones; choose another",
        ));
    }
    Ok(())
}

/// User-typed text as it may appear in a log line: control characters (newlines, escape
/// sequences), bidirectional and zero-width characters and backslashes escaped, and at most
/// 128 characters, so that no input can start a line of its own or hide in one.
pub fn log_safe(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 128 {
            out.push('…');
            break;
        }
        if c == '\\' || c.is_control() {
            out.extend(c.escape_default());
        } else if is_bidi_control(c) || is_zero_width(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(err: AppError) -> &'static str {
        err.status_and_code().1
    }

    #[test]
    fn logins_are_normalised_and_bounded() {
        assert_eq!(normalize_login("  Owner ").unwrap(), "owner");
        assert_eq!(normalize_login("ｏｗｎｅｒ").unwrap(), "owner");
        assert_eq!(normalize_login("王芳").unwrap(), "王芳");
        assert_eq!(code(normalize_login("").unwrap_err()), "login.empty");
        assert_eq!(
            code(normalize_login(&"a".repeat(65)).unwrap_err()),
            "login.too_long"
        );
        assert_eq!(
            code(normalize_login(&"a".repeat(200_000)).unwrap_err()),
            "login.too_long"
        );
        for bad in [
            "own\ner",
            "own\u{1b}[2Jer",
            "own\u{202E}er",
            "own\u{2066}er",
            "own\u{200E}er",
            "own\u{200B}er",
            "own\u{2060}er",
            "\u{FEFF}owner",
        ] {
            assert_eq!(
                code(normalize_login(bad).unwrap_err()),
                "login.invalid_character",
                "{bad:?}"
            );
        }
        assert_eq!(
            code(new_login("owner name").unwrap_err()),
            "login.invalid_character"
        );
    }

    #[test]
    fn names_refuse_deceptive_characters() {
        assert_eq!(checked_name(" 王芳 ").unwrap(), "王芳");
        assert_eq!(code(checked_name("  ").unwrap_err()), "name.empty");
        assert_eq!(
            code(checked_name(&"名".repeat(101)).unwrap_err()),
            "name.too_long"
        );
        assert_eq!(
            code(checked_name("Ann\u{202E}nimda").unwrap_err()),
            "name.invalid_character"
        );
        assert_eq!(device_name("iPad\n\u{200B}x"), "iPadx");
        assert_eq!(device_name(&"d".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn passwords_have_bounds_and_common_ones_are_refused() {
        assert!(check_password("a long passphrase").is_ok());
        assert_eq!(
            code(check_password("short").unwrap_err()),
            "password.too_short"
        );
        assert_eq!(
            code(check_password(&"x".repeat(257)).unwrap_err()),
            "password.too_long"
        );
        assert_eq!(
            code(check_password("Password123").unwrap_err()),
            "password.too_common"
        );
        assert_eq!(
            code(check_password("1234567890").unwrap_err()),
            "password.too_common"
        );
    }

    #[test]
    fn log_lines_cannot_be_forged() {
        let forged = "bob\n2026-01-01T00:00:00Z  INFO orchid_server: signed in login=owner";
        let safe = log_safe(forged);
        assert!(!safe.contains('\n'), "{safe}");
        assert!(safe.starts_with("bob\\n2026"));
        assert_eq!(log_safe("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(log_safe("a\rb"), "a\\rb");
        assert_eq!(log_safe("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(log_safe("back\\n"), "back\\\\n");
        assert_eq!(log_safe(&"z".repeat(1000)).chars().count(), 129);
    }
}
