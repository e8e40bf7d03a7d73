//! What the requests' pages receive: one data object per view, holding only what its viewer
//! may see (they end up in the page).

use serde::{Deserialize, Serialize};

use crate::domain::requests::{FilingInput, Purpose, State};
use crate::features::structure::views::ClassRef;

/// A request in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub state: State,
    pub purpose: Purpose,
    pub requester: String,
    pub filed_at: String,
    pub students: usize,
    pub fields: usize,
    /// A student in it had a 绝密 record (shown to its handlers only).
    pub top_secret: bool,
    /// Changed since its requester last looked.
    pub changed: bool,
}

/// The requests start page: one's own, and what waits for one's decision or fulfilment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestsHome {
    pub filed: Vec<RequestSummary>,
    /// For a leader.
    pub awaiting_decision: Option<Vec<RequestSummary>>,
    /// For a records administrator.
    pub awaiting_release: Option<Vec<RequestSummary>>,
    /// Whether the register link is shown (leaders and the leading group).
    pub register: bool,
}

/// A student as the request pages name them: by name and class, linked by opaque id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedStudent {
    pub id: String,
    pub name: String,
    /// None: not named (a student found by number), or no longer there.
    pub class: Option<ClassRef>,
}

/// What a refused check of the picker keeps for its form: the name and the class, never a
/// number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickKept {
    pub name: String,
    pub class_id: String,
}

/// A field one may ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChoice {
    pub key: String,
    /// Its label's message key.
    pub label: String,
    /// Its section's message key.
    pub section: String,
    /// 机密 (or more).
    pub classified: bool,
    /// For a family member.
    pub family: bool,
}

/// The filing form: the students picked so far, the last search's hits, the classes one may
/// add whole, the fields, and what was typed in a refused filing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingView {
    /// The students picked one by one, as the filer named them (the class only when they
    /// named it).
    pub picked: Vec<NamedStudent>,
    /// Classes picked whole: (the session's entry, the class, how many students).
    pub picked_classes: Vec<(String, ClassRef, usize)>,
    /// The classes of the current school year, to pick whole: (its id, the class).
    pub classes: Vec<(String, ClassRef)>,
    pub fields: Vec<FieldChoice>,
    pub max_students: usize,
    /// What a refused filing had typed, to fill the form again.
    pub draft: FilingInput,
}

/// A student of one request, and how far they went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStudentView {
    pub student: NamedStudent,
    pub approved: bool,
    pub released: bool,
    /// A 绝密 record (shown to its handlers only).
    pub top_secret: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFieldView {
    pub field: FieldChoice,
    pub approved: bool,
    pub released: bool,
}

pub use crate::kit::workflow::HistoryEntry;

/// What the viewer may do with the request now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abilities {
    pub withdraw: bool,
    pub decide: bool,
    pub fulfil: bool,
    pub open: bool,
    pub close: bool,
    pub revoke: bool,
}

/// One request, as its requester, a leader or a records administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub state: State,
    pub purpose: Purpose,
    pub reason: String,
    pub outside_party: Option<String>,
    pub letter_reference: Option<String>,
    pub window_hours: i64,
    pub requester: String,
    pub filed_at: String,
    pub lapses_at: String,
    pub decided_by: Option<String>,
    pub decision_comment: Option<String>,
    pub fulfilled_by: Option<String>,
    pub released_at: Option<String>,
    pub ends_at: Option<String>,
    pub end_reason: Option<String>,
    pub top_secret: bool,
    /// For its requester: how many students of each class it is about.
    pub class_counts: Vec<(Option<ClassRef>, usize)>,
    pub students: Vec<RequestStudentView>,
    pub fields: Vec<RequestFieldView>,
    pub history: Vec<HistoryEntry>,
    pub can: Abilities,
    pub max_window_hours: i64,
}

/// An open release, for its requester's eyes: the watermark, the columns and the rows. A
/// `None` value is a 绝密 one withheld outside the trusted networks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseView {
    pub id: String,
    pub purpose: Purpose,
    pub watermark: String,
    pub ends_at: String,
    /// Seconds until the window ends (the page replaces itself then).
    pub ends_in_secs: i64,
    pub rows: Vec<ReleaseRow>,
    /// Some 绝密 values were withheld because the client is outside the trusted networks.
    pub withheld: bool,
    /// This opening's id: the page's reloads carry it, and are this opening, not others.
    pub opening: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRow {
    pub name: String,
    pub class: Option<ClassRef>,
    /// The student's own released fields: (label, value; `None` withheld).
    pub values: Vec<(String, Option<String>)>,
    /// Each family member's, under whom they are (their relation when it was released).
    pub members: Vec<ReleaseMember>,
}

/// One family member's released fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseMember {
    /// "母亲", or "家庭成员 2" when the relation was not released.
    pub heading: String,
    pub values: Vec<(String, Option<String>)>,
}

/// What the release page shows: the data while it is live, or that it is not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReleasePage {
    Live(ReleaseView),
    /// Not (or no longer) live: its state.
    NotLive {
        id: String,
        state: State,
    },
}

/// One request in the disclosure register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub id: String,
    pub state: State,
    pub purpose: Purpose,
    pub requester: String,
    pub approver: Option<String>,
    pub fulfiller: Option<String>,
    pub filed_at: String,
    pub released_at: Option<String>,
    /// The fields (released ones, or requested before a release), by key (`phone`,
    /// `guardian.phone`): `field_label` names them.
    pub fields: Vec<String>,
    pub students: usize,
    /// The openings: when, from where.
    pub openings: Vec<(String, String)>,
}

/// The register: all requests (filtered) or one student's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    pub student: Option<NamedStudent>,
    pub entries: Vec<RegisterEntry>,
    pub requesters: Vec<(i64, String)>,
    /// The filters as applied.
    pub state: String,
    pub purpose: String,
    pub requester: String,
    pub from: String,
    pub to: String,
}

/// The header's counts: requests waiting for the viewer's decision or fulfilment, and the
/// viewer's own requests that changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub decide: i64,
    pub fulfil: i64,
    pub changed: i64,
}

/// A requestable field's name as the request pages, the release and the register show it:
/// a family member's field says so ("家庭成员 · 联系电话（手机）"), so that a guardian's phone
/// is never read as the pupil's own.
pub fn field_label(locale: crate::i18n::Locale, key: &str) -> String {
    let Some(meta) = crate::domain::requests::requestable_field(key) else {
        return key.to_owned();
    };
    let label = crate::i18n::translate(locale, meta.label);
    if key.starts_with("guardian.") {
        format!(
            "{} · {}",
            crate::i18n::translate(locale, "section.family"),
            label
        )
    } else {
        label
    }
}
