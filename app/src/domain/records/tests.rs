use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A real-shaped identity card number with its true check character.
pub(crate) fn id(region: &str, date: &str, seq: &str) -> String {
    let first17 = format!("{region}{date}{seq}");
    format!("{first17}{}", id_card::check_character(&first17).unwrap())
}

fn student() -> RecordInput {
    RecordInput {
        student: StudentInput {
            name: "王小明".into(),
            sex: "1".into(),
            birth_date: "2015-03-07".into(),
            birthplace: "330106".into(),
            native_place: "330106".into(),
            ethnicity: "01".into(),
            nationality: "CHN".into(),
            document_type: "1".into(),
            id_number: id("330106", "20150307", "031"),
            student_number: String::new(),
            hukou_region: "330106".into(),
            hukou_nature: "2".into(),
            health: "1".into(),
            enrolment_month: "2021-09".into(),
            enrolment_mode: "1".into(),
            attendance_mode: "1".into(),
            phone: "13812345678".into(),
            address: "杭州市西湖区文三路 90 号".into(),
            left_behind: "0".into(),
            migrant: "1".into(),
            orphan: String::new(),
            disabled: String::new(),
            // The national indicators a record may leave empty, left empty.
            ..Default::default()
        },
        guardians: vec![
            GuardianInput {
                name: "王大山".into(),
                relation: "father".into(),
                is_guardian: "1".into(),
                phone: "139 1234 5678".into(),
                ..Default::default()
            },
            GuardianInput::default(),
        ],
    }
}

