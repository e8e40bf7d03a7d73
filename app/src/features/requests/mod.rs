//! Information requests and releases (信息查询申请, 查阅, 披露登记): POLICY.md article 2.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
