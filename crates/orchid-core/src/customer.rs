//! The customer file (顾客档案): contact details, preferences, tags, and the sensitive health-like fields
//! (skin type, allergies, contraindications, health notes); skin assessments over time; phone numbers;
//! the name folding used by search.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::ids::{AssessmentId, CustomerId, StaffId, StoreId};
use crate::record::record_fields;
use crate::text::{Label, Name, Note, Tag, fold_char};
use crate::time::Timestamp;

/// Invalid customer data. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum CustomerError {
    /// Not a phone number we can dial: a Chinese mobile (11 digits starting 13–19) or an international
    /// number with its country code (`+44 20 7946 0958`).
    #[serde(rename = "phone.invalid")]
    #[error(
        "{input:?} is not a Chinese mobile number or an international number with a country code"
    )]
    PhoneInvalid {
        /// What was typed.
        input: String,
    },
    /// A +86 number that is not a mobile number.
    #[serde(rename = "phone.not_cn_mobile")]
    #[error("{input:?} is not a Chinese mobile number (11 digits starting with 13–19)")]
    PhoneNotCnMobile {
        /// What was typed.
        input: String,
    },
    /// Not an e-mail address.
    #[serde(rename = "email.invalid")]
    #[error("{input:?} is not an e-mail address")]
    EmailInvalid {
        /// What was typed.
        input: String,
    },
    /// A membership number with characters other than letters, digits and `-`, or too long.
    #[serde(rename = "membership_no.invalid")]
    #[error("{input:?} is not a membership number (1–32 letters, digits or '-')")]
    MembershipNoInvalid {
        /// What was typed.
        input: String,
    },
    /// A birthday in the future or before 1900.
    #[serde(rename = "birthday.out_of_range")]
    #[error("birthday {date} is not between 1900-01-01 and today")]
    BirthdayOutOfRange {
        /// The date given.
        date: NaiveDate,
    },
    /// A skin score outside its scale.
    #[serde(rename = "skin_score.out_of_range")]
    #[error("skin score {score} = {value} is above {max}")]
    SkinScoreOutOfRange {
        /// Which score.
        score: String,
        /// The value.
        value: u8,
        /// The scale's top.
        max: u8,
    },
}

impl CustomerError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PhoneInvalid { .. } => "phone.invalid",
            Self::PhoneNotCnMobile { .. } => "phone.not_cn_mobile",
            Self::EmailInvalid { .. } => "email.invalid",
            Self::MembershipNoInvalid { .. } => "membership_no.invalid",
            Self::BirthdayOutOfRange { .. } => "birthday.out_of_range",
            Self::SkinScoreOutOfRange { .. } => "skin_score.out_of_range",
        }
    }
}

/// A phone number in E.164 form (`+8613812345678`). Parsed from what people type: spaces, dashes, dots,
/// brackets and full-width digits are fine; an 11-digit number starting with 1 is a Chinese mobile; other
/// countries need their code (`+` or `00`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

fn is_cn_mobile(national: &str) -> bool {
    let b = national.as_bytes();
    b.len() == 11 && b.first() == Some(&b'1') && matches!(b.get(1), Some(b'3'..=b'9'))
}

