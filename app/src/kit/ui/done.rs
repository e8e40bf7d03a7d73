//! What an action did, said on the page it leads to.
//!
//! A server function that changed something sends the browser on with `?done=<code>` (and
//! the counts its message names, `&rows=47`): codes and numbers only, never a name or a
//! value, so the address carries nothing personal. Every page shows the message at the top
//! of its main part, read out by screen readers (a status region that takes the focus, and
//! the page's title), with and without JavaScript. An unknown code or a count that is not a
//! number shows nothing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{i18n::Locale, kit::ui::use_locale, tr};

macro_rules! outcomes {
    ($($variant:ident => $code:literal $([$($count:literal),+])?,)+) => {
        /// An outcome a page can announce. Its message is `done.<code>` in the catalogue,
        /// with a `%{name}` placeholder for each of its counts.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Done {
            $($variant,)+
        }

        impl Done {
            pub const ALL: &[Done] = &[$(Done::$variant,)+];

            /// The code in the address.
            pub fn code(self) -> &'static str {
                match self {
                    $(Done::$variant => $code,)+
                }
            }

            /// The names of the counts its message states.
            pub fn counts(self) -> &'static [&'static str] {
                match self {
                    $(Done::$variant => &[$($($count),+)?],)+
                }
            }
        }
    };
}

outcomes! {
    // Student records.
    Saved => "saved",
    SavedAndSubmitted => "saved_submitted",
    DraftDiscarded => "draft_discarded",
    Submitted => "submitted",
    Verified => "verified",
    BatchVerified => "batch_verified" ["verified", "kept"],
    Returned => "returned",
    MarkedTopSecret => "top_secret",
    MarkedSecret => "secret",
    // Roster import.
    Checked => "checked",
    Imported => "imported" ["rows"],
    ImportedIncomplete => "imported_incomplete" ["rows", "incomplete"],
    UploadDiscarded => "upload_discarded",
    // The school's structure.
    YearCreated => "year_created",
    SpringTermSet => "spring_term_set",
    ClassCreated => "class_created",
    TeacherAssigned => "teacher_assigned",
    TeacherRemoved => "teacher_removed",
    RolloverPreviewed => "rollover_previewed",
    RolledOver => "rolled_over" ["classes", "promoted", "graduated"],
    // Accounts and roles.
    AccountCreated => "account_created",
    Disabled => "disabled",
    Enabled => "enabled",
    SessionsEnded => "sessions_ended",
    PasswordReset => "password_reset",
    ResetProposed => "reset_proposed",
    ChangeProposed => "change_proposed",
    CodeShown => "code_shown",
    Reopened => "reopened",
    RoleGranted => "role_granted",
    RoleProposed => "role_proposed",
    RoleRevoked => "role_revoked",
    RevokeProposed => "revoke_proposed",
    GrantApproved => "grant_approved",
    GrantRejected => "grant_rejected",
    PolicySaved => "policy_saved",
    PasswordChanged => "password_changed",
    Welcome => "welcome",
    SignedOut => "signed_out",
    NoticeDismissed => "notice_dismissed",
    // Information requests.
    StudentConfirmed => "student_confirmed",
    Filed => "filed",
    Withdrawn => "withdrawn",
    Approved => "approved",
    Rejected => "rejected",
    Fulfilled => "fulfilled",
    Closed => "closed",
    Revoked => "revoked",
    // Account handovers.
    HandoverApplied => "handover_applied",
    HandoverApproved => "handover_approved",
    HandoverRejected => "handover_rejected",
    HandoverWithdrawn => "handover_withdrawn",
    // The school's calendar.
    CalendarDaySet => "calendar_day_set",
    CalendarDayRemoved => "calendar_day_removed",
    // Changes of status.
    ChangeFiled => "change_filed",
    ChangeApproved => "change_approved",
    ChangeReturned => "change_returned",
    ChangeWithdrawn => "change_withdrawn",
    ProofAdded => "proof_added",
    // Problem records.
    ProblemEvidenced => "problem_evidenced",
    FeedbackImported => "feedback_imported" ["matched", "not_here", "not_understood"],
    // Publication review.
    PublicationScanned => "publication_scanned",
    PublicationSubmitted => "publication_submitted",
    PublicationApproved => "publication_approved",
    PublicationRejected => "publication_rejected",
    PublicationWithdrawn => "publication_withdrawn",
    // Leak reports.
    LeakFiled => "leak_filed",
    LeakAcknowledged => "leak_acknowledged",
    LeakContained => "leak_contained",
    LeakUnfrozen => "leak_unfrozen",
    FreezeConfirmed => "freeze_confirmed",
    LeakRemedied => "leak_remedied",
    LeakClosed => "leak_closed",
    // Retention and destruction.
    DestructionProposed => "destruction_proposed",
    DestructionApproved => "destruction_approved",
    DestructionRejected => "destruction_rejected",
    StudentLeftUndone => "student_left_undone",
    // Inspections.
    InspectionRecorded => "inspection_recorded",
    // Sessions.
    SessionEnded => "session_ended",
}

