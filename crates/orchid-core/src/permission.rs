//! The permission matrix: role × action × sensitivity of the data touched. The client uses it to hide
//! what a role may not do; the server uses the very same function to refuse it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::role::Role;

/// How sensitive a piece of data is. Health-like data (allergies, contraindications, health notes, skin
/// assessments, consultation answers) is `Sensitive` (PIPL 敏感个人信息 / GDPR special category).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Ordinary personal or business data.
    #[default]
    Ordinary,
    /// Sensitive personal data: reading it is logged, and only some roles may read or change it.
    Sensitive,
}

/// Something a member of staff may want to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read a customer file.
    CustomerRead,
    /// Create or change a customer file (or add a skin assessment).
    CustomerWrite,
    /// Export everything about a customer (data-subject access request).
    CustomerExport,
    /// Erase a customer (right to be forgotten).
    CustomerErase,
    /// Record that a customer gave or withdrew a consent.
    ConsentRecord,
    /// Book or change an appointment.
    AppointmentBook,
    /// Move an appointment's status (the per-move roles are in [`crate::appointment`]).
    AppointmentTransition,
    /// Manage the waitlist.
    WaitlistManage,
    /// Read service records.
    ServiceRecordRead,
    /// Write service records (consultation, steps, products, notes, evaluation).
    ServiceRecordWrite,
    /// Let a service go ahead despite a contraindication.
    ContraindicationOverride,
    /// Submit a customer's feedback (the kiosk runs under a staff session).
    FeedbackSubmit,
    /// Read feedback and surveys.
    FeedbackRead,
    /// Plan, do and record follow-ups.
    FollowUpManage,
    /// Take in a complaint.
    ComplaintIntake,
    /// Read complaints.
    ComplaintRead,
    /// Triage a complaint (nature and severity).
    ComplaintTriage,
    /// Assign a complaint to a handler.
    ComplaintAssign,
    /// Work on a complaint: contact, investigate, propose and carry out solutions.
    ComplaintHandle,
    /// Reopen a complaint (appeal).
    ComplaintReopen,
    /// Close a complaint.
    ComplaintClose,
    /// Archive a closed complaint into the case library.
    ComplaintArchive,
    /// Manage the service catalog.
    CatalogManage,
    /// Manage rooms and beds.
    RoomManage,
    /// Manage staff accounts and roles.
    StaffManage,
    /// Change the store's settings (hours, time limits, thresholds, routing).
    StoreSettings,
    /// Manage products and batches.
    ProductManage,
    /// Record stock movements (receive, use, sell, adjust).
    StockMove,
    /// Change points, packages or membership level.
    LoyaltyAdjust,
    /// See reports.
    ReportView,
    /// Read the audit log.
    AuditRead,
    /// Append to the audit log (every role logs its own actions).
    AuditWrite,
    /// Run the chain: open stores and see every store's figures (the head office).
    ChainView,
    /// Do a hygiene check of a room, raise a failed item, put a corrective action right.
    CheckDo,
    /// Spot checks of the service flow, feedback and information; assign and verify corrective
    /// actions (supervisors and the manager).
    CheckSupervise,
    /// Write and change the checklists.
    CheckTemplateManage,
    /// Assign, change and cancel service tasks (seed 004: the butler's superior).
    TaskAssign,
    /// Mark one's own service tasks done.
    TaskWork,
    /// Check a customer out: take payment for a visit or a retail sale.
    Checkout,
    /// Void a check-out (with a reason; its balances and stock are given back).
    CheckoutVoid,
    /// Correct a customer's balances by hand: set her membership level, settle an overdrawn
    /// card or package with her.
    LoyaltyCorrect,
    /// Read the store's money: sales by payment means, stock value, what it owes its customers.
    SalesReportView,
}

