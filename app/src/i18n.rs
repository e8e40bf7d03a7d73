//! The interface languages, and how a request chooses one.

use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the language a person chose.
pub const LOCALE_COOKIE: &str = "xueji_locale";

/// A language the interface speaks. Simplified Chinese comes first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag, as used in `<html lang>`, the cookie and the translation files.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "中文",
            Locale::En => "English",
        }
    }

    /// The other language, which the switch offers.
    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    /// Parses a tag exactly as `tag()` writes it.
    pub fn parse(tag: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// Maps a language range from `Accept-Language` ("zh", "zh-Hans-CN", "en-GB") to a
    /// language the portal speaks.
    fn from_range(range: &str) -> Option<Locale> {
        let primary = range.split('-').next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header by its q-values; ties keep
    /// the header's order.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut ranges: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let locale = Locale::from_range(parts.next()?)?;
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0).then_some((q, locale))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges.first().map(|(_, l)| *l)
    }

    /// The language of a request: the cookie a person set wins, then the browser's
    /// `Accept-Language`, then Simplified Chinese.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        cookie
            .and_then(Locale::parse)
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }
}

/// Translates `key` into `locale`, filling `%{name}` placeholders from `name = value` pairs.
#[macro_export]
macro_rules! tr {
    ($locale:expr, $key:expr) => {
        $crate::i18n::translate($locale, $key)
    };
    ($locale:expr, $key:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut text = $crate::i18n::translate($locale, $key);
        $(text = text.replace(concat!("%{", stringify!($name), "}"), &$value.to_string());)+
        text
    }};
}

/// Looks a translation up; a missing key falls back to zh-CN (and is caught by the tests).
pub fn translate(locale: Locale, key: &str) -> String {
    crate::_rust_i18n_translate(locale.tag(), key).into_owned()
}

/// Whether `key` is in the catalogue: what comes back from outside (an error a form post
/// carries back in the URL) names a message only if it is one of ours.
pub fn is_message(key: &str) -> bool {
    crate::_rust_i18n_try_translate(Locale::ZhCn.tag(), key).is_some()
}

/// The school's time zone is shown in every timestamp; the server formats them.
pub const TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::parse("EN"), None);
    }

    #[test]
    fn accept_language_uses_q_values() {
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::from_accept_language("zh-Hans-CN"),
            Some(Locale::ZhCn)
        );
        assert_eq!(
            Locale::from_accept_language("en;q=0.5, zh-TW;q=0.8"),
            Some(Locale::ZhCn)
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR, en;q=0.1"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("fr, de"), None);
        assert_eq!(Locale::from_accept_language("en;q=0"), None);
        assert_eq!(Locale::from_accept_language("en;q=abc"), None);
        assert_eq!(Locale::from_accept_language(""), None);
    }

    #[test]
    fn cookie_beats_header_beats_default() {
        assert_eq!(Locale::negotiate(Some("en"), Some("zh-CN")), Locale::En);
        assert_eq!(Locale::negotiate(Some("xx"), Some("en-US")), Locale::En);
        assert_eq!(Locale::negotiate(None, Some("de")), Locale::ZhCn);
        assert_eq!(Locale::negotiate(None, None), Locale::ZhCn);
    }

    /// Every key has a non-empty text in every locale, and no locale has keys the others lack.
    #[test]
    fn every_key_is_translated_into_every_locale() {
        use std::collections::BTreeSet;
        let backend = crate::_rust_i18n_backend();
        let mut available: Vec<String> = backend
            .available_locales()
            .iter()
            .map(|l| l.to_string())
            .collect();
        available.sort();
        assert_eq!(available, ["en", "zh-CN"]);
        let keys = |locale: Locale| -> BTreeSet<String> {
            let messages = backend
                .messages_for_locale(locale.tag())
                .expect("locale loaded");
            for (key, text) in &messages {
                assert!(
                    !text.trim().is_empty(),
                    "{key} is empty in {}",
                    locale.tag()
                );
            }
            messages
                .into_iter()
                .map(|(key, _)| key.into_owned())
                .collect()
        };
        let zh = keys(Locale::ZhCn);
        assert!(
            zh.len() > 20,
            "the translations were not loaded: {} keys",
            zh.len()
        );
        assert_eq!(zh, keys(Locale::En));
        assert_eq!(translate(Locale::En, "status.refresh"), "Check again");
        assert_eq!(translate(Locale::ZhCn, "status.refresh"), "重新检查");
    }
}
