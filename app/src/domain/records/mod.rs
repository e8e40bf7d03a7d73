//! A student's record and family members: the raw form input, the rules that turn it into a
//! valid record (the same code in the browser and on the server), each field's
//! classification, and how a classified value is masked.

pub mod codes;
pub mod fields;
pub mod id_card;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use id_card::{IdCardError, IdCardNumber};

use crate::errors::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "1",
            Sex::Female => "2",
        }
    }
}

/// 普通 / 机密 / 绝密.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Ordinary,
    Confidential,
    TopSecret,
}

/// A value shown to its last 4 characters: `****002X`.
pub fn mask_tail(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("****{tail}")
}

/// What stands in for a classified value that is shown to nobody's last characters.
pub const MASK_FULL: &str = "******";

/// The classification of a student field (`field`) or a family member's (`guardian.field`,
/// `guardians.1.field`), before a record as a whole is marked 绝密; a name the catalogue does
/// not know is ordinary.
pub fn classification_of(field: &str) -> Classification {
    fields::of_path(field).map_or(Classification::Ordinary, |f| f.classification)
}

/// Whether a masked value keeps its last 4 characters (phones only): see [`fields::Mask`].
/// From the region, birth date and sex alone 500 identity numbers remain; a tail of it
/// would leave one.
pub fn shows_tail(field: &str) -> bool {
    fields::of_path(field).is_some_and(|f| f.mask == fields::Mask::KeepLast4)
}

/// The masked form of a value of `field` that is there (a required one, such as the identity
/// number), when that form shows nothing of the value: a list shows it without opening the
/// value. None for a field whose mask keeps its last characters (phones), unless the record
/// is 绝密.
pub fn masked_present(field: &str, top_secret: bool) -> Option<&'static str> {
    (top_secret || !shows_tail(field)).then_some(MASK_FULL)
}

/// The masked form of a classified value: the last 4 characters of a phone (the fields whose
/// mask keeps them), nothing of any other value, and nothing at all of a 绝密 record, not
/// even whether a value a record may leave empty (a former name, a mailing address) is there.
pub fn masked(field: &str, value: &str, top_secret: bool) -> String {
    if top_secret {
        MASK_FULL.to_owned()
    } else if value.is_empty() {
        String::new()
    } else {
        masked_present(field, top_secret).map_or_else(|| mask_tail(value), str::to_owned)
    }
}

/// A student's fields as typed into the form. Classified fields left empty on an existing
/// record keep their stored value: a teacher never gets a saved value back in full.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudentInput {
    pub name: String,
    pub former_name: String,
    pub sex: String,
    pub birth_date: String,
    pub birthplace: String,
    pub native_place: String,
    pub ethnicity: String,
    pub nationality: String,
    pub document_type: String,
    pub id_number: String,
    pub student_number: String,
    pub hukou_region: String,
    pub hukou_nature: String,
    pub health: String,
    pub enrolment_month: String,
    pub enrolment_mode: String,
    pub attendance_mode: String,
    pub only_child: String,
    pub preschool: String,
    pub school_bus: String,
    pub commute_km: String,
    pub phone: String,
    pub address: String,
    pub mailing_address: String,
    pub postal_code: String,
    /// "1" yes, "0" no, "" unchanged.
    pub left_behind: String,
    pub migrant: String,
    pub orphan: String,
    pub disabled: String,
    pub martyr_child: String,
}

/// A family member as typed into the form; a slot left entirely empty is no family member.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GuardianInput {
    pub name: String,
    pub relation: String,
    /// "1" when this person is a legal guardian (监护人).
    pub is_guardian: String,
    pub document_type: String,
    pub id_number: String,
    pub phone: String,
    pub employer: String,
    pub address: String,
    /// "1" to remove a saved family member.
    pub remove: String,
}

impl GuardianInput {
    /// Whether nothing was typed into the slot.
    pub fn is_blank(&self) -> bool {
        fields::FAMILY
            .iter()
            .all(|f| (f.typed)(self).trim().is_empty())
    }
}

/// The whole form: the student and the family-member slots.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordInput {
    pub student: StudentInput,
    #[serde(deserialize_with = "at_most_guardian_slots")]
    pub guardians: Vec<GuardianInput>,
}

