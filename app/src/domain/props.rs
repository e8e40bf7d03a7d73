//! Property tests: every domain parser takes arbitrary Unicode (any length, any script, control
//! characters, lone combining marks) and answers with a value or a refusal, never a panic.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{
    Role, Username,
    password::{self, Holder, PasswordPolicy, Preset},
    records::{
        self, GuardianInput, Record, RecordInput, StudentInput, codes, field_of_name, id_card,
    },
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// Any text, weighted towards what breaks byte-indexed code: multi-byte first characters and
/// lengths around the ones the rules look for (18, 19).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[中GJLX0-9éँ\u{0}\u{200d}]{0,24}",
        "[\u{4e00}-\u{9fff}][0-9A-Z]{16,18}",
    ]
}

fn guardian() -> impl Strategy<Value = GuardianInput> {
    proptest::collection::vec(text(), 9).prop_map(|v| GuardianInput {
        name: v[0].clone(),
        relation: v[1].clone(),
        is_guardian: v[2].clone(),
        document_type: v[3].clone(),
        id_number: v[4].clone(),
        phone: v[5].clone(),
        employer: v[6].clone(),
        address: v[7].clone(),
        remove: v[8].clone(),
    })
}

fn record_input() -> impl Strategy<Value = RecordInput> {
    (
        proptest::collection::vec(text(), 30),
        proptest::collection::vec(guardian(), 0..6),
    )
        .prop_map(|(v, guardians)| RecordInput {
            student: StudentInput {
                name: v[0].clone(),
                sex: v[1].clone(),
                birth_date: v[2].clone(),
                birthplace: v[3].clone(),
                native_place: v[4].clone(),
                ethnicity: v[5].clone(),
                nationality: v[6].clone(),
                document_type: v[7].clone(),
                id_number: v[8].clone(),
                student_number: v[9].clone(),
                hukou_region: v[10].clone(),
                hukou_nature: v[11].clone(),
                health: v[12].clone(),
                enrolment_month: v[13].clone(),
                enrolment_mode: v[14].clone(),
                attendance_mode: v[15].clone(),
                phone: v[16].clone(),
                address: v[17].clone(),
                left_behind: v[18].clone(),
                migrant: v[19].clone(),
                orphan: v[20].clone(),
                disabled: v[21].clone(),
                former_name: v[22].clone(),
                only_child: v[23].clone(),
                preschool: v[24].clone(),
                school_bus: v[25].clone(),
                commute_km: v[26].clone(),
                mailing_address: v[27].clone(),
                postal_code: v[28].clone(),
                martyr_child: v[29].clone(),
            },
            guardians,
        })
}

proptest! {
    #[test]
    fn single_value_parsers_never_panic(input in text()) {
        let _ = id_card::IdCardNumber::parse(&input);
        let _ = id_card::check_character(&input);
        let _ = records::student_number(&input, None);
        let _ = records::student_number(&input, Some("11010519491231002X"));
        let _ = records::mobile_number(&input);
        let _ = records::person_name(&input);
        let _ = records::address(&input);
        let _ = records::postal_code(&input);
        let _ = records::distance_km(&input);
        let _ = records::birth_date(&input, today());
        let _ = records::mask_tail(&input);
        let _ = records::classification_of(&input);
        let _ = records::form_name(&input);
        let _ = codes::is_region(&input);
        let _ = codes::is_province(&input);
        let _ = codes::is_ethnicity(&input);
        let _ = Username::parse(&input);
        let _ = Role::parse(&input);
        let _ = Preset::parse(&input);
        let holder = Holder { username: "wang", names: &[], old: None, is_common: None };
        let _ = password::problems(&input, &PasswordPolicy::default(), &holder);
    }

    #[test]
    fn form_names_never_panic(name in text(), value in text()) {
        let _ = field_of_name(&name);
        let mut input = RecordInput::default();
        input.set(&name, value.clone());
        input.set(&format!("record[guardians][{name}][phone]"), value.clone());
        input.set_field(&name, value);
        prop_assert!(input.guardians.len() <= records::GUARDIAN_SLOTS);
    }

    #[test]
    fn whole_forms_never_panic(input in record_input()) {
        let _ = input.oversized_field();
        if let Ok(record) = Record::parse(&input, None, today()) {
            let again = Record::parse(&input, Some(&record), today());
            prop_assert!(again.is_ok());
            let _ = record.changed_fields(&again.unwrap());
        }
    }
}
