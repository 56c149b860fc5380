//! `--query`: the AWS CLI's client-side JMESPath over the whole result, and
//! the result printed as `json.dumps(result, indent=4, ensure_ascii=False)`.
//!
//! The jmespath crate keeps objects as sorted maps; the AWS CLI prints dict
//! keys in the model's member order, so objects are printed in that order
//! (keys the model does not know follow, sorted).

use serde_json::Value;

/// The model's member order, the order botocore's parser builds its dicts in.
const MEMBER_ORDER: &[&str] = &[
    "FlowOperations",
    "NextToken",
    "FlowOperationId",
    "FlowOperationType",
    "FlowRequestTimestamp",
    "FlowOperationStatus",
];

/// A compiled `--query`.
pub struct Query(jmespath::Expression<'static>);

impl Query {
    /// Compiles `expression`; a bad one is bad input.
    pub fn compile(expression: &str) -> Result<Self, String> {
        jmespath::compile(expression).map(Query).map_err(|e| {
            let reason = e.to_string();
            let reason = reason.lines().next().unwrap_or_default().to_owned();
            format!("bad value for --query {expression:?}: {reason}")
        })
    }

    /// Applies the query to a value.
    pub fn search(&self, value: Value) -> Result<Value, String> {
        let found = self.0.search(value).map_err(|e| format!("--query failed: {e}"))?;
        serde_json::to_value(&*found).map_err(|e| e.to_string())
    }

    /// Applies the query to the document `json` and prints the result.
    pub fn apply(&self, json: &str) -> Result<String, String> {
        let data = jmespath::Variable::from_json(json).map_err(|e| format!("cannot read the result: {e}"))?;
        let found = self.0.search(data).map_err(|e| format!("--query failed: {e}"))?;
        let value = serde_json::to_value(&*found).map_err(|e| e.to_string())?;
        let mut out = String::new();
        write_value(&value, 0, &mut out);
        out.push('\n');
        Ok(out)
    }
}

fn write_value(value: &Value, depth: usize, out: &mut String) {
    let indent = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', 4 * n));
    match value {
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                write_value(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let rank = |key: &str| MEMBER_ORDER.iter().position(|k| *k == key).unwrap_or(usize::MAX);
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push_str(": ");
                write_value(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push('}');
        }
        scalar => out.push_str(&serde_json::to_string(scalar).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_python_json_dumps_indent_4() {
        let doc = r#"{"FlowOperations": [{"FlowOperationStatus": "COMPLETED", "FlowOperationId": "a"},
                      {"FlowOperationStatus": "FAILED", "FlowOperationId": "b"}], "NextToken": "t"}"#;
        let run = |q: &str| Query::compile(q).expect("valid").apply(doc).expect("applies");
        assert_eq!(run("FlowOperations[].FlowOperationId"), "[\n    \"a\",\n    \"b\"\n]\n");
        assert_eq!(run("length(FlowOperations)"), "2\n");
        assert_eq!(
            run("FlowOperations[?FlowOperationStatus=='COMPLETED'] | [0]"),
            "{\n    \"FlowOperationId\": \"a\",\n    \"FlowOperationStatus\": \"COMPLETED\"\n}\n"
        );
        assert_eq!(run("nothing"), "null\n");
        assert_eq!(run("FlowOperations[?FlowOperationId=='z']"), "[]\n");
        assert!(Query::compile("FlowOperations[").is_err());
    }
}
