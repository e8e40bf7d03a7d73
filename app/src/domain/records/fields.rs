//! The field catalogue: every field of a student's record and of a family member, declared
//! once. The form and its checks, the import (its headers and how a cell is read), masking,
//! the review page, the revisions, the repository's columns, the demo school and the request
//! picker all read it; adding a field is one entry here, one in the input and record types,
//! and a migration.

use chrono::NaiveDate;

use super::{
    Classification, Guardian, GuardianDetails, GuardianInput, Record, StudentDetails, StudentInput,
    codes::{self, Code},
};

/// Whose field it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    Student,
    FamilyMember,
}

/// The groups fields are shown, requested and released in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Name, sex, birth, documents, origin.
    Identity,
    /// 户口 and enrolment.
    Registration,
    /// Phone and address.
    Contact,
    /// Health and special situations (留守, 随迁, 孤儿, 残疾).
    Special,
    /// A family member's fields.
    Family,
}

impl Section {
    /// The message key of the section's name.
    pub fn label(self) -> &'static str {
        match self {
            Section::Identity => "section.identity",
            Section::Registration => "section.registration",
            Section::Contact => "section.contact",
            Section::Special => "section.special",
            Section::Family => "section.family",
        }
    }
}

/// How a classified value is shown to those who see it masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mask {
    /// An ordinary field: shown as it is.
    None,
    /// Nothing of it (`******`): an identity number's last 4 are its sequence and check
    /// character, and the birth date, sex and region shown beside it are the rest.
    Whole,
    /// Its last 4 characters (`****5678`): phones.
    KeepLast4,
}

/// What a field holds, which decides its form control, how an import cell is read into it
/// and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A person's name.
    Name,
    /// Free text of one line.
    Text,
    /// A date (2017-03-07).
    Date,
    /// A month (2023-09).
    Month,
    /// One code of a list.
    Choice(&'static [Code]),
    /// One of GB/T 3304's ethnicities.
    Ethnicity,
    /// A county-level region of GB/T 2260.
    Region,
    /// An identity card's or other document's number.
    DocumentNumber,
    /// The 学籍号.
    StudentNumber,
    /// A mainland mobile number.
    Phone,
    /// An address.
    Address,
    /// Yes or no ("1" / "0").
    Flag,
    /// A 邮政编码: six digits.
    PostalCode,
    /// A distance in kilometres with at most one decimal.
    Distance,
}

/// What a field is, without its accessors: the part every field shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The field's key: `phone`; a family member's is prefixed with its slot
    /// (`guardians.1.phone`) wherever a whole record's fields are named.
    pub key: &'static str,
    pub party: Party,
    pub section: Section,
    /// Before a record as a whole is marked 绝密.
    pub classification: Classification,
    pub mask: Mask,
    pub kind: Kind,
    /// The message key of its label.
    pub label: &'static str,
    /// Whether a release under an approved information request may include it.
    pub releasable: bool,
}

/// An ordinary field's value as its column holds it, typed as the column is (PostgreSQL's
/// DATE and BOOLEAN are not text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    Text(String),
    Date(NaiveDate),
    Flag(bool),
}

impl Stored {
    /// As the form shows it: a ticked checkbox is "1", an unticked one empty.
    pub fn form_text(&self) -> String {
        match self {
            Stored::Text(text) => text.clone(),
            Stored::Date(date) => date.to_string(),
            Stored::Flag(yes) => if *yes { "1" } else { "" }.to_owned(),
        }
    }
}

/// The Rust types of the stored values.
trait StoredValue: Sized {
    fn stored(&self) -> Stored;
    /// The value, or what came back when it is of another type.
    fn from_stored(value: Stored) -> Result<Self, Stored>;
}

impl StoredValue for String {
    fn stored(&self) -> Stored {
        Stored::Text(self.clone())
    }
    fn from_stored(value: Stored) -> Result<Self, Stored> {
        match value {
            Stored::Text(text) => Ok(text),
            other => Err(other),
        }
    }
}

