//! `--output table`: the AWS CLI v1's table format (`TableFormatter` in
//! `awscli/formatter.py`) of the result, laid out by `layout.rs`.
//!
//! This is the one format that does not stream. The AWS CLI builds the full
//! result before it draws a table (`TableFormatter` is a
//! `FullyBufferedFormatter`: `build_full_result()`, then `--query`), and the
//! layout needs all of it: a column is as wide as its widest cell in the
//! whole listing, and every section as wide as the widest one. So the
//! operations are kept in memory and the table is printed once, at the end.
//!
//! The result becomes sections as the AWS CLI builds them: an object is a
//! section of its scalar members (one member: a `key | value` row; more:
//! headers sorted by name over one row), then one nested section per list or
//! object member, in name order; a list of objects is one section with the
//! union of their scalar keys as headers; a list of scalars is one row each.
//! A result Python holds false (`null`, `0`, `""`, `[]`, `{}`) prints nothing.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};

use indexmap::IndexMap;
use network_firewall::FlowOperationMetadata;

use crate::cli::{Color, TimestampFormat};
use crate::layout::{Style, Table};
use crate::output::PrintError;
use crate::query::Query;
use crate::terminal;
use crate::text::{is_scalar, operation_value};
use crate::value::Json;

type Map = IndexMap<String, Json>;

/// The title of the outer section: the operation's name.
const TITLE: &str = "ListFlowOperations";
const RESET: &str = "\x1b[0m";

/// How stdout takes the table, found as the AWS CLI v1 finds it.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    /// Columns of the terminal (80 when stdout is not one).
    pub width: i64,
    pub style: Style,
    /// colorama's exit handler writes one more reset when colour was on and
    /// stdout is a terminal.
    pub reset_at_exit: bool,
}

impl Look {
    /// `--color on` colours, `off` does not, `auto` colours a terminal only.
    pub fn of_stdout(color: Color) -> Self {
        let tty = io::stdout().is_terminal();
        let colored = match color {
            Color::On => true,
            Color::Off => false,
            Color::Auto => tty,
        };
        Look {
            width: terminal::stdout_width(),
            style: if colored { Style::Colored } else { Style::Plain },
            reset_at_exit: colored && tty,
        }
    }
}

/// The table output being gathered.
pub struct TableDocument<'q, W: Write> {
    out: W,
    timestamps: TimestampFormat,
    query: Option<&'q Query>,
    look: Look,
    /// The full result's `FlowOperations`; `None` until a page has the key.
    operations: Option<Vec<Json>>,
}

impl<'q, W: Write> TableDocument<'q, W> {
    pub fn new(out: W, timestamps: TimestampFormat, query: Option<&'q Query>, look: Look) -> Self {
        TableDocument {
            out,
            timestamps,
            query,
            look,
            operations: None,
        }
    }

    /// True once a page brought `FlowOperations` (an empty list included),
    /// so that a listing stopped part-way still has something to show.
    pub fn started(&self) -> bool {
        self.operations.is_some()
    }

    /// Keeps one page's operations (a page without the key adds nothing, as
    /// in botocore's `build_full_result`).
    pub fn page(&mut self, operations: Option<&[FlowOperationMetadata]>) -> Result<(), PrintError> {
        if let Some(ops) = operations {
            let values = ops.iter().map(|op| operation_value(op, self.timestamps));
            self.operations.get_or_insert_with(Vec::new).extend(values);
        }
        Ok(())
    }

    /// A whole response (`--no-paginate`), printed at once.
    pub fn response(
        mut self,
        operations: Option<&[FlowOperationMetadata]>,
        next_token: Option<&str>,
    ) -> Result<(), PrintError> {
        self.page(operations)?;
        self.finish(next_token).map(drop)
    }