/// Key data (受控字段, NATIONAL.md): once a record is verified these change only through a
/// 关键数据变更 a records administrator files with proof and a leader approves; the other
/// fields stay the teacher's to keep up to date.
pub const KEY_FIELDS: [&str; 9] = [
    "name",
    "sex",
    "birth_date",
    "document_type",
    "id_number",
    "ethnicity",
    "nationality",
    "hukou_nature",
    "hukou_region",
];

/// The longest value any one field of the form keeps (the longest rule allows far less):
/// a draft holds what was typed, so what was typed is bounded too.
pub const FIELD_MAX_CHARS: usize = 200;

/// Reads the family-member slots, refusing more than the form offers before any is built:
/// a posted `record[guardians][29999][name]` must not become 30,000 slots.
fn at_most_guardian_slots<'de, D>(deserializer: D) -> Result<Vec<GuardianInput>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Slots;
    impl<'de> serde::de::Visitor<'de> for Slots {
        type Value = Vec<GuardianInput>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "at most {GUARDIAN_SLOTS} family members")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(GUARDIAN_SLOTS);
            while let Some(slot) = seq.next_element::<GuardianInput>()? {
                if out.len() == GUARDIAN_SLOTS {
                    return Err(serde::de::Error::invalid_length(GUARDIAN_SLOTS + 1, &self));
                }
                out.push(slot);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_seq(Slots)
}

/// The field a form control's name stands for: `record[student][phone]` → `phone`,
/// `record[guardians][1][phone]` → `guardians.1.phone`.
pub fn field_of_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix("record[")?.strip_suffix(']')?;
    let parts: Vec<&str> = rest.split("][").collect();
    match parts.as_slice() {
        ["student", field] => Some((*field).to_owned()),
        ["guardians", i, field] => Some(format!("guardians.{i}.{field}")),
        _ => None,
    }
}

/// The form control's name of a field: the inverse of `field_of_name`.
pub fn form_name(field: &str) -> String {
    match field.split_once('.') {
        Some(("guardians", rest)) => {
            let (i, f) = rest.split_once('.').unwrap_or((rest, ""));
            format!("record[guardians][{i}][{f}]")
        }
        _ => format!("record[student][{field}]"),
    }
}

impl RecordInput {
    /// The first field holding more than `FIELD_MAX_CHARS` characters: such input is refused
    /// whole, before anything (a draft included) is kept.
    pub fn oversized_field(&self) -> Option<String> {
        let too_long = |v: &str| v.len() > FIELD_MAX_CHARS && v.chars().count() > FIELD_MAX_CHARS;
        if let Some(f) = fields::STUDENT
            .iter()
            .find(|f| too_long((f.typed)(&self.student)))
        {
            return Some(f.meta.key.to_owned());
        }
        self.guardians.iter().enumerate().find_map(|(i, g)| {
            let key = fields::FAMILY
                .iter()
                .find(|f| too_long((f.typed)(g)))
                .map(|f| f.meta.key)
                .or_else(|| too_long(&g.remove).then_some("remove"))?;
            Some(format!("guardians.{i}.{key}"))
        })
    }

    /// Sets the field a form control's name stands for (what the browser's checks read the
    /// form with); unknown names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        if let Some(field) = field_of_name(name) {
            self.set_field(&field, value);
        }
    }

    /// Sets `field` (`phone`, `guardians.1.phone`, and a slot's `remove` control); unknown
    /// fields are ignored.
    pub fn set_field(&mut self, field: &str, value: String) {
        let Some(rest) = field.strip_prefix("guardians.") else {
            if let Some(f) = fields::student(field) {
                *(f.input)(&mut self.student) = value;
            }
            return;
        };
        let Some((i, key)) = rest.split_once('.') else {
            return;
        };
        let Ok(i) = i.parse::<usize>() else { return };
        let target: fn(&mut GuardianInput) -> &mut String = match fields::member(key) {
            Some(f) => f.input,
            None if key == "remove" => |g| &mut g.remove,
            None => return,
        };
        if i >= GUARDIAN_SLOTS {
            return;
        }
        if self.guardians.len() <= i {
            self.guardians.resize(i + 1, GuardianInput::default());
        }
        *target(&mut self.guardians[i]) = value;
    }
}

/// How many family-member slots the form offers.
pub const GUARDIAN_SLOTS: usize = 4;

