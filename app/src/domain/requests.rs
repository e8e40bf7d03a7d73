//! Information requests (信息查询申请): the rules of filing, approving and releasing, as pure
//! functions over what was typed and what is stored (the feature of the same name applies
//! them).

use serde::{Deserialize, Serialize};

use crate::{
    domain::records::fields::{self, Meta},
    errors::{AppError, ErrorKind, FieldError},
};

/// A reason shorter than this (letters, digits and characters, not counting spaces and
/// punctuation) is refused: "." or "查询" says nothing an approver could weigh.
pub const MIN_REASON_CHARS: usize = 10;
pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_PARTY_CHARS: usize = 100;
pub const MAX_LETTER_CHARS: usize = 60;
pub const MAX_COMMENT_CHARS: usize = 500;
/// The window a release is live for, counted from its fulfilment.
pub const DEFAULT_WINDOW_HOURS: i64 = 24;
pub const MAX_WINDOW_HOURS: i64 = 72;
/// A request nobody decides within this many days lapses; so does an approval nobody
/// releases within this many days of it (the need it was approved for has passed, and its
/// students are held from destruction while it stands).
pub const LAPSE_DAYS: i64 = 7;
/// At most this many students in one request (a whole class fits; the school does not).
pub const MAX_STUDENTS: usize = 120;

/// Why the data is wanted: a fixed list, so the register can be read by purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 升学/转学办理.
    Transfer,
    /// 资助核对.
    Aid,
    /// 家校联系.
    HomeContact,
    /// 卫生健康.
    Health,
    /// 上级部门统计.
    Statistics,
    /// 公安/司法协查.
    Police,
    /// 其他.
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Purpose::Transfer,
        Purpose::Aid,
        Purpose::HomeContact,
        Purpose::Health,
        Purpose::Statistics,
        Purpose::Police,
        Purpose::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Transfer => "transfer",
            Purpose::Aid => "aid",
            Purpose::HomeContact => "home_contact",
            Purpose::Health => "health",
            Purpose::Statistics => "statistics",
            Purpose::Police => "police",
            Purpose::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Purpose::Transfer => "purpose.transfer",
            Purpose::Aid => "purpose.aid",
            Purpose::HomeContact => "purpose.home_contact",
            Purpose::Health => "purpose.health",
            Purpose::Statistics => "purpose.statistics",
            Purpose::Police => "purpose.police",
            Purpose::Other => "purpose.other",
        }
    }

    /// Whether the data goes to an outside party, who must be named with the reference of
    /// their introduction letter (介绍信).
    pub fn for_outside_party(self) -> bool {
        matches!(
            self,
            Purpose::Transfer | Purpose::Statistics | Purpose::Police
        )
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Requested,
    Withdrawn,
    Lapsed,
    Rejected,
    Approved,
    Released,
    Closed,
    Expired,
    Revoked,
}

impl State {
    pub const ALL: [State; 9] = [
        State::Requested,
        State::Withdrawn,
        State::Lapsed,
        State::Rejected,
        State::Approved,
        State::Released,
        State::Closed,
        State::Expired,
        State::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Requested => "requested",
            State::Withdrawn => "withdrawn",
            State::Lapsed => "lapsed",
            State::Rejected => "rejected",
            State::Approved => "approved",
            State::Released => "released",
            State::Closed => "closed",
            State::Expired => "expired",
            State::Revoked => "revoked",
        }
    }

    pub fn parse(code: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            State::Requested => "request_state.requested",
            State::Withdrawn => "request_state.withdrawn",
            State::Lapsed => "request_state.lapsed",
            State::Rejected => "request_state.rejected",
            State::Approved => "request_state.approved",
            State::Released => "request_state.released",
            State::Closed => "request_state.closed",
            State::Expired => "request_state.expired",
            State::Revoked => "request_state.revoked",
        }
    }

    /// Whether nothing more can happen to it.
    pub fn is_final(self) -> bool {
        !matches!(self, State::Requested | State::Approved | State::Released)
    }
}

