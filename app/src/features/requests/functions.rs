//! The information requests' server functions: thin, each one check (`guard`, or
//! `guard_in` on the request loaded in the transaction that acts), then the service. The
//! students a filer picks travel in form bodies and stay in their session (opaque ids only),
//! never in a URL.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    domain::requests::FilingInput,
    errors::AppError,
    features::requests::views::{
        FilingView, RegisterView, ReleasePage, RequestView, RequestsHome, Waiting,
    },
};

/// The students picked for the request being filed (opaque ids).
#[cfg(feature = "ssr")]
const PICKED: &str = "xueji.requests.picked";
/// The students the picker confirmed (opaque id, and whether the filer named the class):
/// what the filing form shows of each. Ids only: no name is kept in the session store.
#[cfg(feature = "ssr")]
const PICK_NAMES: &str = "xueji.requests.confirmed";
/// What a refused filing had typed (bounded: `FilingInput::kept`), until it is filed.
#[cfg(feature = "ssr")]
const FILING_DRAFT: &str = "xueji.requests.draft";

#[cfg(feature = "ssr")]
async fn picked() -> Result<Vec<String>, AppError> {
    Ok(crate::state::session()
        .await?
        .get(PICKED)
        .await?
        .unwrap_or_default())
}

#[cfg(feature = "ssr")]
async fn set_picked(picked: Vec<String>) -> Result<(), AppError> {
    let session = crate::state::session().await?;
    if picked.is_empty() {
        session.remove::<Vec<String>>(PICKED).await?;
        session.remove::<Vec<(String, bool)>>(PICK_NAMES).await?;
    } else {
        session.insert(PICKED, picked).await?;
    }
    Ok(())
}

/// Whether a step needs the clock's end settled before it, apart. A step that can be
/// refused after its check (withdraw, decide, fulfil, close, revoke) would roll back an end
/// found inside its transaction, so the end is written first in a transaction of its own, as
/// it is before opening a release (which reads in a reading transaction); a step that
/// commits whatever it finds (viewing) ends it in its own transaction.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clock {
    SettledApart,
    InTheStep,
}

/// The one check of the functions about one request: begins the transaction, loads the
/// request in it and asks about `action`. Returns the request as loaded, for the step to act
/// on without reading it again.
#[cfg(feature = "ssr")]
async fn request_guard(
    action: crate::domain::access::Action,
    opening: crate::authz::Opening,
    clock: Clock,
    request_id: &str,
) -> Result<Guarded<super::store::RequestRow>, AppError> {
    let state = crate::state::app_state()?;
    if clock == Clock::SettledApart && request_id.len() <= 64 {
        super::service::settle(&crate::state::context(&state), request_id).await?;
    }
    // The guard permits nothing on a request that is not there.
    crate::authz::guard_one(opening, action, request_id).await
}

/// One's own requests, and what waits for one's decision or fulfilment.
#[server(name = RequestsHomeView, prefix = "/api", endpoint = "requests")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn requests_home() -> Result<RequestsHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::FileRequest, nothing).await?;
    crate::features::requests::service::home(&context(&state), &actor).await
}

/// The header's counts.
#[server(name = RequestsWaiting, prefix = "/api", endpoint = "requests/waiting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn requests_waiting() -> Result<Waiting, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
    };
    let (state, actor) = guard(Action::FileRequest, nothing).await?;
    crate::features::requests::service::waiting(&state.pool, &actor).await
}

/// The students the picker confirmed in this session: (opaque id, class named).
#[cfg(feature = "ssr")]
async fn pick_names() -> Result<Vec<(String, bool)>, AppError> {
    Ok(crate::state::session()
        .await?
        .get(PICK_NAMES)
        .await?
        .unwrap_or_default())
}

/// The filing form: the students and classes picked so far.
#[server(name = FilingForm, prefix = "/api", endpoint = "requests/new")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn filing_form() -> Result<FilingView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::requests::service,
    };
    let (state, _) = guard(Action::FileRequest, nothing).await?;
    let draft = crate::state::session()
        .await?
        .get(FILING_DRAFT)
        .await?
        .unwrap_or_default();
    let mut conn = state.pool.acquire().await?;
    service::filing_form(&mut conn, &picked().await?, &pick_names().await?, draft).await
}