impl Phone {
    /// Parses a phone number as typed.
    pub fn parse(input: &str) -> Result<Self, CustomerError> {
        let invalid = || CustomerError::PhoneInvalid {
            input: input.chars().take(40).collect(),
        };
        let mut international = false;
        let mut digits = String::with_capacity(16);
        for (i, c) in input.trim().chars().map(fold_char).enumerate() {
            match c {
                '+' if i == 0 => international = true,
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(invalid()),
            }
        }
        if !international && let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_owned();
            international = true;
        }
        if !international
            && digits.len() == 13
            && digits.starts_with("86")
            && is_cn_mobile(&digits[2..])
        {
            return Ok(Self(format!("+{digits}")));
        }
        if !international {
            return if is_cn_mobile(&digits) {
                Ok(Self(format!("+86{digits}")))
            } else {
                Err(invalid())
            };
        }
        if let Some(national) = digits.strip_prefix("86") {
            return if is_cn_mobile(national) {
                Ok(Self(format!("+{digits}")))
            } else {
                Err(CustomerError::PhoneNotCnMobile {
                    input: input.chars().take(40).collect(),
                })
            };
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(invalid());
        }
        Ok(Self(format!("+{digits}")))
    }
    /// The E.164 form, `+8613812345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True for a Chinese mobile number.
    pub fn is_cn_mobile(&self) -> bool {
        self.0.strip_prefix("+86").is_some_and(is_cn_mobile)
    }
    /// The digits people dial at home: `13812345678` for Chinese mobiles, the E.164 digits otherwise.
    pub fn national_digits(&self) -> &str {
        if self.is_cn_mobile() {
            self.0.get(3..).unwrap_or(&self.0)
        } else {
            self.0.get(1..).unwrap_or(&self.0)
        }
    }
    /// As people write it, for screens: a Chinese mobile in its 3-4-4 groups (`171 4393 9962`),
    /// any other number in its E.164 form, whose country code people read at the `+`.
    pub fn readable(&self) -> String {
        if !self.is_cn_mobile() {
            return self.0.clone();
        }
        let d = self.national_digits();
        match (d.get(..3), d.get(3..7), d.get(7..)) {
            (Some(head), Some(middle), Some(tail)) => format!("{head} {middle} {tail}"),
            _ => d.to_owned(),
        }
    }
    /// Masked for screens and lists where the full number is not needed: `138****5678`.
    pub fn masked(&self) -> String {
        let d = self.national_digits();
        let n = d.chars().count();
        if n <= 7 {
            return "*".repeat(n);
        }
        let head: String = d.chars().take(3).collect();
        let tail: String = d.chars().skip(n - 4).collect();
        format!("{head}{}{tail}", "*".repeat(n - 7))
    }
}

impl TryFrom<String> for Phone {
    type Error = CustomerError;
    fn try_from(raw: String) -> Result<Self, CustomerError> {
        Self::parse(&raw)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> String {
        value.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address (lower-cased domain; a light check: one `@`, a dot in the domain, no spaces).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an e-mail address.
    pub fn parse(input: &str) -> Result<Self, CustomerError> {
        let s = input.trim();
        let invalid = || CustomerError::EmailInvalid {
            input: s.chars().take(80).collect(),
        };
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && s.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = CustomerError;
    fn try_from(raw: String) -> Result<Self, CustomerError> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> String {
        value.0
    }
}

/// A membership number (会员号): 1–32 letters, digits or `-`, upper-cased.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MembershipNo(String);

impl MembershipNo {
    /// Parses a membership number.
    pub fn parse(input: &str) -> Result<Self, CustomerError> {
        let s: String = input
            .trim()
            .chars()
            .map(fold_char)
            .collect::<String>()
            .to_uppercase();
        if s.is_empty()
            || s.chars().count() > 32
            || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(CustomerError::MembershipNoInvalid {
                input: input.chars().take(40).collect(),
            });
        }
        Ok(Self(s))
    }
    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MembershipNo {
    type Error = CustomerError;
    fn try_from(raw: String) -> Result<Self, CustomerError> {
        Self::parse(&raw)
    }
}

impl From<MembershipNo> for String {
    fn from(value: MembershipNo) -> String {
        value.0
    }
}

/// Gender, as the customer chooses to give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other.
    Other,
    /// Not given.
    #[default]
    Undisclosed,
}

/// Skin type (肤质).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkinType {
    /// 干性.
    Dry,
    /// 油性.
    Oily,
    /// 混合性.
    Combination,
    /// 中性.
    Normal,
    /// 敏感性.
    Sensitive,
}

/// How a customer first came to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSource {
    /// Walked in.
    WalkIn,
    /// Referred by another customer.
    Referral,
    /// WeChat.
    Wechat,
    /// Website.
    Website,
    /// Phone.
    Phone,
    /// Other / unknown.
    #[default]
    Other,
}