fn problems(input: &RecordInput) -> Vec<(String, String)> {
    Record::parse(input, None, today())
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn has(input: &RecordInput, field: &str, code: &str) -> bool {
    problems(input).contains(&(field.to_owned(), code.to_owned()))
}

#[test]
fn a_complete_form_is_a_record() {
    let record = Record::parse(&student(), None, today()).unwrap();
    assert_eq!(record.details.name, "王小明");
    assert_eq!(record.guardians.len(), 1, "the blank slot is no one");
    assert_eq!(record.guardians[0].secrets.phone, "13912345678");
    assert!(record.secrets.migrant && !record.secrets.left_behind);
}

#[test]
fn the_id_number_must_agree_with_birth_date_and_sex() {
    let mut input = student();
    input.student.birth_date = "2015-03-08".into();
    input.student.sex = "2".into();
    assert!(has(&input, "birth_date", "id_card.birth_date_mismatch"));
    assert!(has(&input, "sex", "id_card.sex_mismatch"));
}

#[test]
fn a_wrong_check_character_or_impossible_date_is_refused() {
    let mut input = student();
    let good = input.student.id_number.clone();
    let wrong = if good.ends_with('0') { '1' } else { '0' };
    input.student.id_number = format!("{}{wrong}", &good[..17]);
    assert!(has(&input, "id_number", "id_card.checksum"));
    input.student.id_number = id("330106", "20150229", "031");
    assert!(has(&input, "id_number", "id_card.birth_date"));
}

#[test]
fn other_documents_skip_the_identity_card_rules() {
    let mut input = student();
    input.student.document_type = "4".into();
    input.student.id_number = "E12345678".into();
    assert!(Record::parse(&input, None, today()).is_ok());
    input.student.id_number = "E1".into();
    assert!(has(&input, "id_number", "document_number.format"));
}

#[test]
fn student_numbers_follow_the_id_number() {
    let id_number = id("330106", "20150307", "031");
    assert!(student_number(&format!("G{id_number}"), Some(&id_number)).is_ok());
    assert_eq!(
        student_number(
            &format!("G{}", id("330106", "20150307", "042")),
            Some(&id_number)
        ),
        Err("student_number.mismatch")
    );
    assert!(student_number("J123456789012345678", None).is_ok());
    assert_eq!(student_number("X123", None), Err("student_number.format"));
    assert_eq!(student_number("G123", None), Err("student_number.format"));
    assert_eq!(student_number("", None), Ok(String::new()));
}

#[test]
fn mobile_numbers() {
    assert_eq!(mobile_number("138-1234-5678"), Ok("13812345678".into()));
    assert!(mobile_number("19912345678").is_ok());
    for bad in [
        "",
        "1381234567",
        "12812345678",
        "23812345678",
        "1381234567a",
        "０13812345678",
    ] {
        assert_eq!(mobile_number(bad), Err("phone.format"), "{bad}");
    }
}

#[test]
fn names() {
    assert!(person_name("张三").is_ok());
    assert!(person_name("阿依古丽·买买提").is_ok());
    assert!(person_name("Anna Schmidt").is_ok());
    assert!(person_name("𠮷田").is_ok(), "an extension-B character");
    assert_eq!(person_name(" "), Err("name.empty"));
    assert_eq!(person_name("张"), Err("name.length"));
    assert_eq!(person_name(&"张".repeat(31)), Err("name.length"));
    assert_eq!(person_name("张3"), Err("name.characters"));
    assert_eq!(person_name("<b>张三</b>"), Err("name.characters"));
    assert_eq!(person_name("·张三"), Err("name.characters"));
}

#[test]
fn dates_and_months() {
    assert_eq!(birth_date("2027-01-01", today()), Err("date.future"));
    assert_eq!(birth_date("1989-12-31", today()), Err("date.too_early"));
    assert_eq!(birth_date("2015-02-30", today()), Err("date.format"));
    assert_eq!(birth_date("07/03/2015", today()), Err("date.format"));
    let mut input = student();
    input.student.enrolment_month = "2014-09".into();
    assert!(has(&input, "enrolment_month", "month.before_birth"));
    input.student.enrolment_month = "2021-13".into();
    assert!(has(&input, "enrolment_month", "month.format"));
    input.student.enrolment_month = "2029-09".into();
    assert!(has(&input, "enrolment_month", "month.future"));
}

#[test]
fn code_lists() {
    let mut input = student();
    input.student.ethnicity = "99".into();
    input.student.health = "4".into();
    input.student.enrolment_mode = String::new();
    input.student.document_type = "7".into();
    input.student.nationality = "XYZ".into();
    assert!(has(&input, "ethnicity", "choice.unknown"));
    assert!(has(&input, "health", "choice.unknown"));
    assert!(has(&input, "enrolment_mode", "choice.empty"));
    assert!(has(&input, "document_type", "choice.unknown"));
    assert!(has(&input, "nationality", "choice.unknown"));
    input.student.birthplace = "330199".into();
    input.student.hukou_region = "33010".into();
    #[cfg(feature = "ssr")]
    assert!(has(&input, "birthplace", "region.unknown"));
    assert!(has(&input, "hukou_region", "region.unknown"));
}

#[test]
fn a_top_secret_record_shows_not_even_whether_an_optional_value_is_there() {
    assert_eq!(masked("former_name", "", true), MASK_FULL);
    assert_eq!(masked("former_name", "王晓明", true), MASK_FULL);
    assert_eq!(masked("phone", "13812345678", true), MASK_FULL);
    // Otherwise an empty value is shown empty: the teacher sees there is none to keep.
    assert_eq!(masked("former_name", "", false), "");
    assert_eq!(masked("former_name", "王晓明", false), MASK_FULL);
    assert_eq!(masked("phone", "13812345678", false), "****5678");
}

#[test]
fn postal_codes_and_distances() {
    assert_eq!(postal_code("310012"), Ok("310012".into()));
    assert_eq!(
        postal_code(" 010 000 "),
        Ok("010000".into()),
        "a leading 0 is kept"
    );
    for bad in ["31001", "3100123", "31001a", "３１００１２", ""] {
        assert_eq!(postal_code(bad), Err("postal_code.format"), "{bad}");
    }
    for (typed, kept) in [
        ("2.5", "2.5"),
        ("2.50", "2.5"),
        ("2.0", "2"),
        ("02", "2"),
        ("0", "0"),
        ("0.5", "0.5"),
        ("999.9", "999.9"),
        (" 3.2 公里", "3.2"),
        ("12km", "12"),
    ] {
        assert_eq!(distance_km(typed), Ok(kept.into()), "{typed}");
    }
    for bad in [".5", "2.55", "1000", "-1", "2,5", "abc", "2.5.1", "", "1e3"] {
        assert_eq!(distance_km(bad), Err("distance.format"), "{bad}");
    }
}

#[test]
fn the_national_indicators_may_be_left_empty_and_are_checked_when_given() {
    // Left empty: a record, with nothing kept for them.
    let record = Record::parse(&student(), None, today()).unwrap();
    assert_eq!(record.secrets.former_name, "");
    assert_eq!(record.details.commute_km, "");
    assert!(!record.details.only_child && !record.secrets.martyr_child);
    assert_eq!(record.secrets.mailing_address, "");
    assert_eq!(record.secrets.postal_code, "");

    let mut input = student();
    input.student.former_name = "王晓明".into();
    input.student.only_child = "1".into();
    input.student.commute_km = "3.50".into();
    input.student.mailing_address = "杭州市邮政 123 号信箱".into();
    input.student.postal_code = "310012".into();
    input.student.martyr_child = "1".into();
    let record = Record::parse(&input, None, today()).unwrap();
    assert_eq!(record.secrets.former_name, "王晓明");
    assert!(record.details.only_child);
    assert_eq!(record.details.commute_km, "3.5");
    assert_eq!(record.secrets.postal_code, "310012");
    assert!(record.secrets.martyr_child);

    // An edit that leaves the classified ones empty keeps them, as every classified field.
    let mut edit = student();
    edit.student.martyr_child = String::new();
    let kept = Record::parse(&edit, Some(&record), today()).unwrap();
    assert_eq!(kept.secrets.mailing_address, "杭州市邮政 123 号信箱");
    assert_eq!(kept.secrets.postal_code, "310012");
    assert_eq!(kept.secrets.former_name, "王晓明");
    assert!(kept.secrets.martyr_child);
    assert!(kept.details.only_child, "an unchanged flag stays");

    // Given, each is checked beside its field, never with its value.
    let mut bad = student();
    bad.student.former_name = "王1".into();
    bad.student.commute_km = "2.55".into();
    bad.student.postal_code = "31001".into();
    bad.student.mailing_address = "杭州".into();
    bad.student.school_bus = "maybe".into();
    let found = problems(&bad);
    for (field, code) in [
        ("former_name", "name.characters"),
        ("commute_km", "distance.format"),
        ("postal_code", "postal_code.format"),
        ("mailing_address", "address.too_short"),
        ("school_bus", "choice.unknown"),
    ] {
        assert!(
            found.contains(&(field.to_owned(), code.to_owned())),
            "{field}: {found:?}"
        );
    }
}

#[test]
fn a_student_needs_a_guardian() {
    let mut input = student();
    input.guardians = vec![GuardianInput::default(); 2];
    assert!(has(&input, "guardians", "guardians.none"));
    let mut input = student();
    input.guardians[0].is_guardian = String::new();
    assert!(has(&input, "guardians", "guardians.no_guardian"));
    let mut input = student();
    input.guardians[1].name = "李".into();
    assert!(has(&input, "guardians.1.name", "name.length"));
    assert!(has(&input, "guardians.1.relation", "choice.empty"));
    assert!(has(&input, "guardians.1.phone", "phone.format"));
}

#[test]
fn errors_never_carry_the_value() {
    let mut input = student();
    input.student.id_number = "330106201503070319".into();
    input.student.phone = "1234".into();
    let text = format!("{:?}", Record::parse(&input, None, today()).unwrap_err());
    assert!(
        !text.contains("330106201503070319") && !text.contains("1234"),
        "{text}"
    );
    assert_eq!(format!("{input:?}"), "RecordInput { .. }");
}

#[test]
fn empty_classified_fields_keep_the_stored_values() {
    let saved = Record::parse(&student(), None, today()).unwrap();
    let mut edit = student();
    edit.student.id_number.clear();
    edit.student.phone.clear();
    edit.student.address.clear();
    edit.student.health.clear();
    edit.student.migrant.clear();
    edit.guardians[0].phone.clear();
    edit.student.name = "王晓明".into();
    let edited = Record::parse(&edit, Some(&saved), today()).unwrap();
    assert_eq!(edited.secrets, saved.secrets);
    assert_eq!(edited.guardians[0].secrets, saved.guardians[0].secrets);
    assert_eq!(saved.changed_fields(&edited), vec!["name".to_owned()]);
    // A new record has nothing to keep.
    assert!(has(&edit, "id_number", "document_number.empty"));
    assert!(has(&edit, "phone", "phone.format"));
}

#[test]
fn removing_a_family_member_is_a_change() {
    let mut input = student();
    input.guardians[1] = GuardianInput {
        name: "李红".into(),
        relation: "mother".into(),
        is_guardian: "1".into(),
        phone: "13700001111".into(),
        ..Default::default()
    };
    let saved = Record::parse(&input, None, today()).unwrap();
    assert_eq!(saved.guardians.len(), 2);
    let mut edit = input.clone();
    edit.guardians[1].remove = "1".into();
    let edited = Record::parse(&edit, Some(&saved), today()).unwrap();
    assert_eq!(edited.guardians.len(), 1);
    assert!(
        saved
            .changed_fields(&edited)
            .iter()
            .all(|f| f.starts_with("guardians.1."))
    );
}

#[test]
fn classification_and_masks() {
    assert_eq!(classification_of("id_number"), Classification::Confidential);
    assert_eq!(
        classification_of("guardian.phone"),
        Classification::Confidential
    );
    assert_eq!(classification_of("name"), Classification::Ordinary);
    assert_eq!(classification_of("guardian.name"), Classification::Ordinary);
    assert_eq!(mask_tail("13812345678"), "****5678");
    assert_eq!(mask_tail("12"), "****12");
    assert!(shows_tail("phone") && shows_tail("guardians.1.phone"));
    for hidden in [
        "id_number",
        "student_number",
        "guardians.0.id_number",
        "address",
    ] {
        assert!(!shows_tail(hidden), "{hidden}");
    }
}

#[test]
fn form_control_names_map_to_fields() {
    assert_eq!(
        field_of_name("record[student][phone]").as_deref(),
        Some("phone")
    );
    assert_eq!(
        field_of_name("record[guardians][1][phone]").as_deref(),
        Some("guardians.1.phone")
    );
    assert_eq!(field_of_name("class_id"), None);
    let mut input = RecordInput::default();
    input.set("record[student][name]", "王小明".into());
    input.set("record[guardians][2][relation]", "mother".into());
    input.set("record[guardians][9][relation]", "mother".into());
    input.set("record[student][nonsense]", "x".into());
    assert_eq!(input.student.name, "王小明");
    assert_eq!(input.guardians.len(), 3);
    assert_eq!(input.guardians[2].relation, "mother");
}

/// Every message a rule can give, every code's label and every field's label exists in
/// both languages.
#[test]
fn every_rule_and_code_has_words_in_both_languages() {
    use crate::i18n::{Locale, translate};
    let mut keys: Vec<String> = Vec::new();
    for list in [
        codes::SEXES,
        codes::NATIONALITIES,
        codes::DOCUMENT_TYPES,
        codes::HUKOU_NATURES,
        codes::HEALTH,
        codes::ENROLMENT_MODES,
        codes::ATTENDANCE_MODES,
        codes::RELATIONS,
    ] {
        keys.extend(list.iter().map(|c| c.label.to_owned()));
    }
    let record = Record::parse(&student(), None, today()).unwrap();
    for (field, _) in record.field_values() {
        keys.push(format!("field.{}", field.rsplit('.').next().unwrap()));
    }
    for e in [
        IdCardError::Length,
        IdCardError::Characters,
        IdCardError::Region,
        IdCardError::BirthDate,
        IdCardError::Checksum,
    ] {
        keys.push(format!("error.{}", e.code()));
    }
    // The codes the rules give, read off the rules' source.
    let source = include_str!("mod.rs");
    for code in source.split('"').filter(|s| {
        s.contains('.')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            && !s.starts_with('.')
    }) {
        if !code.starts_with("guardian") || code.starts_with("guardians.") {
            keys.push(format!("error.{code}"));
        }
    }
    for key in keys {
        for locale in Locale::ALL {
            assert_ne!(translate(locale, &key), key, "{key} in {}", locale.tag());
        }
    }
}

#[test]
fn dates_are_read_as_chrono_read_them_without_its_format_machinery() {
    for (text, want) in [
        ("2017-03-07", Some((2017, 3, 7))),
        ("2017-3-7", Some((2017, 3, 7))),
        ("2016-02-29", Some((2016, 2, 29))),
        ("2017-02-29", None),
        ("2017-13-01", None),
        ("17-03-07", None),
        ("20170-03-07", None),
        ("2017-03-07x", None),
        ("2017-003-07", None),
        ("+2017-03-07", None),
        ("2017-03", None),
        ("２０１７-03-07", None),
        ("", None),
    ] {
        let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let ours = parse_date(text);
        assert_eq!(
            ours,
            want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            "{text}"
        );
        // Where chrono reads a date, it is the same; the one case chrono reads and we refuse
        // is a year of other than four digits, which no rule accepts anyway.
        if ours.is_some() {
            assert_eq!(chrono, ours, "{text}");
        }
    }
}

#[test]
fn a_list_masks_a_required_number_without_opening_it() {
    // What a roster or a search result shows for the identity number, without its value, is
    // what the value itself would be masked to, whatever the number and 绝密 or not.
    for number in ["11010519491231002X", "110105194912310021", "A1234567"] {
        for top_secret in [false, true] {
            assert_eq!(
                masked_present("id_number", top_secret).map(str::to_owned),
                Some(masked("id_number", number, top_secret))
            );
        }
    }
    // A phone's mask keeps its last four digits: no list can show it unopened, unless the
    // record is 绝密 and shows nothing of it.
    assert_eq!(masked_present("phone", false), None);
    assert_eq!(
        masked_present("phone", true).map(str::to_owned),
        Some(masked("phone", "13800138000", true))
    );
}
