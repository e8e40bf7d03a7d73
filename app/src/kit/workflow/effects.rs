//! What a step of one feature's workflow does in another feature's data, in the step's own
//! transaction: the approval of a 关键数据变更 (an application of the changes) writes the
//! record's key data (the records'), though the records depend on the changes and not the
//! other way round. The server registers each effect at start-up, as it does the sweeps, and
//! the application state hands it to the step that takes effect.

use std::{future::Future, pin::Pin};

use crate::{db::Conn, domain::Actor, errors::AppError, kit::context::Context};

/// A future an effect returns, borrowing its connection.
pub type Running<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// Writes `values` ((field, value as filed, value asked for) of the record's key data)
/// into the record of student `student` as `actor` approved them, refusing when the record
/// no longer holds what was filed; returns the fields it changed.
pub type KeyData = for<'a> fn(
    &'a mut Conn,
    &'a Context<'a>,
    &'a Actor,
    i64,
    &'a [(String, String, String)],
) -> Running<'a, Vec<String>>;

/// The effects the server registers.
#[derive(Clone, Copy)]
pub struct Effects {
    pub key_data: KeyData,
}
