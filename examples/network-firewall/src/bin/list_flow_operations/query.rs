//! `--query`: the AWS CLI's client-side JMESPath over the result, and the
//! result printed as `json.dumps(result, indent=4, ensure_ascii=False)`.
//!
//! The `jmespath` crate parses the expression; `eval.rs` evaluates it as the
//! AWS CLI's Python `jmespath` does (dicts in insertion order, `int` apart
//! from `float`).
//!
//! A deep expression would overflow the stack of a recursive parser and
//! evaluator: an expression whose nesting (see [`nesting`]) passes
//! [`MAX_NESTING`] is refused before it is parsed, as the AWS CLI refuses one
//! past Python's recursion limit, and parsing and evaluating run on a thread
//! whose stack holds the deepest expression accepted.

use std::collections::HashMap;

use jmespath::ast::Ast;

use crate::eval::Program;
use crate::value::Json;

/// The deepest nesting accepted. Python's recursion limit stops the AWS CLI
/// at about half of this (248 `[]` projections, 496 parentheses).
pub const MAX_NESTING: usize = 1000;

/// The longest expression accepted: Linux's limit of one command-line argument.
pub const MAX_LENGTH: usize = 128 * 1024;

/// The stack of the thread that parses and evaluates an expression: the
/// deepest expression accepted takes up to 32 MiB in a debug build.
const STACK: usize = 256 * 1024 * 1024;

/// A compiled `--query`.
pub struct Query {
    ast: Ast,
    /// The literals' values by offset, read from the text with their key order.
    literals: HashMap<usize, Json>,
}

impl Query {
    /// Compiles `expression`; a bad one is bad input.
    pub fn compile(expression: &str) -> Result<Self, String> {
        let bad = |reason: &str| format!("bad value for --query {expression:?}: {reason}");
        if expression.len() > MAX_LENGTH {
            return Err(format!(
                "bad value for --query: the expression is longer than {MAX_LENGTH} bytes"
            ));
        }
        if nesting(expression) > MAX_NESTING {
            return Err(format!(
                "bad value for --query: maximum recursion depth exceeded (the expression nests deeper than {MAX_NESTING} levels)"
            ));
        }
        let parsed = on_big_stack(|| {
            jmespath::parse(expression).map_err(|e| {
                let reason = e.to_string();
                reason.lines().next().unwrap_or_default().to_owned()
            })
        })
        .map_err(|e| bad(&e))?
        .map_err(|e| bad(&e))?;
        let literals = literals(&parsed, expression);
        Ok(Query { ast: parsed, literals })
    }

    /// Applies the query to a value.
    pub fn search(&self, value: &Json) -> Result<Json, String> {
        let program = Program {
            ast: &self.ast,
            literals: &self.literals,
        };
        on_big_stack(|| program.search(value))?.map_err(|e| {
            // One line, whatever the values quoted in the message hold.
            format!("--query failed: {}", e.replace('\n', "\\n").replace('\r', "\\r"))
        })
    }

    /// Applies the query to the document `json` and gives what the AWS CLI
    /// prints: nothing for an empty object, else the result and a newline.
    pub fn apply(&self, json: &str) -> Result<String, String> {
        let data = Json::parse(json).map_err(|e| format!("cannot read the result: {e}"))?;
        let found = self.search(&data)?;
        on_big_stack(|| json_output(&found))
    }
}

/// The AWS CLI's JSON output of a result: `json.dumps(indent=4)` and a
/// newline, or nothing for `{}` (its `JSONFormatter` skips a response equal
/// to `{}`).
pub fn json_output(value: &Json) -> String {
    if matches!(value, Json::Object(map) if map.is_empty()) {
        return String::new();
    }
    let mut out = value.dumps_indented();
    out.push('\n');
    out
}

impl Drop for Query {
    fn drop(&mut self) {
        dismantle(std::mem::replace(&mut self.ast, Ast::Identity { offset: 0 }));
    }
}