macro_rules! masked_debug {
    ($($t:ty),*) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($t), " { .. }"))
            }
        }
    )*};
}
masked_debug!(
    StudentInput,
    GuardianInput,
    RecordInput,
    StudentSecrets,
    GuardianSecrets,
    Record
);

/// A student's ordinary (普通) fields, stored in the clear.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentDetails {
    pub name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub birthplace: String,
    pub native_place: String,
    pub ethnicity: String,
    pub nationality: String,
    pub document_type: String,
    pub hukou_region: String,
    pub hukou_nature: String,
    pub enrolment_month: String,
    pub enrolment_mode: String,
    pub attendance_mode: String,
    /// The fields below came with the national indicators; a record stored before them reads
    /// them as empty or no. 是否独生子女:
    #[serde(default)]
    pub only_child: bool,
    /// 是否受过学前教育.
    #[serde(default)]
    pub preschool: bool,
    /// 是否需要乘坐校车.
    #[serde(default)]
    pub school_bus: bool,
    /// 上下学距离 in km with at most one decimal ("2.5"); empty when not given.
    #[serde(default)]
    pub commute_km: String,
}

/// A student's classified (机密) fields, encrypted together at rest.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSecrets {
    pub id_number: String,
    #[serde(default)]
    pub student_number: String,
    pub phone: String,
    pub address: String,
    pub health: String,
    pub left_behind: bool,
    pub migrant: bool,
    pub orphan: bool,
    pub disabled: bool,
    /// 曾用名 (empty: none): a former name identifies a child as the name does, and is what a
    /// 绝密 record hides first (an adoption, a protected custody). Sealed values from before
    /// the national indicators read these as empty or no.
    #[serde(default)]
    pub former_name: String,
    /// 通信地址 and its 邮政编码, when they differ from where the student lives (empty: none
    /// given).
    #[serde(default)]
    pub mailing_address: String,
    #[serde(default)]
    pub postal_code: String,
    /// 是否烈士或优抚子女.
    #[serde(default)]
    pub martyr_child: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianDetails {
    pub name: String,
    pub relation: String,
    pub is_guardian: bool,
    pub document_type: String,
    pub employer: String,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianSecrets {
    pub id_number: String,
    pub phone: String,
    pub address: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub details: GuardianDetails,
    pub secrets: GuardianSecrets,
}

/// A valid record: it exists only through `parse`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub details: StudentDetails,
    pub secrets: StudentSecrets,
    pub guardians: Vec<Guardian>,
}

/// Every problem [`Record::parse`] can find, by code (`error.<code>` is its message): the
/// form's island is handed their messages, so that it shows them in the browser without
/// the translation tables. A code missing here fails every debug build that meets it.
pub const PROBLEM_CODES: &[&str] = &[
    "name.empty",
    "name.length",
    "name.characters",
    "phone.format",
    "address.empty",
    "address.too_short",
    "address.characters",
    "address.too_long",
    "document_number.empty",
    "document_number.format",
    "choice.empty",
    "choice.unknown",
    "region.empty",
    "region.unknown",
    "region.ambiguous",
    "date.empty",
    "date.format",
    "date.future",
    "date.too_early",
    "month.empty",
    "month.format",
    "month.before_birth",
    "month.future",
    "id_card.length",
    "id_card.characters",
    "id_card.region",
    "id_card.birth_date",
    "id_card.checksum",
    "id_card.birth_date_mismatch",
    "id_card.sex_mismatch",
    "student_number.mismatch",
    "student_number.format",
    "employer.too_long",
    "postal_code.format",
    "distance.format",
    "guardians.none",
    "guardians.no_guardian",
];

/// Collects the problems of a form, each beside its field.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, code: &str) {
        debug_assert!(
            PROBLEM_CODES.contains(&code),
            "{code} is not in PROBLEM_CODES"
        );
        self.0.push(FieldError {
            field: field.into(),
            code: code.into(),
        });
    }

    /// Runs `check` on `value` and records its failure under `field`.
    fn check<T>(&mut self, field: &str, value: Result<T, &'static str>) -> Option<T> {
        value.map_err(|code| self.add(field, code)).ok()
    }
}

