//! The code lists of the national first-collection indicators: a stored code, and the key of
//! its label in each language. Ethnicities (GB/T 3304) and regions (GB/T 2260) come from data
//! files in `app/data/` whose source and licence head each file.

/// One entry of a code list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    /// Translation key of the label.
    pub label: &'static str,
    /// The name the national indicator list gives it: what a roster file writes, and what an
    /// import matches (never the label, which may be reworded).
    pub name: &'static str,
}

const fn c(code: &'static str, label: &'static str, name: &'static str) -> Code {
    Code { code, label, name }
}

pub const SEXES: &[Code] = &[
    c("1", "code.sex.male", "男"),
    c("2", "code.sex.female", "女"),
];

pub const NATIONALITIES: &[Code] = &[
    c("CHN", "code.nationality.chn", "中国"),
    c("HKG", "code.nationality.hkg", "中国香港"),
    c("MAC", "code.nationality.mac", "中国澳门"),
    c("TWN", "code.nationality.twn", "中国台湾"),
    c("OTH", "code.nationality.other", "其他国家或地区"),
];

/// 身份证件类型; only the first carries a GB 11643 number.
pub const DOCUMENT_TYPES: &[Code] = &[
    c("1", "code.document.id_card", "居民身份证"),
    c(
        "2",
        "code.document.hk_macao_permit",
        "港澳居民来往内地通行证",
    ),
    c("3", "code.document.taiwan_permit", "台湾居民来往大陆通行证"),
    c("4", "code.document.passport", "护照"),
    c("9", "code.document.other", "其他证件"),
];

pub const ID_CARD: &str = "1";

pub const HUKOU_NATURES: &[Code] = &[
    c("1", "code.hukou.agricultural", "农业户口"),
    c("2", "code.hukou.non_agricultural", "非农业户口"),
    c("3", "code.hukou.resident", "居民户口"),
];

/// 健康状况 (GB/T 2261.3).
pub const HEALTH: &[Code] = &[
    c("1", "code.health.good", "健康或良好"),
    c("2", "code.health.fair", "一般或较弱"),
    c("3", "code.health.chronic", "有慢性病"),
    c("6", "code.health.disabled", "残疾"),
];

pub const ENROLMENT_MODES: &[Code] = &[
    c("1", "code.enrolment.nearby", "就近入学"),
    c("2", "code.enrolment.relatively_nearby", "相对就近入学"),
    c("3", "code.enrolment.allocation", "派位"),
    c("4", "code.enrolment.examination", "招生考试"),
    c("9", "code.enrolment.other", "其他"),
];

pub const ATTENDANCE_MODES: &[Code] = &[
    c("1", "code.attendance.day", "走读"),
    c("2", "code.attendance.boarding", "住校"),
];

pub const RELATIONS: &[Code] = &[
    c("father", "code.relation.father", "父亲"),
    c("mother", "code.relation.mother", "母亲"),
    c("grandfather", "code.relation.grandfather", "祖父/外祖父"),
    c("grandmother", "code.relation.grandmother", "祖母/外祖母"),
    c("sibling", "code.relation.sibling", "兄弟姐妹"),
    c("other", "code.relation.other", "其他亲属或监护人"),
];

/// Whether `code` is one of `list`.
pub fn is_one_of(list: &[Code], code: &str) -> bool {
    list.iter().any(|c| c.code == code)
}

/// The label key of `code` in `list`.
pub fn label_of(list: &[Code], code: &str) -> Option<&'static str> {
    list.iter().find(|c| c.code == code).map(|c| c.label)
}

/// The 34 province-level codes of GB/T 2260 (the first two digits of every region code
/// and identity card number).
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

pub fn is_province(code: &str) -> bool {
    PROVINCES.contains(&code)
}

/// One ethnicity of GB/T 3304.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ethnicity {
    pub code: &'static str,
    pub name: &'static str,
    pub romanization: &'static str,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// GB/T 3304, from `app/data/ethnicities.tsv`.
pub fn ethnicities() -> &'static [Ethnicity] {
    static LIST: std::sync::OnceLock<Vec<Ethnicity>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        data_lines(include_str!("../../../data/ethnicities.tsv"))
            .filter_map(|f| {
                Some(Ethnicity {
                    code: f.first()?,
                    name: f.get(1)?,
                    romanization: f.get(2)?,
                })
            })
            .collect()
    })
}

pub fn is_ethnicity(code: &str) -> bool {
    ethnicities().iter().any(|e| e.code == code)
}

/// A county-level region of GB/T 2260.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: &'static str,
    pub province: &'static str,
    pub prefecture: &'static str,
    pub county: &'static str,
}

#[cfg(feature = "ssr")]
impl Region {
    /// The name without spaces, as a person may type it whole: "浙江省杭州市西湖区".
    fn full_name(&self) -> String {
        self.name().replace(' ', "")
    }

    /// "浙江省 杭州市 西湖区", without the prefecture of municipalities ("市辖区").
    pub fn name(&self) -> String {
        if matches!(
            self.prefecture,
            "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
        ) {
            format!("{} {}", self.province, self.county)
        } else {
            format!("{} {} {}", self.province, self.prefecture, self.county)
        }
    }
}

