//! The words of bedside, follow-ups and reports ([treatment room]).
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bw {
    Placeholder,
}

impl Bw {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Bw::Placeholder => ("床边", "Bedside"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