/// Keeps what the filer typed into the filing part of the form, bounded, so that the page
/// shows it again: while they pick students (the one form posts it with every pick) and when
/// a filing is refused. Saved now: the session layer saves nothing of an answer that leaves
/// the server-function machinery as an error.
#[cfg(feature = "ssr")]
async fn keep_filing(filing: &FilingInput) -> Result<(), AppError> {
    let session = crate::state::session().await?;
    session.insert(FILING_DRAFT, filing.kept()).await?;
    session.save().await.map_err(AppError::internal)
}

/// The picker: confirms a student the filer already knows (the whole name, and the class or
/// the identity number or 学籍号) and adds them; it lists nobody. Every check is one of the
/// hour's budgeted lookups, audited. The number travels in the body and is kept nowhere.
#[server(name = ConfirmStudent, prefix = "/api", endpoint = "requests/pick/confirm")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn confirm_student(
    #[server(default)] name: String,
    #[server(default)] class_id: String,
    #[server(default)] number: String,
    #[server(default)] filing: FilingInput,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::{
            access::{Action, nothing},
            requests::MAX_STUDENTS,
        },
        features::requests::service::{self, Naming},
        state::context,
    };
    let (state, actor) = guard(Action::FileRequest, nothing).await?;
    keep_filing(&filing).await?;
    let kept = crate::features::requests::views::PickKept {
        name: crate::domain::cut(&name, service::MAX_PICK_NAME_CHARS),
        class_id: crate::domain::cut(&class_id, 64),
    };
    let student = crate::kit::forms::keeping(
        &kept,
        service::confirm_pick(
            &context(&state),
            &actor,
            Naming {
                name: &name,
                class_id: &class_id,
                number: &number,
            },
        ),
    )
    .await?;
    let mut picked = picked().await?;
    if !picked.contains(&student.id) {
        picked.push(student.id.clone());
        let mut conn = state.pool.acquire().await?;
        if service::expand_picks(&mut conn, &picked).await?.len() > MAX_STUDENTS {
            return Err(AppError::invalid("name", "request.too_many_students"));
        }
    }
    let mut names = pick_names().await?;
    names.retain(|(id, _)| *id != student.id);
    names.push((student.id.clone(), student.class.is_some()));
    crate::state::session()
        .await?
        .insert(PICK_NAMES, names)
        .await?;
    set_picked(picked).await?;
    leptos_axum::redirect(&format!(
        "{}#picked",
        Done::StudentConfirmed.at("/requests/new")
    ));
    Ok(())
}

/// Adds every student of a class (`class_id`) to the request being filed; `remove` takes a
/// student or class out again ("all": everyone). A student is added one by one only through
/// the picker's check (`confirm_student`), never by id: an id names nobody to its holder.
#[server(name = PickStudents, prefix = "/api", endpoint = "requests/pick")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn pick_students(
    #[server(default)] class_id: String,
    #[server(default)] whole_class: String,
    #[server(default)] remove: String,
    #[server(default)] filing: FilingInput,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::{
            access::{Action, nothing},
            requests::MAX_STUDENTS,
        },
        features::requests::service,
    };
    let (state, _) = guard(Action::FileRequest, nothing).await?;
    keep_filing(&filing).await?;
    // The form's whole-class list; a caller of its own may name the class as `class_id`.
    let class_id = if whole_class.trim().is_empty() {
        class_id
    } else {
        whole_class
    };
    let mut picked = picked().await?;
    let remove = remove.trim();
    if remove == "all" {
        picked.clear();
    } else if !remove.is_empty() {
        picked.retain(|p| p != remove);
    } else {
        let adding = if !class_id.trim().is_empty() && class_id.len() <= 64 {
            service::class_pick(class_id.trim())
        } else {
            return Err(AppError::invalid("class_id", "request.class_unknown"));
        };
        if !picked.contains(&adding) {
            picked.push(adding);
        }
        let mut conn = state.pool.acquire().await?;
        if service::expand_picks(&mut conn, &picked).await?.len() > MAX_STUDENTS {
            return Err(AppError::invalid("students", "request.too_many_students"));
        }
    }
    set_picked(picked).await?;
    leptos_axum::redirect("/requests/new#picked");
    Ok(())
}

