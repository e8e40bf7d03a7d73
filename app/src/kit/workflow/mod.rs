//! The approval kernel: what every approval workflow of the portal (information requests,
//! role grants, handovers, publication review, leak reports, destruction batches, the records
//! review) shares, so that a workflow is its declaration plus its own rules, store and views.
//!
//! - [`states!`](crate::states) declares a workflow's states: an enum stored as text (its
//!   codes), with `code`, `parse` and `ALL`.
//! - [`Workflow`] declares its transitions; [`Workflow::take`] takes one step in the acting
//!   transaction: moves the state only from the state it was read in (of two people deciding
//!   at once, the second is told it was decided), keeps the step in the history
//!   (`workflow_transitions`) and writes the audit entry naming it. Who may take a step is
//!   `crate::domain::access`'s rule, asked once per server function on the object loaded in
//!   that transaction; separation of duties is its `distinct` test on account ids (and the
//!   tables' own constraints).
//! - [`Decision`]: approve, or reject with a comment, parsed once from the decide form.
//! - [`Queues`]: a workflow's home (mine, to decide, decided) and [`waiting`], the header's
//!   count (what waits for the viewer's decision and the outcomes they have not read).
//! - [`notices`]: what a step tells its parties (the unread outcomes of `waiting`).
//! - [`Tally`]: the header's count as a scalar subquery a feature declares, all of a page's
//!   read in one statement ([`tally`]).
//! - [`effects`]: what a step does in another feature's data (a key-data approval writes
//!   the record), registered by the server.
//! - [`ui`]: the page parts: the decide form, the withdraw button, the history, and the
//!   sections of a home.
//!
//! `docs/ARCHITECTURE.md` ("Adding a workflow") walks through declaring a new one.

pub mod decision;
#[cfg(feature = "ssr")]
pub mod effects;
#[cfg(feature = "ssr")]
mod machine;
#[cfg(feature = "ssr")]
pub mod notices;
pub mod ui;

pub use decision::Decision;
#[cfg(feature = "ssr")]
pub use machine::*;

use serde::{Deserialize, Serialize};

/// A workflow's home page as its service hands it: the viewer's own objects, and for those
/// who decide, the objects waiting for their decision and the latest decided (`None` for
/// those who do not decide: their page has no such sections).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queues<T> {
    pub mine: Vec<T>,
    pub to_decide: Option<Vec<T>>,
    pub decided: Option<Vec<T>>,
}

/// One step of an object's history, as its page shows it: the event's code, who took it,
/// when (in the school's zone), and its comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub event: String,
    pub actor: Option<String>,
    pub at: String,
    pub comment: Option<String>,
    /// Minutes since the object began, where its page shows how long each step took.
    pub elapsed_minutes: Option<i64>,
}

/// Declares a workflow's states: an enum whose variants are stored as the given codes (text
/// both engines accept), with `code`, `parse` and `ALL`, serialised as its codes.
///
/// ```ignore
/// states! {
///     /// Where a handover stands.
///     pub enum HandoverState { Pending = "pending", Approved = "approved" }
/// }
/// ```
#[macro_export]
macro_rules! states {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every state, in the declaration's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The state as its table stores it.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The state a stored code names.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|s| s.code() == code)
            }
        }

        #[cfg(feature = "ssr")]
        impl $crate::kit::workflow::WorkflowState for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }

        // Stored as its code: a row reads it as the enum (an unknown code is the row's
        // error) and a query binds it as its code, on either engine.
        #[cfg(feature = "ssr")]
        $crate::text_column!($name);
    };
}
