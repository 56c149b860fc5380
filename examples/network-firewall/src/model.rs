//! Request and response shapes of the `ListFlowOperations` operation.
//!
//! The shapes follow botocore's `network-firewall/2020-11-12/service-2.json`:
//! member names are PascalCase on the wire, every optional member is omitted
//! when absent, enums keep values this crate does not know yet
//! (`Unknown(String)`), and timestamps are epoch seconds carried as JSON
//! numbers (see [`Timestamp`]).

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Input of `ListFlowOperations`.
///
/// Paginated as botocore's `paginators-1.json` says: token `NextToken`, limit
/// key `MaxResults` (1..=100), result key `FlowOperations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, paginate::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginated(response = ListFlowOperationsResponse)]
pub struct ListFlowOperationsRequest {
    /// ARN of the firewall (required, 1..=256 characters, `^arn:aws.*`).
    pub firewall_arn: String,
    /// Only flow operations run in this Availability Zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Only flow operations of this VPC endpoint association.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_association_arn: Option<String>,
    /// Only flow operations of this VPC endpoint (`^vpce-[a-zA-Z0-9]*$`, 5..=256).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_id: Option<String>,
    /// Only flow operations of this type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operation_type: Option<FlowOperationType>,
    /// Opaque token from a previous response (1..=4096 characters, `[0-9A-Za-z:\/+=]+$`).
    #[paginated(input_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Page size, 1..=100.
    #[paginated(limit_key, min = 1, max = 100)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// Output of `ListFlowOperations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, paginate::Paginated)]
#[serde(rename_all = "PascalCase")]
pub struct ListFlowOperationsResponse {
    /// The flow operations of this page.
    #[paginated(result_key)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operations: Option<Vec<FlowOperationMetadata>>,
    /// Token for the next page; absent on the last page.
    #[paginated(output_token)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One flow operation as listed by `ListFlowOperations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowOperationMetadata {
    /// Identifier of the flow operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operation_id: Option<String>,
    /// Kind of flow operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operation_type: Option<FlowOperationType>,
    /// When the flow operation was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_request_timestamp: Option<Timestamp>,
    /// Status of the flow operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_operation_status: Option<FlowOperationStatus>,
}

/// Error returned by the `FromStr` implementations of this module's enums.
///
/// Parsing never fails for the enums themselves (unknown values become
/// `Unknown`), so this type is uninhabited in practice; it exists for the
/// `FromStr` signature.
pub type ParseEnumError = std::convert::Infallible;

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know; the wire string is kept as is:
            ///
            /// ```
            /// # use network_firewall::FlowOperationType;
            /// let t: FlowOperationType = serde_json::from_str("\"FLOW_MIRROR\"").unwrap();
            /// assert_eq!(t, FlowOperationType::Unknown("FLOW_MIRROR".into()));
            /// assert_eq!(serde_json::to_string(&t).unwrap(), "\"FLOW_MIRROR\"");
            /// assert_eq!("FLOW_FLUSH".parse(), Ok(FlowOperationType::FlowFlush));
            /// ```
            Unknown(String),
        }

        impl $name {
            /// Every value this crate knows, in model order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s.as_str(),
                }
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

string_enum! {
    /// Kind of a flow operation (`FlowOperationType`).
    FlowOperationType {
        /// `FLOW_FLUSH`: flushes matching flows from the firewall's flow table.
        FlowFlush => "FLOW_FLUSH",
        /// `FLOW_CAPTURE`: captures matching flows.
        FlowCapture => "FLOW_CAPTURE",
    }
}

string_enum! {
    /// Status of a flow operation (`FlowOperationStatus`).
    FlowOperationStatus {
        /// `COMPLETED`.
        Completed => "COMPLETED",
        /// `IN_PROGRESS`.
        InProgress => "IN_PROGRESS",
        /// `FAILED`.
        Failed => "FAILED",
        /// `COMPLETED_WITH_ERRORS`.
        CompletedWithErrors => "COMPLETED_WITH_ERRORS",
    }
}

/// An instant carried as epoch seconds, the AWS JSON protocols' timestamp format.
///
/// The value is kept as whole seconds plus nanoseconds (floored, so
/// `subsec_nanos` is always non-negative), together with how the wire
/// carried it: as an integer (`1733337353`) or as a fractional number
/// (`1733337353.759`). Serializing writes the same kind of number back, so a
/// value read from the wire re-serializes to the same JSON text.
///
/// Equality, ordering and hashing look at the instant only, not at the wire
/// representation.
///
/// ```
/// use network_firewall::Timestamp;
/// let t: Timestamp = serde_json::from_str("1733337353.759").unwrap();
/// assert_eq!(serde_json::to_string(&t).unwrap(), "1733337353.759");
/// assert_eq!(t.to_iso8601(), "2024-12-04T18:35:53.759000+00:00");
/// let whole: Timestamp = serde_json::from_str("1733337353").unwrap();
/// assert_eq!(serde_json::to_string(&whole).unwrap(), "1733337353");
/// assert_eq!(whole.to_iso8601(), "2024-12-04T18:35:53+00:00");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
    fractional: bool,
}