/// Runs `work` on a thread with a stack deep enough for any expression
/// accepted; a thread that cannot be started or that panics is an error.
fn on_big_stack<T: Send>(work: impl FnOnce() -> T + Send) -> Result<T, String> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("query".into())
            .stack_size(STACK)
            .spawn_scoped(scope, work)
            .map_err(|e| format!("cannot start the --query thread: {e}"))?;
        handle.join().map_err(|_| "the --query evaluation failed".to_owned())
    })
}

/// An upper bound of how deeply the parser and the evaluator recurse for
/// `expression`, from its text alone: each token that may open a level (a
/// bracket, parenthesis or brace, `!`, `&`, `*`, `|`, a comparison) counts
/// one for each character; a bracketed group adds its deepest comma-separated
/// part to the part it is in. Quoted names and literals are skipped. A chain
/// of `.` does not count: it nests to the left and is walked in a loop.
pub fn nesting(expression: &str) -> usize {
    #[derive(Default)]
    struct Group {
        /// Counted tokens in the current comma-separated part.
        part: usize,
        /// The deepest group closed inside the current part.
        deepest_inner: usize,
        /// The deepest part finished so far.
        deepest_part: usize,
    }
    impl Group {
        fn depth(&self) -> usize {
            self.deepest_part.max(self.part + self.deepest_inner)
        }
    }
    let mut groups = vec![Group::default()];
    let mut chars = expression.chars().peekable();
    while let Some(c) = chars.next() {
        let open = groups.len();
        let Some(top) = groups.last_mut() else { break };
        match c {
            '\'' | '"' | '`' => {
                while let Some(inner) = chars.next() {
                    if inner == '\\' {
                        chars.next();
                    } else if inner == c {
                        break;
                    }
                }
            }
            '[' | '(' | '{' => {
                top.part += 1;
                if c == '[' && chars.peek() == Some(&']') {
                    chars.next(); // `[]`, a flatten: nothing inside
                } else {
                    groups.push(Group::default());
                }
            }
            ']' | ')' | '}' if open > 1 => {
                if let Some(closed) = groups.pop() {
                    if let Some(outer) = groups.last_mut() {
                        outer.deepest_inner = outer.deepest_inner.max(closed.depth());
                    }
                }
            }
            ',' => {
                top.deepest_part = top.depth();
                top.part = 0;
                top.deepest_inner = 0;
            }
            '!' | '&' | '*' | '|' | '<' | '>' | '=' => top.part += 1,
            _ => {}
        }
    }
    // Groups left open still nest (the parser goes down before it fails).
    while groups.len() > 1 {
        if let Some(closed) = groups.pop() {
            if let Some(outer) = groups.last_mut() {
                outer.deepest_inner = outer.deepest_inner.max(closed.depth());
            }
        }
    }
    groups.last().map_or(0, Group::depth)
}

/// The children of a node.
fn children(ast: &Ast) -> Vec<&Ast> {
    match ast {
        Ast::Comparison { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => vec![&**lhs, &**rhs],
        Ast::Condition { predicate, then, .. } => vec![&**predicate, &**then],
        Ast::Expref { ast, .. } => vec![&**ast],
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => vec![&**node],
        Ast::Function { args, .. } => args.iter().collect(),
        Ast::MultiList { elements, .. } => elements.iter().collect(),
        Ast::MultiHash { elements, .. } => elements.iter().map(|pair| &pair.value).collect(),
        Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } | Ast::Slice { .. } => {
            Vec::new()
        }
    }
}

/// The value of each JSON literal (`` `...` ``) of the expression, read again
/// from its text so that objects keep their key order (the crate's are sorted).
fn literals(ast: &Ast, expression: &str) -> HashMap<usize, Json> {
    let mut found = HashMap::new();
    let mut pending = vec![ast];
    while let Some(node) = pending.pop() {
        if let Ast::Literal { offset, .. } = node {
            if let Some(value) = expression.get(*offset..).and_then(literal_at) {
                found.insert(*offset, value);
            }
        }
        pending.extend(children(node));
    }
    found
}

