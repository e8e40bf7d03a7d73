//! What a server function shows its caller once, on the next page: a just-issued setup link
//! (to the system administrator, or the approver of a reset) and a just-made activation code
//! (to the second person). Carried in a short-lived cookie of that browser, never in the
//! session store: a copy of the database holds no usable link or code.

use crate::errors::AppError;

/// The cookie that carries a just-issued setup link to the console, once.
const FLASH_LINK: &str = "xueji_setup_link";

/// Puts a just-issued setup link in a short-lived cookie of the issuer's browser (the system
/// administrator's, or the approver's of a reset), for the next page to show once.
pub(crate) fn show_link_once(
    state: &crate::state::AppState,
    username: String,
    token: &str,
) -> Result<(), AppError> {
    // Never in the session store: a copy of the database must hold no usable setup link.
    crate::state::set_cookie(state, FLASH_LINK, &format!("{username}~{token}"), 300)
}

/// The link `show_link_once` left, taken (the cookie is cleared): at most once.
pub(crate) fn take_flashed_link(
    state: &crate::state::AppState,
) -> Result<Option<crate::features::accounts::views::IssuedLink>, AppError> {
    let new_link = crate::state::request_cookie(FLASH_LINK).and_then(|value| {
        let (username, token) = value.split_once('~')?;
        let token_shaped = !token.is_empty()
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let username = crate::domain::Username::parse(username).ok()?;
        token_shaped.then(|| crate::features::accounts::views::IssuedLink {
            username: username.as_str().to_owned(),
            link: format!("{}/setup/{token}", state.public_origin),
        })
    });
    if new_link.is_some() {
        crate::state::set_cookie(state, FLASH_LINK, "", 0)?;
    }
    Ok(new_link)
}

/// The second person's part of a page (the reviews, the account console): the setup links
/// waiting for a code `actor` may hand over, and the code they were just shown, once.
pub(crate) async fn second_persons_part(
    state: &crate::state::AppState,
    actor: &crate::domain::Actor,
) -> Result<
    (
        Vec<crate::features::accounts::views::PendingActivationView>,
        Option<crate::features::accounts::views::IssuedCode>,
    ),
    AppError,
> {
    let waiting = crate::features::accounts::service::auth::pending_activations(
        &state.pool,
        actor,
        state.timezone,
        state.clock.now(),
    )
    .await?;
    Ok((waiting, take_flashed_code(state)?))
}

/// The cookie that carries a just-made activation code to the next page, once.
const FLASH_CODE: &str = "xueji_activation_code";

fn take_flashed_code(
    state: &crate::state::AppState,
) -> Result<Option<crate::features::accounts::views::IssuedCode>, AppError> {
    let code = crate::state::request_cookie(FLASH_CODE).and_then(|value| {
        let (username, code) = value.split_once('~')?;
        let username = crate::domain::Username::parse(username).ok()?;
        (code.len() == 8 && code.chars().all(|c| c.is_ascii_digit())).then(|| {
            crate::features::accounts::views::IssuedCode {
                username: username.as_str().to_owned(),
                code: code.to_owned(),
            }
        })
    });
    if code.is_some() {
        crate::state::set_cookie(state, FLASH_CODE, "", 0)?;
    }
    Ok(code)
}

/// Puts a just-made activation code in a short-lived cookie, for the next page to show once.
pub(crate) fn show_code_once(
    state: &crate::state::AppState,
    username: &str,
    code: &str,
) -> Result<(), AppError> {
    crate::state::set_cookie(state, FLASH_CODE, &format!("{username}~{code}"), 300)
}