/// Files the request for the students picked, with the form's fields, purpose, reason,
/// outside party and window.
#[server(name = FileRequest, prefix = "/api", endpoint = "requests/file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn file_request(#[server(default)] filing: FilingInput) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::{
            access::{Action, nothing},
            requests::Filing,
        },
        state::context,
    };
    let (state, actor) = guard(Action::FileRequest, nothing).await?;
    let picked = picked().await?;
    let filed = async {
        let parsed = Filing::parse(&filing);
        let parsed = match (parsed, picked.is_empty()) {
            (Err(mut e), true) => {
                e.fields.insert(
                    0,
                    crate::errors::FieldError {
                        field: "students".into(),
                        code: "request.students_required".into(),
                    },
                );
                return Err(e);
            }
            (Err(e), false) => return Err(e),
            (Ok(_), true) => {
                return Err(AppError::invalid("students", "request.students_required"));
            }
            (Ok(f), false) => f,
        };
        crate::features::requests::service::file(&context(&state), &actor, &picked, &parsed).await
    }
    .await;
    let id = match filed {
        Ok(id) => id,
        Err(error) => {
            // A refused form comes back as it was typed.
            keep_filing(&filing).await?;
            return Err(error);
        }
    };
    crate::state::session()
        .await?
        .remove::<FilingInput>(FILING_DRAFT)
        .await?;
    set_picked(Vec::new()).await?;
    leptos_axum::redirect(&Done::Filed.at(&format!("/requests/{id}")));
    Ok(())
}

/// One request.
#[server(name = RequestPageView, prefix = "/api", endpoint = "requests/request")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn request_page(request_id: String) -> Result<RequestView, AppError> {
    use crate::{
        authz::Opening,
        domain::access::Action,
        state::{context, request_locale},
    };
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::ViewRequest,
        Opening::Write,
        Clock::InTheStep,
        &request_id,
    )
    .await?;
    crate::features::requests::service::view(tx, &context(&state), request_locale(), &actor, row)
        .await
}

/// The requester withdraws their request before it is released.
#[server(name = WithdrawRequest, prefix = "/api", endpoint = "requests/withdraw")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn withdraw_request(request_id: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::WithdrawRequest,
        Opening::Write,
        Clock::SettledApart,
        &request_id,
    )
    .await?;
    crate::features::requests::service::withdraw(tx, &context(&state), &actor, row).await?;
    leptos_axum::redirect(&Done::Withdrawn.at(&format!("/requests/{request_id}")));
    Ok(())
}

/// A leader approves (keeping the students and fields ticked, the window typed: never more)
/// or rejects with a comment.
#[server(name = DecideRequest, prefix = "/api", endpoint = "requests/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_request(
    request_id: String,
    #[server(default)] decision: String,
    #[server(default)] comment: String,
    #[server(default)] students: Vec<String>,
    #[server(default)] fields: Vec<String>,
    #[server(default)] window_hours: String,
) -> Result<(), AppError> {
    use crate::{
        authz::Opening,
        domain::access::Action,
        features::requests::service::{self, Scope},
        kit::workflow::Decision,
        state::context,
    };
    let approve = Decision::approving(&decision)?;
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::DecideRequest,
        Opening::Write,
        Clock::SettledApart,
        &request_id,
    )
    .await?;
    let scope = Scope {
        students,
        fields,
        window_hours,
    };
    service::decide(tx, &context(&state), &actor, row, approve, &comment, &scope).await?;
    let done = if approve {
        Done::Approved
    } else {
        Done::Rejected
    };
    leptos_axum::redirect(&done.at(&format!("/requests/{request_id}")));
    Ok(())
}

/// A records administrator releases the students and fields ticked (the approved ones, or
/// fewer).
#[server(name = FulfilRequest, prefix = "/api", endpoint = "requests/fulfil")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn fulfil_request(
    request_id: String,
    #[server(default)] students: Vec<String>,
    #[server(default)] fields: Vec<String>,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::FulfilRequest,
        Opening::Write,
        Clock::SettledApart,
        &request_id,
    )
    .await?;
    crate::features::requests::service::fulfil(
        tx,
        &context(&state),
        &actor,
        row,
        &students,
        &fields,
    )
    .await?;
    leptos_axum::redirect(&Done::Fulfilled.at(&format!("/requests/{request_id}")));
    Ok(())
}