/// The JSON literal that `text` starts with, read as the crate's lexer reads
/// it (a backslash keeps the character after it; `` \` `` is a backtick).
fn literal_at(text: &str) -> Option<Json> {
    let mut chars = text.strip_prefix('`')?.chars();
    let mut inside = String::new();
    loop {
        match chars.next()? {
            '`' => break,
            '\\' => {
                inside.push('\\');
                inside.push(chars.next()?);
            }
            c => inside.push(c),
        }
    }
    Json::parse(&inside.replace("\\`", "`")).ok()
}

/// Takes `ast` apart without recursion: a long `a.b.c...` chain nests as
/// deep as it is long, and the derived drop would recurse that deep.
fn dismantle(ast: Ast) {
    let mut pending = vec![ast];
    while let Some(node) = pending.pop() {
        match node {
            Ast::Comparison { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. }
            | Ast::Projection { lhs, rhs, .. }
            | Ast::Subexpr { lhs, rhs, .. } => pending.extend([*lhs, *rhs]),
            Ast::Condition { predicate, then, .. } => pending.extend([*predicate, *then]),
            Ast::Expref { ast, .. } => pending.push(*ast),
            Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => pending.push(*node),
            Ast::Function { args, .. } => pending.extend(args),
            Ast::MultiList { elements, .. } => pending.extend(elements),
            Ast::MultiHash { elements, .. } => pending.extend(elements.into_iter().map(|pair| pair.value)),
            Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } | Ast::Slice { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"FlowOperations": [{"FlowOperationId": "a", "FlowOperationType": "FLOW_FLUSH", "FlowRequestTimestamp": 1733337353.759, "FlowOperationStatus": "COMPLETED"},
                      {"FlowOperationId": "b", "FlowRequestTimestamp": 1733337354, "FlowOperationStatus": "FAILED"}], "NextToken": "t"}"#;

    fn run(q: &str) -> String {
        Query::compile(q).expect("valid").apply(DOC).expect("applies")
    }

    fn fails(q: &str) -> String {
        Query::compile(q).expect("valid").apply(DOC).expect_err("fails")
    }

    #[test]
    fn prints_like_python_json_dumps_indent_4() {
        assert_eq!(run("FlowOperations[].FlowOperationId"), "[\n    \"a\",\n    \"b\"\n]\n");
        assert_eq!(run("length(FlowOperations)"), "2\n");
        assert_eq!(
            run("FlowOperations[?FlowOperationStatus=='FAILED'] | [0]"),
            "{\n    \"FlowOperationId\": \"b\",\n    \"FlowRequestTimestamp\": 1733337354,\n    \
             \"FlowOperationStatus\": \"FAILED\"\n}\n"
        );
        assert_eq!(run("nothing"), "null\n");
        assert_eq!(run("FlowOperations[?FlowOperationId=='z']"), "[]\n");
        assert!(Query::compile("FlowOperations[").is_err());
    }

    #[test]
    fn multi_select_hashes_keep_the_expression_order() {
        assert_eq!(
            run("FlowOperations[0].{Status: FlowOperationStatus, Id: FlowOperationId, A: `1`}"),
            "{\n    \"Status\": \"COMPLETED\",\n    \"Id\": \"a\",\n    \"A\": 1\n}\n"
        );
        assert_eq!(
            run("keys(FlowOperations[1])"),
            "[\n    \"FlowOperationId\",\n    \"FlowRequestTimestamp\",\n    \"FlowOperationStatus\"\n]\n"
        );
        assert_eq!(
            run("FlowOperations[1].*"),
            "[\n    \"b\",\n    1733337354,\n    \"FAILED\"\n]\n"
        );
        assert_eq!(run("`{\"z\": 1, \"a\": 2}`"), "{\n    \"z\": 1,\n    \"a\": 2\n}\n");
        assert_eq!(
            run("merge(`{\"z\": 1, \"a\": 2}`, {y: `3`, z: `4`})"),
            "{\n    \"z\": 4,\n    \"a\": 2,\n    \"y\": 3\n}\n"
        );
        assert_eq!(
            run("to_string({b: `1`, a: 'é'})"),
            "\"{\\\"b\\\":1,\\\"a\\\":\\\"\\\\u00e9\\\"}\"\n"
        );
    }

    #[test]
    fn numbers_keep_python_int_and_float() {
        // Expected texts are the AWS CLI v1's output (Python's jmespath 1.1.0).
        let cases = [
            ("abs(`-3`)", "3"),
            ("abs(`-3.5`)", "3.5"),
            ("abs(`-3.0`)", "3.0"),
            ("floor(FlowOperations[0].FlowRequestTimestamp)", "1733337353"),
            ("ceil(FlowOperations[0].FlowRequestTimestamp)", "1733337354"),
            ("ceil(`2`)", "2"),
            ("floor(`1e-7`)", "0"),
            ("sum(`[1, 2, 3]`)", "6"),
            ("sum(`[1, 2.5]`)", "3.5"),
            ("sum(`[]`)", "0"),
            ("avg(`[1, 2]`)", "1.5"),
            ("avg(`[2, 2]`)", "2.0"),
            ("avg(`[]`)", "null"),
            ("max(`[1, 3.0, 3]`)", "3.0"),
            ("min(`[2, 1, 1.0]`)", "1"),
            ("length('héllo')", "5"),
            ("to_number('3')", "3"),
            ("to_number('3.5')", "3.5"),
            ("to_number(' 1_000 ')", "1000"),
            (
                "abs(to_number('-170141183460469231731687303715884105728'))",
                "1.7014118346046923e+38",
            ),
            ("to_number('1e3')", "1000.0"),
            ("to_number('x')", "null"),
            ("to_number(`true`)", "null"),
            ("`1e-7`", "1e-07"),
            ("`1.5e16`", "1.5e+16"),
            ("sort(`[3, 1.5, 2]`)", "[\n    1.5,\n    2,\n    3\n]"),
            ("`1` == `1.0`", "true"),
            ("`1` == `true`", "false"),
            ("`[1]` == `[true]`", "true"),
            ("!`0`", "false"),
            ("!`[]`", "true"),
            ("`2` < `2.5`", "true"),
            ("`true` < `1`", "null"),
            ("contains(`[true]`, `1`)", "true"),
            ("`[0, 1, 2, 3, 4, 5]`[::-2]", "[\n    5,\n    3,\n    1\n]"),
            ("`[0, 1, 2, 3, 4, 5]`[-2:]", "[\n    4,\n    5\n]"),
            ("`[0, 1, 2]`[5:0:-1]", "[\n    2,\n    1\n]"),
            ("type(`1.0`)", "\"number\""),
            (
                "sort_by(FlowOperations, &FlowRequestTimestamp)[].FlowOperationId",
                "[\n    \"a\",\n    \"b\"\n]",
            ),
            ("max_by(FlowOperations, &FlowRequestTimestamp).FlowOperationId", "\"b\""),
            (
                "map(&FlowOperationType, FlowOperations)",
                "[\n    \"FLOW_FLUSH\",\n    null\n]",
            ),
            ("not_null(`null`, FlowOperations[1].FlowOperationType, `2`)", "2"),
            ("join(', ', FlowOperations[].FlowOperationId)", "\"a, b\""),
        ];
        for (query, printed) in cases {
            assert_eq!(run(query), format!("{printed}\n"), "{query}");
        }
    }

    #[test]
    fn empty_results_print_as_the_aws_cli_prints_them() {
        assert_eq!(run("`{}`"), "");
        assert_eq!(run("`[]`"), "[]\n");
        assert_eq!(run("FlowOperations[1].FlowOperationType"), "null\n");
        assert_eq!(run("{a: nothing}"), "{\n    \"a\": null\n}\n");
    }

    #[test]
    fn runtime_errors_read_as_python_jmespath_errors() {
        assert_eq!(
            fails("abs(`\"x\"`)"),
            "--query failed: In function abs(), invalid type for value: x, expected one of: ['number'], received: \"string\""
        );
        assert!(fails("nosuch(@)").ends_with("Unknown function: nosuch()"));
        assert!(fails("abs(`1`, `2`)").ends_with("Expected 1 argument for function abs(), received 2"));
        assert!(fails("merge()").ends_with("Expected at least 1 argument for function merge(), received 0"));
        assert!(fails("sum(`[1, \"a\"]`)").ends_with(
            "In function sum(), invalid type for value: a, expected one of: ['array-number'], received: \"str\""
        ));
        // Expected texts are Python jmespath 1.1.0's errors.
        assert!(fails("`1` < 'a'").ends_with("'<' not supported between instances of 'int' and 'str'"));
        let mixed = "`[{\"a\": 1}, {\"a\": \"x\"}]`";
        assert!(
            fails(&format!("max_by({mixed}, &a)")).ends_with("'>' not supported between instances of 'str' and 'int'")
        );
        assert!(
            fails(&format!("min_by({mixed}, &a)")).ends_with("'<' not supported between instances of 'str' and 'int'")
        );
        assert!(fails(&format!("sort_by({mixed}, &a)")).ends_with(
            "In function sort_by(), invalid type for value: x, expected one of: ['number'], received: \"string\""
        ));
        assert!(fails("merge(`{}`, `5`)").ends_with("'int' object is not iterable"));
        for message in [fails("abs('a\nb')"), fails("`[1]`[::0]")] {
            assert_eq!(message.lines().count(), 1, "{message}");
        }
    }

    #[test]
    fn nesting_bounds_every_shape_that_recurses() {
        assert_eq!(nesting("FlowOperations[].FlowOperationId"), 1);
        assert_eq!(nesting("a.b.c.d.e"), 0);
        assert_eq!(nesting("[a, b, c, d]"), 1);
        assert_eq!(nesting("{a: !b, c: !d, e: !f}"), 2);
        assert_eq!(nesting("((((a))))"), 4);
        assert_eq!(nesting("a[?b[?c]]"), 2);
        assert_eq!(nesting("'((((' || `\"[[[[\"`"), 2);
        assert_eq!(nesting("(((("), 4);
        assert_eq!(nesting(&format!("a{}", "[]".repeat(16_000))), 16_000);
        assert_eq!(nesting(&"!".repeat(60_000)), 60_000);
    }

    #[test]
    fn deep_expressions_are_refused_and_the_deepest_accepted_runs() {
        let deep = [
            format!("FlowOperations{}", "[]".repeat(16_000)),
            format!("{}a{}", "(".repeat(20_000), ")".repeat(20_000)),
            format!("{}a", "!".repeat(60_000)),
            format!("a{}{}", "[?b".repeat(8_000), "]".repeat(8_000)),
            "(".repeat(100_000),
        ];
        for expression in &deep {
            let message = Query::compile(expression).err().expect("refused");
            assert!(message.contains("recursion"), "{message}");
        }
        let n = MAX_NESTING;
        let deepest = [
            format!("FlowOperations{}", "[]".repeat(n)),
            format!("{}FlowOperations{}", "(".repeat(n), ")".repeat(n)),
            format!("{}FlowOperations", "!".repeat(n)),
            format!("FlowOperations{}{}", "[?b".repeat(n), "]".repeat(n)),
            format!("{}FlowOperations{}", "{a: ".repeat(n), "}".repeat(n)),
            format!("{}FlowOperations{}", "[".repeat(n), "]".repeat(n)),
            format!("{}FlowOperations{}", "length(".repeat(n), ")".repeat(n)),
            format!("FlowOperations{}", " || a".repeat(n / 2)),
            format!("FlowOperations{}", " == a".repeat(n / 2)),
            format!("FlowOperations{}", " | a".repeat(n)),
            format!("FlowOperations{}", ".a".repeat(MAX_LENGTH / 2 - 10)),
        ];
        for expression in &deepest {
            assert!(nesting(expression) <= n, "{}", &expression[..40]);
            let query = Query::compile(expression).expect("accepted");
            let _ = query.apply(DOC);
        }
        // A long chain that fails to parse is dropped inside the parser.
        assert!(Query::compile(&format!("a{}]", ".b".repeat(MAX_LENGTH / 2 - 10))).is_err());
    }
}