impl Action {
    /// Every action, in a stable order.
    pub const ALL: [Action; 42] = [
        Action::CustomerRead,
        Action::CustomerWrite,
        Action::CustomerExport,
        Action::CustomerErase,
        Action::ConsentRecord,
        Action::AppointmentBook,
        Action::AppointmentTransition,
        Action::WaitlistManage,
        Action::ServiceRecordRead,
        Action::ServiceRecordWrite,
        Action::ContraindicationOverride,
        Action::FeedbackSubmit,
        Action::FeedbackRead,
        Action::FollowUpManage,
        Action::ComplaintIntake,
        Action::ComplaintRead,
        Action::ComplaintTriage,
        Action::ComplaintAssign,
        Action::ComplaintHandle,
        Action::ComplaintReopen,
        Action::ComplaintClose,
        Action::ComplaintArchive,
        Action::CatalogManage,
        Action::RoomManage,
        Action::StaffManage,
        Action::StoreSettings,
        Action::ProductManage,
        Action::StockMove,
        Action::LoyaltyAdjust,
        Action::ReportView,
        Action::AuditRead,
        Action::AuditWrite,
        Action::ChainView,
        Action::CheckDo,
        Action::CheckSupervise,
        Action::CheckTemplateManage,
        Action::TaskAssign,
        Action::TaskWork,
        Action::Checkout,
        Action::CheckoutVoid,
        Action::LoyaltyCorrect,
        Action::SalesReportView,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        // The table has one entry per variant, in declaration order (checked by a test against serde).
        ACTION_CODES
            .get(self as usize)
            .copied()
            .unwrap_or("unknown")
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

const ACTION_CODES: [&str; 42] = [
    "customer_read",
    "customer_write",
    "customer_export",
    "customer_erase",
    "consent_record",
    "appointment_book",
    "appointment_transition",
    "waitlist_manage",
    "service_record_read",
    "service_record_write",
    "contraindication_override",
    "feedback_submit",
    "feedback_read",
    "follow_up_manage",
    "complaint_intake",
    "complaint_read",
    "complaint_triage",
    "complaint_assign",
    "complaint_handle",
    "complaint_reopen",
    "complaint_close",
    "complaint_archive",
    "catalog_manage",
    "room_manage",
    "staff_manage",
    "store_settings",
    "product_manage",
    "stock_move",
    "loyalty_adjust",
    "report_view",
    "audit_read",
    "audit_write",
    "chain_view",
    "check_do",
    "check_supervise",
    "check_template_manage",
    "task_assign",
    "task_work",
    "checkout",
    "checkout_void",
    "loyalty_correct",
    "sales_report_view",
];

/// A refused action.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum PermissionError {
    /// The role may not do this.
    #[serde(rename = "permission.denied")]
    #[error("a {role} may not {action} ({sensitivity:?} data)")]
    Denied {
        /// Who tried.
        role: Role,
        /// What.
        action: Action,
        /// On what kind of data.
        sensitivity: Sensitivity,
    },
}

impl PermissionError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        "permission.denied"
    }
}

/// True if `role` reads every record of its store (every read at its highest sensitivity, and
/// every colleague's scorecard): the server sends its pulls the log as written, and a device
/// one of whose people holds it already has everything.
pub fn reads_everything(role: Role) -> bool {
    let may = |action| allowed(role, action, Sensitivity::Sensitive);
    may(Action::CustomerRead)
        && may(Action::ServiceRecordRead)
        && may(Action::ComplaintRead)
        && may(Action::FeedbackRead)
        && may(Action::AuditRead)
        && may(Action::ReportView)
}

