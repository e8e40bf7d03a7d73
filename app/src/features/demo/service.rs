//! Demo and benchmark data: a realistic school filled into an empty database. Every value
//! is fictitious but valid-looking: identity numbers with correct check characters and
//! birth dates that fit the grade, plausible names, addresses and phones. The same seed
//! gives the same school.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use fastrand::Rng;

use crate::{
    domain::{
        Role,
        records::{GuardianInput, Record, RecordInput, codes, fields, id_card::check_character},
    },
    errors::AppError,
    features::{accounts::store::users, records::store as repo, structure::store as structure},
    kit::{
        audit::chain::{self as audit, AuditKey, NewEntry},
        names::search_keys,
        sealing::DataKeys,
    },
};

/// Students per class, as Chinese primary and junior schools have them.
const CLASS_SIZE: u32 = 45;

/// Common surnames, the most frequent first (each is drawn with a weight that falls with its
/// rank); 单, 曾, 解, 仇, 区, 查 and 朴 are read differently as surnames.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤", "单", "解", "仇", "区", "查", "朴",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建", "宇", "浩",
    "轩", "子", "涵", "梓", "睿", "欣", "怡", "晨", "雨", "萱", "博", "文", "思", "佳", "嘉", "一",
    "诺", "依", "可", "馨", "泽", "俊", "然", "瑞", "语", "彤", "琪", "皓", "昊", "宁", "安", "心",
    "悦", "铭", "航", "天", "乐", "书", "雅", "若",
];

const STREETS: &[&str] = &[
    "文三路",
    "文二路",
    "学院路",
    "教工路",
    "天目山路",
    "古墩路",
    "西溪路",
    "莫干山路",
    "体育场路",
    "解放路",
    "庆春路",
    "凤起路",
    "建国路",
    "中山北路",
    "延安路",
    "湖墅南路",
    "丰潭路",
    "紫荆花路",
    "留和路",
    "转塘街",
];

const EMPLOYERS: &[&str] = &[
    "杭州市第一人民医院",
    "西湖区人民政府",
    "浙江大学",
    "中国工商银行杭州分行",
    "杭州地铁集团",
    "西湖区实验小学",
    "阿里巴巴集团",
    "杭州市公交集团",
    "个体经营",
    "浙江省电力公司",
    "杭州市中医院",
    "自由职业",
];

/// Regions most students of a school in 西湖区 come from, and the odd one from elsewhere.
const LOCAL_REGIONS: &[&str] = &["330106", "330105", "330102", "330110", "330108"];

/// `n` students' names as the demo school makes them (drawn from `seed`): for measuring what
/// a school's names catch in ordinary text.
pub fn sample_names(seed: u64, n: usize) -> Vec<String> {
    let mut maker = Maker::new(seed);
    (0..n).map(|_| maker.name()).collect()
}

/// What `fill` made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    /// (role, username) of every account, in the order made.
    pub accounts: Vec<(Role, String)>,
    pub classes: usize,
    pub students: usize,
}

struct Maker<'a> {
    rng: Rng,
    ids: HashSet<String>,
    regions: Vec<&'a str>,
}

impl Maker<'static> {
    /// A maker drawing from `seed`, with every county-level region to be born in.
    fn new(seed: u64) -> Self {
        Maker {
            rng: Rng::with_seed(seed),
            ids: HashSet::new(),
            regions: codes::regions().iter().map(|r| r.code).collect(),
        }
    }
}

