//! SigV4 verification of incoming requests.
//!
//! [`check_headers`] does everything that needs no body (credential, scope,
//! date, clock skew) and returns a [`Verifier`]; the signature itself is then
//! checked either against the payload hash the request declares
//! (`x-amz-content-sha256`, before the body is read) or against the body.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::SignableBody;
use http::{HeaderMap, StatusCode};
use subtle::ConstantTimeEq;

use super::response::ApiError;
use super::state::State;
use crate::sigv4::{format_amz_date, parse_amz_date, sign_request, HeaderPolicy, SIGNING_NAME};

/// The parsed `Authorization` header.
struct AuthHeader<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<AuthHeader<'_>, ApiError> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
        ApiError::incomplete_signature(format!(
            "Authorization header requires AWS4-HMAC-SHA256 signing. Authorization={value}"
        ))
    })?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let missing = |name: &str| {
        ApiError::incomplete_signature(format!(
            "Authorization header requires '{name}' parameter. Authorization={value}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    if scope.len() != 5 || scope[4] != "aws4_request" || scope.iter().any(|s| s.is_empty()) {
        return Err(ApiError::incomplete_signature(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term, got '{credential}'"
        )));
    }
    Ok(AuthHeader {
        access_key: scope[0],
        date: scope[1],
        region: scope[2],
        service: scope[3],
        signed_headers: signed.split(';').filter(|s| !s.is_empty()).collect(),
        signature,
    })
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A request whose `Authorization` header names known credentials with a
/// valid scope and a current date; only the signature is left to check.
pub(super) struct Verifier<'a> {
    auth: AuthHeader<'a>,
    credentials: &'a Credentials,
    time: SystemTime,
    declared_payload_hash: Option<&'a str>,
}

/// Checks everything the headers alone can tell: presence and form of the
/// `Authorization` header, the access key and session token, the credential
/// scope (service, region, date) and the clock skew.
pub(super) fn check_headers<'a>(state: &'a State, parts: &'a http::request::Parts) -> Result<Verifier<'a>, ApiError> {
    let Some(auth_value) = parts.headers.get("authorization") else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let auth_value = auth_value
        .to_str()
        .map_err(|_| ApiError::incomplete_signature("Authorization header is not valid text."))?;
    let auth = parse_authorization(auth_value)?;
    let Some(credentials) = state.credentials.iter().find(|c| c.access_key_id() == auth.access_key) else {
        return Err(ApiError::unrecognized_client());
    };
    let sent_token = header_str(&parts.headers, "x-amz-security-token");
    if let Some(expected) = credentials.session_token() {
        let ok = sent_token.is_some_and(|t| bool::from(t.as_bytes().ct_eq(expected.as_bytes())));
        if !ok {
            return Err(ApiError::unrecognized_client());
        }
    }
    if auth.service != SIGNING_NAME {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{SIGNING_NAME}'. "
        )));
    }
    if let Some(region) = &state.region {
        if auth.region != region {
            return Err(ApiError::invalid_signature(format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                auth.region
            )));
        }
    }
    let amz_date = header_str(&parts.headers, "x-amz-date").ok_or_else(|| {
        ApiError::incomplete_signature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    let time = parse_amz_date(amz_date).ok_or_else(|| {
        ApiError::incomplete_signature(format!("Date must be in ISO-8601 'basic format'. Got '{amz_date}'."))
    })?;
    if !amz_date.starts_with(auth.date) || auth.date.len() != 8 {
        return Err(ApiError::invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
            auth.date,
            amz_date.get(..8).unwrap_or(amz_date)
        )));
    }
    if let Some(max) = state.max_clock_skew {
        check_clock_skew(amz_date, time, SystemTime::now(), max)?;
    }
    // A declared payload hash is used only in its canonical form (64 hex
    // digits); anything else (e.g. `UNSIGNED-PAYLOAD`, which this service
    // does not support) is ignored, and the body's own hash is what the
    // signature must cover.
    let declared_payload_hash = header_str(&parts.headers, "x-amz-content-sha256")
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    Ok(Verifier {
        auth,
        credentials,
        time,
        declared_payload_hash,
    })
}