/// May `role` do `action` on data of `sensitivity`? The single source of truth for client and server.
pub fn allowed(role: Role, action: Action, sensitivity: Sensitivity) -> bool {
    use Action as A;
    use Role::*;
    use Sensitivity::{Ordinary, Sensitive};
    if role == Owner {
        return true;
    }
    match (action, sensitivity) {
        (A::CustomerRead, Ordinary) => true,
        (A::CustomerRead, Sensitive) => matches!(
            role,
            Manager | Therapist | TechnicalSupervisor | CustomerServiceSupervisor
        ),
        (A::CustomerWrite, Ordinary) => matches!(
            role,
            Manager | Reception | Therapist | CustomerServiceSupervisor | TechnicalSupervisor
        ),
        (A::CustomerWrite, Sensitive) => matches!(role, Manager | Therapist | TechnicalSupervisor),
        (A::CustomerExport, _) => matches!(role, Manager | CustomerServiceSupervisor),
        (A::CustomerErase, _) => matches!(role, Manager),
        // Whoever may write health data may witness the consent to keep it.
        (A::ConsentRecord, _) => matches!(
            role,
            Manager | Reception | Therapist | CustomerServiceSupervisor | TechnicalSupervisor
        ),
        (A::AppointmentBook, _) => matches!(
            role,
            Manager | Reception | Therapist | CustomerServiceSupervisor
        ),
        (A::AppointmentTransition, _) => role != FinanceSupervisor,
        (A::WaitlistManage, _) => matches!(role, Manager | Reception | CustomerServiceSupervisor),
        (A::ServiceRecordRead, Ordinary) => true,
        (A::ServiceRecordRead, Sensitive) => matches!(
            role,
            Manager | Therapist | TechnicalSupervisor | CustomerServiceSupervisor
        ),
        (A::ServiceRecordWrite, _) => matches!(role, Manager | Therapist | TechnicalSupervisor),
        (A::ContraindicationOverride, _) => matches!(role, Manager | TechnicalSupervisor),
        (A::FeedbackSubmit, _) => true,
        (A::FeedbackRead, _) => matches!(
            role,
            Manager | Therapist | CustomerServiceSupervisor | TechnicalSupervisor
        ),
        (A::FollowUpManage, _) => matches!(
            role,
            Manager | Reception | Therapist | CustomerServiceSupervisor
        ),
        (A::ComplaintIntake, _) => true,
        (A::ComplaintRead, _) | (A::ComplaintHandle, _) => matches!(
            role,
            Manager | CustomerServiceSupervisor | TechnicalSupervisor | FinanceSupervisor
        ),
        (A::ComplaintTriage, _)
        | (A::ComplaintAssign, _)
        | (A::ComplaintReopen, _)
        | (A::ComplaintClose, _)
        | (A::ComplaintArchive, _) => matches!(role, Manager | CustomerServiceSupervisor),
        (A::CatalogManage, _) | (A::ProductManage, _) => {
            matches!(role, Manager | TechnicalSupervisor)
        }
        (A::RoomManage, _) | (A::StaffManage, _) | (A::StoreSettings, _) | (A::AuditRead, _) => {
            role == Manager
        }
        (A::StockMove, _) => matches!(
            role,
            Manager | Reception | Therapist | TechnicalSupervisor | FinanceSupervisor
        ),
        (A::LoyaltyAdjust, _) => matches!(role, Manager | Reception | FinanceSupervisor),
        (A::ReportView, _) => matches!(
            role,
            Manager | CustomerServiceSupervisor | TechnicalSupervisor | FinanceSupervisor
        ),
        (A::AuditWrite, _) => true,
        // The owner only (answered above): the head office sees every store.
        (A::ChainView, _) => false,
        // Seed 003: the staff keep their rooms and tools clean and check them daily; seed 000:
        // supervisors and the manager check the service, feedback and information, and see that
        // what failed is put right; the manager (and owner) set the checklists.
        (A::CheckDo, _) => matches!(
            role,
            Manager | Reception | Therapist | CustomerServiceSupervisor | TechnicalSupervisor
        ),
        (A::CheckSupervise, _) => matches!(
            role,
            Manager | CustomerServiceSupervisor | TechnicalSupervisor
        ),
        (A::CheckTemplateManage, _) => role == Manager,
        // Seed 004: the butler's superior (the manager, the customer-service supervisor) hands
        // out tasks; anyone may be given one and mark it done.
        (A::TaskAssign, _) => matches!(role, Manager | CustomerServiceSupervisor),
        (A::TaskWork, _) => true,
        // The desk takes the money at the end of a visit (seed 000's reception); the manager
        // stands in. Therapists do not handle payment, and the finance supervisor checks the
        // books rather than serving at the counter. Undoing a sale is the manager's call.
        (A::Checkout, _) => matches!(role, Manager | Reception),
        (A::CheckoutVoid, _) => role == Manager,
        // A level given by hand is a discount on every later bill, and settling an overdrawn
        // balance forgives or books money: the manager's call, as a void is.
        (A::LoyaltyCorrect, _) => role == Manager,
        // The store's takings and what it owes its customers: the manager and the finance
        // supervisor who checks the books (the owner, above), not every supervisor who reads
        // the satisfaction reports.
        (A::SalesReportView, _) => matches!(role, Manager | FinanceSupervisor),
    }
}

