//! Thin wrapper over `aws-sigv4` shared by the client (signing) and the
//! server (verifying by re-signing).

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::model::days_from_civil;

/// The signing name of AWS Network Firewall.
pub const SIGNING_NAME: &str = "network-firewall";

/// What a signing run produced.
pub(crate) struct Signed {
    /// Headers to add to the request (`authorization`, `x-amz-date`,
    /// `x-amz-security-token` when there is a session token, ...).
    pub headers: Vec<(String, String)>,
    /// The hex signature.
    pub signature: String,
}

/// Which headers the signer may sign.
pub(crate) enum HeaderPolicy {
    /// The SDK default: everything except `authorization`, `user-agent`,
    /// `x-amzn-trace-id` and `transfer-encoding`.
    SdkDefault,
    /// Sign exactly the headers given (used to reproduce a received signature).
    Exact,
}

/// Signs a request; `uri` must be absolute (`http://host:port/path`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_request(
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    policy: HeaderPolicy,
) -> Result<Signed, String> {
    let identity: Identity = credentials.clone().into();
    let mut settings = SigningSettings::default();
    if let HeaderPolicy::Exact = policy {
        settings.excluded_headers = Some(Vec::<Cow<'static, str>>::new());
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let request = SignableRequest::new(method, uri, headers.iter().copied(), SignableBody::Bytes(body))
        .map_err(|e| e.to_string())?;
    let (instructions, signature) = sign(request, &params).map_err(|e| e.to_string())?.into_parts();
    let (out_headers, _params) = instructions.into_parts();
    Ok(Signed {
        headers: out_headers
            .into_iter()
            .map(|h| (h.name().to_owned(), h.value().to_owned()))
            .collect(),
        signature,
    })
}

/// Parses an `x-amz-date` value (`20241204T183553Z`).
pub(crate) fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (h, mi, se) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + se);
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Formats a time as `x-amz-date` (`20241204T183553Z`).
pub(crate) fn format_amz_date(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let secs = i64::try_from(secs).unwrap_or(0);
    let (y, m, d) = crate::model::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date_round_trip() {
        let t = parse_amz_date("20241204T183553Z").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_733_337_353);
        assert_eq!(format_amz_date(t), "20241204T183553Z");
        assert!(parse_amz_date("2024-12-04T18:35:53Z").is_none());
    }
}