impl StoredValue for NaiveDate {
    fn stored(&self) -> Stored {
        Stored::Date(*self)
    }
    fn from_stored(value: Stored) -> Result<Self, Stored> {
        match value {
            Stored::Date(date) => Ok(date),
            other => Err(other),
        }
    }
}

impl StoredValue for bool {
    fn stored(&self) -> Stored {
        Stored::Flag(*self)
    }
    fn from_stored(value: Stored) -> Result<Self, Stored> {
        match value {
            Stored::Flag(yes) => Ok(yes),
            other => Err(other),
        }
    }
}

/// Where an ordinary field is kept: in the clear, in the column its key names, read from and
/// written to the party's details (`D`). Classified fields have none: they are sealed together.
pub struct Column<D: 'static> {
    pub get: fn(&D) -> Stored,
    /// Sets the field; a value of another type comes back as the error.
    pub put: fn(&mut D, Stored) -> Result<(), Stored>,
}

/// One field of the catalogue. `I` is the party's form input, `V` its valid record, `D` its
/// ordinary details as stored.
pub struct Field<I: 'static, V: 'static, D: 'static> {
    pub meta: Meta,
    /// The most characters the form control takes.
    pub max_chars: usize,
    /// The headers that name it in an imported roster, the first being the template's. A
    /// family member's carry `{n}` for the slot's number (1, 2); one starting `1:` or `2:`
    /// names only that slot (`1:父亲姓名`). Empty: not imported.
    pub import_headers: &'static [&'static str],
    /// The field in the form's input, to read and to set.
    pub typed: fn(&I) -> &String,
    pub input: fn(&mut I) -> &mut String,
    /// The field of a valid record, as text ("1"/"0" for flags).
    pub value: fn(&V) -> String,
    /// Its column, for an ordinary field.
    pub column: Option<Column<D>>,
}

pub type StudentField = Field<StudentInput, Record, StudentDetails>;
pub type MemberField = Field<GuardianInput, Guardian, GuardianDetails>;

/// The ordinary fields of a catalogue, with their columns, in the catalogue's order.
pub fn columns<I, V, D>(
    fields: &'static [Field<I, V, D>],
) -> impl Iterator<Item = (&'static str, &'static Column<D>)> {
    fields
        .iter()
        .filter_map(|f| Some((f.meta.key, f.column.as_ref()?)))
}

/// An ordinary field's column; none for a classified one, which is sealed.
macro_rules! column {
    (Ordinary, $details:ty, $key:ident) => {
        Some(Column {
            get: {
                fn get(d: &$details) -> Stored {
                    StoredValue::stored(&d.$key)
                }
                get
            },
            put: {
                fn put(d: &mut $details, value: Stored) -> Result<(), Stored> {
                    d.$key = StoredValue::from_stored(value)?;
                    Ok(())
                }
                put
            },
        })
    };
    ($class:ident, $details:ty, $key:ident) => {
        None
    };
}

impl Meta {
    pub fn is_classified(&self) -> bool {
        self.classification >= Classification::Confidential
    }
}

/// How many family-member slots an import fills.
pub const IMPORT_SLOTS: usize = 2;

macro_rules! catalogue {
    ($name:ident: $party:ident, $input:ty, $value:ty, $details:ty;
     $($key:ident: $section:ident, $class:ident, $mask:ident, $kind:expr, $max:literal,
       [$($header:literal),*], $releasable:literal, |$r:ident| $get:expr;)*) => {
        pub static $name: &[Field<$input, $value, $details>] = &[$(
            Field {
                meta: Meta {
                    key: stringify!($key),
                    party: Party::$party,
                    section: Section::$section,
                    classification: Classification::$class,
                    mask: Mask::$mask,
                    kind: $kind,
                    label: concat!("field.", stringify!($key)),
                    releasable: $releasable,
                },
                max_chars: $max,
                import_headers: &[$($header),*],
                typed: {
                    fn typed(i: &$input) -> &String {
                        &i.$key
                    }
                    typed
                },
                input: {
                    fn input(i: &mut $input) -> &mut String {
                        &mut i.$key
                    }
                    input
                },
                value: {
                    fn value($r: &$value) -> String {
                        $get
                    }
                    value
                },
                column: column!($class, $details, $key),
            },
        )*];
    };
}