/// A customer file. Fields marked *sensitive* are health-like data: reading them needs a role allowed to
/// and is logged; see [`CustomerField`] for the marking used by the permission checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Id.
    pub id: CustomerId,
    /// The store whose customer this is.
    pub store_id: StoreId,
    /// Name.
    pub name: Name,
    /// Mobile or international phone.
    pub phone: Option<Phone>,
    /// E-mail.
    pub email: Option<Email>,
    /// WeChat id.
    pub wechat: Option<Label>,
    /// Gender.
    pub gender: Gender,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Membership number (会员号).
    pub membership_no: Option<MembershipNo>,
    /// How they found the store.
    pub source: CustomerSource,
    /// Preferences (room temperature, music, pressure, products they like…).
    pub preferences: Note,
    /// Tags (VIP, 敏感肌, 学生…).
    pub tags: Vec<Tag>,
    /// The therapist they prefer.
    pub preferred_therapist: Option<StaffId>,
    /// General notes (not health).
    pub notes: Note,
    /// *Sensitive.* Skin type.
    pub skin_type: Option<SkinType>,
    /// *Sensitive.* Allergies (过敏史), as tags matched against services' and products' allergens.
    pub allergies: Vec<Tag>,
    /// *Sensitive.* Contraindications (禁忌症: pregnancy, recent laser, skin broken…), matched against
    /// services' contraindications.
    pub contraindications: Vec<Tag>,
    /// *Sensitive.* Health notes.
    pub health_notes: Note,
    /// Her service butler (服务管家, seed 004): the person who looks after her. Absent from files
    /// written before butlers existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub butler: Option<StaffId>,
}

impl Customer {
    /// A new file with only a name.
    pub fn new(id: CustomerId, store_id: StoreId, name: Name) -> Self {
        Self {
            id,
            store_id,
            name,
            phone: None,
            email: None,
            wechat: None,
            gender: Gender::default(),
            birthday: None,
            membership_no: None,
            source: CustomerSource::default(),
            preferences: Note::default(),
            tags: Vec::new(),
            preferred_therapist: None,
            notes: Note::default(),
            skin_type: None,
            allergies: Vec::new(),
            contraindications: Vec::new(),
            health_notes: Note::default(),
            butler: None,
        }
    }
    /// A blank record to materialize fields onto.
    pub fn blank(id: CustomerId, store_id: StoreId) -> Self {
        Self::new(id, store_id, Name::placeholder())
    }
    /// The search key of this customer: folded name, phone digits and membership number.
    pub fn search_key(&self) -> String {
        let mut key = normalize_name(self.name.as_str());
        if let Some(p) = &self.phone {
            key.push(' ');
            key.push_str(p.national_digits());
        }
        if let Some(m) = &self.membership_no {
            key.push(' ');
            key.push_str(&normalize_name(m.as_str()));
        }
        key
    }
    /// Does the customer match what was typed in the search box? Names match on any folded substring;
    /// digits match a phone number or membership number containing them (at least 3 digits).
    pub fn matches(&self, query: &str) -> bool {
        let q = normalize_name(query);
        if q.is_empty() {
            return true;
        }
        if normalize_name(self.name.as_str()).contains(&q) {
            return true;
        }
        if q.len() >= 3
            && q.chars().all(|c| c.is_ascii_digit())
            && self
                .phone
                .as_ref()
                .is_some_and(|p| p.national_digits().contains(&q))
        {
            return true;
        }
        self.membership_no
            .as_ref()
            .is_some_and(|m| normalize_name(m.as_str()).contains(&q))
    }
    /// The file as `role` may see it: sensitive fields (skin type, allergies, contraindications, health
    /// notes) are emptied for roles that may not read them. (Showing them to a role that may is a
    /// sensitive read: log it with [`crate::audit::AuditContext`].)
    pub fn visible_to(&self, role: crate::role::Role) -> Customer {
        use crate::permission::{Action, Sensitivity, allowed};
        if allowed(role, Action::CustomerRead, Sensitivity::Sensitive) {
            return self.clone();
        }
        Customer {
            skin_type: None,
            allergies: Vec::new(),
            contraindications: Vec::new(),
            health_notes: Note::default(),
            ..self.clone()
        }
    }
    /// True if any sensitive field holds something (the UI can show "has health notes" without them).
    pub fn has_sensitive_data(&self) -> bool {
        self.skin_type.is_some()
            || !self.allergies.is_empty()
            || !self.contraindications.is_empty()
            || !self.health_notes.is_empty()
    }
    /// The age in whole years on `today`.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        let b = self.birthday?;
        today.years_since(b)
    }
}