/// A person's name: 2–30 characters of Chinese characters, Latin letters, the middle dot of
/// transcribed names (·) and single spaces.
pub fn person_name(input: &str) -> Result<String, &'static str> {
    let name = input.trim();
    let count = name.chars().count();
    if count == 0 {
        return Err("name.empty");
    }
    if !(2..=30).contains(&count) {
        return Err("name.length");
    }
    let allowed = |c: char| {
        matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{3134f}')
            || c.is_ascii_alphabetic()
            || c == '·'
            || c == ' '
    };
    if !name.chars().all(allowed)
        || name.contains("  ")
        || name.starts_with('·')
        || name.ends_with('·')
    {
        return Err("name.characters");
    }
    Ok(name.to_owned())
}

/// A mainland mobile number: 11 digits starting 13–19.
pub fn mobile_number(input: &str) -> Result<String, &'static str> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let shaped = digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.starts_with('1')
        && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
    if shaped {
        Ok(digits)
    } else {
        Err("phone.format")
    }
}

/// An address: 4–100 characters, one line.
pub fn address(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    match value.chars().count() {
        0 => Err("address.empty"),
        1..=3 => Err("address.too_short"),
        4..=100 if !value.chars().any(char::is_control) => Ok(value.to_owned()),
        4..=100 => Err("address.characters"),
        _ => Err("address.too_long"),
    }
}

/// A field the national indicators ask for but a record may leave empty: nothing typed is
/// nothing kept, anything typed is checked by `rule`.
fn optional(
    input: &str,
    rule: fn(&str) -> Result<String, &'static str>,
) -> Result<String, &'static str> {
    if input.trim().is_empty() {
        Ok(String::new())
    } else {
        rule(input)
    }
}

/// A 邮政编码: six digits (spaces typed between them are dropped).
pub fn postal_code(input: &str) -> Result<String, &'static str> {
    let digits: String = input.chars().filter(|c| *c != ' ').collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("postal_code.format")
    }
}

/// A distance in kilometres, as the national template takes it: 0 to 999.9 with at most
/// one decimal ("2", "2.5"; "2.50" is "2.5"), written without a trailing ".0".
pub fn distance_km(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    let value = value
        .strip_suffix("公里")
        .or_else(|| value.strip_suffix("km"))
        .unwrap_or(value)
        .trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let fraction = fraction.trim_end_matches('0');
    let digits = |s: &str, max: usize| s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole, 3) || !digits(fraction, 1) {
        return Err("distance.format");
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    Ok(if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    })
}

/// A document number of a document other than the identity card: 4–30 letters, digits,
/// brackets or hyphens.
fn other_document_number(input: &str) -> Result<String, &'static str> {
    let value = input.trim().to_ascii_uppercase();
    let ok = (4..=30).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '(' | ')' | '-'));
    if ok {
        Ok(value)
    } else {
        Err("document_number.format")
    }
}

fn code_in(list: &[codes::Code], input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        Err("choice.empty")
    } else if codes::is_one_of(list, value) {
        Ok(value.to_owned())
    } else {
        Err("choice.unknown")
    }
}

/// A region as typed: its 6-digit code, or its name (which the server looks up: the
/// browser, without the list, leaves a name to it).
fn region(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("region.empty");
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return if codes::is_region(value) {
            Ok(value.to_owned())
        } else {
            Err("region.unknown")
        };
    }
    #[cfg(feature = "ssr")]
    {
        codes::region_by_name(value).map(|r| r.code.to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Ok(value.to_owned())
    }
}

fn ethnicity(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        Err("choice.empty")
    } else if codes::is_ethnicity(value) {
        Ok(value.to_owned())
    } else {
        Err("choice.unknown")
    }
}

/// A date as a date input sends it (2015-03-07), from 1990 to `today`.
/// A date from its year, month and day in digits (a four-digit year; a month and day of one
/// or two digits, as chrono's `%Y-%m-%d` reads them). The rules parse dates with it, so
/// that the browser's bundle carries none of chrono's format machinery.
pub fn date_of(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let number = |s: &str, most: usize| {
        (!s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if year.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(number(year, 4)?).ok()?,
        number(month, 2)?,
        number(day, 2)?,
    )
}

/// `2017-03-07` (see [`date_of`]).
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let mut parts = value.splitn(3, '-');
    date_of(parts.next()?, parts.next()?, parts.next()?)
}

pub fn birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("date.empty");
    }
    let date = parse_date(value).ok_or("date.format")?;
    if date > today {
        Err("date.future")
    } else if date.year() < 1990 {
        Err("date.too_early")
    } else {
        Ok(date)
    }
}