impl Maker<'_> {
    fn surname(&mut self) -> &'static str {
        // Rank-weighted: the square of a uniform draw leans toward the common names.
        let u = self.rng.f64();
        SURNAMES[((u * u) * SURNAMES.len() as f64) as usize]
    }

    fn name(&mut self) -> String {
        let mut name = self.surname().to_owned();
        for _ in 0..(1 + usize::from(self.rng.u8(0..10) < 7)) {
            name.push_str(GIVEN[self.rng.usize(..GIVEN.len())]);
        }
        name
    }

    fn region(&mut self) -> String {
        if self.rng.u8(0..10) < 8 {
            LOCAL_REGIONS[self.rng.usize(..LOCAL_REGIONS.len())].to_owned()
        } else {
            self.regions[self.rng.usize(..self.regions.len())].to_owned()
        }
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0) as u64;
        from + Days::new(self.rng.u64(0..=days))
    }

    /// A unique identity number for someone born in `region` on `born`, of sex `male`.
    fn id_number(&mut self, region: &str, born: NaiveDate, male: bool) -> String {
        loop {
            let seq = self.rng.u16(0..500) * 2 + u16::from(male);
            let first17 = format!("{region}{}{seq:03}", born.format("%Y%m%d"));
            let id = format!("{first17}{}", check_character(&first17).expect("17 digits"));
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn phone(&mut self) -> String {
        const PREFIXES: [&str; 12] = [
            "133", "135", "136", "137", "138", "139", "150", "158", "177", "186", "188", "199",
        ];
        format!(
            "{}{:08}",
            PREFIXES[self.rng.usize(..PREFIXES.len())],
            self.rng.u32(0..100_000_000)
        )
    }

    fn address(&mut self) -> String {
        format!(
            "杭州市西湖区{}{}号{}幢{}室",
            STREETS[self.rng.usize(..STREETS.len())],
            self.rng.u16(1..400),
            self.rng.u8(1..30),
            self.rng.u16(101..2806)
        )
    }
}

impl Maker<'_> {
    /// A student born on `born` who entered school in September of `entered`, with father and
    /// mother, typed field by field as a teacher would: every field of the catalogue gets a
    /// value here (a new field without one stops the demo), and the form's own rules then
    /// check the record.
    fn student(
        &mut self,
        born: NaiveDate,
        male: bool,
        entered: i32,
    ) -> Result<RecordInput, AppError> {
        let birthplace = self.region();
        let id_number = self.id_number(&birthplace, born, male);
        let name = self.name();
        let address = self.address();
        let mother_phone = self.phone();
        let mut input = RecordInput::default();
        for f in fields::STUDENT {
            let flag = |yes: bool| if yes { "1" } else { "" }.to_owned();
            *(f.input)(&mut input.student) = match f.meta.key {
                "name" => name.clone(),
                "sex" => if male { "1" } else { "2" }.into(),
                "birth_date" => born.to_string(),
                "document_type" => codes::ID_CARD.into(),
                "id_number" => id_number.clone(),
                "student_number" => format!("G{id_number}"),
                "nationality" => "CHN".into(),
                "ethnicity" => {
                    if self.rng.u8(0..100) < 92 {
                        "01".into()
                    } else {
                        format!("{:02}", self.rng.u8(2..57))
                    }
                }
                "birthplace" | "hukou_region" => birthplace.clone(),
                "native_place" => {
                    if self.rng.u8(0..10) < 7 {
                        birthplace.clone()
                    } else {
                        self.region()
                    }
                }
                "hukou_nature" => "3".into(),
                "enrolment_month" => format!("{entered}-09"),
                "enrolment_mode" => if self.rng.u8(0..10) < 8 { "1" } else { "2" }.into(),
                "attendance_mode" => "1".into(),
                "phone" => mother_phone.clone(),
                "address" => address.clone(),
                "health" => if self.rng.u8(0..100) < 95 { "1" } else { "2" }.into(),
                "left_behind" => flag(self.rng.u8(0..100) < 3),
                "migrant" => flag(self.rng.u8(0..100) < 12),
                "orphan" => flag(false),
                "disabled" => flag(self.rng.u16(0..1000) < 5),
                "former_name" => String::new(),
                "only_child" => flag(self.rng.u8(0..100) < 30),
                "preschool" => flag(self.rng.u8(0..100) < 95),
                "school_bus" => flag(self.rng.u8(0..100) < 8),
                "commute_km" => format!("{}.{}", self.rng.u8(0..8), self.rng.u8(1..10)),
                // Mail goes where the student lives.
                "mailing_address" | "postal_code" => String::new(),
                "martyr_child" => flag(false),
                other => return Err(no_value(other)),
            };
        }
        let surname: String = name.chars().next().map(String::from).unwrap_or_default();
        input.guardians = [
            ("father", true, self.phone()),
            ("mother", false, mother_phone),
        ]
        .into_iter()
        .map(|(relation, male, phone)| {
            let born = self.date_between(
                NaiveDate::from_ymd_opt(entered - 40, 1, 1).expect("a date"),
                NaiveDate::from_ymd_opt(entered - 25, 12, 31).expect("a date"),
            );
            let region = self.region();
            let parent = if male {
                format!("{surname}{}", GIVEN[self.rng.usize(..GIVEN.len())])
            } else {
                self.name()
            };
            let mut member = GuardianInput::default();
            for f in fields::FAMILY {
                *(f.input)(&mut member) = match f.meta.key {
                    "name" => parent.clone(),
                    "relation" => relation.into(),
                    "is_guardian" => "1".into(),
                    "document_type" => codes::ID_CARD.into(),
                    "id_number" => self.id_number(&region, born, male),
                    "phone" => phone.clone(),
                    "employer" => EMPLOYERS[self.rng.usize(..EMPLOYERS.len())].into(),
                    "address" => address.clone(),
                    other => return Err(no_value(other)),
                };
            }
            Ok(member)
        })
        .collect::<Result<_, AppError>>()?;
        Ok(input)
    }
}