/// The fields a request may ask for, by the key it names them with: a student's (`phone`)
/// or every family member's (`guardian.phone`), in the catalogue's order.
pub fn requestable() -> impl Iterator<Item = (String, Meta)> {
    let student = fields::STUDENT
        .iter()
        .filter(|f| f.meta.releasable)
        .map(|f| (f.meta.key.to_owned(), f.meta));
    let family = fields::FAMILY
        .iter()
        .filter(|f| f.meta.releasable)
        .map(|f| (format!("guardian.{}", f.meta.key), f.meta));
    student.chain(family)
}

/// The catalogue entry of a requestable field key.
pub fn requestable_field(key: &str) -> Option<Meta> {
    fields::of_path(key)
        .filter(|m| m.releasable && (key.starts_with("guardian.") || !key.contains('.')))
}

/// A filing form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingInput {
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub outside_party: String,
    #[serde(default)]
    pub letter_reference: String,
    #[serde(default)]
    pub window_hours: String,
    #[serde(default)]
    pub fields: Vec<String>,
}

/// A family member's relation to the student, as a request names it.
const RELATION: &str = "guardian.relation";

impl FilingInput {
    /// What a refused filing keeps to show again: every text cut to its field's limit, and
    /// only the requestable fields, each once, so that what is kept is bounded whatever came.
    pub fn kept(&self) -> FilingInput {
        use crate::domain::cut;
        FilingInput {
            purpose: Purpose::parse(self.purpose.trim())
                .map(|p| p.code().to_owned())
                .unwrap_or_default(),
            reason: cut(&self.reason, MAX_REASON_CHARS),
            outside_party: cut(&self.outside_party, MAX_PARTY_CHARS),
            letter_reference: cut(&self.letter_reference, MAX_LETTER_CHARS),
            window_hours: cut(&self.window_hours, 4),
            fields: requestable()
                .map(|(key, _)| key)
                .filter(|key| self.fields.contains(key))
                .collect(),
        }
    }
}

/// A filing that passed every rule: the students are checked by the service, which knows
/// which exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filing {
    pub purpose: Purpose,
    pub reason: String,
    pub outside_party: Option<String>,
    pub letter_reference: Option<String>,
    pub window_hours: i64,
    /// Requestable keys, each once, in the catalogue's order.
    pub fields: Vec<String>,
}

fn field_error(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
    }
}

/// A typed text, trimmed, or the error of being longer than `max` characters.
fn bounded(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    (text.chars().count() <= max).then(|| text.to_owned())
}

/// The reason rule: at least `MIN_REASON_CHARS` letters, digits or characters (spaces and
/// punctuation do not count), of at least three different ones.
pub fn substantive(reason: &str) -> bool {
    let counted: Vec<char> = reason.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut distinct = counted.clone();
    distinct.sort_unstable();
    distinct.dedup();
    counted.len() >= MIN_REASON_CHARS && distinct.len() >= 3
}

/// A window in hours as typed: empty is the default, otherwise 1 to `max`.
pub fn window(typed: &str, max: i64) -> Option<i64> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Some(DEFAULT_WINDOW_HOURS.min(max));
    }
    typed.parse::<i64>().ok().filter(|h| (1..=max).contains(h))
}

/// A comment of a decision or an ending, trimmed and bounded; `required` refuses an empty one.
pub fn comment(typed: &str, field: &str, required: bool) -> Result<Option<String>, AppError> {
    let Some(text) = bounded(typed, MAX_COMMENT_CHARS) else {
        return Err(AppError::invalid(field, "request.too_long"));
    };
    if text.is_empty() {
        return if required {
            Err(AppError::invalid(field, "request.comment_required"))
        } else {
            Ok(None)
        };
    }
    Ok(Some(text))
}

