//! The page a person came for before signing in: kept in a short-lived cookie of its own
//! (no session is made for someone not signed in, and the address stays clean), and
//! followed once at sign-in when it is a page of this site.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// The cookie that holds it, base64url: nothing in it needs a cookie's escaping.
pub const COOKIE: &str = "xueji_return";
/// How long it waits for the sign-in: half an hour.
pub const MAX_AGE_SECS: i64 = 1800;
/// The longest address kept; a longer one is not a page of ours anyone needs back.
const MAX_LEN: usize = 512;

/// Whether `path` (path and query) is a page of this site to return to: an absolute path
/// (not `//host`, nor `/\host` that browsers read as one), no control character, no
/// sign-in or set-up page, no server function and no asset.
pub fn acceptable(path: &str) -> bool {
    path.len() <= MAX_LEN
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && !["/sign-in", "/setup/", "/api/", "/pkg/"]
            .iter()
            .any(|p| path.starts_with(p))
}

/// The cookie's value for `path`, when it is one to return to.
pub fn encode(path: &str) -> Option<String> {
    acceptable(path).then(|| URL_SAFE_NO_PAD.encode(path))
}

/// The page a cookie's value names, when it is one to return to.
pub fn decode(value: &str) -> Option<String> {
    if value.len() > MAX_LEN * 4 / 3 + 4 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
    let path = String::from_utf8(bytes).ok()?;
    acceptable(&path).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_this_site_are_returned_to() {
        for path in [
            "/records/students/0a1b2c",
            "/requests/abc/release",
            "/records/classes/c1?state=returned",
            "/",
        ] {
            assert_eq!(decode(&encode(path).unwrap()).as_deref(), Some(path));
        }
        for path in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/a\\b",
            "/records\n/x",
            "/sign-in",
            "/setup/token",
            "/api/sign-out",
            "/pkg/xueji.js",
            "records",
            "",
        ] {
            assert_eq!(encode(path), None, "{path:?}");
            assert_eq!(decode(&URL_SAFE_NO_PAD.encode(path)), None, "{path:?}");
        }
        assert_eq!(encode(&format!("/{}", "a".repeat(600))), None);
        assert_eq!(decode("not base64!"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode([0xff, 0xfe])), None);
    }
}