fn yes(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

catalogue! {
    STUDENT: Student, StudentInput, Record, StudentDetails;
    name: Identity, Ordinary, None, Kind::Name, 30,
        ["姓名", "学生姓名", "name"], true, |r| r.details.name.clone();
    former_name: Identity, Confidential, Whole, Kind::Name, 30,
        ["曾用名", "former name"], true, |r| r.secrets.former_name.clone();
    sex: Identity, Ordinary, None, Kind::Choice(codes::SEXES), 10,
        ["性别", "sex"], true, |r| r.details.sex.clone();
    birth_date: Identity, Ordinary, None, Kind::Date, 10,
        ["出生日期", "出生年月日", "出生年月", "生日", "date of birth"], true, |r| r.details.birth_date.to_string();
    document_type: Identity, Ordinary, None, Kind::Choice(codes::DOCUMENT_TYPES), 10,
        ["身份证件类型", "证件类型"], true, |r| r.details.document_type.clone();
    id_number: Identity, Confidential, Whole, Kind::DocumentNumber, 18,
        ["身份证件号", "身份证号", "身份证号码", "身份证", "公民身份号码", "证件号码", "证件号", "id number"], true,
        |r| r.secrets.id_number.clone();
    student_number: Identity, Confidential, Whole, Kind::StudentNumber, 19,
        ["学籍号", "全国学籍号", "学籍辅号"], true, |r| r.secrets.student_number.clone();
    nationality: Identity, Ordinary, None, Kind::Choice(codes::NATIONALITIES), 10,
        ["国籍/地区", "国籍"], true, |r| r.details.nationality.clone();
    ethnicity: Identity, Ordinary, None, Kind::Ethnicity, 10,
        ["民族", "ethnicity"], true, |r| r.details.ethnicity.clone();
    birthplace: Identity, Ordinary, None, Kind::Region, 40,
        ["出生地", "出生地代码"], true, |r| r.details.birthplace.clone();
    native_place: Identity, Ordinary, None, Kind::Region, 40,
        ["籍贯", "籍贯代码"], true, |r| r.details.native_place.clone();
    hukou_region: Registration, Ordinary, None, Kind::Region, 40,
        ["户口所在地", "户籍所在地", "户口所在地代码"], true, |r| r.details.hukou_region.clone();
    hukou_nature: Registration, Ordinary, None, Kind::Choice(codes::HUKOU_NATURES), 10,
        ["户口性质"], true, |r| r.details.hukou_nature.clone();
    enrolment_month: Registration, Ordinary, None, Kind::Month, 7,
        ["入学年月"], true, |r| r.details.enrolment_month.clone();
    enrolment_mode: Registration, Ordinary, None, Kind::Choice(codes::ENROLMENT_MODES), 10,
        ["入学方式"], true, |r| r.details.enrolment_mode.clone();
    attendance_mode: Registration, Ordinary, None, Kind::Choice(codes::ATTENDANCE_MODES), 10,
        ["就读方式"], true, |r| r.details.attendance_mode.clone();
    only_child: Registration, Ordinary, None, Kind::Flag, 1,
        ["是否独生子女", "独生子女"], true, |r| yes(r.details.only_child);
    preschool: Registration, Ordinary, None, Kind::Flag, 1,
        ["是否受过学前教育", "受过学前教育"], true, |r| yes(r.details.preschool);
    school_bus: Registration, Ordinary, None, Kind::Flag, 1,
        ["是否需要乘坐校车", "乘坐校车"], true, |r| yes(r.details.school_bus);
    commute_km: Registration, Ordinary, None, Kind::Distance, 10,
        ["上下学距离"], true, |r| r.details.commute_km.clone();
    phone: Contact, Confidential, KeepLast4, Kind::Phone, 13,
        ["联系电话", "手机号", "手机号码", "phone"], true, |r| r.secrets.phone.clone();
    address: Contact, Confidential, Whole, Kind::Address, 100,
        ["现住址", "家庭住址", "家庭地址", "家庭现住址", "住址", "address"], true, |r| r.secrets.address.clone();
    mailing_address: Contact, Confidential, Whole, Kind::Address, 100,
        ["通信地址", "通讯地址", "mailing address"], true, |r| r.secrets.mailing_address.clone();
    postal_code: Contact, Confidential, Whole, Kind::PostalCode, 7,
        ["邮政编码", "邮编", "postal code"], true, |r| r.secrets.postal_code.clone();
    health: Special, Confidential, Whole, Kind::Choice(codes::HEALTH), 10,
        ["健康状况"], true, |r| r.secrets.health.clone();
    left_behind: Special, Confidential, Whole, Kind::Flag, 1,
        ["是否留守儿童", "留守儿童"], true, |r| yes(r.secrets.left_behind);
    migrant: Special, Confidential, Whole, Kind::Flag, 1,
        ["是否进城务工人员随迁子女", "是否随迁子女", "随迁子女"], true, |r| yes(r.secrets.migrant);
    orphan: Special, Confidential, Whole, Kind::Flag, 1,
        ["是否孤儿", "孤儿"], true, |r| yes(r.secrets.orphan);
    disabled: Special, Confidential, Whole, Kind::Flag, 1,
        ["是否残疾", "是否残疾人", "残疾"], true, |r| yes(r.secrets.disabled);
    martyr_child: Special, Confidential, Whole, Kind::Flag, 1,
        ["是否烈士或优抚子女", "烈士或优抚子女"], true, |r| yes(r.secrets.martyr_child);
}

catalogue! {
    FAMILY: FamilyMember, GuardianInput, Guardian, GuardianDetails;
    name: Family, Ordinary, None, Kind::Name, 30,
        ["监护人{n}姓名", "家庭成员{n}姓名", "1:父亲姓名", "1:爸爸姓名", "2:母亲姓名", "2:妈妈姓名"], true,
        |g| g.details.name.clone();
    relation: Family, Ordinary, None, Kind::Choice(codes::RELATIONS), 10,
        ["监护人{n}关系", "家庭成员{n}关系"], true, |g| g.details.relation.clone();
    is_guardian: Family, Ordinary, None, Kind::Flag, 1,
        ["家庭成员{n}是否监护人", "监护人{n}是否监护人"], true, |g| yes(g.details.is_guardian);
    document_type: Family, Ordinary, None, Kind::Choice(codes::DOCUMENT_TYPES), 10,
        ["家庭成员{n}身份证件类型", "监护人{n}证件类型"], true, |g| g.details.document_type.clone();
    id_number: Family, Confidential, Whole, Kind::DocumentNumber, 30,
        ["监护人{n}身份证号", "家庭成员{n}身份证件号", "1:父亲身份证号", "2:母亲身份证号"], true, |g| g.secrets.id_number.clone();
    phone: Family, Confidential, KeepLast4, Kind::Phone, 13,
        ["监护人{n}电话", "家庭成员{n}联系电话", "1:父亲电话", "1:父亲手机", "1:父亲手机号", "1:父亲手机号码", "1:父亲联系电话", "1:爸爸电话", "2:母亲电话", "2:母亲手机", "2:母亲手机号", "2:母亲手机号码", "2:母亲联系电话", "2:妈妈电话"], true,
        |g| g.secrets.phone.clone();
    employer: Family, Ordinary, None, Kind::Text, 60,
        ["家庭成员{n}工作单位", "监护人{n}工作单位", "1:父亲工作单位", "2:母亲工作单位"], true, |g| g.details.employer.clone();
    address: Family, Confidential, Whole, Kind::Address, 100,
        ["家庭成员{n}现住址", "监护人{n}住址"], true, |g| g.secrets.address.clone();
}

pub fn student(key: &str) -> Option<&'static StudentField> {
    STUDENT.iter().find(|f| f.meta.key == key)
}

