//! SigV4 verification of incoming requests.

use super::*;

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

pub(super) fn authenticate(state: &State, parts: &http::request::Parts, body: &[u8]) -> Result<(), ApiError> {
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
            &amz_date[..8]
        )));
    }
    if let Some(max) = state.max_clock_skew {
        let now = SystemTime::now();
        let skew = now
            .duration_since(time)
            .or_else(|_| time.duration_since(now))
            .unwrap_or_default();
        if skew > max {
            return Err(ApiError::invalid_signature(format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - {} min.)",
                format_amz_date(now - max),
                format_amz_date(now),
                max.as_secs() / 60
            )));
        }
    }
    // Reproduce the signature over exactly the headers the client signed.
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
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
        credentials.access_key_id(),
        credentials.secret_access_key(),
        None,
        None,
        "server",
    );
    let expected = sign_request(
        parts.method.as_str(),
        &uri,
        &headers,
        body,
        &signing_credentials,
        auth.region,
        auth.service,
        time,
        HeaderPolicy::Exact,
    )
    .map_err(|e| ApiError::invalid_signature(format!("Cannot verify signature: {e}")))?;
    if !bool::from(expected.signature.as_bytes().ct_eq(auth.signature.as_bytes())) {
        return Err(ApiError::invalid_signature(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        ));
    }
    Ok(())
}