/// Folds a name for search and duplicate detection: full-width to half-width, lower case, without spaces
/// and the separators people type in names (`·`, `.`, `-`, `_`).
pub fn normalize_name(raw: &str) -> String {
    raw.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '.' | '-' | '_' | '・'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Checks a birthday against today's date (which the caller knows; the core has no clock).
pub fn validate_birthday(date: NaiveDate, today: NaiveDate) -> Result<(), CustomerError> {
    if date.year() < 1900 || date > today {
        return Err(CustomerError::BirthdayOutOfRange { date });
    }
    Ok(())
}

record_fields! {
    /// The editable fields of a [`Customer`], each marked ordinary or sensitive.
    pub enum CustomerField for Customer [checked] {
        /// Name.
        Name(Name) => name, Ordinary, Erase;
        /// Phone.
        Phone(Option<Phone>) => phone, Ordinary, Erase;
        /// E-mail.
        Email(Option<Email>) => email, Ordinary, Erase;
        /// WeChat.
        Wechat(Option<Label>) => wechat, Ordinary, Erase;
        /// Gender.
        Gender(Gender) => gender, Ordinary, Keep;
        /// Birthday.
        Birthday(Option<NaiveDate>) => birthday, Ordinary, Erase;
        /// Membership number.
        MembershipNo(Option<MembershipNo>) => membership_no, Ordinary, Erase;
        /// Source.
        Source(CustomerSource) => source, Ordinary, Keep;
        /// Preferences.
        Preferences(Note) => preferences, Ordinary, Erase;
        /// Tags.
        Tags(Vec<Tag>) => tags, Ordinary, Erase;
        /// Preferred therapist.
        PreferredTherapist(Option<StaffId>) => preferred_therapist, Ordinary, Keep;
        /// Notes.
        Notes(Note) => notes, Ordinary, Erase;
        /// Skin type (sensitive).
        SkinType(Option<SkinType>) => skin_type, Sensitive, Erase;
        /// Allergies (sensitive).
        Allergies(Vec<Tag>) => allergies, Sensitive, Erase;
        /// Contraindications (sensitive).
        Contraindications(Vec<Tag>) => contraindications, Sensitive, Erase;
        /// Health notes (sensitive).
        HealthNotes(Note) => health_notes, Sensitive, Erase;
        /// Her service butler (names staff, not her data).
        Butler(Option<StaffId>) => butler, Ordinary, Keep;
    }
}

impl CustomerField {
    /// Does writing this field put health data in the file (a sensitive field given a value)?
    /// Clearing one does not: it is always allowed, with or without consent.
    pub fn holds_health_data(&self) -> bool {
        match self {
            Self::SkinType(s) => s.is_some(),
            Self::Allergies(tags) | Self::Contraindications(tags) => !tags.is_empty(),
            Self::HealthNotes(note) => !note.is_empty(),
            _ => false,
        }
    }

    fn check_field(&self) -> Result<(), ValidationError> {
        match self {
            // Without a clock, only the lower bound is checked here; the UI and server also call
            // `validate_birthday` with today's date.
            Self::Birthday(Some(d)) if d.year() < 1900 => {
                Err(CustomerError::BirthdayOutOfRange { date: *d }.into())
            }
            _ => Ok(()),
        }
    }
}

/// Scores of a skin assessment. Measured values are 0–100; graded ones 0–5 (0 none, 5 severe).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct SkinScores {
    /// Hydration 0–100.
    pub hydration: Option<u8>,
    /// Oiliness 0–100.
    pub oiliness: Option<u8>,
    /// Elasticity 0–100.
    pub elasticity: Option<u8>,
    /// Pigmentation 0–5.
    pub pigmentation: Option<u8>,
    /// Wrinkles 0–5.
    pub wrinkles: Option<u8>,
    /// Acne 0–5.
    pub acne: Option<u8>,
    /// Redness / sensitivity 0–5.
    pub redness: Option<u8>,
    /// Pores 0–5.
    pub pores: Option<u8>,
}

impl SkinScores {
    /// Checks each score against its scale.
    pub fn validate(&self) -> Result<(), CustomerError> {
        let checks = [
            ("hydration", self.hydration, 100),
            ("oiliness", self.oiliness, 100),
            ("elasticity", self.elasticity, 100),
            ("pigmentation", self.pigmentation, 5),
            ("wrinkles", self.wrinkles, 5),
            ("acne", self.acne, 5),
            ("redness", self.redness, 5),
            ("pores", self.pores, 5),
        ];
        for (score, value, max) in checks {
            if let Some(value) = value
                && value > max
            {
                return Err(CustomerError::SkinScoreOutOfRange {
                    score: score.to_owned(),
                    value,
                    max,
                });
            }
        }
        Ok(())
    }
}

