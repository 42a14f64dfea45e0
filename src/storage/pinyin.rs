//! Pinyin initials of Chinese characters, for searching names by their initials (王丽华 → wlh).
//!
//! `pinyin_initials.txt` holds the initial of the most common reading of every character of the
//! CJK Unified Ideographs block U+4E00–U+9FA5 (20,902), in code point order, 64 to a line (`_`
//! where none is known). It was generated once with `pypinyin` (first-letter style) and is data,
//! not code: about 21 KB in the wasm, a few KB compressed.

const TABLE: &str = include_str!("pinyin_initials.txt");
const FIRST: u32 = 0x4E00;
const LAST: u32 = 0x9FA5;
const PER_LINE: usize = 64;

/// The first letter of the pinyin of `c` (lower case), if `c` is a Chinese character we know.
pub fn initial(c: char) -> Option<char> {
    let cp = u32::from(c);
    if !(FIRST..=LAST).contains(&cp) {
        return None;
    }
    let index = (cp - FIRST) as usize;
    // Each line is 64 letters and a newline.
    let at = index / PER_LINE * (PER_LINE + 1) + index % PER_LINE;
    match TABLE.as_bytes().get(at) {
        Some(b) if b.is_ascii_lowercase() => Some(char::from(*b)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_name_characters() {
        let initials: String = "王丽华张伟李娜陈静刘洋赵敏"
            .chars()
            .filter_map(initial)
            .collect();
        assert_eq!(initials, "wlhzwlncjlyzm");
        assert_eq!(initial('a'), None);
        assert_eq!(initial('一'), Some('y'));
        assert_eq!(initial('龥'), Some('y'));
    }
}