impl Timestamp {
    /// A timestamp of whole epoch seconds, serialized as a JSON integer.
    pub fn from_epoch_seconds(secs: i64) -> Self {
        Timestamp {
            secs,
            nanos: 0,
            fractional: false,
        }
    }

    /// A timestamp from whole seconds and nanoseconds (`nanos` above
    /// 999 999 999 carries into the seconds). It serializes as a fractional
    /// number when `nanos` is not zero, else as an integer.
    pub fn from_parts(secs: i64, nanos: u32) -> Self {
        let secs = secs.saturating_add(i64::from(nanos / 1_000_000_000));
        let nanos = nanos % 1_000_000_000;
        Timestamp {
            secs,
            nanos,
            fractional: nanos != 0,
        }
    }

    /// A timestamp from epoch milliseconds.
    pub fn from_epoch_millis(millis: i64) -> Self {
        let secs = millis.div_euclid(1000);
        let nanos = u32::try_from(millis.rem_euclid(1000) * 1_000_000).unwrap_or(0);
        Self::from_parts(secs, nanos)
    }

    /// Parses a decimal number of epoch seconds such as `1733337353.759`,
    /// `1733337353`, `-1.5` or `1733337353.0`. Digits past nanoseconds are
    /// truncated. Returns `None` for anything else (exponents, NaN, empty).
    pub fn parse_epoch_seconds(text: &str) -> Option<Self> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = int_part.parse().ok()?;
        let mut nanos: u32 = 0;
        if let Some(frac) = frac_part {
            if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let mut digits = frac.bytes().take(9).map(|b| u32::from(b - b'0'));
            for _ in 0..9 {
                nanos = nanos * 10 + digits.next().unwrap_or(0);
            }
        }
        let (secs, nanos) = if negative {
            if nanos == 0 {
                (-whole, 0)
            } else {
                (-whole - 1, 1_000_000_000 - nanos)
            }
        } else {
            (whole, nanos)
        };
        Some(Timestamp {
            secs,
            nanos,
            fractional: frac_part.is_some(),
        })
    }

    /// Whole seconds since the Unix epoch (floored).
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`Timestamp::secs`], `0..1_000_000_000`.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Whether the value is (or was on the wire) a fractional number.
    pub fn is_fractional(&self) -> bool {
        self.fractional
    }

    /// Epoch seconds as a floating point number (the JSON wire value).
    pub fn as_epoch_seconds(&self) -> f64 {
        // Going through the decimal text gives the f64 closest to the exact
        // decimal value, which is what a JSON parser reads for the same text.
        self.epoch_seconds_text()
            .parse::<f64>()
            .unwrap_or(self.secs as f64 + f64::from(self.nanos) / 1e9)
    }

    /// The epoch seconds as decimal text, with up to nine fractional digits
    /// (trailing zeros removed, at least one digit when fractional).
    fn epoch_seconds_text(&self) -> String {
        if !self.fractional {
            return self.secs.to_string();
        }
        let (int_text, frac) = if self.secs < 0 && self.nanos != 0 {
            // -1.5 is stored as secs = -2, nanos = 500_000_000.
            let whole = -(self.secs + 1);
            (format!("-{whole}"), 1_000_000_000 - self.nanos)
        } else {
            (self.secs.to_string(), self.nanos)
        };
        let mut frac_text = format!("{frac:09}");
        while frac_text.len() > 1 && frac_text.ends_with('0') {
            frac_text.pop();
        }
        format!("{int_text}.{frac_text}")
    }

    /// The instant as a [`SystemTime`].
    pub fn to_system_time(&self) -> SystemTime {
        if self.secs >= 0 {
            UNIX_EPOCH + Duration::new(self.secs.unsigned_abs(), self.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(self.secs.unsigned_abs()) + Duration::from_nanos(u64::from(self.nanos))
        }
    }

    /// Formats the instant the way the AWS CLI prints timestamps with
    /// `cli_timestamp_format = iso8601` (the AWS CLI v2 default).
    ///
    /// The CLI parses the epoch number with Python's
    /// `datetime.fromtimestamp(value, tz)` and prints `datetime.isoformat()`.
    /// This reproduces that for UTC: `2024-12-04T18:35:53.759000+00:00`, with
    /// the six-digit microsecond part left out when it is zero
    /// (`2024-12-04T18:35:53+00:00`). Nanoseconds are rounded to
    /// microseconds half-to-even as Python does. The CLI v1 prints the
    /// machine's local offset when it can; this crate always prints UTC,
    /// which is what the CLI prints on a machine whose time zone is UTC.
    pub fn to_iso8601(&self) -> String {
        let mut secs = self.secs;
        let mut micros = self.nanos / 1000;
        let rest = self.nanos % 1000;
        if rest > 500 || (rest == 500 && micros % 2 == 1) {
            micros += 1;
        }
        if micros == 1_000_000 {
            micros = 0;
            secs += 1;
        }
        // Python's datetime stops at year 9999, and so does `time`: the AWS
        // CLI could not print such a timestamp either; print the number.
        let Ok(at) = time::OffsetDateTime::from_unix_timestamp(secs) else {
            return self.as_epoch_seconds().to_string();
        };
        let (y, m, d) = (at.year(), u8::from(at.month()), at.day());
        let (hh, mm, ss) = (at.hour(), at.minute(), at.second());
        if micros == 0 {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}+00:00")
        } else {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{micros:06}+00:00")
        }
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        (self.secs, self.nanos) == (other.secs, other.nanos)
    }
}

