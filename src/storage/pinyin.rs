//! Pinyin initials of Chinese characters, for searching names by their initials (王丽华 → wlh).
//! A compact table is filled in by a later commit; until then no character has an initial.

/// The first letter of the pinyin of `c` (lower case), if `c` is a Chinese character we know.
pub fn initial(c: char) -> Option<char> {
    let _ = c;
    None
}
