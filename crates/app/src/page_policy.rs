//! The content security policy every page is served with (no inline
//! script, no framing, forms post only here), in one place for the web
//! layer that sets it and the pages that must widen it.

/// The policy of every response that does not set its own.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The policy with forms also allowed to lead to `origin` (browsers hold
/// the redirect after a form to the submitting page's `form-action`).
pub fn with_form_target(origin: &str) -> String {
    CONTENT_SECURITY_POLICY.replace(
        "form-action 'self';",
        &format!("form-action 'self' {origin};"),
    )
}
