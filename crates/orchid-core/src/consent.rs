//! Consent records (同意书 / 授权): what a customer agreed to, under which version of the text, given,
//! refused or withdrawn, when. Append-only: the current consent for a purpose is the latest record.
//!
//! Health data (the customer file's sensitive fields, skin assessments, consultation answers) is
//! sensitive personal information (PIPL art. 28–29) and health data (GDPR art. 9): it is written
//! only while the customer's current health-data consent is given. A device refuses such a write
//! before it is stored, the server refuses one no consent ever covered, and a write that a
//! consent covered on the device that made it but a withdrawal made elsewhere did not (an offline
//! device that had not yet seen it) is kept and flagged for the manager
//! ([`crate::sync::Replica::consent_flags`]), never lost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::hlc::Hlc;
use crate::ids::{ClientId, ConsentId, CustomerId, StaffId};
use crate::text::{Label, Name};
use crate::time::Timestamp;

/// The version of the health-data consent text shown today.
pub const HEALTH_TEXT_VERSION: &str = "2026-12";

/// A version of a consent text, in both languages (paragraphs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsentText {
    /// The version (what a record's `version` names).
    pub version: &'static str,
    /// 简体中文.
    pub zh: &'static [&'static str],
    /// English.
    pub en: &'static [&'static str],
}

/// Every version of the health-data consent text, oldest first (a record's history shows the
/// text she agreed to, so old versions stay).
pub const HEALTH_TEXTS: &[ConsentText] = &[ConsentText {
    version: HEALTH_TEXT_VERSION,
    zh: &[
        "我们会在您的顾客档案中保存以下健康信息：过敏史、禁忌症（如孕期、近期激光治疗、皮肤破损）、健康备注、皮肤类型与皮肤检测结果，以及每次护理前咨询问题的回答。",
        "保存这些信息只为一个目的：为您选择安全的护理项目和产品，在有风险时停止护理。我们不会将其用于营销，也不会提供给第三方。",
        "只有本店的美容师、技术主管、客服主管、店长和店主可以查看这些信息，每次查看都会被记录。",
        "您可以随时撤回同意，只需告诉前台或美容师。撤回后我们不再记录新的健康信息；您也可以要求删除已保存的信息。",
        "不同意也不会影响您享受服务：护理前美容师会当面口头询问您的禁忌情况，但不会保存您的回答。",
    ],
    en: &[
        "We will keep this health information in your customer file: allergies, contraindications (such as pregnancy, recent laser treatment, broken skin), health notes, your skin type and skin assessments, and your answers to the questions asked before each treatment.",
        "We keep it for one purpose only: to choose treatments and products that are safe for you, and to stop a treatment when there is a risk. We do not use it for marketing and do not give it to anyone else.",
        "Only the store's therapists, technical supervisor, customer-service supervisor, manager and owner can see it, and every viewing is logged.",
        "You may withdraw your consent at any time by telling the front desk or your therapist. After that we record no new health information; you may also ask us to delete what we keep.",
        "If you do not agree, you still receive our services: before a treatment your therapist will ask you aloud about contraindications, without keeping your answers.",
    ],
}];

/// The health-data consent text of `version`, if it is one of ours.
pub fn health_text(version: &str) -> Option<&'static ConsentText> {
    HEALTH_TEXTS.iter().find(|t| t.version == version)
}

/// Refused consent records and health writes. `code()` is stable and meant for translation.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum ConsentError {
    /// Health data is written only while the customer's health-data consent is given.
    #[serde(rename = "consent.health_data_required")]
    #[error("health data is kept only with the customer's current consent")]
    HealthDataRequired,
    /// Consent given on the tablet needs the name she typed as her signature.
    #[serde(rename = "consent.signature_required")]
    #[error("the customer's typed name is needed as her signature")]
    SignatureRequired,
    /// A consent to a text version that does not exist.
    #[serde(rename = "consent.unknown_version")]
    #[error("no consent text has version {version}")]
    UnknownVersion {
        /// The version named.
        version: String,
    },
    /// The record names another device than the one that sends it.
    #[serde(rename = "consent.wrong_device")]
    #[error("the consent names another device than the one recording it")]
    WrongDevice,
}

impl ConsentError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::HealthDataRequired => "consent.health_data_required",
            Self::SignatureRequired => "consent.signature_required",
            Self::UnknownVersion { .. } => "consent.unknown_version",
            Self::WrongDevice => "consent.wrong_device",
        }
    }
}

/// The language a consent text was shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentLanguage {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