impl Filing {
    /// Checks every rule at once, so that the form shows every problem beside its field.
    pub fn parse(input: &FilingInput) -> Result<Filing, AppError> {
        let mut errors = Vec::new();
        let purpose = Purpose::parse(input.purpose.trim());
        if purpose.is_none() {
            errors.push(field_error("purpose", "request.purpose_required"));
        }
        let reason = match bounded(&input.reason, MAX_REASON_CHARS) {
            None => {
                errors.push(field_error("reason", "request.too_long"));
                String::new()
            }
            Some(r) if !substantive(&r) => {
                errors.push(field_error("reason", "request.reason_short"));
                r
            }
            Some(r) => r,
        };
        let party = bounded(&input.outside_party, MAX_PARTY_CHARS);
        let letter = bounded(&input.letter_reference, MAX_LETTER_CHARS);
        if party.is_none() {
            errors.push(field_error("outside_party", "request.too_long"));
        }
        if letter.is_none() {
            errors.push(field_error("letter_reference", "request.too_long"));
        }
        let party = party.filter(|p| !p.is_empty());
        let letter = letter.filter(|l| !l.is_empty());
        if purpose.is_some_and(Purpose::for_outside_party) {
            if party.is_none() && !errors.iter().any(|e| e.field == "outside_party") {
                errors.push(field_error("outside_party", "request.party_required"));
            }
            if letter.is_none() && !errors.iter().any(|e| e.field == "letter_reference") {
                errors.push(field_error("letter_reference", "request.letter_required"));
            }
        }
        let window_hours = window(&input.window_hours, MAX_WINDOW_HOURS);
        if window_hours.is_none() {
            errors.push(field_error("window_hours", "request.window"));
        }
        let mut unknown = false;
        for key in &input.fields {
            unknown |= requestable_field(key).is_none();
        }
        // A family member's value says nothing without whose it is: asking for one asks
        // for their relation too (the leader may still strike it).
        let with_relation = input.fields.iter().any(|f| f.starts_with("guardian."))
            && requestable_field(RELATION).is_some();
        let fields: Vec<String> = requestable()
            .map(|(key, _)| key)
            .filter(|key| input.fields.contains(key) || (with_relation && key == RELATION))
            .collect();
        if unknown {
            errors.push(field_error("fields", "request.field_unknown"));
        } else if fields.is_empty() {
            errors.push(field_error("fields", "request.fields_required"));
        }
        if !errors.is_empty() {
            return Err(AppError {
                fields: errors,
                ..ErrorKind::InvalidInput.into()
            });
        }
        Ok(Filing {
            purpose: purpose.expect("checked above"),
            reason,
            outside_party: party,
            letter_reference: letter,
            window_hours: window_hours.expect("checked above"),
            fields,
        })
    }
}

