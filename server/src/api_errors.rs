//! Gives every server-function error its HTTP status and request id.
//!
//! The server-function machinery answers every error with 500, including those it raises
//! itself before a function runs (malformed arguments). This layer reads the error back,
//! sets the status its kind calls for, and stamps it with the request id under which the
//! detail was logged, so that every error a JSON client sees looks the same.

use app::{errors::AppError, state::REQUEST_ID_HEADER};
use axum::{
    body::{Body, to_bytes},
    extract::Request,
    middleware::Next,
    response::Response,
};
use http::{HeaderValue, StatusCode, header};

/// Errors are small; anything larger is not one of ours and passes untouched.
const MAX_ERROR_BYTES: usize = 64 * 1024;

pub async fn map_server_fn_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let request_id = request.headers().get(REQUEST_ID_HEADER).cloned();
    let response = next.run(request).await;
    let is_json_error = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_api || !is_json_error {
        return response;
    }

    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut error) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    error.request_id = request_id
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    parts.status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&error).unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}