/// What the consent is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Keeping a customer file and service records (建档).
    CustomerFile,
    /// Processing health-like sensitive data (allergies, contraindications, skin) — PIPL art. 29.
    HealthData,
    /// Before/after photos.
    Photos,
    /// Reminders and follow-ups by SMS, WeChat, e-mail.
    Reminders,
    /// Marketing messages.
    Marketing,
    /// Sharing the file with the chain's other stores.
    ChainSharing,
}

/// Given, refused or withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    /// Given.
    Given,
    /// Withdrawn.
    Withdrawn,
    /// Asked and refused (the service goes on without the data).
    Refused,
}

/// How it was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Signed on the tablet.
    TabletSignature,
    /// Signed on paper (kept in the store).
    Paper,
    /// Online.
    Online,
    /// Said aloud, recorded by staff.
    Verbal,
}

/// One consent decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// Id.
    pub id: ConsentId,
    /// Whose.
    pub customer_id: CustomerId,
    /// For what.
    pub purpose: ConsentPurpose,
    /// The version of the text agreed to (e.g. `2025-01`).
    pub version: Label,
    /// Given or withdrawn.
    pub decision: ConsentDecision,
    /// When.
    pub at: Timestamp,
    /// Recorded by.
    pub recorded_by: StaffId,
    /// How.
    pub method: ConsentMethod,
    /// The name the customer typed as her signature (on the tablet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_name: Option<Name>,
    /// The language the text was shown in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<ConsentLanguage>,
    /// The device it was recorded on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<ClientId>,
}

impl ConsentRecord {
    /// Checks the record on its own: a consent given on the tablet carries the typed name, and a
    /// health-data decision names a version of our text.
    pub fn validate(&self) -> Result<(), ConsentError> {
        if self.decision == ConsentDecision::Given
            && self.method == ConsentMethod::TabletSignature
            && self.signed_name.is_none()
        {
            return Err(ConsentError::SignatureRequired);
        }
        if self.purpose == ConsentPurpose::HealthData
            && health_text(self.version.as_str()).is_none()
        {
            return Err(ConsentError::UnknownVersion {
                version: self.version.as_str().to_owned(),
            });
        }
        Ok(())
    }

    /// The record with what names the customer removed (after she is erased).
    pub fn redacted(&self) -> ConsentRecord {
        let mut redacted = self.clone();
        redacted.erase_personal();
        redacted
    }
    /// Removes the typed name in place (see [`Self::redacted`]): the dated decision stays, as the
    /// proof of what she agreed to. Every field is named, so a field added later must be placed
    /// on one side or the other.
    pub fn erase_personal(&mut self) -> bool {
        let Self {
            id: _,
            customer_id: _,
            purpose: _,
            version: _,
            decision: _,
            at: _,
            recorded_by: _,
            method: _,
            signed_name,
            language: _,
            device: _,
        } = self;
        crate::record::erase(signed_name)
    }
}

/// Where a health write stands against the customer's health-data consents, each with the HLC of
/// the change that recorded it (the order every replica agrees on: a device that saw a decision
/// writes after it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthWrite {
    /// The latest decision before the write is a consent given.
    Covered,
    /// A consent was given before the write, but the latest decision before it withdrew or
    /// refused it: a device that had not seen that decision wrote it. Kept, and flagged.
    Flagged,
    /// No consent was ever given before the write: refused.
    Refused,
}

/// Where a health write made at `write` stands (see [`HealthWrite`]).
pub fn health_write<'a>(
    records: impl IntoIterator<Item = (Hlc, &'a ConsentRecord)>,
    write: Hlc,
) -> HealthWrite {
    let mut latest: Option<(Hlc, &ConsentRecord)> = None;
    let mut ever_given = false;
    for (hlc, r) in records {
        if r.purpose != ConsentPurpose::HealthData || hlc >= write {
            continue;
        }
        ever_given |= r.decision == ConsentDecision::Given;
        if latest.is_none_or(|(h, _)| h < hlc) {
            latest = Some((hlc, r));
        }
    }
    match latest {
        Some((_, r)) if r.decision == ConsentDecision::Given => HealthWrite::Covered,
        _ if ever_given => HealthWrite::Flagged,
        _ => HealthWrite::Refused,
    }
}

/// The latest decision per purpose (by time, then id, so any arrival order gives the same answer).
pub fn current<'a>(
    records: impl IntoIterator<Item = &'a ConsentRecord>,
) -> BTreeMap<ConsentPurpose, &'a ConsentRecord> {
    let mut out: BTreeMap<ConsentPurpose, &ConsentRecord> = BTreeMap::new();
    for r in records {
        match out.get(&r.purpose) {
            Some(cur) if (cur.at, cur.id) >= (r.at, r.id) => {}
            _ => {
                out.insert(r.purpose, r);
            }
        }
    }
    out
}

