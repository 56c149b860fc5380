//! The AWS CLI's JSON document, `json.dumps(result, indent=4, ensure_ascii=False)`
//! of botocore's full result, written page by page as the pages arrive: memory
//! stays flat however long the listing, and what was printed is always a
//! valid document whose `NextToken` resumes exactly after it.
//!
//! Keys follow the model's member order, as botocore's parser builds its
//! dicts in that order.

use std::io::{self, Write};

use network_firewall::FlowOperationMetadata;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::cli::TimestampFormat;
use crate::value::PythonFormatter;

/// Why printing stopped: the output could not be written, or the result
/// could not be made (`--query` failed on it, a table cannot show it).
#[derive(Debug)]
pub enum PrintError {
    Io(io::Error),
    Result(String),
}

impl From<io::Error> for PrintError {
    fn from(e: io::Error) -> Self {
        PrintError::Io(e)
    }
}

/// Where the document goes: stdout as the pages arrive, or memory for `--query`.
pub enum Sink {
    Stdout(io::BufWriter<io::Stdout>),
    Memory(Vec<u8>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::Memory(out) => out.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::Memory(_) => Ok(()),
        }
    }
}

/// The document being written.
pub struct JsonDocument<W: Write> {
    out: W,
    timestamps: TimestampFormat,
    /// Items written into `"FlowOperations": [`; `None` before the key is opened.
    items: Option<usize>,
}

impl<W: Write> JsonDocument<W> {
    pub fn new(out: W, timestamps: TimestampFormat) -> Self {
        JsonDocument {
            out,
            timestamps,
            items: None,
        }
    }

    /// True once anything was written.
    pub fn started(&self) -> bool {
        self.items.is_some()
    }

    /// Writes a page's operations (a page without the key adds nothing, as in
    /// botocore's `build_full_result`) and flushes them.
    pub fn page(&mut self, operations: Option<&[FlowOperationMetadata]>) -> io::Result<()> {
        let Some(operations) = operations else {
            return Ok(());
        };
        let mut written = match self.items {
            Some(n) => n,
            None => {
                self.out.write_all(b"{\n    \"FlowOperations\": [")?;
                0
            }
        };
        for operation in operations {
            self.out
                .write_all(if written == 0 { b"\n        " } else { b",\n        " })?;
            let view = OperationView {
                operation,
                timestamps: self.timestamps,
                firewall_arn: None,
            };
            let text = pretty(&view)?;
            self.out.write_all(text.replace('\n', "\n        ").as_bytes())?;
            written += 1;
        }
        self.items = Some(written);
        self.out.flush()
    }

    /// Writes one operation of a firewall (several firewalls listed at once),
    /// its `FirewallArn` first, and flushes it.
    pub fn operation_of(&mut self, firewall_arn: &str, operation: &FlowOperationMetadata) -> io::Result<()> {
        let written = match self.items {
            Some(n) => n,
            None => {
                self.out.write_all(b"{\n    \"FlowOperations\": [")?;
                0
            }
        };
        self.out
            .write_all(if written == 0 { b"\n        " } else { b",\n        " })?;
        let view = OperationView {
            operation,
            timestamps: self.timestamps,
            firewall_arn: Some(firewall_arn),
        };
        self.out
            .write_all(pretty(&view)?.replace('\n', "\n        ").as_bytes())?;
        self.items = Some(written + 1);
        self.out.flush()
    }

