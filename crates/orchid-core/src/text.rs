//! Validated text: names, short labels, notes and tags. Parse, don't validate: once a value has one of
//! these types it is trimmed, within its length limits and free of control characters.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a piece of text was refused. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum TextError {
    /// Required text is empty (after trimming).
    #[serde(rename = "text.empty")]
    #[error("{field} must not be empty")]
    Empty {
        /// Which kind of text (`name`, `label`, `note`, `tag`).
        field: String,
    },
    /// Text is longer than allowed.
    #[serde(rename = "text.too_long")]
    #[error("{field} is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Which kind of text.
        field: String,
        /// The limit.
        max: usize,
        /// The length given.
        len: usize,
    },
    /// Text contains control characters (other than newlines in notes).
    #[serde(rename = "text.control_character")]
    #[error("{field} contains a control character")]
    ControlCharacter {
        /// Which kind of text.
        field: String,
    },
}

impl TextError {
    /// Stable machine code, e.g. `text.too_long`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "text.empty",
            Self::TooLong { .. } => "text.too_long",
            Self::ControlCharacter { .. } => "text.control_character",
        }
    }
}

fn check(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, TextError> {
    let trimmed = raw.trim();
    let cleaned: String = if multiline {
        trimmed.replace("\r\n", "\n")
    } else {
        // Collapse runs of inner whitespace (including the ideographic space) into one space.
        let mut out = String::with_capacity(trimmed.len());
        let mut last_space = false;
        for c in trimmed.chars() {
            if c.is_whitespace() {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
            } else {
                out.push(c);
                last_space = false;
            }
        }
        out
    };
    if cleaned
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        return Err(TextError::ControlCharacter {
            field: field.to_owned(),
        });
    }
    let len = cleaned.chars().count();
    if len < min {
        return Err(TextError::Empty {
            field: field.to_owned(),
        });
    }
    if len > max {
        return Err(TextError::TooLong {
            field: field.to_owned(),
            max,
            len,
        });
    }
    Ok(cleaned)
}

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, $field:literal, $min:expr, $max:expr, $multiline:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The longest accepted value, in characters.
            pub const MAX_CHARS: usize = $max;
            /// Trims and checks `raw`.
            pub fn parse(raw: &str) -> Result<Self, TextError> {
                check($field, raw, $min, $max, $multiline).map(Self)
            }
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(raw: String) -> Result<Self, TextError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A name of a person, service, product, room or store: 1–60 characters on one line.
    Name, "name", 1, 60, false
);
text_type!(
    /// A short one-line label or answer: 1–200 characters.
    Label, "label", 1, 200, false
);
text_type!(
    /// A free note, possibly empty, possibly several lines: at most 4000 characters.
    #[derive(Default)]
    Note, "note", 0, 4000, true
);

impl Name {
    /// `?`: the name of a record whose name field has not arrived yet (sync can deliver fields of a
    /// record before the change that created it).
    pub fn placeholder() -> Self {
        Self("?".to_owned())
    }
}

impl Label {
    /// `—`: what stands for a label whose text was erased.
    pub fn dash() -> Self {
        Self("—".to_owned())
    }
    /// `?`: a label whose field has not arrived yet (see [`Name::placeholder`]).
    pub fn placeholder() -> Self {
        Self("?".to_owned())
    }
}

impl Note {
    /// True when the note is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A tag: a customer tag, an allergy, a contraindication or an allergen. 1–40 characters, compared
/// case-insensitively and width-insensitively (stored normalised with [`crate::customer::normalize_name`]'s
/// folding but keeping inner spaces as single spaces).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

impl Tag {
    /// The longest accepted tag, in characters.
    pub const MAX_CHARS: usize = 40;
    /// Trims, folds case and width, and checks `raw`.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let checked = check("tag", raw, 1, Self::MAX_CHARS, false)?;
        Ok(Self(
            checked
                .chars()
                .map(fold_char)
                .collect::<String>()
                .to_lowercase(),
        ))
    }
    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Tag {
    type Error = TextError;
    fn try_from(raw: String) -> Result<Self, TextError> {
        Self::parse(&raw)
    }
}

impl From<Tag> for String {
    fn from(value: Tag) -> String {
        value.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Folds a full-width ASCII character (U+FF01–U+FF5E) to its half-width form and the ideographic space
/// to a space; other characters are returned as they are.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_collapsed() {
        assert_eq!(Name::parse("  王  芳 ").unwrap().as_str(), "王 芳");
        assert_eq!(Name::parse("王\u{3000}芳").unwrap().as_str(), "王 芳");
    }

    #[test]
    fn empty_and_long_are_refused_with_codes() {
        let e = Name::parse("   ").unwrap_err();
        assert_eq!(e.code(), "text.empty");
        let long = "美".repeat(61);
        let e = Name::parse(&long).unwrap_err();
        assert_eq!(
            e,
            TextError::TooLong {
                field: "name".into(),
                max: 60,
                len: 61
            }
        );
        assert_eq!(e.code(), "text.too_long");
        assert!(Name::parse(&"美".repeat(60)).is_ok());
    }

    #[test]
    fn control_characters_are_refused_but_notes_keep_newlines() {
        assert_eq!(
            Name::parse("a\u{0007}b").unwrap_err().code(),
            "text.control_character"
        );
        assert_eq!(
            Note::parse("line 1\r\nline 2").unwrap().as_str(),
            "line 1\nline 2"
        );
        assert!(Note::parse("").unwrap().is_empty());
    }

    #[test]
    fn tags_fold_case_and_width() {
        assert_eq!(
            Tag::parse(" Ｒｅｔｉｎｏｌ ").unwrap(),
            Tag::parse("retinol").unwrap()
        );
        assert_eq!(Tag::parse("孕期").unwrap().as_str(), "孕期");
    }

    #[test]
    fn errors_serialize_with_a_code() {
        let e = Name::parse("").unwrap_err();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "text.empty");
        assert_eq!(json["field"], "name");
        let back: TextError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn deserializing_validates() {
        assert!(serde_json::from_str::<Name>("\"\"").is_err());
        assert_eq!(
            serde_json::from_str::<Name>("\" 李娜 \"").unwrap().as_str(),
            "李娜"
        );
    }
}