/// The release, for its requester while it is live: each opening a disclosure entry; a
/// reload of an open page (its `opening` id) the same opening.
#[server(name = OpenRelease, prefix = "/api", endpoint = "requests/release")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn open_release(
    request_id: String,
    #[server(default)] opening: String,
) -> Result<ReleasePage, AppError> {
    use crate::{
        authz::Opening,
        domain::access::Action,
        state::{context, from_trusted_network, request_locale},
    };
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::OpenRelease,
        Opening::Read,
        Clock::SettledApart,
        &request_id,
    )
    .await?;
    crate::features::requests::service::open(
        tx,
        &context(&state),
        request_locale(),
        &actor,
        row,
        crate::features::requests::service::OpenAs {
            trusted_network: from_trusted_network(),
            opening: Some(opening.trim())
                .filter(|o| o.len() == 32 && o.bytes().all(|b| b.is_ascii_hexdigit())),
            clock: state.clock.as_ref(),
        },
    )
    .await
}

/// The requester is done with the release (使用完毕).
#[server(name = CloseRelease, prefix = "/api", endpoint = "requests/close")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn close_release(request_id: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::OpenRelease,
        Opening::Write,
        Clock::SettledApart,
        &request_id,
    )
    .await?;
    crate::features::requests::service::close(tx, &context(&state), &actor, row).await?;
    leptos_axum::redirect(&Done::Closed.at(&format!("/requests/{request_id}")));
    Ok(())
}

/// A leader or records administrator ends a release (or an unreleased approval) early.
#[server(name = RevokeRelease, prefix = "/api", endpoint = "requests/revoke")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn revoke_release(
    request_id: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = request_guard(
        Action::RevokeRelease,
        Opening::Write,
        Clock::SettledApart,
        &request_id,
    )
    .await?;
    crate::features::requests::service::revoke(tx, &context(&state), &actor, row, &reason).await?;
    leptos_axum::redirect(&Done::Revoked.at(&format!("/requests/{request_id}")));
    Ok(())
}

/// The register of all requests, filtered by state, purpose, requester and filing date.
#[server(name = RegisterPageView, prefix = "/api", endpoint = "requests/register")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn register_page(
    #[server(default)] state: String,
    #[server(default)] purpose: String,
    #[server(default)] requester: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<RegisterView, AppError> {
    use crate::{
        authz::guard,
        domain::{
            access::{Action, nothing},
            requests::{Purpose, State},
        },
        features::requests::{service, store::RegisterFilter},
        state::context,
    };
    let (app, actor) = guard(Action::ReadRegister, nothing).await?;
    let cx = context(&app);
    let day =
        |typed: &str, field: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
            if typed.trim().is_empty() {
                return Ok(None);
            }
            let date = crate::domain::records::parse_date(typed.trim())
                .ok_or_else(|| AppError::invalid(field, "date.invalid"))?;
            Ok(date
                .and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(cx.timezone).single())
                .map(|t| t.with_timezone(&chrono::Utc)))
        };
    let filter = RegisterFilter {
        state: State::parse(state.trim()).map(|s| s.code().to_owned()),
        purpose: Purpose::parse(purpose.trim()).map(|p| p.code().to_owned()),
        requester: requester.trim().parse().ok(),
        filed_from: day(&from, "from")?,
        filed_before: day(&to, "to")?.map(|t| t + chrono::Duration::days(1)),
    };
    let entries = service::register(&cx, &actor, &filter).await?;
    let mut conn = app.pool.acquire().await?;
    Ok(RegisterView {
        student: None,
        entries,
        requesters: service::requesters(&mut conn).await?,
        state: filter.state.unwrap_or_default(),
        purpose: filter.purpose.unwrap_or_default(),
        requester: filter.requester.map(|r| r.to_string()).unwrap_or_default(),
        from,
        to,
    })
}

/// One student's register: every request that released their data.
#[server(name = StudentRegisterView, prefix = "/api", endpoint = "requests/register/student")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn student_register(student_id: String) -> Result<RegisterView, AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::{records::service::register_resource, requests::service},
        state::{context, request_locale},
    };
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::ReadStudentRegister,
        async |c| register_resource(c, &student_id).await,
    )
    .await?;
    let (student, entries) =
        service::student_register(tx, &context(&state), request_locale(), &actor, &student_id)
            .await?;
    Ok(RegisterView {
        student: Some(student),
        entries,
        requesters: Vec::new(),
        state: String::new(),
        purpose: String::new(),
        requester: String::new(),
        from: String::new(),
        to: String::new(),
    })
}