/// Is consent for `purpose` given now (optionally at least for text `min_version`)?
pub fn has_consent<'a>(
    records: impl IntoIterator<Item = &'a ConsentRecord>,
    purpose: ConsentPurpose,
    min_version: Option<&str>,
) -> bool {
    current(records).get(&purpose).is_some_and(|r| {
        r.decision == ConsentDecision::Given && min_version.is_none_or(|v| r.version.as_str() >= v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::tests::cst;

    fn rec(
        id: u128,
        purpose: ConsentPurpose,
        decision: ConsentDecision,
        day: u32,
        version: &str,
    ) -> ConsentRecord {
        ConsentRecord {
            id: ConsentId::from_u128(id),
            customer_id: CustomerId::from_u128(1),
            purpose,
            version: Label::parse(version).unwrap(),
            decision,
            at: cst(2025, 3, day, 10, 0),
            recorded_by: StaffId::from_u128(1),
            method: ConsentMethod::TabletSignature,
            signed_name: Some(Name::parse("王丽").unwrap()),
            language: Some(ConsentLanguage::Zh),
            device: None,
        }
    }

    fn at(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            node: ClientId::from_u128(1),
        }
    }

    #[test]
    fn a_health_write_stands_on_the_latest_decision_before_it() {
        use ConsentDecision::*;
        use ConsentPurpose::*;
        let v = HEALTH_TEXT_VERSION;
        let given = rec(1, HealthData, Given, 1, v);
        let withdrawn = rec(2, HealthData, Withdrawn, 2, v);
        let again = rec(3, HealthData, Given, 3, v);
        let marketing = rec(4, Marketing, Given, 1, v);
        // Nothing yet, or only another purpose: refused.
        assert_eq!(health_write([], at(5)), HealthWrite::Refused);
        assert_eq!(
            health_write([(at(1), &marketing)], at(5)),
            HealthWrite::Refused
        );
        // Given before the write: covered; given after it: refused.
        assert_eq!(health_write([(at(1), &given)], at(5)), HealthWrite::Covered);
        assert_eq!(health_write([(at(9), &given)], at(5)), HealthWrite::Refused);
        // Withdrawn before the write (a device that had not seen it): flagged, in any order.
        let log = [(at(20), &withdrawn), (at(10), &given)];
        assert_eq!(health_write(log, at(30)), HealthWrite::Flagged);
        assert_eq!(health_write(log, at(15)), HealthWrite::Covered);
        // Given again: covered after it.
        let log = [(at(10), &given), (at(20), &withdrawn), (at(25), &again)];
        assert_eq!(health_write(log, at(30)), HealthWrite::Covered);
        assert_eq!(health_write(log, at(22)), HealthWrite::Flagged);
        // Refused at the first ask: never given, so refused.
        let refused = rec(5, HealthData, Refused, 1, v);
        assert_eq!(
            health_write([(at(1), &refused)], at(5)),
            HealthWrite::Refused
        );
    }

    #[test]
    fn a_tablet_consent_needs_her_typed_name_and_a_known_text() {
        let mut r = rec(
            1,
            ConsentPurpose::HealthData,
            ConsentDecision::Given,
            1,
            HEALTH_TEXT_VERSION,
        );
        assert_eq!(r.validate(), Ok(()));
        r.signed_name = None;
        assert_eq!(r.validate(), Err(ConsentError::SignatureRequired));
        // A withdrawal needs no signature.
        r.decision = ConsentDecision::Withdrawn;
        assert_eq!(r.validate(), Ok(()));
        r.version = Label::parse("1999-01").unwrap();
        assert!(matches!(
            r.validate(),
            Err(ConsentError::UnknownVersion { .. })
        ));
        assert!(health_text(HEALTH_TEXT_VERSION).is_some_and(|t| t.zh.len() == t.en.len()));
    }

    #[test]
    fn latest_decision_wins_in_any_order() {
        use ConsentDecision::*;
        use ConsentPurpose::*;
        let a = rec(1, HealthData, Given, 1, "2025-01");
        let b = rec(2, HealthData, Withdrawn, 5, "2025-01");
        let c = rec(3, Marketing, Given, 2, "2025-01");
        for list in [vec![&a, &b, &c], vec![&c, &b, &a]] {
            assert!(!has_consent(list.iter().copied(), HealthData, None));
            assert!(has_consent(list.iter().copied(), Marketing, None));
            assert!(!has_consent(
                list.iter().copied(),
                Marketing,
                Some("2025-06")
            ));
            assert!(!has_consent(list.iter().copied(), Photos, None));
        }
    }
}