    /// Ends the output without closing the document (a line break, so that
    /// what follows starts a line): what was printed is not the whole
    /// listing, and no token resumes after it.
    pub fn cut_short(mut self) -> io::Result<()> {
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    /// Closes the document, with `NextToken` when the listing stopped early,
    /// and hands back the writer.
    pub fn finish(mut self, next_token: Option<&str>) -> io::Result<W> {
        let token = next_token.map(|t| serde_json::to_string(t).unwrap_or_default());
        match (self.items, token) {
            (Some(n), token) => {
                self.out.write_all(if n == 0 { b"]" } else { b"\n    ]" })?;
                if let Some(token) = token {
                    write!(self.out, ",\n    \"NextToken\": {token}")?;
                }
                self.out.write_all(b"\n}\n")?;
            }
            (None, Some(token)) => write!(self.out, "{{\n    \"NextToken\": {token}\n}}\n")?,
            (None, None) => self.out.write_all(b"{}\n")?,
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// `value` as `json.dumps(value, indent=4)` writes it at the top level
/// (floats as Python's `repr`).
fn pretty<T: Serialize>(value: &T) -> io::Result<String> {
    let mut out = Vec::new();
    let formatter = PythonFormatter::indent_4();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    String::from_utf8(out).map_err(io::Error::other)
}

/// One operation, its timestamp in the chosen format.
struct OperationView<'a> {
    operation: &'a FlowOperationMetadata,
    timestamps: TimestampFormat,
    /// With several firewalls listed at once: which one the operation is of.
    firewall_arn: Option<&'a str>,
}

impl Serialize for OperationView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let op = self.operation;
        let mut map = serializer.serialize_map(None)?;
        if let Some(arn) = self.firewall_arn {
            map.serialize_entry("FirewallArn", arn)?;
        }
        if let Some(id) = &op.flow_operation_id {
            map.serialize_entry("FlowOperationId", id)?;
        }
        if let Some(kind) = &op.flow_operation_type {
            map.serialize_entry("FlowOperationType", kind)?;
        }
        if let Some(ts) = &op.flow_request_timestamp {
            match self.timestamps {
                TimestampFormat::Iso8601 => map.serialize_entry("FlowRequestTimestamp", &ts.to_iso8601())?,
                TimestampFormat::None => map.serialize_entry("FlowRequestTimestamp", ts)?,
            }
        }
        if let Some(status) = &op.flow_operation_status {
            map.serialize_entry("FlowOperationStatus", status)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str) -> FlowOperationMetadata {
        FlowOperationMetadata {
            flow_operation_id: Some(id.into()),
            ..Default::default()
        }
    }

    fn document(pages: &[Option<Vec<FlowOperationMetadata>>], token: Option<&str>) -> String {
        let mut out = Vec::new();
        let mut doc = JsonDocument::new(&mut out, TimestampFormat::None);
        for page in pages {
            doc.page(page.as_deref()).expect("in memory");
        }
        doc.finish(token).expect("in memory");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn timestamps_print_as_python_floats() {
        // Expected texts are CPython's json.dumps of the same floats.
        let cases = [
            ("0.0000001", "1e-07"),
            ("0.000015", "1.5e-05"),
            ("0.0001", "0.0001"),
            ("15000000000000000.5", "1.5e+16"),
            ("10000000000000000.0", "1e+16"),
            ("123456789012345678.0", "1.2345678901234568e+17"),
            ("1733337353.759", "1733337353.759"),
            ("1733337353.0", "1733337353.0"),
        ];
        for (wire, python) in cases {
            let operation = FlowOperationMetadata {
                flow_request_timestamp: Some(serde_json::from_str(wire).expect("a timestamp")),
                ..Default::default()
            };
            let mut out = Vec::new();
            let mut doc = JsonDocument::new(&mut out, TimestampFormat::None);
            doc.page(Some(&[operation])).expect("in memory");
            doc.finish(None).expect("in memory");
            let text = String::from_utf8(out).expect("utf-8");
            assert!(
                text.contains(&format!("\"FlowRequestTimestamp\": {python}\n")),
                "{wire}: {text}"
            );
        }
    }

    #[test]
    fn shapes_match_python_json_dumps() {
        // Expected texts are CPython's json.dumps(result, indent=4) plus a newline.
        assert_eq!(document(&[], None), "{}\n");
        assert_eq!(document(&[None], Some("t")), "{\n    \"NextToken\": \"t\"\n}\n");
        assert_eq!(document(&[Some(vec![])], None), "{\n    \"FlowOperations\": []\n}\n");
        assert_eq!(
            document(
                &[None, Some(vec![op("a")]), Some(vec![]), Some(vec![op("b")])],
                Some("x")
            ),
            "{\n    \"FlowOperations\": [\n        {\n            \"FlowOperationId\": \"a\"\n        },\n        \
             {\n            \"FlowOperationId\": \"b\"\n        }\n    ],\n    \"NextToken\": \"x\"\n}\n"
        );
    }
}