/// AWS's answer to a request dated too far from now, either way.
fn check_clock_skew(amz_date: &str, time: SystemTime, now: SystemTime, max: Duration) -> Result<(), ApiError> {
    let minutes = max.as_secs() / 60;
    if let Ok(behind) = now.duration_since(time) {
        if behind > max {
            return Err(ApiError::invalid_signature(format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - {minutes} min.)",
                format_amz_date(now.checked_sub(max).unwrap_or(now)),
                format_amz_date(now),
            )));
        }
    } else if let Ok(ahead) = time.duration_since(now) {
        if ahead > max {
            return Err(ApiError::invalid_signature(format!(
                "Signature not yet current: {amz_date} is still later than {} ({} + {minutes} min.)",
                format_amz_date(now.checked_add(max).unwrap_or(now)),
                format_amz_date(now),
            )));
        }
    }
    Ok(())
}

fn signature_mismatch() -> ApiError {
    ApiError::invalid_signature(
        "The request signature we calculated does not match the signature you provided. \
         Check your AWS Secret Access Key and signing method. Consult the service \
         documentation for details.",
    )
}

/// What the signature covers as the payload.
enum Payload<'b> {
    /// The body itself.
    Body(&'b [u8]),
    /// The payload hash the request declares (hex SHA-256).
    Hash(&'b str),
}

impl Verifier<'_> {
    /// The `x-amz-content-sha256` value, when it is a hex SHA-256.
    pub(super) fn declared_payload_hash(&self) -> Option<&str> {
        self.declared_payload_hash
    }

    /// Checks the signature taking `payload_hash` as the payload's hash
    /// (before the body is read).
    pub(super) fn verify_with_payload_hash(
        &self,
        parts: &http::request::Parts,
        payload_hash: &str,
    ) -> Result<(), ApiError> {
        self.verify(parts, Payload::Hash(payload_hash))
    }

    /// Checks the signature over the received body.
    pub(super) fn verify_with_body(&self, parts: &http::request::Parts, body: &[u8]) -> Result<(), ApiError> {
        self.verify(parts, Payload::Body(body))
    }

    fn verify(&self, parts: &http::request::Parts, payload: Payload<'_>) -> Result<(), ApiError> {
        // Reproduce the signature over exactly the headers the client signed.
        let mut headers: Vec<(&str, &str)> = Vec::new();
        for name in &self.auth.signed_headers {
            if *name == "x-amz-date" {
                continue; // the signer derives it from `time`
            }
            for value in parts.headers.get_all(*name) {
                let value = value
                    .to_str()
                    .map_err(|_| ApiError::invalid_signature("Signed header is not valid text."))?;
                headers.push((name, value));
            }
        }
        let host = header_str(&parts.headers, "host").unwrap_or("localhost");
        let path_and_query = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let uri = format!("http://{host}{path_and_query}");
        // The session token (if signed) is among `headers`; sign without it in the identity.
        let signing_credentials = Credentials::new(
            self.credentials.access_key_id(),
            self.credentials.secret_access_key(),
            None,
            None,
            "server",
        );
        let body = match payload {
            Payload::Body(body) => SignableBody::Bytes(body),
            Payload::Hash(hash) => SignableBody::Precomputed(hash.to_owned()),
        };
        let expected = sign_request(
            parts.method.as_str(),
            &uri,
            &headers,
            body,
            &signing_credentials,
            self.auth.region,
            self.auth.service,
            self.time,
            HeaderPolicy::Exact,
        )
        .map(|signed| signed.signature)
        .map_err(|e| ApiError::invalid_signature(format!("Cannot verify signature: {e}")))?;
        if !bool::from(expected.as_bytes().ct_eq(self.auth.signature.as_bytes())) {
            return Err(signature_mismatch());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_skew_messages() {
        let now = parse_amz_date("20250101T120000Z").unwrap();
        let max = Duration::from_secs(300);
        let old = parse_amz_date("20250101T114000Z").unwrap();
        let err = check_clock_skew("20250101T114000Z", old, now, max).unwrap_err();
        assert_eq!(err.code, "InvalidSignatureException");
        assert_eq!(
            err.message,
            "Signature expired: 20250101T114000Z is now earlier than 20250101T115500Z (20250101T120000Z - 5 min.)"
        );
        let future = parse_amz_date("20250101T122000Z").unwrap();
        let err = check_clock_skew("20250101T122000Z", future, now, max).unwrap_err();
        assert_eq!(
            err.message,
            "Signature not yet current: 20250101T122000Z is still later than 20250101T120500Z (20250101T120000Z + 5 min.)"
        );
        let near = parse_amz_date("20250101T120400Z").unwrap();
        assert!(check_clock_skew("20250101T120400Z", near, now, max).is_ok());
        let near = parse_amz_date("20250101T115600Z").unwrap();
        assert!(check_clock_skew("20250101T115600Z", near, now, max).is_ok());
    }
}