    /// Prints the full result, with `NextToken` when the listing stopped
    /// early, and hands back the writer.
    pub fn finish(mut self, next_token: Option<&str>) -> Result<W, PrintError> {
        let mut result = Map::new();
        if let Some(operations) = self.operations.take() {
            result.insert("FlowOperations".into(), Json::Array(operations));
        }
        if let Some(token) = next_token {
            result.insert("NextToken".into(), Json::Str(token.to_owned()));
        }
        let result = match self.query {
            Some(query) => query.search(&Json::Object(result)).map_err(PrintError::Result)?,
            None => Json::Object(result),
        };
        let text = render(&result, self.look).map_err(|e| PrintError::Result(format!("--output table: {e}")))?;
        self.out.write_all(text.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Everything written for `result`: the table, if the result shows as one.
fn render(result: &Json, look: Look) -> Result<String, String> {
    let mut table = Table::new(look.width);
    let mut text = match build(&mut table, Some(TITLE), result, 0)? {
        true => table.render(look.style),
        false => String::new(),
    };
    if look.reset_at_exit {
        text.push_str(RESET);
    }
    Ok(text)
}

/// Adds `current` to the table under `title`; false when Python holds it false.
fn build(table: &mut Table, title: Option<&str>, current: &Json, indent: usize) -> Result<bool, String> {
    if !current.py_bool() {
        return Ok(false);
    }
    if let Some(title) = title {
        table.new_section(Some(title), indent);
    }
    match current {
        Json::Array(items) if matches!(items.first(), Some(Json::Object(_))) => {
            from_list_of_objects(table, items, indent, title)?;
        }
        Json::Array(items) => {
            for item in items {
                match item {
                    item if is_scalar(item) => table.add_row(vec![python_str(item)])?,
                    Json::Array(cells) if cells.iter().all(is_scalar) => {
                        table.add_row(cells.iter().map(python_str).collect())?;
                    }
                    // Python iterates a dict by its keys (in insertion
                    // order), which are all scalars.
                    Json::Object(map) => table.add_row(map.keys().cloned().collect())?,
                    _ => {
                        build(table, None, item, 0)?;
                    }
                }
            }
        }
        Json::Object(map) => from_object(table, map, indent)?,
        _ => {}
    }
    Ok(true)
}

/// An object: its scalar members as one row, then its other members nested.
fn from_object(table: &mut Table, map: &Map, indent: usize) -> Result<(), String> {
    let (headers, more) = scalar_keys(map);
    let value = |key: &String| map.get(key).map_or_else(String::new, python_str);
    match headers.as_slice() {
        [] => {}
        [only] => table.add_row(vec![only.clone(), value(only)])?,
        _ => {
            table.add_row_header(headers.clone())?;
            table.add_row(headers.iter().map(value).collect())?;
        }
    }
    for key in &more {
        if let Some(member) = map.get(key) {
            build(table, Some(key), member, indent + 1)?;
        }
    }
    Ok(())
}

/// A list of objects: one row each under the union of their scalar keys;
/// when they have nested members, each object gets its own section.
fn from_list_of_objects(table: &mut Table, items: &[Json], indent: usize, title: Option<&str>) -> Result<(), String> {
    let objects: Vec<&Map> = items
        .iter()
        .map(|item| match item {
            Json::Object(map) => Ok(map),
            other => Err(format!(
                "a list of objects holds {}, which is not one",
                python_str(other)
            )),
        })
        .collect::<Result<_, _>>()?;
    let (mut headers, mut more) = (BTreeSet::new(), BTreeSet::new());
    for object in &objects {
        let (scalars, others) = scalar_keys(object);
        headers.extend(scalars);
        more.extend(others);
    }
    let headers: Vec<String> = headers.into_iter().collect();
    table.add_row_header(headers.clone())?;
    for (i, object) in objects.iter().enumerate() {
        if i > 0 && !more.is_empty() {
            table.new_section(title, indent);
            table.add_row_header(headers.clone())?;
        }
        let row = headers
            .iter()
            .map(|key| object.get(key).map_or_else(String::new, python_str))
            .collect();
        table.add_row(row)?;
        for key in &more {
            if let Some(member) = object.get(key) {
                build(table, Some(key), member, indent + 1)?;
            }
        }
    }
    Ok(())
}

/// The keys of scalar members and of the others, each sorted.
fn scalar_keys(map: &Map) -> (Vec<String>, Vec<String>) {
    let (mut scalars, mut others) = (Vec::new(), Vec::new());
    for (key, value) in map {
        if is_scalar(value) {
            scalars.push(key.clone());
        } else {
            others.push(key.clone());
        }
    }
    scalars.sort();
    others.sort();
    (scalars, others)
}

/// Python's `str()`: a scalar as the text format prints it; a list or an
/// object (a key that is a scalar in one object and not in another) as its
/// `repr`.
fn python_str(value: &Json) -> String {
    value.py_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Look = Look {
        width: 80,
        style: Style::Plain,
        reset_at_exit: false,
    };

    fn table(json: &str, look: Look) -> String {
        render(&Json::parse(json).expect("json"), look).expect("a table")
    }

    fn operation(id: &str, status: &str, kind: &str, timestamp: &str) -> String {
        format!(
            r#"{{"FlowOperationId": "{id}", "FlowOperationType": "{kind}", "FlowRequestTimestamp": {timestamp}, "FlowOperationStatus": "{status}"}}"#
        )
    }

    // Expected texts are the AWS CLI v1's stdout (awscli 1.46.3, not a
    // terminal) against tests/interop/independent_server.py.

    #[test]
    fn a_list_of_operations_is_one_section_with_sorted_headers() {
        // aws ... --firewall-arn .../interop-small --output table
        let ops = [
            operation(
                "dd14142a-4f98-4c53-a9e0-b6707a3f1b76",
                "COMPLETED_WITH_ERRORS",
                "FLOW_FLUSH",
                "1733310000.75",
            ),
            operation(
                "d1272f68-c34c-474a-a6ff-acffe16ea474",
                "COMPLETED",
                "FLOW_CAPTURE",
                "1733300000.0",
            ),
            operation(
                "f80f817f-d6b4-412b-a7ef-1e3a304fedf0",
                "COMPLETED",
                "FLOW_FLUSH",
                "1733290000.123456",
            ),
            operation(
                "cd3f1550-5036-4cb9-aa95-a8029538b4e6",
                "COMPLETED",
                "FLOW_CAPTURE",
                "1733280000.1234567",
            ),
            operation(
                "d0e1ebfb-d0d7-49e5-a95b-a21bbcecf715",
                "IN_PROGRESS",
                "FLOW_FLUSH",
                "1733270000",
            ),
        ];
        let json = format!(r#"{{"FlowOperations": [{}]}}"#, ops.join(", "));
        assert_eq!(
            table(&json, PLAIN),
            "\
------------------------------------------------------------------------------------------------------------------
|                                               ListFlowOperations                                               |
+----------------------------------------------------------------------------------------------------------------+
||                                                FlowOperations                                                ||
|+---------------------------------------+------------------------+--------------------+------------------------+|
||            FlowOperationId            |  FlowOperationStatus   | FlowOperationType  | FlowRequestTimestamp   ||
|+---------------------------------------+------------------------+--------------------+------------------------+|
||  dd14142a-4f98-4c53-a9e0-b6707a3f1b76 |  COMPLETED_WITH_ERRORS |  FLOW_FLUSH        |  1733310000.75         ||
||  d1272f68-c34c-474a-a6ff-acffe16ea474 |  COMPLETED             |  FLOW_CAPTURE      |  1733300000.0          ||
||  f80f817f-d6b4-412b-a7ef-1e3a304fedf0 |  COMPLETED             |  FLOW_FLUSH        |  1733290000.123456     ||
||  cd3f1550-5036-4cb9-aa95-a8029538b4e6 |  COMPLETED             |  FLOW_CAPTURE      |  1733280000.1234567    ||
||  d0e1ebfb-d0d7-49e5-a95b-a21bbcecf715 |  IN_PROGRESS           |  FLOW_FLUSH        |  1733270000            ||
|+---------------------------------------+------------------------+--------------------+------------------------+|
"
        );
    }

    #[test]
    fn a_single_row_turns_vertical_when_wider_than_the_terminal() {
        // aws ... --firewall-arn .../interop-small --output table --max-items 1
        let json = format!(
            r#"{{"FlowOperations": [{}], "NextToken": "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}}"#,
            operation(
                "dd14142a-4f98-4c53-a9e0-b6707a3f1b76",
                "COMPLETED_WITH_ERRORS",
                "FLOW_FLUSH",
                "1733310000.75"
            )
        );
        let expected = "\
-----------------------------------------------------------------------------------
|                               ListFlowOperations                                |
+-----------+---------------------------------------------------------------------+
|  NextToken|  eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==   |
+-----------+---------------------------------------------------------------------+
||                                FlowOperations                                 ||
|+----------------------------+--------------------------------------------------+|
||  FlowOperationId           |  dd14142a-4f98-4c53-a9e0-b6707a3f1b76            ||
||  FlowOperationStatus       |  COMPLETED_WITH_ERRORS                           ||
||  FlowOperationType         |  FLOW_FLUSH                                      ||
||  FlowRequestTimestamp      |  1733310000.75                                   ||
|+----------------------------+--------------------------------------------------+|
";
        assert_eq!(table(&json, PLAIN), expected);
        // The same with --color on: colorama resets after every write.
        let colored = Look {
            style: Style::Colored,
            ..PLAIN
        };
        assert_eq!(
            table(&json, colored),
            "-----------------------------------------------------------------------------------\n\x1b[0m\x1b[0m|                               ListFlowOperations                                |\x1b[0m\x1b[0m\n\x1b[0m\x1b[0m+-----------+---------------------------------------------------------------------+\x1b[0m\x1b[0m\n\x1b[0m\x1b[0m|  \x1b[1m\x1b[34mNextToken\x1b[0m|  \x1b[1m\x1b[34meyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==\x1b[0m   |\x1b[0m\x1b[0m\n\x1b[0m\x1b[0m+-----------+---------------------------------------------------------------------+\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|                                FlowOperations                                 |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m+----------------------------+--------------------------------------------------+\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|  \x1b[1m\x1b[34mFlowOperationId\x1b[0m           |  \x1b[1m\x1b[34mdd14142a-4f98-4c53-a9e0-b6707a3f1b76\x1b[0m            |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|  \x1b[1m\x1b[34mFlowOperationStatus\x1b[0m       |  \x1b[1m\x1b[34mCOMPLETED_WITH_ERRORS\x1b[0m                           |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|  \x1b[1m\x1b[34mFlowOperationType\x1b[0m         |  \x1b[1m\x1b[34mFLOW_FLUSH\x1b[0m                                      |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m|  \x1b[1m\x1b[34mFlowRequestTimestamp\x1b[0m      |  \x1b[1m\x1b[34m1733310000.75\x1b[0m                                   |\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m+----------------------------+--------------------------------------------------+\x1b[0m\x1b[2m\x1b[33m|\x1b[0m\x1b[0m\n\x1b[0m"
        );
        // On a terminal 200 columns wide it stays horizontal (the AWS CLI
        // under a pseudo-terminal of 200 columns).
        assert_eq!(
            table(&json, Look { width: 200, ..PLAIN }),
            "\
------------------------------------------------------------------------------------------------------------------
|                                               ListFlowOperations                                               |
+----------------+-----------------------------------------------------------------------------------------------+
|  NextToken     |  eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==                             |
+----------------+-----------------------------------------------------------------------------------------------+
||                                                FlowOperations                                                ||
|+---------------------------------------+------------------------+--------------------+------------------------+|
||            FlowOperationId            |  FlowOperationStatus   | FlowOperationType  | FlowRequestTimestamp   ||
|+---------------------------------------+------------------------+--------------------+------------------------+|
||  dd14142a-4f98-4c53-a9e0-b6707a3f1b76 |  COMPLETED_WITH_ERRORS |  FLOW_FLUSH        |  1733310000.75         ||
|+---------------------------------------+------------------------+--------------------+------------------------+|
"
        );
    }

    #[test]
    fn an_empty_listing_is_the_title_box() {
        let expected = "--------------------\n|ListFlowOperations|\n+------------------+\n";
        assert_eq!(table(r#"{"FlowOperations": []}"#, PLAIN), expected);
        // --color on, and on a terminal colorama's exit handler adds a reset.
        let colored = Look {
            style: Style::Colored,
            reset_at_exit: true,
            ..PLAIN
        };
        assert_eq!(
            table(r#"{"FlowOperations": []}"#, colored),
            "--------------------\n\x1b[0m\x1b[0m|ListFlowOperations|\x1b[0m\x1b[0m\n\x1b[0m\x1b[0m+------------------+\x1b[0m\x1b[0m\n\x1b[0m\x1b[0m"
        );
    }

    #[test]
    fn query_results_show_as_awscli_shows_them() {
        // --query 'length(FlowOperations)', '`"x"`', '`true`': the title box only.
        let title_box = "--------------------\n|ListFlowOperations|\n+------------------+\n";
        assert_eq!(table("41", PLAIN), title_box);
        assert_eq!(table(r#""x""#, PLAIN), title_box);
        assert_eq!(table("true", PLAIN), title_box);
        // --query 'NoSuchKey', '`0`', an empty list: nothing at all.
        for falsy in ["null", "0", "false", r#""""#, "[]", "{}"] {
            assert_eq!(table(falsy, PLAIN), "", "{falsy}");
        }
        // --query 'FlowOperations[:3].[FlowOperationId, FlowOperationStatus]'
        assert_eq!(
            table(
                r#"[["0766cdbb-1cf8-4e02-a498-71573a371140", "COMPLETED"], ["26f74914-3436-4fdf-abf4-c39ef4dc4bf3", "IN_PROGRESS"], ["b27292b7-4446-4745-af6a-bcf57adc80e6", "FAILED"]]"#,
                PLAIN
            ),
            "\
---------------------------------------------------------
|                  ListFlowOperations                   |
+---------------------------------------+---------------+
|  0766cdbb-1cf8-4e02-a498-71573a371140 |  COMPLETED    |
|  26f74914-3436-4fdf-abf4-c39ef4dc4bf3 |  IN_PROGRESS  |
|  b27292b7-4446-4745-af6a-bcf57adc80e6 |  FAILED       |
+---------------------------------------+---------------+
"
        );
        // --max-items 3 --page-size 2 --query '{ids: FlowOperations[].FlowOperationId, next: NextToken}'
        assert_eq!(
            table(
                r#"{"ids": ["0766cdbb-1cf8-4e02-a498-71573a371140", "26f74914-3436-4fdf-abf4-c39ef4dc4bf3", "b27292b7-4446-4745-af6a-bcf57adc80e6"], "next": "eyJOZXh0VG9rZW4iOiAiTW53NVlqRTJOVGxrWTJObE1EWT0iLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}"#,
                PLAIN
            ),
            "\
------------------------------------------------------------------------------------------------------
|                                         ListFlowOperations                                         |
+------+---------------------------------------------------------------------------------------------+
|  next|  eyJOZXh0VG9rZW4iOiAiTW53NVlqRTJOVGxrWTJObE1EWT0iLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==   |
+------+---------------------------------------------------------------------------------------------+
||                                                ids                                               ||
|+--------------------------------------------------------------------------------------------------+|
||  0766cdbb-1cf8-4e02-a498-71573a371140                                                            ||
||  26f74914-3436-4fdf-abf4-c39ef4dc4bf3                                                            ||
||  b27292b7-4446-4745-af6a-bcf57adc80e6                                                            ||
|+--------------------------------------------------------------------------------------------------+|
"
        );
        // Rows of different lengths are the AWS CLI's ValueError.
        let mut t = Table::new(80);
        assert!(build(&mut t, Some(TITLE), &Json::parse("[[1, 2], [3]]").expect("json"), 0).is_err());
    }

    #[test]
    fn an_object_among_lists_is_a_row_of_its_keys_in_insertion_order() {
        // aws ... --output table --query '[[`"x"`, `"y"`], {zeta: FlowOperations[0].FlowOperationId, alpha: `1`}]'
        assert_eq!(
            table(r#"[["x", "y"], {"zeta": "0766cdbb", "alpha": 1}]"#, PLAIN),
            "\
--------------------
|ListFlowOperations|
+-------+----------+
|  x    |  y       |
|  zeta |  alpha   |
+-------+----------+
"
        );
    }

    #[test]
    fn python_str_of_values() {
        assert_eq!(python_str(&Json::parse(r#"null"#).expect("json")), "None");
        assert_eq!(python_str(&Json::parse(r#"true"#).expect("json")), "True");
        assert_eq!(python_str(&Json::parse(r#"1.5"#).expect("json")), "1.5");
        assert_eq!(python_str(&Json::parse(r#""it's""#).expect("json")), "it's");
        assert_eq!(
            python_str(&Json::parse(r#"[1, "a", "it's", null, {"k": false}]"#).expect("json")),
            r#"[1, 'a', "it's", None, {'k': False}]"#
        );
    }
}
