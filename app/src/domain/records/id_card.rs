//! Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit region, 8-digit
//! birth date, 3-digit sequence whose last digit is odd for men and even for women, and an
//! ISO 7064 MOD 11-2 check character.

use chrono::{Datelike, NaiveDate};

use super::Sex;

#[derive(Clone, PartialEq, Eq)]
pub struct IdCardNumber(String);

/// Why a string is not an identity card number; `code()` is the message key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdCardError {
    Length,
    Characters,
    Region,
    BirthDate,
    Checksum,
}

impl IdCardError {
    pub fn code(self) -> &'static str {
        match self {
            IdCardError::Length => "id_card.length",
            IdCardError::Characters => "id_card.characters",
            IdCardError::Region => "id_card.region",
            IdCardError::BirthDate => "id_card.birth_date",
            IdCardError::Checksum => "id_card.checksum",
        }
    }
}

/// `20170307`.
fn eight_digit_date(digits: &str) -> Option<NaiveDate> {
    if digits.len() != 8 || !digits.is_ascii() {
        return None;
    }
    super::date_of(&digits[..4], &digits[4..6], &digits[6..])
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character of the first 17 digits.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    (first17.chars().count() == 17).then(|| CHECK[(sum % 11) as usize])
}

impl IdCardNumber {
    /// Accepts 18 characters (a lower-case `x` is read as `X`; spaces around are ignored).
    pub fn parse(input: &str) -> Result<IdCardNumber, IdCardError> {
        let value = input.trim().to_ascii_uppercase();
        if value.chars().count() != 18 {
            return Err(IdCardError::Length);
        }
        if !value.is_ascii() {
            return Err(IdCardError::Characters);
        }
        let (first17, last) = value.split_at(17);
        if !first17.bytes().all(|b| b.is_ascii_digit())
            || !last.chars().all(|c| c.is_ascii_digit() || c == 'X')
        {
            return Err(IdCardError::Characters);
        }
        if !super::codes::is_province(&first17[..2]) {
            return Err(IdCardError::Region);
        }
        let birth = eight_digit_date(&first17[6..14]).ok_or(IdCardError::BirthDate)?;
        if birth.year() < 1900 {
            return Err(IdCardError::BirthDate);
        }
        if check_character(first17) != last.chars().next() {
            return Err(IdCardError::Checksum);
        }
        Ok(IdCardNumber(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        eight_digit_date(&self.0[6..14]).expect("checked by parse")
    }

    pub fn sex(&self) -> Sex {
        let digit = self.0.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl std::fmt::Debug for IdCardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdCardNumber({})", super::MASK_FULL)
    }
}

/// What is wrong with a stored record's resident identity card number, judged as the form
/// judges a new one: the number fails GB 11643 (its rule's code, `id_card.checksum`), or
/// it disagrees with the record's `sex` (a code) or `birth_date` (`id_card.sex_mismatch`,
/// `id_card.birth_date_mismatch`). None when it is right. A 问题学籍 check reads every
/// record at school through it: a record written before a rule, or moved in by hand, is
/// found.
pub fn problem(number: &str, sex: &str, birth_date: Option<NaiveDate>) -> Option<&'static str> {
    match IdCardNumber::parse(number) {
        Err(e) => Some(e.code()),
        Ok(id) if birth_date.is_some_and(|b| b != id.birth_date()) => {
            Some("id_card.birth_date_mismatch")
        }
        Ok(id) if sex != id.sex().code() => Some("id_card.sex_mismatch"),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real-shaped numbers built from a region, a date and a sequence, with their true check.
    fn valid(region: &str, date: &str, seq: &str) -> String {
        let first17 = format!("{region}{date}{seq}");
        format!("{first17}{}", check_character(&first17).unwrap())
    }

    #[test]
    fn accepts_numbers_with_the_right_check_character() {
        // The example of GB 11643 itself.
        assert!(IdCardNumber::parse("11010519491231002X").is_ok());
        let n = IdCardNumber::parse(&valid("330106", "20150307", "123")).unwrap();
        assert_eq!(n.birth_date(), NaiveDate::from_ymd_opt(2015, 3, 7).unwrap());
        assert_eq!(n.sex(), Sex::Male, "the 17th digit, 3, is odd");
    }

    #[test]
    fn reads_sex_from_the_seventeenth_digit() {
        let man = IdCardNumber::parse(&valid("440305", "20140101", "011")).unwrap();
        let woman = IdCardNumber::parse(&valid("440305", "20140101", "022")).unwrap();
        assert_eq!(man.sex(), Sex::Male);
        assert_eq!(woman.sex(), Sex::Female);
    }

    #[test]
    fn lower_case_x_and_spaces_are_read_kindly() {
        assert_eq!(
            IdCardNumber::parse(" 11010519491231002x ")
                .unwrap()
                .as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn refuses_a_wrong_check_character() {
        let good = valid("330106", "20150307", "124");
        let last = good.chars().last().unwrap();
        let wrong = if last == '0' { '1' } else { '0' };
        let bad = format!("{}{wrong}", &good[..17]);
        assert_eq!(IdCardNumber::parse(&bad), Err(IdCardError::Checksum));
        assert_eq!(
            IdCardNumber::parse("110105194912310021"),
            Err(IdCardError::Checksum)
        );
    }

    #[test]
    fn refuses_impossible_dates_even_with_a_matching_check() {
        assert_eq!(
            IdCardNumber::parse(&valid("330106", "20150230", "123")),
            Err(IdCardError::BirthDate)
        );
        assert_eq!(
            IdCardNumber::parse(&valid("330106", "20151301", "123")),
            Err(IdCardError::BirthDate)
        );
        assert_eq!(
            IdCardNumber::parse(&valid("330106", "18991231", "123")),
            Err(IdCardError::BirthDate)
        );
    }

    #[test]
    fn refuses_bad_shapes_and_unknown_provinces() {
        assert_eq!(IdCardNumber::parse(""), Err(IdCardError::Length));
        assert_eq!(
            IdCardNumber::parse("11010519491231002"),
            Err(IdCardError::Length)
        );
        assert_eq!(
            IdCardNumber::parse("1101051949123100XX"),
            Err(IdCardError::Characters)
        );
        assert_eq!(
            IdCardNumber::parse("11010519491231００2X"),
            Err(IdCardError::Characters),
            "full-width digits"
        );
        assert_eq!(
            IdCardNumber::parse(&valid("990106", "20150307", "123")),
            Err(IdCardError::Region)
        );
    }

    #[test]
    fn debug_never_shows_the_number() {
        let n = IdCardNumber::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{n:?}"), "IdCardNumber(******)");
    }

    #[test]
    fn a_stored_number_is_judged_as_the_form_judges_a_new_one() {
        // GB 11643's own example: a man born 1949-12-31.
        let born = NaiveDate::from_ymd_opt(1949, 12, 31);
        assert_eq!(problem("11010519491231002X", "2", born), None);
        assert_eq!(
            problem("110105194912310021", "2", born),
            Some("id_card.checksum")
        );
        assert_eq!(
            problem("11010519491231002X", "1", born),
            Some("id_card.sex_mismatch")
        );
        assert_eq!(
            problem(
                "11010519491231002X",
                "2",
                NaiveDate::from_ymd_opt(1950, 1, 1)
            ),
            Some("id_card.birth_date_mismatch")
        );
        assert_eq!(problem("1101051949", "2", born), Some("id_card.length"));
        // A record whose birth date was erased is judged on the number and sex alone.
        assert_eq!(problem("11010519491231002X", "2", None), None);
    }
}
