//! What is kept, for how long, and by which rule: the classes of data of DESIGN.md's
//! retention, each with its period and the period's source, on the school's settings
//! (`kit::retention`).
//!
//! - The **core 学籍 record** of a student whose schooling ended here (graduated, dropped
//!   out, died, went abroad, left otherwise) is kept permanently (中小学生学籍管理办法 Art. 9).
//!   A school may configure a rule that lets a destruction batch erase one after so many
//!   years, and must cite where that rule comes from (`XUEJI_ARCHIVE_ERASE_YEARS` with
//!   `XUEJI_ARCHIVE_ERASE_RULE`); without one, no batch ever takes a core record.
//! - The **backup of a transferred-out student** (Art. 9: the sending school keeps an
//!   electronic backup) is kept `XUEJI_RETENTION_YEARS` (default 3), then due.
//! - **Working data** (drafts, roster uploads, sessions, refused-form copies, released
//!   views) goes on its own short schedule, by the sweeper or at its end.
//!
//! Both records count from the later of the leaving day and the day the leaving was
//! recorded (an approval, a rollover), never from a date typed alone; and a month after
//! that the record is archived (`kit::retention::archived`): no page opens it, and only an
//! approved information request releases it.

use chrono::{DateTime, Utc};

use crate::{
    features::retention::views::{DataClass, Kept},
    kit::retention::{Retention, years_before},
};

/// Who is due at a moment: those kept as a backup who left at or before `backup`, and,
/// where a rule allows it, those kept as a core record who left at or before `core`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoffs {
    pub backup: DateTime<Utc>,
    pub core: Option<DateTime<Utc>>,
}

/// Who is due at `now`.
pub fn cutoffs(retention: &Retention, now: DateTime<Utc>) -> Cutoffs {
    Cutoffs {
        backup: years_before(now, retention.backup_years),
        core: retention
            .archive_rule
            .as_ref()
            .map(|r| years_before(now, r.years)),
    }
}

/// The classes of data as the retention page shows them, in its order.
pub fn classes(retention: &Retention, sessions: &crate::state::SessionPolicy) -> Vec<DataClass> {
    let class = |code: &str, kept: Kept, source: &str| DataClass {
        code: code.into(),
        kept,
        source: source.into(),
        erasable: None,
    };
    let lifetimes = retention.lifetimes;
    vec![
        DataClass {
            erasable: retention
                .archive_rule
                .as_ref()
                .map(|r| (r.years, r.citation.clone())),
            ..class("core_record", Kept::Permanently, "art9")
        },
        class(
            "transfer_backup",
            Kept::Years(retention.backup_years),
            "art9_setting",
        ),
        class(
            "drafts",
            Kept::Days(lifetimes.draft_days),
            "policy2_setting",
        ),
        class(
            "uploads",
            Kept::Days(lifetimes.upload_days),
            "policy2_setting",
        ),
        class(
            "sessions",
            Kept::Minutes(u32::try_from(sessions.idle.num_minutes()).unwrap_or(0)),
            "policy_sessions",
        ),
        class("refused_forms", Kept::UntilShown, "policy2"),
        class("released_views", Kept::UntilWindowEnds, "policy2"),
    ]
}

/// What a student who left for `left_reason` is kept as: a transferred-out student's
/// backup, or a core record.
pub fn kept_as(left_reason: Option<&str>) -> &'static str {
    if left_reason == Some("transferred") {
        "transfer_backup"
    } else {
        "core_record"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::retention::ArchiveRule;
    use chrono::TimeZone;

    #[test]
    fn a_core_record_is_due_only_under_a_cited_rule() {
        let now = Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap();
        let kept = Retention::default();
        assert_eq!(cutoffs(&kept, now).core, None);
        let ruled = Retention {
            archive_rule: Some(ArchiveRule {
                years: 10,
                citation: "某省学籍档案管理细则 第十二条".into(),
            }),
            ..Retention::default()
        };
        assert_eq!(
            cutoffs(&ruled, now).core,
            Some(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap())
        );
        assert_eq!(
            classes(&ruled, &Default::default())[0].erasable,
            Some((10, "某省学籍档案管理细则 第十二条".into()))
        );
        assert_eq!(kept_as(Some("transferred")), "transfer_backup");
        assert_eq!(kept_as(Some("graduated")), "core_record");
        assert_eq!(kept_as(None), "core_record");
    }
}