pub fn member(key: &str) -> Option<&'static MemberField> {
    FAMILY.iter().find(|f| f.meta.key == key)
}

/// The field a path names: a student's (`phone`), a family member's in a slot
/// (`guardians.1.phone`), or a family member's in general (`guardian.phone`).
pub fn of_path(path: &str) -> Option<Meta> {
    if let Some(key) = path.strip_prefix("guardian.") {
        return member(key).map(|f| f.meta);
    }
    if let Some(rest) = path.strip_prefix("guardians.") {
        let (slot, key) = rest.split_once('.')?;
        let slot: usize = slot.parse().ok()?;
        return (slot < super::GUARDIAN_SLOTS)
            .then(|| member(key).map(|f| f.meta))
            .flatten();
    }
    student(path).map(|f| f.meta)
}

/// The headers of a family member's field in import slot `slot` (0-based).
pub fn member_headers(field: &MemberField, slot: usize) -> Vec<String> {
    let n = (slot + 1).to_string();
    field
        .import_headers
        .iter()
        .filter_map(|h| match h.split_once(':') {
            Some((only, h)) => (only == n).then(|| h.to_owned()),
            None => Some(h.replace("{n}", &n)),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn coded(locale: crate::i18n::Locale, list: &[codes::Code], code: &str) -> String {
    codes::label_of(list, code)
        .map(|k| crate::i18n::translate(locale, k))
        .unwrap_or_else(|| code.to_owned())
}

#[cfg(feature = "ssr")]
fn region_name(code: &str) -> String {
    codes::region(code)
        .map(|r| r.name())
        .unwrap_or_else(|| code.to_owned())
}

#[cfg(feature = "ssr")]
fn ethnicity_name(locale: crate::i18n::Locale, code: &str) -> String {
    codes::ethnicities()
        .iter()
        .find(|e| e.code == code)
        .map(|e| {
            if locale == crate::i18n::Locale::En {
                e.romanization
            } else {
                e.name
            }
            .to_owned()
        })
        .unwrap_or_else(|| code.to_owned())
}

/// A stored value as a person reads it: a code by its name, a flag as yes or no.
#[cfg(feature = "ssr")]
pub fn shown(locale: crate::i18n::Locale, kind: Kind, raw: &str) -> String {
    match kind {
        Kind::Choice(list) => coded(locale, list, raw),
        Kind::Ethnicity => ethnicity_name(locale, raw),
        Kind::Region => region_name(raw),
        Kind::Flag => crate::i18n::translate(
            locale,
            if raw == "1" {
                "common.yes"
            } else {
                "common.no"
            },
        ),
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{Classification, RecordInput, form_name};

    #[test]
    fn every_field_is_declared_once_with_a_label_in_both_languages() {
        use crate::i18n::{Locale, translate};
        let mut keys = std::collections::HashSet::new();
        for m in STUDENT
            .iter()
            .map(|f| f.meta)
            .chain(FAMILY.iter().map(|f| f.meta))
        {
            assert!(keys.insert((m.party, m.key)), "{} twice", m.key);
            for locale in Locale::ALL {
                for key in [m.label, m.section.label()] {
                    assert_ne!(translate(locale, key), key, "{key} in {locale:?}");
                }
            }
            // A classified field is masked, an ordinary one never.
            assert_eq!(
                m.classification == Classification::Ordinary,
                m.mask == Mask::None,
                "{}",
                m.key
            );
        }
        assert_eq!(STUDENT.len(), 30);
        assert_eq!(FAMILY.len(), 8);
    }

    #[test]
    fn ordinary_fields_have_a_column_typed_as_their_kind_and_classified_ones_none() {
        fn check<I, V, D: Default>(catalogue: &'static [Field<I, V, D>]) {
            for f in catalogue {
                let key = f.meta.key;
                assert_eq!(f.column.is_some(), !f.meta.is_classified(), "{key}");
                let Some(column) = &f.column else { continue };
                let blank = (column.get)(&D::default());
                let typed = match f.meta.kind {
                    Kind::Date => matches!(blank, Stored::Date(_)),
                    Kind::Flag => matches!(blank, Stored::Flag(_)),
                    _ => matches!(blank, Stored::Text(_)),
                };
                assert!(typed, "{key}: {blank:?}");
                let (value, other) = match blank {
                    Stored::Text(_) => (Stored::Text(format!("v-{key}")), Stored::Flag(true)),
                    Stored::Date(_) => (
                        Stored::Date(NaiveDate::from_ymd_opt(2017, 3, 7).unwrap()),
                        Stored::Text("2017-03-07".into()),
                    ),
                    Stored::Flag(_) => (Stored::Flag(true), Stored::Text("1".into())),
                };
                let mut details = D::default();
                (column.put)(&mut details, value.clone()).unwrap();
                assert_eq!((column.get)(&details), value, "{key}");
                assert_eq!(
                    (column.put)(&mut details, other.clone()),
                    Err(other),
                    "{key}"
                );
            }
        }
        check(STUDENT);
        check(FAMILY);
        assert_eq!(columns(STUDENT).count(), 17);
        assert_eq!(
            columns(FAMILY).map(|(name, _)| name).collect::<Vec<_>>(),
            [
                "name",
                "relation",
                "is_guardian",
                "document_type",
                "employer"
            ]
        );
    }

    #[test]
    fn each_entry_reads_and_sets_its_own_field_of_the_form() {
        let mut input = RecordInput::default();
        for (n, f) in STUDENT.iter().enumerate() {
            input.set(&form_name(f.meta.key), format!("v{n}"));
        }
        for (n, f) in FAMILY.iter().enumerate() {
            input.set(
                &form_name(&format!("guardians.2.{}", f.meta.key)),
                format!("g{n}"),
            );
        }
        for (n, f) in STUDENT.iter().enumerate() {
            assert_eq!(
                (f.typed)(&input.student),
                &format!("v{n}"),
                "{}",
                f.meta.key
            );
        }
        for (n, f) in FAMILY.iter().enumerate() {
            assert_eq!(
                (f.typed)(&input.guardians[2]),
                &format!("g{n}"),
                "{}",
                f.meta.key
            );
        }
    }

    #[test]
    fn paths_name_student_and_family_fields_and_nothing_else() {
        assert_eq!(of_path("phone").unwrap().party, Party::Student);
        assert_eq!(
            of_path("guardians.3.phone").unwrap().party,
            Party::FamilyMember
        );
        assert_eq!(
            of_path("guardian.employer").unwrap().classification,
            Classification::Ordinary
        );
        for nothing in [
            "guardians.4.phone",
            "guardians.x.phone",
            "guardians.1",
            "employer",
            "remove",
            "",
        ] {
            assert!(of_path(nothing).is_none(), "{nothing}");
        }
    }

    #[test]
    fn family_import_headers_are_numbered_per_slot() {
        let name = member("name").unwrap();
        assert_eq!(
            member_headers(name, 0),
            ["监护人1姓名", "家庭成员1姓名", "父亲姓名", "爸爸姓名"]
        );
        assert_eq!(
            member_headers(name, 1),
            ["监护人2姓名", "家庭成员2姓名", "母亲姓名", "妈妈姓名"]
        );
    }
}
