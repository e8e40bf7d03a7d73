//! The system administrator sets the password policy.

use leptos::prelude::*;

use crate::{
    domain::password::Preset,
    features::accounts::functions::policy::{SetPasswordPolicy, password_policy},
    kit::ui::{form_errors::FormErrors, page_error::PageError, use_locale},
    tr,
};

#[component]
pub fn PasswordPolicyPage() -> impl IntoView {
    let locale = use_locale();
    let current = OnceResource::new(password_policy());
    let save = ServerAction::<SetPasswordPolicy>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <section class="card narrow" aria-labelledby="policy-title">
            <h1 id="policy-title">{tr!(locale, "policy.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <PageError locale error=e /> }.into_any(),
                        Ok(policy) => {
                            view! {
                                <ActionForm action=save attr:class="form">
                                    <fieldset>
                                        <legend>{tr!(locale, "policy.preset")}</legend>
                                        {[Preset::School, Preset::LengthOnly]
                                            .into_iter()
                                            .map(|preset| {
                                                view! {
                                                    <label class="check">
                                                        <input
                                                            type="radio"
                                                            name="preset"
                                                            value=preset.code()
                                                            checked=policy.preset == preset
                                                        />
                                                        {tr!(locale, &format!("password.rule_{}", preset.code()))}
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                    <label for="rotation-days">
                                        {tr!(locale, "policy.rotation_days")}
                                    </label>
                                    <input
                                        id="rotation-days"
                                        name="rotation_days"
                                        type="number"
                                        min="1"
                                        max="3650"
                                        inputmode="numeric"
                                        value=policy
                                            .rotation_days
                                            .map(|d| d.to_string())
                                            .unwrap_or_default()
                                        aria-describedby="rotation-hint"
                                    />
                                    <p id="rotation-hint" class="hint">
                                        {tr!(locale, "policy.rotation_hint")}
                                    </p>
                                    <label for="dormant-days">
                                        {tr!(locale, "policy.dormant_days")}
                                    </label>
                                    <input
                                        id="dormant-days"
                                        name="dormant_days"
                                        type="number"
                                        min="1"
                                        max="3650"
                                        inputmode="numeric"
                                        required
                                        value=policy.dormant_days.to_string()
                                        aria-describedby="dormant-hint"
                                    />
                                    <p id="dormant-hint" class="hint">
                                        {tr!(locale, "policy.dormant_hint")}
                                    </p>
                                    <FormErrors locale error />
                                    <button type="submit">{tr!(locale, "policy.save")}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
