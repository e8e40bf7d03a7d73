//! Every action the audit trail records, by its code: the one list the trail's readers see
//! named in words (`audit.action.<code>` in the catalogue; a refusal, `authz.<action>`, as
//! 访问被拒绝 with the action's name `access.<action>`). Appending an action missing here
//! fails in debug builds, so a new action cannot reach the trail unnamed.

pub const ACTIONS: &[&str] = &[
    "account.activation_code_shown",
    "account.bootstrap_admin",
    "account.created",
    "account.disabled",
    "account.enabled",
    "account.freeze_proposed",
    "account.frozen",
    "account.password_changed",
    "account.password_policy_set",
    "account.password_reset",
    "account.password_set",
    "account.reopened",
    "account.role_granted",
    "account.role_revoked",
    "account.sealed",
    "account.sessions_ended",
    "account.unfrozen",
    "audit.read",
    "audit.restore_accepted",
    "audit.witness_started",
    "auth.sign_in",
    "auth.sign_out",
    "authz.denied_repeatedly",
    "copies.expired",
    "destruction.approved",
    "destruction.names_shown",
    "destruction.proposed",
    "destruction.rejected",
    "info_request.approved",
    "info_request.closed",
    "info_request.expired",
    "info_request.filed",
    "info_request.fulfilled",
    "info_request.lapsed",
    "info_request.opened",
    "info_request.rejected",
    "info_request.revoked",
    "info_request.student_confirm_refused",
    "info_request.student_confirmed",
    "info_request.withdrawn",
    "inspection.recorded",
    "leak_report.acknowledged",
    "leak_report.closed",
    "leak_report.contained",
    "leak_report.filed",
    "leak_report.freeze_confirmed",
    "leak_report.remedied",
    "leak_report.unfrozen",
    "problem_record.evidenced",
    "problem_record.feedback_imported",
    "publication_review.approved",
    "publication_review.drafted",
    "publication_review.rejected",
    "publication_review.scanned",
    "publication_review.submitted",
    "publication_review.withdrawn",
    "records.calendar_day_removed",
    "records.calendar_day_set",
    "records.class_created",
    "records.demo_data",
    "records.homeroom_assigned",
    "records.key_rotated",
    "records.number_search_refused",
    "records.number_searched",
    "records.rollover",
    "records.roster_checked",
    "records.roster_imported",
    "records.roster_uploaded",
    "records.school_year_created",
    "records.spring_term_set",
    "register.read",
    "role_grant.approved",
    "role_grant.proposed",
    "role_grant.rejected",
    "role_handover.applied",
    "role_handover.approved",
    "role_handover.rejected",
    "role_handover.withdrawn",
    "status_change.approved",
    "status_change.filed",
    "status_change.migrated",
    "status_change.proof_added",
    "status_change.proof_read",
    "status_change.rejected",
    "status_change.withdrawn",
    "student.classification_changed",
    "student.created",
    "student.left",
    "student.left_undone",
    "student.returned",
    "student.submitted",
    "student.unmasked",
    "student.updated",
    "student.verified",
];

/// The refusal of an action (`authz.<action code>`): the action refused.
pub fn refused(code: &str) -> Option<crate::domain::access::Action> {
    let action = code.strip_prefix("authz.")?;
    crate::domain::access::Action::ALL
        .iter()
        .copied()
        .find(|a| a.code() == action)
}

/// Whether `code` is an action the trail may record.
pub fn known(code: &str) -> bool {
    ACTIONS.contains(&code) || refused(code).is_some()
}

/// The catalogue key of the action's name (for a refusal, the refused action's).
pub fn label_key(code: &str) -> String {
    match refused(code) {
        Some(action) => format!("access.{}", action.code()),
        None => format!("audit.action.{code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn every_action_and_every_refusal_is_named_in_every_language() {
        let refusals = crate::domain::access::Action::ALL
            .iter()
            .map(|a| format!("authz.{}", a.code()));
        for code in ACTIONS.iter().map(|a| a.to_string()).chain(refusals) {
            assert!(known(&code), "{code}");
            for locale in Locale::ALL {
                let key = label_key(&code);
                assert_ne!(crate::tr!(locale, &key), key, "{code} in {locale:?}");
            }
        }
        assert!(!known("door.opened") && !known("authz.nothing"));
        let mut sorted = ACTIONS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ACTIONS, "sorted, once each");
    }
}
