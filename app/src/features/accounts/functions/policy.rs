//! The password policy: anyone may read it (a setup page shows its rule), only the system
//! administrator sets it.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{domain::password::PasswordPolicy, errors::AppError};

#[server(name = PasswordPolicyView, prefix = "/api", endpoint = "password-policy")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn password_policy() -> Result<PasswordPolicy, AppError> {
    use crate::{
        authz::guard_open,
        domain::access::{Action, nothing},
        features::accounts::service::password_policy,
    };
    let (state, _) = guard_open(Action::ReadPasswordPolicy, nothing).await?;
    password_policy::load(&mut *state.pool.acquire().await?).await
}

/// Sets the preset and the rotation period; the change is audited.
#[server(name = SetPasswordPolicy, prefix = "/api", endpoint = "admin/password-policy")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_password_policy(
    preset: String,
    #[server(default)] rotation_days: Option<String>,
    #[server(default)] dormant_days: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::{
            Role,
            access::{Action, nothing},
            password::Preset,
        },
        features::accounts::service::password_policy,
        kit::audit::chain::{self as audit, NewEntry},
        state::client_address,
    };
    let (state, actor) = guard(Action::ManageAccounts, nothing).await?;
    let preset = Preset::parse(&preset)
        .ok_or_else(|| AppError::invalid("preset", "policy.unknown_preset"))?;
    let rotation_days = match rotation_days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(days) => Some(
            days.parse::<u32>()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| AppError::invalid("rotation_days", "policy.rotation_days"))?,
        ),
    };
    let dormant_days = match dormant_days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => PasswordPolicy::default().dormant_days,
        Some(days) => days
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .ok_or_else(|| AppError::invalid("dormant_days", "policy.dormant_days"))?,
    };
    let policy = PasswordPolicy {
        preset,
        rotation_days,
        dormant_days,
    };
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    password_policy::save(&mut tx, &policy, actor.id, now).await?;
    audit::append(
        &mut tx,
        &state.audit_key,
        now,
        NewEntry::new("account.password_policy_set", "success")
            .actor(actor.id)
            .role(Role::SystemAdmin.code())
            .client(client_address())
            .details(serde_json::json!({ "preset": preset.code(), "rotation_days": policy.rotation_days(), "dormant_days": dormant_days })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&Done::PolicySaved.at("/admin/password-policy"));
    Ok(())
}