/// The parts of the app a person may open, each following from the actions it offers: the
/// navigation shows a role exactly these, and a link to another shows "not available for your
/// role" (the server refuses the actions themselves whatever a page shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Area {
    /// Today: the day's arrivals, reminders and alerts (everyone's home).
    Today,
    /// Customer files: search and read.
    Customers,
    /// A new or changed customer file.
    CustomerEdit,
    /// The appointment book.
    Calendar,
    /// The treatment room: the therapist's day, the visit, the feedback kiosk.
    Bedside,
    /// Taking in a complaint (anyone who hears one).
    ComplaintIntake,
    /// The complaint inboxes, cases and the case library.
    Complaints,
    /// Follow-up calls.
    FollowUps,
    /// Products and stock: the catalogue, batches, receiving, stocktake.
    Stock,
    /// Check-out: the bill, payments, receipts, voids, overdrawn balances.
    Checkout,
    /// Internal checks: hygiene checklists, spot checks, corrective actions.
    Checks,
    /// Reports.
    Reports,
    /// Set-up: staff and logins, rooms, catalog, the store's settings.
    Setup,
    /// The device's own settings (language, PIN, sync, backup).
    Settings,
    /// The chain's head office: every store's day, opening a store (the owner).
    HeadOffice,
    /// Who read or changed customers' sensitive data (the audit log).
    Audit,
}

impl Area {
    /// Every area, in the navigation's order.
    pub const ALL: [Area; 16] = [
        Area::Today,
        Area::Customers,
        Area::CustomerEdit,
        Area::Calendar,
        Area::Bedside,
        Area::ComplaintIntake,
        Area::Complaints,
        Area::FollowUps,
        Area::Stock,
        Area::Checkout,
        Area::Checks,
        Area::Reports,
        Area::Setup,
        Area::Settings,
        Area::HeadOffice,
        Area::Audit,
    ];

    /// The actions of the area: a role may open it when it may do any of them.
    pub fn actions(self) -> &'static [Action] {
        use Action as A;
        match self {
            Area::Today | Area::Settings => &[A::AuditWrite],
            Area::Customers => &[A::CustomerRead],
            Area::CustomerEdit => &[A::CustomerWrite],
            Area::Calendar => &[A::AppointmentBook, A::AppointmentTransition],
            Area::Bedside => &[A::ServiceRecordWrite],
            Area::ComplaintIntake => &[A::ComplaintIntake],
            Area::Complaints => &[A::ComplaintRead],
            Area::FollowUps => &[A::FollowUpManage],
            Area::Stock => &[A::ProductManage, A::StockMove],
            Area::Checkout => &[A::Checkout, A::CheckoutVoid, A::LoyaltyCorrect],
            Area::Checks => &[A::CheckDo, A::CheckSupervise, A::CheckTemplateManage],
            Area::Reports => &[A::ReportView, A::SalesReportView],
            Area::HeadOffice => &[A::ChainView],
            Area::Audit => &[A::AuditRead],
            Area::Setup => &[
                A::StaffManage,
                A::RoomManage,
                A::CatalogManage,
                A::StoreSettings,
            ],
        }
    }
}

/// May `role` open `area`?
pub fn may_open(role: Role, area: Area) -> bool {
    area.actions()
        .iter()
        .any(|a| allowed(role, *a, Sensitivity::Ordinary))
}

/// [`allowed`], as a `Result` carrying the reason.
pub fn check(role: Role, action: Action, sensitivity: Sensitivity) -> Result<(), PermissionError> {
    if allowed(role, action, sensitivity) {
        Ok(())
    } else {
        Err(PermissionError::Denied {
            role,
            action,
            sensitivity,
        })
    }
}

/// Must doing `action` on data of `sensitivity` leave an audit entry? Sensitive reads and writes,
/// exports, erasures and contraindication overrides are always logged.
pub fn requires_audit(action: Action, sensitivity: Sensitivity) -> bool {
    sensitivity == Sensitivity::Sensitive
        || matches!(
            action,
            Action::CustomerExport
                | Action::CustomerErase
                | Action::ContraindicationOverride
                | Action::StaffManage
        )
}

#[cfg(test)]
mod area_tests {
    use super::*;