/// A month as a month input sends it (2021-09): enrolment is after birth and at most a year
/// ahead of `today`.
fn enrolment_month(
    input: &str,
    born: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("month.empty");
    }
    let first = parse_date(&format!("{value}-01")).ok_or("month.format")?;
    if value.len() != 7 {
        return Err("month.format");
    }
    if born.is_some_and(|b| first < b.with_day(1).unwrap_or(b)) {
        return Err("month.before_birth");
    }
    if first > today + chrono::Days::new(366) {
        return Err("month.future");
    }
    Ok(value.to_owned())
}

fn flag(input: &str, kept: Option<bool>) -> Result<bool, &'static str> {
    match (input.trim(), kept) {
        ("1", _) => Ok(true),
        ("0", _) => Ok(false),
        ("", Some(kept)) => Ok(kept),
        ("", None) => Ok(false),
        _ => Err("choice.unknown"),
    }
}

/// A classified field: what was typed, or what is stored when nothing was.
fn kept<'a>(typed: &'a str, stored: Option<&'a str>) -> &'a str {
    if typed.trim().is_empty() {
        stored.unwrap_or("")
    } else {
        typed
    }
}

impl Record {
    /// Turns the form into a record, or says what is wrong beside each field (never with
    /// the value). `existing` is the record being edited: its classified values stay where
    /// the form leaves them empty.
    pub fn parse(
        input: &RecordInput,
        existing: Option<&Record>,
        today: NaiveDate,
    ) -> Result<Record, Vec<FieldError>> {
        let mut p = Problems::default();
        let s = &input.student;
        let old = existing.map(|r| &r.secrets);

        let name = p.check("name", person_name(&s.name));
        let former_name = p.check(
            "former_name",
            optional(
                kept(&s.former_name, old.map(|o| o.former_name.as_str())),
                person_name,
            ),
        );
        let sex = p.check("sex", code_in(codes::SEXES, &s.sex));
        let born = p.check("birth_date", birth_date(&s.birth_date, today));
        let birthplace = p.check("birthplace", region(&s.birthplace));
        let native_place = p.check("native_place", region(&s.native_place));
        let ethnicity = p.check("ethnicity", ethnicity(&s.ethnicity));
        let nationality = p.check("nationality", code_in(codes::NATIONALITIES, &s.nationality));
        let document_type = p.check(
            "document_type",
            code_in(codes::DOCUMENT_TYPES, &s.document_type),
        );
        let hukou_region = p.check("hukou_region", region(&s.hukou_region));
        let hukou_nature = p.check(
            "hukou_nature",
            code_in(codes::HUKOU_NATURES, &s.hukou_nature),
        );
        let enrolment_month = p.check(
            "enrolment_month",
            enrolment_month(&s.enrolment_month, born, today),
        );
        let enrolment_mode = p.check(
            "enrolment_mode",
            code_in(codes::ENROLMENT_MODES, &s.enrolment_mode),
        );
        let attendance_mode = p.check(
            "attendance_mode",
            code_in(codes::ATTENDANCE_MODES, &s.attendance_mode),
        );
        let ordinary = existing.map(|r| &r.details);
        let only_child = p.check(
            "only_child",
            flag(&s.only_child, ordinary.map(|d| d.only_child)),
        );
        let preschool = p.check(
            "preschool",
            flag(&s.preschool, ordinary.map(|d| d.preschool)),
        );
        let school_bus = p.check(
            "school_bus",
            flag(&s.school_bus, ordinary.map(|d| d.school_bus)),
        );
        let commute_km = p.check("commute_km", optional(&s.commute_km, distance_km));

        let id_typed = kept(&s.id_number, old.map(|o| o.id_number.as_str()));
        let id_number = if id_typed.trim().is_empty() {
            p.add("id_number", "document_number.empty");
            None
        } else if document_type.as_deref() == Some(codes::ID_CARD) {
            match IdCardNumber::parse(id_typed) {
                Ok(id) => {
                    if born.is_some_and(|b| b != id.birth_date()) {
                        p.add("birth_date", "id_card.birth_date_mismatch");
                    }
                    if sex.as_deref().is_some_and(|s| s != id.sex().code()) {
                        p.add("sex", "id_card.sex_mismatch");
                    }
                    Some(id.as_str().to_owned())
                }
                Err(e) => {
                    p.add("id_number", e.code());
                    None
                }
            }
        } else {
            p.check("id_number", other_document_number(id_typed))
        };

        let number_typed = kept(&s.student_number, old.map(|o| o.student_number.as_str()));
        let student_number = student_number(number_typed, id_number.as_deref())
            .map_err(|code| p.add("student_number", code))
            .ok();
        let phone = p.check(
            "phone",
            mobile_number(kept(&s.phone, old.map(|o| o.phone.as_str()))),
        );
        let address = p.check(
            "address",
            address(kept(&s.address, old.map(|o| o.address.as_str()))),
        );
        let health = p.check(
            "health",
            code_in(
                codes::HEALTH,
                kept(&s.health, old.map(|o| o.health.as_str())),
            ),
        );
        let left_behind = p.check(
            "left_behind",
            flag(&s.left_behind, old.map(|o| o.left_behind)),
        );
        let migrant = p.check("migrant", flag(&s.migrant, old.map(|o| o.migrant)));
        let orphan = p.check("orphan", flag(&s.orphan, old.map(|o| o.orphan)));
        let disabled = p.check("disabled", flag(&s.disabled, old.map(|o| o.disabled)));
        let martyr_child = p.check(
            "martyr_child",
            flag(&s.martyr_child, old.map(|o| o.martyr_child)),
        );
        let mailing_address = p.check(
            "mailing_address",
            optional(
                kept(&s.mailing_address, old.map(|o| o.mailing_address.as_str())),
                self::address,
            ),
        );
        let postal_code = p.check(
            "postal_code",
            optional(
                kept(&s.postal_code, old.map(|o| o.postal_code.as_str())),
                postal_code,
            ),
        );

        let guardians = parse_guardians(
            &mut p,
            &input.guardians,
            existing.map(|r| r.guardians.as_slice()).unwrap_or(&[]),
        );

        if !p.0.is_empty() {
            return Err(p.0);
        }
        // With no problem recorded, every field parsed: the defaults below are never used.
        Ok(Record {
            details: StudentDetails {
                name: name.unwrap_or_default(),
                sex: sex.unwrap_or_default(),
                birth_date: born.unwrap_or_default(),
                birthplace: birthplace.unwrap_or_default(),
                native_place: native_place.unwrap_or_default(),
                ethnicity: ethnicity.unwrap_or_default(),
                nationality: nationality.unwrap_or_default(),
                document_type: document_type.unwrap_or_default(),
                hukou_region: hukou_region.unwrap_or_default(),
                hukou_nature: hukou_nature.unwrap_or_default(),
                enrolment_month: enrolment_month.unwrap_or_default(),
                enrolment_mode: enrolment_mode.unwrap_or_default(),
                attendance_mode: attendance_mode.unwrap_or_default(),
                only_child: only_child.unwrap_or_default(),
                preschool: preschool.unwrap_or_default(),
                school_bus: school_bus.unwrap_or_default(),
                commute_km: commute_km.unwrap_or_default(),
            },
            secrets: StudentSecrets {
                id_number: id_number.unwrap_or_default(),
                student_number: student_number.unwrap_or_default(),
                phone: phone.unwrap_or_default(),
                address: address.unwrap_or_default(),
                health: health.unwrap_or_default(),
                left_behind: left_behind.unwrap_or_default(),
                migrant: migrant.unwrap_or_default(),
                orphan: orphan.unwrap_or_default(),
                disabled: disabled.unwrap_or_default(),
                former_name: former_name.unwrap_or_default(),
                mailing_address: mailing_address.unwrap_or_default(),
                postal_code: postal_code.unwrap_or_default(),
                martyr_child: martyr_child.unwrap_or_default(),
            },
            guardians,
        })
    }

