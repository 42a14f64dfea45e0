//! A request to the server about the team or the chain that did not work, in the person's words.
use crate::i18n::Lang;
use crate::i18n::errors::error_text;
use crate::i18n::team_words::TeamWord;
use crate::state::team::TeamError;

pub fn team_error_text(lang: Lang, err: &TeamError) -> String {
    match err {
        TeamError::Offline => TeamWord::NeedsNetwork.text(lang).to_owned(),
        TeamError::SignedOut => TeamWord::SignedOut.text(lang).to_owned(),
        TeamError::Taken => TeamWord::LoginTaken.text(lang).to_owned(),
        TeamError::Refused(code) => {
            format!(
                "{} {}",
                TeamWord::Refused.text(lang),
                error_text(lang, code)
            )
        }
    }
}
