//! Thin wrapper over `aws-sigv4` shared by the client (signing) and the
//! server (verifying by re-signing).

use std::borrow::Cow;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

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
    body: SignableBody<'_>,
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
    let request = SignableRequest::new(method, uri, headers.iter().copied(), body).map_err(|e| e.to_string())?;
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

/// `x-amz-date`'s form: `20241204T183553Z`.
const AMZ_DATE: &[FormatItem<'static>] = format_description!("[year][month][day]T[hour][minute][second]Z");

/// Parses an `x-amz-date` value (`20241204T183553Z`).
pub(crate) fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let parsed = PrimitiveDateTime::parse(s, AMZ_DATE).ok()?;
    Some(parsed.assume_utc().into())
}

/// Formats a time as `x-amz-date` (`20241204T183553Z`).
pub(crate) fn format_amz_date(t: SystemTime) -> String {
    OffsetDateTime::from(t).format(AMZ_DATE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn amz_date_round_trip() {
        let t = parse_amz_date("20241204T183553Z").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_733_337_353);
        assert_eq!(format_amz_date(t), "20241204T183553Z");
        assert!(parse_amz_date("2024-12-04T18:35:53Z").is_none());
    }
}
