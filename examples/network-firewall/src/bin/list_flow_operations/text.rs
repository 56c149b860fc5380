//! `--output text`: the AWS CLI v1's text format (`awscli/text.py`), page by
//! page as the AWS CLI writes it: each page's `FlowOperations` as rows
//! `FLOWOPERATIONS<TAB>values in sorted key order`, then `NEXTTOKEN<TAB>token`
//! when the listing stopped early.

use std::io::Write;

use indexmap::IndexMap;
use network_firewall::FlowOperationMetadata;

use crate::cli::TimestampFormat;
use crate::output::PrintError;
use crate::query::Query;
use crate::value::Json;

type Map = IndexMap<String, Json>;

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
    pub fn page(&mut self, operations: Option<&[FlowOperationMetadata]>) -> Result<(), PrintError> {
        let list = match operations {
            Some(ops) => Json::Array(ops.iter().map(|op| operation_value(op, self.timestamps)).collect()),
            None => Json::Null,
        };
        let mut page = Map::new();
        page.insert("FlowOperations".into(), list);
        self.write(Json::Object(page))
    }

    /// A whole response (`--no-paginate`): its operations and the service's `NextToken`.
    pub fn response(
        &mut self,
        operations: Option<&[FlowOperationMetadata]>,
        next_token: Option<&str>,
    ) -> Result<(), PrintError> {
        let mut response = Map::new();
        if let Some(ops) = operations {
            let list = ops.iter().map(|op| operation_value(op, self.timestamps)).collect();
            response.insert("FlowOperations".into(), Json::Array(list));
        }
        if let Some(token) = next_token {
            response.insert("NextToken".into(), Json::Str(token.to_owned()));
        }
        self.write(Json::Object(response))
    }

    fn write(&mut self, value: Json) -> Result<(), PrintError> {
        let value = match self.query {
            Some(query) => query.search(&value).map_err(PrintError::Result)?,
            None => value,
        };
        let mut text = String::new();
        // What was formatted before a failure is written, as the AWS CLI
        // writes as it goes.
        let formatted = format_text(&value, None, None, &mut text);
        self.out.write_all(text.as_bytes())?;
        self.started = true;
        self.out.flush()?;
        formatted.map_err(PrintError::Result)
    }

    /// The `NEXTTOKEN` row when the listing stopped early; hands back the writer.
    pub fn finish(mut self, next_token: Option<&str>) -> Result<W, PrintError> {
        if let Some(token) = next_token {
            let mut inner = Map::new();
            inner.insert("NextToken".into(), Json::Str(token.to_owned()));
            let mut outer = Map::new();
            outer.insert("NextToken".into(), Json::Object(inner));
            self.write(Json::Object(outer))?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One operation as botocore parses it: the members it has, in the model's
/// order, timestamps as the chosen format prints them (epoch seconds an
/// `int` or a `float` as the wire carried them).
pub fn operation_value(op: &FlowOperationMetadata, timestamps: TimestampFormat) -> Json {
    let mut map = Map::new();
    let mut put = |key: &str, value: Option<Json>| {
        if let Some(value) = value {
            map.insert(key.to_owned(), value);
        }
    };
    put("FlowOperationId", op.flow_operation_id.clone().map(Json::Str));
    put(
        "FlowOperationType",
        op.flow_operation_type
            .as_ref()
            .map(|t| Json::Str(t.as_str().to_owned())),
    );
    put(
        "FlowRequestTimestamp",
        op.flow_request_timestamp.as_ref().map(|ts| match timestamps {
            TimestampFormat::Iso8601 => Json::Str(ts.to_iso8601()),
            TimestampFormat::None if ts.is_fractional() => Json::Float(ts.as_epoch_seconds()),
            TimestampFormat::None => Json::Int(i128::from(ts.secs())),
        }),
    );
    put(
        "FlowOperationStatus",
        op.flow_operation_status
            .as_ref()
            .map(|s| Json::Str(s.as_str().to_owned())),
    );
    Json::Object(map)
}

/// Python's `str()` of a scalar as the AWS CLI prints it.
pub fn scalar(value: &Json) -> String {
    value.py_str()
}

pub fn is_scalar(value: &Json) -> bool {
    value.is_scalar()
}

/// `awscli.text._format_text`; its one failure is a list mixing objects
/// with other values, which the AWS CLI fails on (Python's `AttributeError`).
fn format_text(
    value: &Json,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) -> Result<(), String> {
    match value {
        Json::Object(map) => format_dict(map, identifier, scalar_keys, out),
        Json::Array(items) => format_list(items, identifier, out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
            Ok(())
        }
    }
}

fn format_list(items: &[Json], identifier: Option<&str>, out: &mut String) -> Result<(), String> {
    if items.is_empty() {
        return Ok(());
    }
    if items.iter().any(|v| matches!(v, Json::Object(_))) {
        if let Some(other) = items.iter().find(|v| !matches!(v, Json::Object(_))) {
            return Err(format!(
                "'{}' object has no attribute 'items'",
                crate::eval::python_type(other)
            ));
        }
        let mut keys: Vec<String> = items
            .iter()
            .filter_map(|v| match v {
                Json::Object(map) => Some(map),
                _ => None,
            })
            .flat_map(|m| m.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        for item in items {
            format_text(item, identifier, Some(&keys), out)?;
        }
    } else if items.iter().any(|v| matches!(v, Json::Array(_))) {
        let scalars: Vec<&Json> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for item in items.iter().filter(|v| !is_scalar(v)) {
            format_text(item, identifier, None, out)?;
        }
    } else {
        let scalars: Vec<&Json> = items.iter().collect();
        format_scalar_list(&scalars, identifier, out);
    }
    Ok(())
}

fn format_scalar_list(items: &[&Json], identifier: Option<&str>, out: &mut String) {
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

fn format_dict(
    map: &Map,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) -> Result<(), String> {
    let mut scalars: Vec<String> = Vec::new();
    let mut non_scalars: Vec<(&String, &Json)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Json)> = map.iter().collect();
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
            let mut rest: Vec<(&String, &Json)> = map.iter().filter(|(k, _)| !keys.contains(k)).collect();
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
        format_text(value, Some(key), None, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> String {
        let mut out = String::new();
        format_text(&Json::parse(json).expect("json"), None, None, &mut out).expect("formats");
        out
    }

    #[test]
    fn a_list_mixing_objects_and_other_values_fails_as_in_the_aws_cli() {
        // aws ... --output text --query '[`{"b": 1}`, `3.0`]': the AWS CLI's
        // AttributeError, after what it had written.
        let mut out = String::new();
        let value = Json::parse(r#"{"a": ["x", "y"], "b": [{"k": 1}, 3.0]}"#).expect("json");
        let failed = format_text(&value, None, None, &mut out);
        assert_eq!(failed, Err("'float' object has no attribute 'items'".to_owned()));
        assert_eq!(out, "A\tx\nA\ty\n");
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