    #[test]
    fn each_role_opens_the_areas_of_its_work() {
        use Area::*;
        let opens = |role: Role| -> Vec<Area> {
            Area::ALL
                .into_iter()
                .filter(|a| may_open(role, *a))
                .collect()
        };
        assert_eq!(opens(Role::Owner), Area::ALL.to_vec());
        // The manager runs her store, not the chain.
        assert_eq!(
            opens(Role::Manager),
            Area::ALL
                .into_iter()
                .filter(|a| *a != HeadOffice)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            opens(Role::Reception),
            vec![
                Today,
                Customers,
                CustomerEdit,
                Calendar,
                ComplaintIntake,
                FollowUps,
                Stock,
                Checkout,
                Checks,
                Settings
            ]
        );
        assert_eq!(
            opens(Role::Therapist),
            vec![
                Today,
                Customers,
                CustomerEdit,
                Calendar,
                Bedside,
                ComplaintIntake,
                FollowUps,
                Stock,
                Checks,
                Settings
            ]
        );
        assert_eq!(
            opens(Role::CustomerServiceSupervisor),
            vec![
                Today,
                Customers,
                CustomerEdit,
                Calendar,
                ComplaintIntake,
                Complaints,
                FollowUps,
                Checks,
                Reports,
                Settings
            ]
        );
        assert_eq!(
            opens(Role::TechnicalSupervisor),
            vec![
                Today,
                Customers,
                CustomerEdit,
                Calendar,
                Bedside,
                ComplaintIntake,
                Complaints,
                Stock,
                Checks,
                Reports,
                Setup,
                Settings
            ]
        );
        assert_eq!(
            opens(Role::FinanceSupervisor),
            vec![
                Today,
                Customers,
                ComplaintIntake,
                Complaints,
                Stock,
                Reports,
                Settings
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Sensitivity::*;

    #[test]
    fn action_codes_match_serde() {
        for a in Action::ALL {
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::Value::from(a.code()),
                "{a:?}"
            );
        }
    }

    #[test]
    fn owner_may_do_everything() {
        for a in Action::ALL {
            for s in [Ordinary, Sensitive] {
                assert!(allowed(Role::Owner, a, s));
            }
        }
    }

    #[test]
    fn sensitive_customer_fields() {
        // Reading.
        for (role, ok) in [
            (Role::Manager, true),
            (Role::Reception, false),
            (Role::Therapist, true),
            (Role::CustomerServiceSupervisor, true),
            (Role::TechnicalSupervisor, true),
            (Role::FinanceSupervisor, false),
        ] {
            assert_eq!(
                allowed(role, Action::CustomerRead, Sensitive),
                ok,
                "{role:?}"
            );
            assert!(allowed(role, Action::CustomerRead, Ordinary), "{role:?}");
        }
        // Writing.
        for (role, ok) in [
            (Role::Manager, true),
            (Role::Reception, false),
            (Role::Therapist, true),
            (Role::CustomerServiceSupervisor, false),
            (Role::TechnicalSupervisor, true),
            (Role::FinanceSupervisor, false),
        ] {
            assert_eq!(
                allowed(role, Action::CustomerWrite, Sensitive),
                ok,
                "{role:?}"
            );
        }
        assert!(allowed(Role::Reception, Action::CustomerWrite, Ordinary));
        assert!(!allowed(
            Role::FinanceSupervisor,
            Action::CustomerWrite,
            Ordinary
        ));
    }

    #[test]
    fn complaint_team() {
        for a in [
            Action::ComplaintTriage,
            Action::ComplaintAssign,
            Action::ComplaintClose,
            Action::ComplaintArchive,
        ] {
            assert!(allowed(Role::CustomerServiceSupervisor, a, Ordinary));
            assert!(allowed(Role::Manager, a, Ordinary));
            assert!(!allowed(Role::TechnicalSupervisor, a, Ordinary));
            assert!(!allowed(Role::Therapist, a, Ordinary));
        }
        for r in [
            Role::TechnicalSupervisor,
            Role::FinanceSupervisor,
            Role::CustomerServiceSupervisor,
        ] {
            assert!(allowed(r, Action::ComplaintHandle, Ordinary));
        }
        assert!(!allowed(Role::Reception, Action::ComplaintRead, Ordinary));
        for r in Role::ALL {
            assert!(allowed(r, Action::ComplaintIntake, Ordinary));
            assert!(allowed(r, Action::FeedbackSubmit, Ordinary));
            assert!(allowed(r, Action::AuditWrite, Sensitive));
        }
    }

    #[test]
    fn overrides_and_admin() {
        assert!(allowed(
            Role::TechnicalSupervisor,
            Action::ContraindicationOverride,
            Ordinary
        ));
        assert!(!allowed(
            Role::Therapist,
            Action::ContraindicationOverride,
            Ordinary
        ));
        assert!(!allowed(
            Role::Reception,
            Action::ContraindicationOverride,
            Ordinary
        ));
        assert!(allowed(Role::Manager, Action::CustomerErase, Sensitive));
        assert!(!allowed(
            Role::CustomerServiceSupervisor,
            Action::CustomerErase,
            Sensitive
        ));
        assert!(allowed(
            Role::CustomerServiceSupervisor,
            Action::CustomerExport,
            Sensitive
        ));
        assert!(!allowed(Role::Reception, Action::StoreSettings, Ordinary));
        assert!(!allowed(
            Role::FinanceSupervisor,
            Action::AppointmentTransition,
            Ordinary
        ));
        assert!(allowed(
            Role::FinanceSupervisor,
            Action::LoyaltyAdjust,
            Ordinary
        ));
    }

    #[test]
    fn check_gives_a_reason() {
        let e = check(Role::Reception, Action::CustomerRead, Sensitive).unwrap_err();
        assert_eq!(e.code(), "permission.denied");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "permission.denied");
        assert_eq!(json["role"], "reception");
        assert_eq!(json["action"], "customer_read");
        assert_eq!(json["sensitivity"], "sensitive");
    }

    #[test]
    fn stock_work() {
        // Products and batches are the catalogue's keepers'; moving stock is everyone's who
        // handles it (using it in a service, selling it, counting it) except customer service.
        for (role, manage, moves) in [
            (Role::Manager, true, true),
            (Role::TechnicalSupervisor, true, true),
            (Role::Therapist, false, true),
            (Role::Reception, false, true),
            (Role::FinanceSupervisor, false, true),
            (Role::CustomerServiceSupervisor, false, false),
        ] {
            assert_eq!(
                allowed(role, Action::ProductManage, Ordinary),
                manage,
                "{role:?}"
            );
            assert_eq!(
                allowed(role, Action::StockMove, Ordinary),
                moves,
                "{role:?}"
            );
            assert_eq!(may_open(role, Area::Stock), manage || moves, "{role:?}");
        }
    }

    #[test]
    fn check_work() {
        // Seed 003: everyone working in the rooms does their daily hygiene check; seed 000: the
        // supervisors and the manager do the spot checks and verify; the manager sets the lists.
        for (role, does, supervises, templates) in [
            (Role::Manager, true, true, true),
            (Role::Therapist, true, false, false),
            (Role::Reception, true, false, false),
            (Role::CustomerServiceSupervisor, true, true, false),
            (Role::TechnicalSupervisor, true, true, false),
            (Role::FinanceSupervisor, false, false, false),
        ] {
            assert_eq!(allowed(role, Action::CheckDo, Ordinary), does, "{role:?}");
            assert_eq!(
                allowed(role, Action::CheckSupervise, Ordinary),
                supervises,
                "{role:?}"
            );
            assert_eq!(
                allowed(role, Action::CheckTemplateManage, Ordinary),
                templates,
                "{role:?}"
            );
            assert_eq!(may_open(role, Area::Checks), does, "{role:?}");
        }
    }

    #[test]
    fn audit_rules() {
        assert!(requires_audit(Action::CustomerRead, Sensitive));
        assert!(!requires_audit(Action::CustomerRead, Ordinary));
        assert!(requires_audit(Action::CustomerExport, Ordinary));
        assert!(requires_audit(Action::ContraindicationOverride, Ordinary));
    }

    /// Only the owner and the manager read everything a store logs: a shared tablet where one of
    /// them pulled needs no second pull for a colleague.
    #[test]
    fn only_the_owner_and_the_manager_read_everything() {
        let all: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| reads_everything(*r))
            .collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.contains(&Role::Owner) && all.contains(&Role::Manager));
    }
}
