//! The words of the complaint pages ([complaints]).
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cw {
    Placeholder,
}

impl Cw {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Cw::Placeholder => ("投诉", "Complaints"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
