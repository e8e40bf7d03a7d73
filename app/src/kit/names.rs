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
