//! Staff roles, as named in the seeds' complaint-handling team and service flow.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The role a member of staff acts in. One role per staff account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The owner of the store or chain (老板). Everything a manager may do, in every store of the chain.
    Owner,
    /// The store manager (店长): leads the complaint team and decides on critical complaints.
    Manager,
    /// Reception (前台): bookings, arrivals, customer files, reminders, follow-up calls.
    Reception,
    /// A therapist (美容师/技师): consultation, service, service record.
    Therapist,
    /// Customer-service supervisor (客服主管): receives, triages and tracks complaints.
    CustomerServiceSupervisor,
    /// Technical supervisor (技术主管): technical complaints, contraindication overrides, SOPs.
    TechnicalSupervisor,
    /// Finance supervisor (财务主管): fee disputes, packages and points.
    FinanceSupervisor,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 7] = [
        Role::Owner,
        Role::Manager,
        Role::Reception,
        Role::Therapist,
        Role::CustomerServiceSupervisor,
        Role::TechnicalSupervisor,
        Role::FinanceSupervisor,
    ];

    /// The stable snake_case code, as on the wire (`customer_service_supervisor`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Reception => "reception",
            Role::Therapist => "therapist",
            Role::CustomerServiceSupervisor => "customer_service_supervisor",
            Role::TechnicalSupervisor => "technical_supervisor",
            Role::FinanceSupervisor => "finance_supervisor",
        }
    }

    /// Parses the snake_case code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Chinese name used in the seeds (the UI has its own translations; this is for logs and tests).
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Owner => "老板",
            Role::Manager => "店长",
            Role::Reception => "前台",
            Role::Therapist => "美容师",
            Role::CustomerServiceSupervisor => "客服主管",
            Role::TechnicalSupervisor => "技术主管",
            Role::FinanceSupervisor => "财务主管",
        }
    }

    /// Owner or manager: the store's management.
    pub fn is_management(self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }

    /// How much authority the role carries over staff accounts: the owner above the managers,
    /// the managers above everyone else. Nobody grants a role that ranks above their own.
    pub fn rank(self) -> u8 {
        match self {
            Role::Owner => 2,
            Role::Manager => 1,
            Role::Reception
            | Role::Therapist
            | Role::CustomerServiceSupervisor
            | Role::TechnicalSupervisor
            | Role::FinanceSupervisor => 0,
        }
    }

    /// May someone acting in this role give `other` to a member of staff (or take it away)?
    /// Only roles at or below one's own; an owner only by an owner.
    pub fn may_grant(self, other: Role) -> bool {
        other.rank() <= self.rank()
    }

    /// One of the three supervisors.
    pub fn is_supervisor(self) -> bool {
        matches!(
            self,
            Role::CustomerServiceSupervisor | Role::TechnicalSupervisor | Role::FinanceSupervisor
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::Value::from(r.code())
            );
        }
        assert_eq!(Role::from_code("boss"), None);
    }

    #[test]
    fn nobody_grants_a_role_above_their_own() {
        assert!(Role::Owner.may_grant(Role::Owner));
        assert!(!Role::Manager.may_grant(Role::Owner));
        assert!(Role::Manager.may_grant(Role::Manager));
        assert!(Role::Manager.may_grant(Role::Therapist));
        assert!(!Role::Reception.may_grant(Role::Manager));
        assert!(Role::Reception.may_grant(Role::Therapist));
    }

    #[test]
    fn groups() {
        assert!(Role::Manager.is_management());
        assert!(!Role::Reception.is_management());
        assert!(Role::FinanceSupervisor.is_supervisor());
        assert!(!Role::Therapist.is_supervisor());
        assert_eq!(Role::CustomerServiceSupervisor.name_zh(), "客服主管");
    }
}
