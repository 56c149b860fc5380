//! `--output text`: the AWS CLI v1's text format (`awscli/text.py`), page by
//! page as the AWS CLI writes it: each page's `FlowOperations` as rows
//! `FLOWOPERATIONS<TAB>values in sorted key order`, then `NEXTTOKEN<TAB>token`
//! when the listing stopped early.

use std::io::{self, Write};

use network_firewall::FlowOperationMetadata;
use serde_json::{Map, Value};

use crate::cli::TimestampFormat;
use crate::query::Query;

/// The text output being written.
pub struct TextDocument<'q, W: Write> {
    out: W,
    timestamps: TimestampFormat,
    query: Option<&'q Query>,
    started: bool,
}

impl<'q, W: Write> TextDocument<'q, W> {
    pub fn new(out: W, timestamps: TimestampFormat, query: Option<&'q Query>) -> Self {
        TextDocument {
            out,
            timestamps,
            query,
            started: false,
        }
    }

    pub fn started(&self) -> bool {
        self.started
    }

    /// One page: `{"FlowOperations": [...]}` (the key with `None` when the
    /// page has none, as the AWS CLI sets it), queried if asked, formatted.
    pub fn page(&mut self, operations: Option<&[FlowOperationMetadata]>) -> io::Result<()> {
        let list = match operations {
            Some(ops) => Value::Array(ops.iter().map(|op| operation_value(op, self.timestamps)).collect()),
            None => Value::Null,
        };
        let mut page = Map::new();
        page.insert("FlowOperations".into(), list);
        self.write(Value::Object(page))
    }

    /// A whole response (`--no-paginate`): its operations and the service's `NextToken`.
    pub fn response(
        &mut self,
        operations: Option<&[FlowOperationMetadata]>,
        next_token: Option<&str>,
    ) -> io::Result<()> {
        let mut response = Map::new();
        if let Some(ops) = operations {
            let list = ops.iter().map(|op| operation_value(op, self.timestamps)).collect();
            response.insert("FlowOperations".into(), Value::Array(list));
        }
        if let Some(token) = next_token {
            response.insert("NextToken".into(), Value::String(token.to_owned()));
        }
        self.write(Value::Object(response))
    }

    fn write(&mut self, value: Value) -> io::Result<()> {
        let value = match self.query {
            Some(query) => query.search(value).map_err(io::Error::other)?,
            None => value,
        };
        let mut text = String::new();
        format_text(&value, None, None, &mut text);
        self.out.write_all(text.as_bytes())?;
        self.started = true;
        self.out.flush()
    }

    /// The `NEXTTOKEN` row when the listing stopped early; hands back the writer.
    pub fn finish(mut self, next_token: Option<&str>) -> io::Result<W> {
        if let Some(token) = next_token {
            let mut inner = Map::new();
            inner.insert("NextToken".into(), Value::String(token.to_owned()));
            let mut outer = Map::new();
            outer.insert("NextToken".into(), Value::Object(inner));
            self.write(Value::Object(outer))?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One operation as botocore parses it: the members it has, timestamps as
/// the chosen format prints them.
pub fn operation_value(op: &FlowOperationMetadata, timestamps: TimestampFormat) -> Value {
    let mut map = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            map.insert(key.to_owned(), value);
        }
    };
    put("FlowOperationId", op.flow_operation_id.clone().map(Value::String));
    put(
        "FlowOperationType",
        op.flow_operation_type
            .as_ref()
            .map(|t| Value::String(t.as_str().to_owned())),
    );
    put(
        "FlowRequestTimestamp",
        op.flow_request_timestamp.as_ref().map(|ts| match timestamps {
            TimestampFormat::Iso8601 => Value::String(ts.to_iso8601()),
            TimestampFormat::None => serde_json::to_value(ts).unwrap_or(Value::Null),
        }),
    );
    put(
        "FlowOperationStatus",
        op.flow_operation_status
            .as_ref()
            .map(|s| Value::String(s.as_str().to_owned())),
    );
    Value::Object(map)
}

/// Python's `str()` of a scalar as the AWS CLI prints it.
pub fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

/// `awscli.text._format_text`.
fn format_text(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(map) => format_dict(map, identifier, scalar_keys, out),
        Value::Array(items) => format_list(items, identifier, out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn format_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(|v| v.is_object()) {
        let mut keys: Vec<String> = items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| m.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        for item in items {
            format_text(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for item in items.iter().filter(|v| !is_scalar(v)) {
            format_text(item, identifier, None, out);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        format_scalar_list(&scalars, identifier, out);
    }
}

fn format_scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", id.to_uppercase(), scalar(item)));
            }
        }
        None => {
            let row: Vec<String> = items.iter().map(|v| scalar(v)).collect();
            out.push_str(&row.join("\t"));
            out.push('\n');
        }
    }
}

fn format_dict(map: &Map<String, Value>, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    let mut scalars: Vec<String> = Vec::new();
    let mut non_scalars: Vec<(&String, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                if is_scalar(value) {
                    scalars.push(scalar(value));
                } else {
                    non_scalars.push((key, value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(map.get(key).map_or_else(String::new, scalar));
            }
            let mut rest: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !keys.contains(k)).collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            non_scalars = rest;
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = identifier {
            scalars.insert(0, id.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in non_scalars {
        format_text(value, Some(key), None, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> String {
        let mut out = String::new();
        format_text(&serde_json::from_str(json).expect("json"), None, None, &mut out);
        out
    }

    #[test]
    fn formats_like_awscli_text() {
        assert_eq!(
            text(
                r#"{"FlowOperations": [{"FlowOperationId": "a", "FlowOperationStatus": "OK", "FlowRequestTimestamp": 1.5}, {"FlowOperationId": "b"}]}"#
            ),
            "FLOWOPERATIONS\ta\tOK\t1.5\nFLOWOPERATIONS\tb\t\t\n"
        );
        assert_eq!(text(r#"{"FlowOperations": null}"#), "None\n");
        assert_eq!(text(r#"{"FlowOperations": []}"#), "");
        assert_eq!(text(r#"{"NextToken": {"NextToken": "t"}}"#), "NEXTTOKEN\tt\n");
        assert_eq!(text(r#"["a", "b"]"#), "a\tb\n");
        assert_eq!(text("3"), "3\n");
    }
}