/// A dated, structured skin assessment (皮肤分析). Sensitive. Append-only: a new assessment is added,
/// an old one is never changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkinAssessment {
    /// Id.
    pub id: AssessmentId,
    /// Whose skin.
    pub customer_id: CustomerId,
    /// When.
    pub assessed_at: Timestamp,
    /// By whom.
    pub assessed_by: StaffId,
    /// Skin type found.
    pub skin_type: Option<SkinType>,
    /// Scores.
    pub scores: SkinScores,
    /// Concerns (色斑, 毛孔粗大, 缺水…).
    pub concerns: Vec<Tag>,
    /// Notes and advice.
    pub notes: Note,
}

impl SkinAssessment {
    /// The assessment with its content removed (after the customer is erased): only who, when and by
    /// whom remain.
    pub fn redacted(&self) -> SkinAssessment {
        let mut redacted = self.clone();
        redacted.erase_personal();
        redacted
    }
    /// Removes the content in place (see [`Self::redacted`]); true if there was any. Every field
    /// is named, so a field added later must be placed on one side or the other.
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            customer_id: _,
            assessed_at: _,
            assessed_by: _,
            skin_type,
            scores,
            concerns,
            notes,
        } = self;
        let had_scores = *scores != SkinScores::default();
        *scores = SkinScores::default();
        had_scores
            | crate::record::erase(skin_type)
            | crate::record::erase(concerns)
            | crate::record::erase(notes)
    }
    /// Checks the scores.
    pub fn validate(&self) -> Result<(), CustomerError> {
        self.scores.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::Sensitivity;
    use crate::record::FieldSet;

    #[test]
    fn chinese_mobiles_in_many_spellings() {
        for typed in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "8613812345678",
            "0086 13812345678",
            "１３８１２３４５６７８",
        ] {
            let p = Phone::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(p.as_str(), "+8613812345678", "{typed}");
            assert!(p.is_cn_mobile());
            assert_eq!(p.national_digits(), "13812345678");
            assert_eq!(p.masked(), "138****5678");
        }
    }

    #[test]
    fn bad_chinese_mobiles() {
        for typed in [
            "12812345678",
            "1381234567",
            "138123456789",
            "phone",
            "",
            "138 1234 567x",
        ] {
            assert_eq!(
                Phone::parse(typed).unwrap_err().code(),
                "phone.invalid",
                "{typed}"
            );
        }
        assert_eq!(
            Phone::parse("+86 10 1234 5678").unwrap_err().code(),
            "phone.not_cn_mobile"
        );
    }

    #[test]
    fn international_numbers() {
        let p = Phone::parse("+44 20 7946 0958").unwrap();
        assert_eq!(p.as_str(), "+442079460958");
        assert!(!p.is_cn_mobile());
        assert_eq!(
            Phone::parse("00852 9123 4567").unwrap().as_str(),
            "+85291234567"
        );
        assert_eq!(
            Phone::parse("+1 (415) 555-0100").unwrap().as_str(),
            "+14155550100"
        );
        assert_eq!(
            Phone::parse("+8617143939962").unwrap().readable(),
            "171 4393 9962"
        );
        assert_eq!(
            Phone::parse("171 4393 9962").unwrap(),
            Phone::parse("+8617143939962").unwrap(),
            "the readable form parses back to the same number"
        );
        assert_eq!(
            Phone::parse("+44 20 7946 0958").unwrap().readable(),
            "+442079460958"
        );
        assert!(Phone::parse("+1234567").is_err()); // 7 digits: too short
        assert!(Phone::parse("+1234567890123456").is_err()); // 16 digits: too long
        assert!(Phone::parse("+12345678").is_ok());
        assert!(Phone::parse("2079460958").is_err()); // no country code
    }

    #[test]
    fn phone_serde_validates() {
        assert!(serde_json::from_str::<Phone>("\"12\"").is_err());
        let p: Phone = serde_json::from_str("\"13812345678\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"+8613812345678\"");
    }

    #[test]
    fn emails_and_membership_numbers() {
        assert_eq!(
            Email::parse(" Wang@Example.COM ").unwrap().as_str(),
            "Wang@example.com"
        );
        for bad in [
            "", "a", "a@b", "a@@b.c", "a b@c.d", "@b.cn", "a@.cn", "a@b.",
        ] {
            assert_eq!(
                Email::parse(bad).unwrap_err().code(),
                "email.invalid",
                "{bad}"
            );
        }
        assert_eq!(
            MembershipNo::parse(" vip-0012 ").unwrap().as_str(),
            "VIP-0012"
        );
        assert_eq!(
            MembershipNo::parse("会员1").unwrap_err().code(),
            "membership_no.invalid"
        );
        assert!(MembershipNo::parse(&"1".repeat(33)).is_err());
    }

    #[test]
    fn name_normalisation_and_search() {
        assert_eq!(normalize_name(" 王 芳 "), "王芳");
        assert_eq!(normalize_name("Ｌｉ·Ｎａ"), "lina");
        assert_eq!(normalize_name("Mary-Jane  O.Neil"), "maryjaneoneil");
        let mut c = Customer::new(
            CustomerId::from_u128(1),
            StoreId::from_u128(1),
            Name::parse("王 芳").unwrap(),
        );
        c.phone = Some(Phone::parse("13812345678").unwrap());
        c.membership_no = Some(MembershipNo::parse("VIP-7").unwrap());
        assert!(c.matches("王芳"));
        assert!(c.matches("芳"));
        assert!(c.matches("5678"));
        assert!(!c.matches("56"));
        assert!(c.matches("vip-7"));
        assert!(!c.matches("李"));
        assert!(c.matches(""));
        assert_eq!(c.search_key(), "王芳 13812345678 vip7");
    }

    #[test]
    fn birthdays_and_age() {
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let b = NaiveDate::from_ymd_opt(1990, 6, 2).unwrap();
        assert!(validate_birthday(b, today).is_ok());
        assert!(validate_birthday(today, today).is_ok());
        assert_eq!(
            validate_birthday(today.succ_opt().unwrap(), today)
                .unwrap_err()
                .code(),
            "birthday.out_of_range"
        );
        assert!(validate_birthday(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(), today).is_err());
        let mut c = Customer::blank(CustomerId::from_u128(1), StoreId::from_u128(1));
        c.birthday = Some(b);
        assert_eq!(c.age_on(today), Some(34));
        assert!(
            CustomerField::Birthday(NaiveDate::from_ymd_opt(1800, 1, 1))
                .check()
                .is_err()
        );
    }

    #[test]
    fn sensitive_fields_are_marked() {
        let c = Customer::blank(CustomerId::from_u128(1), StoreId::from_u128(1));
        let sensitive: Vec<&str> = CustomerField::all_from(&c)
            .iter()
            .filter(|f| f.sensitivity() == Sensitivity::Sensitive)
            .map(|f| f.name())
            .collect();
        assert_eq!(
            sensitive,
            [
                "skin_type",
                "allergies",
                "contraindications",
                "health_notes"
            ]
        );
        assert_eq!(CustomerField::NAMES.len(), 17);
    }

    #[test]
    fn sensitive_fields_hidden_from_roles_that_may_not_read_them() {
        use crate::role::Role;
        let mut c = Customer::blank(CustomerId::from_u128(1), StoreId::from_u128(1));
        c.allergies = vec![Tag::parse("果酸").unwrap()];
        c.health_notes = Note::parse("孕期").unwrap();
        assert!(c.has_sensitive_data());
        let r = c.visible_to(Role::Reception);
        assert!(!r.has_sensitive_data());
        assert_eq!(r.name, c.name);
        assert_eq!(c.visible_to(Role::Therapist), c);
        assert!(!c.visible_to(Role::FinanceSupervisor).has_sensitive_data());
    }

    #[test]
    fn field_json_shape() {
        let f = CustomerField::Phone(Some(Phone::parse("13812345678").unwrap()));
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"field":"phone","value":"+8613812345678"}"#
        );
        assert!(
            serde_json::from_str::<CustomerField>(r#"{"field":"phone","value":"123"}"#).is_err()
        );
    }

    #[test]
    fn skin_scores() {
        assert!(
            SkinScores {
                hydration: Some(100),
                acne: Some(5),
                ..Default::default()
            }
            .validate()
            .is_ok()
        );
        let e = SkinScores {
            acne: Some(6),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.code(), "skin_score.out_of_range");
    }
}