    /// Every field as (name, value) in a fixed order: what a change compares, and what the
    /// encrypted revision table keeps.
    pub fn field_values(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = fields::STUDENT
            .iter()
            .map(|f| (f.meta.key.to_owned(), (f.value)(self)))
            .collect();
        for (i, g) in self.guardians.iter().enumerate() {
            for f in fields::FAMILY {
                out.push((format!("guardians.{i}.{}", f.meta.key), (f.value)(g)));
            }
        }
        out
    }

    /// The names of the fields that differ between `self` and `other` (never their values).
    pub fn changed_fields(&self, other: &Record) -> Vec<String> {
        let before = self.field_values();
        let after = other.field_values();
        let mut names: Vec<String> = Vec::new();
        let longest = before.len().max(after.len());
        for i in 0..longest {
            match (before.get(i), after.get(i)) {
                (Some(b), Some(a)) if b == a => {}
                (Some((name, _)), _) | (None, Some((name, _))) => names.push(name.clone()),
                (None, None) => {}
            }
        }
        names
    }
}

/// The 学籍号: "G" followed by the student's identity card number, or "J"/"L" followed by 18
/// letters or digits for students without one; empty until the national system issues it.
pub fn student_number(input: &str, id_number: Option<&str>) -> Result<String, &'static str> {
    let value = input.trim().to_ascii_uppercase();
    if value.is_empty() {
        return Ok(value);
    }
    // By character, not by byte: the first character may be anything a person can type.
    let mut chars = value.chars();
    let prefix = chars.next();
    let rest = chars.as_str();
    let shaped = rest.len() == 18 && rest.chars().all(|c| c.is_ascii_alphanumeric());
    match prefix {
        Some('G') if shaped => match id_number {
            Some(id) if id != rest => Err("student_number.mismatch"),
            _ => Ok(value),
        },
        Some('J' | 'L') if shaped => Ok(value),
        _ => Err("student_number.format"),
    }
}

