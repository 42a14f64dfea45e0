//! A request to the server about the team or the chain that did not work, in the person's words.
use crate::i18n::Lang;
use crate::i18n::errors::error_text;
use crate::i18n::team_words::Tw;
use crate::state::team::TeamError;

pub fn team_error_text(lang: Lang, err: &TeamError) -> String {
    match err {
        TeamError::Offline => Tw::NeedsNetwork.text(lang).to_owned(),
        TeamError::SignedOut => Tw::SignedOut.text(lang).to_owned(),
        TeamError::Taken => Tw::LoginTaken.text(lang).to_owned(),
        TeamError::Refused(code) => {
            format!("{} {}", Tw::Refused.text(lang), error_text(lang, code))
        }
    }
}