/// What a decision or a fulfilment keeps of what came before it: a subset, never more, and
/// never nothing (striking everything is a rejection, not an approval). `kept` as typed may
/// repeat itself or name what was never there; the latter is refused.
pub fn narrowed<T: PartialEq + Clone>(
    before: &[T],
    kept: &[T],
    field: &str,
) -> Result<Vec<T>, AppError> {
    if kept.iter().any(|k| !before.contains(k)) {
        return Err(AppError::invalid(field, "request.widened"));
    }
    let out: Vec<T> = before
        .iter()
        .filter(|b| kept.contains(b))
        .cloned()
        .collect();
    if out.is_empty() {
        return Err(AppError::invalid(field, "request.nothing_kept"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> FilingInput {
        FilingInput {
            purpose: "home_contact".into(),
            reason: "联系家长商量期中考试后的辅导安排".into(),
            window_hours: String::new(),
            fields: vec!["phone".into(), "guardian.phone".into()],
            ..FilingInput::default()
        }
    }

    #[test]
    fn a_complete_filing_passes_with_the_default_window() {
        let filing = Filing::parse(&input()).unwrap();
        assert_eq!(filing.purpose, Purpose::HomeContact);
        assert_eq!(filing.window_hours, 24);
        // A family member's phone comes with whose it is.
        assert_eq!(
            filing.fields,
            ["phone", "guardian.relation", "guardian.phone"]
        );
        assert_eq!(filing.outside_party, None);
    }

    #[test]
    fn a_refused_filing_keeps_what_was_typed_within_bounds() {
        let typed = FilingInput {
            purpose: "<script>".into(),
            reason: "理".repeat(MAX_REASON_CHARS + 1),
            outside_party: "x".repeat(10_000),
            letter_reference: "第 12 号".into(),
            window_hours: "999999".into(),
            fields: vec![
                "address".into(),
                "nope".into(),
                "phone".into(),
                "phone".into(),
            ],
        };
        let kept = typed.kept();
        assert_eq!(kept.purpose, "", "an unknown purpose is not kept");
        assert_eq!(kept.reason.chars().count(), MAX_REASON_CHARS);
        assert_eq!(kept.outside_party.len(), MAX_PARTY_CHARS);
        assert_eq!(kept.letter_reference, "第 12 号");
        assert_eq!(kept.window_hours, "9999");
        assert_eq!(
            kept.fields,
            ["phone", "address"],
            "catalogue order, each once"
        );
        assert_eq!(input().kept(), input(), "a valid filing is kept whole");
    }

    #[test]
    fn a_reason_that_says_nothing_is_refused() {
        for reason in [
            ".",
            "查询",
            "。。。。。。。。。。。。",
            "aaaaaaaaaaaa",
            "查 询 一 下 。",
        ] {
            let e = Filing::parse(&FilingInput {
                reason: reason.into(),
                ..input()
            })
            .unwrap_err();
            assert_eq!(e.fields[0].field, "reason", "{reason}");
            assert_eq!(e.fields[0].code, "request.reason_short", "{reason}");
        }
        assert!(substantive("Call the parents about the trip"));
    }

    #[test]
    fn an_outside_party_needs_its_name_and_letter() {
        let e = Filing::parse(&FilingInput {
            purpose: "police".into(),
            ..input()
        })
        .unwrap_err();
        let codes: Vec<&str> = e.fields.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["request.party_required", "request.letter_required"]);
        let ok = Filing::parse(&FilingInput {
            purpose: "police".into(),
            outside_party: "城东派出所".into(),
            letter_reference: "东公协〔2026〕12号".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(ok.letter_reference.as_deref(), Some("东公协〔2026〕12号"));
    }

    #[test]
    fn the_window_is_one_to_seventy_two_hours() {
        for (typed, ok) in [
            ("1", true),
            ("72", true),
            ("73", false),
            ("0", false),
            ("x", false),
        ] {
            let r = Filing::parse(&FilingInput {
                window_hours: typed.into(),
                ..input()
            });
            assert_eq!(r.is_ok(), ok, "{typed}");
        }
    }

    #[test]
    fn fields_must_be_requestable_and_some() {
        for (fields, code) in [
            (vec![], "request.fields_required"),
            (vec!["password".to_owned()], "request.field_unknown"),
            (
                vec!["guardians.0.phone".to_owned()],
                "request.field_unknown",
            ),
        ] {
            let e = Filing::parse(&FilingInput { fields, ..input() }).unwrap_err();
            assert_eq!(e.fields[0].code, code);
        }
        assert!(requestable().any(|(k, _)| k == "guardian.id_number"));
        assert!(requestable().all(|(k, _)| requestable_field(&k).is_some()));
    }

    #[test]
    fn narrowing_keeps_a_subset_and_never_widens_or_empties() {
        let before = ["a", "b", "c"];
        assert_eq!(
            narrowed(&before, &["c", "a", "a"], "f").unwrap(),
            ["a", "c"]
        );
        assert_eq!(
            narrowed(&before, &["a", "d"], "f").unwrap_err().fields[0].code,
            "request.widened"
        );
        assert_eq!(
            narrowed(&before, &[], "f").unwrap_err().fields[0].code,
            "request.nothing_kept"
        );
    }
}