fn parse_guardians(
    p: &mut Problems,
    slots: &[GuardianInput],
    existing: &[Guardian],
) -> Vec<Guardian> {
    let mut out = Vec::new();
    for (i, g) in slots.iter().enumerate().take(GUARDIAN_SLOTS) {
        let old = existing.get(i);
        if g.remove.trim() == "1" || (old.is_none() && g.is_blank()) {
            continue;
        }
        let field = |f: &str| format!("guardians.{i}.{f}");
        let olds = old.map(|o| &o.secrets);
        let name = p.check(&field("name"), person_name(&g.name));
        let relation = p.check(&field("relation"), code_in(codes::RELATIONS, &g.relation));
        let document_type = if g.document_type.trim().is_empty() {
            Some(codes::ID_CARD.to_owned())
        } else {
            p.check(
                &field("document_type"),
                code_in(codes::DOCUMENT_TYPES, &g.document_type),
            )
        };
        let id_typed = kept(&g.id_number, olds.map(|o| o.id_number.as_str()));
        let id_number = if id_typed.trim().is_empty() {
            Some(String::new())
        } else if document_type.as_deref() == Some(codes::ID_CARD) {
            IdCardNumber::parse(id_typed)
                .map(|id| id.as_str().to_owned())
                .map_err(|e| p.add(field("id_number"), e.code()))
                .ok()
        } else {
            p.check(&field("id_number"), other_document_number(id_typed))
        };
        let phone = p.check(
            &field("phone"),
            mobile_number(kept(&g.phone, olds.map(|o| o.phone.as_str()))),
        );
        let address_typed = kept(&g.address, olds.map(|o| o.address.as_str()));
        let address = if address_typed.trim().is_empty() {
            Some(String::new())
        } else {
            p.check(&field("address"), address(address_typed))
        };
        let employer = g.employer.trim();
        if employer.chars().count() > 60 || employer.chars().any(char::is_control) {
            p.add(field("employer"), "employer.too_long");
        }
        if let (
            Some(name),
            Some(relation),
            Some(document_type),
            Some(id_number),
            Some(phone),
            Some(address),
        ) = (name, relation, document_type, id_number, phone, address)
        {
            out.push(Guardian {
                details: GuardianDetails {
                    name,
                    relation,
                    is_guardian: g.is_guardian.trim() == "1",
                    document_type,
                    employer: employer.to_owned(),
                },
                secrets: GuardianSecrets {
                    id_number,
                    phone,
                    address,
                },
            });
        }
    }
    let entered = slots
        .iter()
        .enumerate()
        .any(|(i, g)| g.remove.trim() != "1" && (existing.get(i).is_some() || !g.is_blank()));
    if !entered {
        p.add("guardians", "guardians.none");
    } else if p.0.iter().all(|e| !e.field.starts_with("guardians."))
        && !out.iter().any(|g| g.details.is_guardian)
    {
        p.add("guardians", "guardians.no_guardian");
    }
    out
}

#[cfg(test)]
mod tests;