/// GB/T 2260 county-level regions, from `app/data/regions.tsv`: on the server only (the
/// browser checks the shape of a region code, the server that it exists).
#[cfg(feature = "ssr")]
pub fn regions() -> &'static [Region] {
    static LIST: std::sync::OnceLock<Vec<Region>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        data_lines(include_str!("../../../data/regions.tsv"))
            .filter_map(|f| {
                Some(Region {
                    code: f.first()?,
                    province: f.get(1)?,
                    prefecture: f.get(2)?,
                    county: f.get(3)?,
                })
            })
            .collect()
    })
}

#[cfg(feature = "ssr")]
pub fn region(code: &str) -> Option<&'static Region> {
    let list = regions();
    list.binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|i| &list[i])
}

/// The region a name as typed stands for ("西湖区", "杭州 西湖", "浙江省杭州市西湖区"): the
/// county whose name is the typed text, else the one whose full name holds every typed part,
/// when exactly one does. `Err` says why not: none, or several (type more of the name, or
/// the code). On the server only: the browser has no list, and leaves names to the server.
#[cfg(feature = "ssr")]
pub fn region_by_name(typed: &str) -> Result<&'static Region, &'static str> {
    match regions_named(typed).as_slice() {
        [one] => Ok(*one),
        [] => Err("region.unknown"),
        _ => Err("region.ambiguous"),
    }
}

/// The most regions a name offers to choose from.
#[cfg(feature = "ssr")]
pub const MAX_NAMED: usize = 20;

/// The regions a name as typed may stand for, as [`region_by_name`] looks for them: the
/// counties of that very name (or full name), else those whose full name holds every typed
/// part; at most [`MAX_NAMED`] (a name that fits more says too little to choose from).
#[cfg(feature = "ssr")]
pub fn regions_named(typed: &str) -> Vec<&'static Region> {
    let parts: Vec<&str> = typed
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '，' | '、' | '·'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || typed.chars().count() > 40 {
        return Vec::new();
    }
    let whole: String = parts.concat();
    let list = regions();
    // The county's own name typed whole ("西湖区"), or all of its full name.
    let exact: Vec<&'static Region> = list
        .iter()
        .filter(|r| r.county == whole || r.full_name() == whole)
        .take(MAX_NAMED + 1)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    // Every part within the full name ("杭州 西湖", "杭州市西湖区", "西湖").
    list.iter()
        .filter(|r| {
            let full = r.full_name();
            full.contains(&whole) || parts.iter().all(|p| full.contains(p))
        })
        .take(MAX_NAMED + 1)
        .collect()
}

/// Whether `code` names a region: its existence on the server, its shape in the browser.
pub fn is_region(code: &str) -> bool {
    let shaped =
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && is_province(&code[..2]);
    #[cfg(feature = "ssr")]
    {
        shaped && region(code).is_some()
    }
    #[cfg(not(feature = "ssr"))]
    {
        shaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn a_region_is_found_by_its_name_when_one_region_has_it() {
        let code = |typed: &str| region_by_name(typed).map(|r| r.code);
        assert_eq!(code("杭州市西湖区"), Ok("330106"));
        assert_eq!(code("杭州 西湖"), Ok("330106"));
        assert_eq!(code("浙江省 杭州市 西湖区"), Ok("330106"));
        assert_eq!(code("浙江，杭州，西湖区"), Ok("330106"));
        // 西湖区 is in Hangzhou and in Nanchang: the county alone is not enough.
        assert_eq!(code("西湖区"), Err("region.ambiguous"));
        assert_eq!(code("南昌 西湖区"), Ok("360103"));
        assert_eq!(code("北京市东城区"), Ok("110101"));
        assert_eq!(code("火星"), Err("region.unknown"));
        assert_eq!(code("  "), Err("region.unknown"));
        assert_eq!(code(&"区".repeat(41)), Err("region.unknown"));
    }

    #[test]
    fn the_ethnicity_list_loads_all_fifty_six_and_the_two_others() {
        let list = ethnicities();
        assert_eq!(list.len(), 58);
        assert_eq!(list[0].name, "汉族");
        assert!(is_ethnicity("01") && is_ethnicity("56") && is_ethnicity("97"));
        assert!(!is_ethnicity("57") && !is_ethnicity("1"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_region_list_loads_and_is_sorted() {
        let list = regions();
        assert!(list.len() > 2900, "{}", list.len());
        assert!(list.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(region("330106").unwrap().name(), "浙江省 杭州市 西湖区");
        assert_eq!(region("110101").unwrap().name(), "北京市 东城区");
        assert!(is_region("110101"));
        assert!(!is_region("110199"), "shaped like a region, but none");
        assert!(!is_region("990101") && !is_region("11010") && !is_region("abcdef"));
        assert!(list.iter().all(|r| is_province(&r.code[..2])));
    }

    #[test]
    fn every_code_has_a_label_and_lists_hold_no_duplicates() {
        for list in [
            SEXES,
            NATIONALITIES,
            DOCUMENT_TYPES,
            HUKOU_NATURES,
            HEALTH,
            ENROLMENT_MODES,
            ATTENDANCE_MODES,
            RELATIONS,
        ] {
            let mut codes: Vec<_> = list.iter().map(|c| c.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
            assert!(list.iter().all(|c| c.label.starts_with("code.")));
        }
        assert_eq!(label_of(HEALTH, "6"), Some("code.health.disabled"));
        assert!(!is_one_of(HEALTH, "4"));
    }
}
