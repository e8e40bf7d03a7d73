//! Choosing the interface language: anyone may, signed in or not.

use leptos::prelude::*;

use crate::{errors::AppError, i18n::Locale};

/// Remembers the language a person chose in a cookie. Anyone may choose a language.
#[server(name = SetLocale, prefix = "/api", endpoint = "locale")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_locale(locale: String) -> Result<Locale, AppError> {
    use crate::{
        authz::guard_open,
        domain::access::{Action, nothing},
    };
    guard_open(Action::ChooseLanguage, nothing).await?;
    let locale =
        Locale::parse(&locale).ok_or_else(|| AppError::invalid("locale", "unknown_locale"))?;
    crate::state::remember_locale(locale)?;
    Ok(locale)
}