impl Done {
    pub fn parse(code: &str) -> Option<Done> {
        Done::ALL.iter().copied().find(|d| d.code() == code)
    }

    /// `path` saying what an import did: how many rows came in as drafts, and how many of
    /// them incomplete, for their homeroom teacher to complete.
    pub fn of_import(path: &str, rows: u64, incomplete: u64) -> String {
        if incomplete == 0 {
            Done::Imported.counted(path, &[("rows", rows)])
        } else {
            Done::ImportedIncomplete.counted(path, &[("rows", rows), ("incomplete", incomplete)])
        }
    }

    /// `path` (which may carry a query already) saying this outcome.
    pub fn at(self, path: &str) -> String {
        self.counted(path, &[])
    }

    /// `path` saying this outcome with its counts, each by name.
    pub fn counted(self, path: &str, counts: &[(&str, u64)]) -> String {
        debug_assert!(
            self.counts()
                .iter()
                .all(|name| counts.iter().any(|(n, _)| n == name)),
            "{self:?} needs its counts"
        );
        let mut url = format!(
            "{path}{}done={}",
            if path.contains('?') { '&' } else { '?' },
            self.code()
        );
        for (name, value) in counts {
            url.push_str(&format!("&{name}={value}"));
        }
        url
    }

    /// The message in `locale`, its counts from `count` (by name); `None` when one of them is
    /// missing or not a number.
    pub fn message(self, locale: Locale, count: impl Fn(&str) -> Option<String>) -> Option<String> {
        let mut text = tr!(locale, &format!("done.{}", self.code()));
        for name in self.counts() {
            let value: u64 = count(name)?.parse().ok()?;
            text = text.replace(&format!("%{{{name}}}"), &value.to_string());
        }
        Some(text)
    }
}

/// The outcome the address announces, at the top of the page's main part.
#[component]
pub fn DoneNotice() -> impl IntoView {
    let locale = use_locale();
    let message = use_query_map().with_untracked(|q| {
        Done::parse(&q.get("done")?).and_then(|d| d.message(locale, |name| q.get(name)))
    });
    message.map(|text| {
        let title = format!("{text} · {}", tr!(locale, "app.name"));
        view! {
            <Title text=title />
            <p class="notice done" role="status" tabindex="-1" autofocus data-testid="done">
                {text}
            </p>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_is_said_in_every_language_with_its_counts() {
        for done in Done::ALL {
            assert_eq!(Done::parse(done.code()), Some(*done));
            for locale in Locale::ALL {
                let raw = tr!(locale, &format!("done.{}", done.code()));
                assert_ne!(
                    raw,
                    format!("done.{}", done.code()),
                    "{done:?} in {locale:?}"
                );
                let placeholders = raw.matches("%{").count();
                assert_eq!(
                    placeholders,
                    done.counts().len(),
                    "{done:?} in {locale:?}: {raw}"
                );
                for name in done.counts() {
                    assert!(raw.contains(&format!("%{{{name}}}")), "{done:?} {name}");
                }
            }
        }
    }

    #[test]
    fn counts_are_numbers_or_nothing_is_said() {
        let at = Done::Imported.counted("/records/classes/c1", &[("rows", 47)]);
        assert_eq!(at, "/records/classes/c1?done=imported&rows=47");
        assert_eq!(
            Done::Saved.at("/requests?state=x"),
            "/requests?state=x&done=saved"
        );
        let said = Done::Imported.message(Locale::ZhCn, |n| (n == "rows").then(|| "47".into()));
        assert!(said.unwrap().contains("47"));
        assert_eq!(
            Done::Imported.message(Locale::ZhCn, |_| Some("<b>".into())),
            None
        );
        assert_eq!(Done::Imported.message(Locale::ZhCn, |_| None), None);
        assert_eq!(Done::parse("nothing"), None);
    }
}
