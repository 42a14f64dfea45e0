//! Consent records (同意书 / 授权): what a customer agreed to, under which version of the text, given or
//! withdrawn, when. Append-only: the current consent for a purpose is the latest record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ConsentId, CustomerId, StaffId};
use crate::text::Label;
use crate::time::Timestamp;

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

/// Given or withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    /// Given.
    Given,
    /// Withdrawn.
    Withdrawn,
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
        }
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