impl Eq for Timestamp {}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.secs, self.nanos).hash(state);
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.secs, self.nanos).cmp(&(other.secs, other.nanos))
    }
}

impl Default for Timestamp {
    fn default() -> Self {
        Timestamp::from_epoch_seconds(0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp::from_parts(i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    Timestamp::from_parts(-secs, 0)
                } else {
                    Timestamp::from_parts(-secs - 1, 1_000_000_000 - d.subsec_nanos())
                }
            }
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.fractional {
            serializer.serialize_f64(self.as_epoch_seconds())
        } else {
            serializer.serialize_i64(self.secs)
        }
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch seconds as a JSON number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        Ok(Timestamp::from_epoch_seconds(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .map(Timestamp::from_epoch_seconds)
            .map_err(|_| E::custom("epoch seconds out of range"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
        if !v.is_finite() {
            return Err(E::custom("epoch seconds must be finite"));
        }
        // `Display` for f64 prints the shortest text that reads back as the
        // same f64 (and never uses an exponent), i.e. the text the wire most
        // likely carried.
        let mut text = v.to_string();
        if !text.contains('.') {
            text.push_str(".0");
        }
        Timestamp::parse_epoch_seconds(&text).ok_or_else(|| E::custom(format!("invalid epoch seconds {text}")))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_round_trips_wire_text() {
        for text in ["1733337353.759", "1733337353", "1733337353.0", "0.5", "-1.5"] {
            let ts: Timestamp = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&ts).unwrap(), text, "{text}");
        }
    }

    #[test]
    fn timestamp_iso8601_like_the_cli() {
        let ts: Timestamp = serde_json::from_str("1733337353.759").unwrap();
        assert_eq!(ts.secs(), 1_733_337_353);
        assert_eq!(ts.subsec_nanos(), 759_000_000);
        assert_eq!(ts.to_iso8601(), "2024-12-04T18:35:53.759000+00:00");
        let ts: Timestamp = serde_json::from_str("1733337353").unwrap();
        assert_eq!(ts.to_iso8601(), "2024-12-04T18:35:53+00:00");
        assert_eq!(
            Timestamp::from_epoch_seconds(0).to_iso8601(),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(
            Timestamp::parse_epoch_seconds("-0.25").unwrap().to_iso8601(),
            "1969-12-31T23:59:59.750000+00:00"
        );
        assert_eq!(ts.as_epoch_seconds(), 1_733_337_353.0);
    }

    #[test]
    fn iso8601_at_the_ends_of_the_calendar() {
        let last = Timestamp::parse_epoch_seconds("253402300799").unwrap();
        assert_eq!(last.to_iso8601(), "9999-12-31T23:59:59+00:00");
        // Past year 9999 Python's datetime (and so the AWS CLI) gives up; we print the number.
        let beyond = Timestamp::parse_epoch_seconds("253402300800").unwrap();
        assert_eq!(beyond.to_iso8601(), "253402300800");
        let leap = Timestamp::parse_epoch_seconds("951782400.5").unwrap();
        assert_eq!(leap.to_iso8601(), "2000-02-29T00:00:00.500000+00:00");
    }

    #[test]
    fn enums_keep_unknown_values() {
        let t: FlowOperationType = serde_json::from_str("\"FLOW_MIRROR\"").unwrap();
        assert_eq!(t, FlowOperationType::Unknown("FLOW_MIRROR".into()));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"FLOW_MIRROR\"");
        let s: FlowOperationStatus = "COMPLETED_WITH_ERRORS".parse().unwrap();
        assert_eq!(s, FlowOperationStatus::CompletedWithErrors);
        assert_eq!(s.to_string(), "COMPLETED_WITH_ERRORS");
    }

    #[test]
    fn request_omits_absent_members() {
        let req = ListFlowOperationsRequest {
            firewall_arn: "arn:aws:network-firewall:us-east-1:123456789012:firewall/a".into(),
            max_results: Some(5),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"FirewallArn":"arn:aws:network-firewall:us-east-1:123456789012:firewall/a","MaxResults":5}"#
        );
    }
}