fn no_value(field: &str) -> AppError {
    AppError::internal(format!(
        "the demo school has no value for the field {field}"
    ))
}

/// The school year `now` falls in: it starts on 1 September.
fn school_year_start(now: DateTime<Utc>) -> i32 {
    let today = now.date_naive();
    if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    }
}

/// Fills an empty database with a school of `students` students in grades 1–9, classes of
/// about 45, each with its homeroom teacher, two records administrators, a leader, two
/// leading-group members and a system administrator, all with the password hash `hash`.
pub async fn fill(
    pool: &crate::db::Pool,
    audit_key: &AuditKey,
    keys: &DataKeys,
    now: DateTime<Utc>,
    students: u32,
    seed: u64,
    hash: &str,
) -> Result<Filled, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    if repo::count(&mut tx).await? > 0 {
        return Err(AppError::conflict("demo.not_empty"));
    }
    let mut m = Maker::new(seed);

    let mut accounts = Vec::new();
    let mut account =
        async |tx: &mut crate::db::Conn, role: Role, username: String, name: String| {
            if users::username_taken(tx, &username).await? {
                return Err(AppError::conflict("username_taken"));
            }
            let id = users::insert(tx, &username, &name, now).await?;
            users::grant_role(tx, id, role, now).await?;
            users::set_password(tx, id, hash, now).await?;
            accounts.push((role, username));
            Ok::<i64, AppError>(id)
        };
    account(
        &mut tx,
        Role::SystemAdmin,
        "sysadmin".into(),
        "系统管理员".into(),
    )
    .await?;
    for i in 1..=2 {
        let name = m.name();
        account(&mut tx, Role::RecordsAdmin, format!("records{i}"), name).await?;
    }
    let name = m.name();
    account(&mut tx, Role::Leader, "leader".into(), name).await?;
    for i in 1..=2 {
        let name = m.name();
        account(&mut tx, Role::LeadingGroup, format!("group{i}"), name).await?;
    }

    let start = school_year_start(now);
    let year_name = format!("{start}-{}", start + 1);
    let year_id = structure::insert_school_year(
        &mut tx,
        &year_name,
        NaiveDate::from_ymd_opt(start, 9, 1).expect("a date"),
        NaiveDate::from_ymd_opt(start + 1, 7, 15).expect("a date"),
        now,
    )
    .await?;

    let class_count = students.div_ceil(CLASS_SIZE).max(1);
    let mut per_grade = [0u32; 9];
    let mut made = 0usize;
    let mut next_student = 0u32;
    for c in 0..class_count {
        let grade = (c % 9) as usize;
        per_grade[grade] += 1;
        let teacher_name = m.name();
        let teacher = account(
            &mut tx,
            Role::HomeroomTeacher,
            format!("t{:04}", c + 1),
            teacher_name,
        )
        .await?;
        let class_public = crate::db::new_public_id();
        let class_id = structure::insert_class(
            &mut tx,
            &class_public,
            year_id,
            grade as i64 + 1,
            &format!("{}班", per_grade[grade]),
            now,
        )
        .await?;
        structure::set_homeroom_teacher(&mut tx, class_id, Some(teacher)).await?;

        // Students are spread evenly over the classes.
        let here = (students - next_student) / (class_count - c);
        next_student += here;
        let entered = start - grade as i32;
        for _ in 0..here {
            let male = m.rng.bool();
            let born = m.date_between(
                NaiveDate::from_ymd_opt(entered - 7, 9, 1).expect("a date"),
                NaiveDate::from_ymd_opt(entered - 6, 8, 31).expect("a date"),
            );
            let student = m.student(born, male, entered)?;
            let record = Record::parse(&student, None, now.date_naive()).map_err(|problems| {
                AppError::internal(format!("a demo record the form refuses: {problems:?}"))
            })?;
            let public_id = crate::db::new_public_id();
            let status = match m.rng.u8(0..100) {
                0..70 => "verified",
                70..85 => "submitted",
                85..95 => "draft",
                _ => "returned",
            };
            let secrets = &record.secrets;
            let sealed = keys.seal_json(&format!("student:{public_id}"), secrets);
            let student_id = repo::insert_student(
                &mut tx,
                &public_id,
                class_id,
                teacher,
                &repo::StudentWrite {
                    details: &record.details,
                    sealed: &sealed,
                    id_number_index: &keys.blind_index("id_number", &secrets.id_number),
                    student_number_index: Some(
                        &keys.blind_index("student_number", &secrets.student_number),
                    ),
                    status,
                    now,
                },
            )
            .await?;
            if status == "returned" {
                repo::set_review_note(
                    &mut tx,
                    student_id,
                    crate::features::records::views::RecordStatus::Returned,
                    Some("请核对监护人联系电话"),
                    now,
                )
                .await?;
            }
            if status == "verified" {
                repo::set_review_note(
                    &mut tx,
                    student_id,
                    crate::features::records::views::RecordStatus::Verified,
                    None,
                    now,
                )
                .await?;
            }
            let sealed_guardians: Vec<_> = record
                .guardians
                .iter()
                .map(|g| {
                    let sealed = keys.seal_json(&format!("guardian:{public_id}"), &g.secrets);
                    (&g.details, sealed)
                })
                .collect();
            repo::insert_guardians(&mut tx, student_id, &sealed_guardians).await?;
            repo::insert_search_keys(&mut tx, student_id, &search_keys(&record.details.name))
                .await?;
            made += 1;
        }
    }
    audit::append(
        &mut tx,
        audit_key,
        now,
        NewEntry::new("records.demo_data", "success").details(serde_json::json!({
            "students": made,
            "classes": class_count,
            "seed": seed,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Filled {
        accounts,
        classes: class_count as usize,
        students: made,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_people_are_valid() {
        let mut m = Maker::new(7);
        for _ in 0..2000 {
            let male = m.rng.bool();
            let born = m.date_between(
                NaiveDate::from_ymd_opt(2015, 9, 1).unwrap(),
                NaiveDate::from_ymd_opt(2016, 8, 31).unwrap(),
            );
            let region = m.region();
            let id = crate::domain::records::IdCardNumber::parse(&m.id_number(&region, born, male))
                .unwrap();
            assert_eq!(id.birth_date(), born);
            assert_eq!(id.sex() == crate::domain::records::Sex::Male, male);
            assert!(crate::domain::records::person_name(&m.name()).is_ok());
            assert!(crate::domain::records::mobile_number(&m.phone()).is_ok());
            assert!(crate::domain::records::address(&m.address()).is_ok());
            assert!(codes::is_region(&region));
        }
        assert_eq!(m.ids.len(), 2000, "unique");
    }

    #[test]
    fn every_demo_student_fills_every_field_and_passes_the_forms_rules() {
        let mut m = Maker::new(11);
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for n in 0..500 {
            let entered = 2026 - n % 9;
            let born = m.date_between(
                NaiveDate::from_ymd_opt(entered - 7, 9, 1).unwrap(),
                NaiveDate::from_ymd_opt(entered - 6, 8, 31).unwrap(),
            );
            let input = m.student(born, n % 2 == 0, entered).unwrap();
            let record = Record::parse(&input, None, today).unwrap_or_else(|p| panic!("{p:?}"));
            assert_eq!(record.guardians.len(), 2);
            assert_eq!(record.details.birth_date, born);
            // Only the flags and what a record may leave empty (a former name, a mailing
            // address apart from where the student lives) may be empty: every other field
            // holds a value.
            for f in fields::STUDENT {
                let optional = ["former_name", "mailing_address", "postal_code"];
                if f.meta.kind != crate::domain::records::fields::Kind::Flag
                    && !optional.contains(&f.meta.key)
                {
                    assert!(!(f.typed)(&input.student).is_empty(), "{}", f.meta.key);
                }
            }
        }
    }
}
