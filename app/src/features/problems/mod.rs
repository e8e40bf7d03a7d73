//! 问题学籍: the problem records a records administrator clears. The portal finds most of
//! them itself, from the records as they are, each time the page is asked for: a number two
//! records at school hold, a resident identity card number the form's rules refuse, two
//! records without one alike in name, sex and birth date; the national system's check
//! (身份证号不存在, 与姓名不匹配) comes in as a file. Each is resolved by 佐证 (the records
//! administrator names the document that shows the record right), by a 关键数据变更, or by
//! deleting a duplicate through an approved change of status: each an audit entry, the
//! deletions visible to leaders.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
