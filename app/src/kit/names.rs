//! A person's name as it can be typed: in 汉字, in pinyin (with the other readings of a
//! surname), and as initials. The search keys of a student's record and the password rule's
//! "no name in the password" both read it.

use pinyin::ToPinyinMulti;

/// The person's name as it may hide in a password: as written, in pinyin (with the other
/// readings of the surname, such as 单 shàn, 曾 zēng), and as initials.
pub fn name_variants(name: &str) -> Vec<String> {
    let name = name.trim();
    let mut variants = vec![name.to_owned()];
    let readings: Vec<Vec<&str>> = name
        .chars()
        .map(|c| match c.to_pinyin_multi() {
            Some(multi) => multi.into_iter().map(|p| p.plain()).collect(),
            None => Vec::new(),
        })
        .collect();
    if readings.iter().all(|r| !r.is_empty()) && !readings.is_empty() {
        let rest: String = readings[1..].iter().map(|r| r[0]).collect();
        let rest_initials: String = readings[1..]
            .iter()
            .filter_map(|r| r[0].chars().next())
            .collect();
        for surname in &readings[0] {
            variants.push(format!("{surname}{rest}"));
            variants.push(format!(
                "{}{rest_initials}",
                surname.chars().next().unwrap_or_default()
            ));
        }
        // The given name alone, when it is two characters or more.
        if readings.len() > 2 {
            variants.push(rest);
        }
    }
    variants.sort();
    variants.dedup();
    variants
}

/// The pinyin initials of a text as the national student-records template names its
/// columns (姓名 `xm`, 出生日期 `csrq`, 身份证件号 `sfzjh`): each 汉字 by its common reading,
/// ASCII letters and digits as they are (lower case), anything else left out.
pub fn initials(text: &str) -> String {
    use pinyin::ToPinyin;
    text.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.plain().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// The lower-case keys a name is found by.
pub fn search_keys(name: &str) -> Vec<String> {
    let mut keys: Vec<String> = name_variants(name)
        .into_iter()
        .map(|v| v.to_lowercase().split_whitespace().collect())
        .filter(|v: &String| !v.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The key a list of names is put in order by, as a Chinese reader expects: by the pinyin
/// of each character in turn (the common reading, tone left out), then by the characters
/// themselves so that namesakes in sound keep a stable order. Letters and digits sort as
/// they are, lower-case.
pub fn sort_key(name: &str) -> (String, String) {
    use pinyin::ToPinyin;
    let mut spoken = String::with_capacity(name.len() * 2);
    for c in name.trim().chars() {
        match c.to_pinyin() {
            Some(reading) => {
                spoken.push_str(reading.plain());
                // A separator below every letter ends the syllable: 阿娜 (a·na) comes
                // before 安然 (an·ran), as a per-syllable order has it.
                spoken.push('\u{1}');
            }
            None => spoken.extend(c.to_lowercase()),
        }
    }
    (spoken, name.to_owned())
}

/// Surnames whose reading as a surname is not the character's most common one (单 is shàn
/// as a surname, dān as a word): the reading a school says the name with.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('仇', "qiu"),
    ('解', "xie"),
    ('区', "ou"),
    ('查', "zha"),
    ('朴', "piao"),
    ('乐', "yue"),
    ('盖', "ge"),
    ('尉', "yu"),
    ('覃', "qin"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('召', "shao"),
    ('种', "chong"),
    ('员', "yun"),
    ('秘', "bi"),
    ('句', "gou"),
    ('折', "she"),
    ('洗', "xian"),
    ('繁', "po"),
    ('黑', "he"),
    ('阚', "kan"),
    ('长', "chang"),
    ('重', "chong"),
    ('朝', "chao"),
];

/// The name as it is usually said: (full pinyin, initials), the surname in its surname
/// reading; characters without a reading as they are, lower-case.
fn common_reading(name: &str) -> (String, String) {
    use pinyin::ToPinyin;
    let (mut full, mut initials) = (String::new(), String::new());
    for (i, c) in name
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .enumerate()
    {
        let surname = (i == 0)
            .then(|| SURNAME_READINGS.iter().find(|(s, _)| *s == c))
            .flatten()
            .map(|(_, r)| *r);
        match surname.or_else(|| c.to_pinyin().map(|p| p.plain())) {
            Some(reading) => {
                full.push_str(reading);
                initials.extend(reading.chars().next());
            }
            None => {
                full.extend(c.to_lowercase());
                initials.extend(c.to_lowercase());
            }
        }
    }
    (full, initials)
}

/// How well `name` answers `key` (what was typed, lower-case without spaces), lower first:
/// 0 when `key` is the name, its usual reading or its initials whole; 1 when one of those
/// begins with it; 2 when the name was found some other way (a surname's rarer reading, the
/// given name alone).
pub fn rank(name: &str, key: &str) -> u8 {
    let written: String = name.to_lowercase().split_whitespace().collect();
    let (full, initials) = common_reading(name);
    let forms = [written, full, initials];
    if forms.iter().any(|f| f == key) {
        0
    } else if forms.iter().any(|f| f.starts_with(key)) {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_their_pinyin_syllable_by_syllable() {
        let mut names = ["张伟", "安然", "阿娜", "曾小明", "Zoe 李", "白雪", "张三"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            ["阿娜", "安然", "白雪", "曾小明", "张三", "张伟", "Zoe 李"]
        );
    }

    #[test]
    fn the_usual_reading_ranks_before_a_rarer_one_and_whole_before_part() {
        // 曾 is zēng as a surname: 曾小明 answers "zengxiaoming" first, "cengxiaoming" last.
        assert_eq!(rank("曾小明", "zengxiaoming"), 0);
        assert_eq!(rank("曾小明", "zxm"), 0);
        assert_eq!(rank("曾小明", "曾小明"), 0);
        assert_eq!(rank("曾小明", "zeng"), 1);
        assert_eq!(rank("曾小明", "cengxiaoming"), 2);
        assert_eq!(rank("单丽", "shanli"), 0);
        assert_eq!(rank("单丽", "danli"), 2);
        // The given name alone is a weaker answer than the whole name.
        assert_eq!(rank("王小明", "xiaoming"), 2);
        assert_eq!(rank("Anna Schmidt", "annaschmidt"), 0);
        let mut found = ["曾小明", "曾", "曾小"];
        found.sort_by_key(|n| (rank(n, "zeng"), sort_key(n)));
        assert_eq!(found[0], "曾", "whole before part");
    }

    #[test]
    fn a_name_is_found_by_its_other_surname_readings_and_initials() {
        let keys = search_keys("单小红");
        for key in ["单小红", "danxiaohong", "shanxiaohong", "dxh", "sxh"] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
    }
}
