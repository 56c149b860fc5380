//! Evaluates a parsed JMESPath expression as the AWS CLI does (Python's
//! `jmespath` package, `TreeInterpreter` and its functions): dicts keep
//! their insertion order (a multi-select hash its expression's order),
//! numbers keep Python's `int` apart from `float` (`abs`, `floor`, `ceil`,
//! `sum` of integers, `length` and `to_number('3')` are `int`s), comparisons
//! and truth follow Python's rules, and a runtime error reads as Python's.
//!
//! The expression is parsed by the `jmespath` crate (its `Ast`); only the
//! evaluation is here, because the crate's values are sorted maps and `f64`s.

use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};

use indexmap::IndexMap;
use jmespath::ast::{Ast, Comparator};

use crate::value::Json;

/// A parsed expression and the values of its literals, read again from the
/// expression's text so that their objects keep their key order.
pub struct Program<'a> {
    pub ast: &'a Ast,
    pub literals: &'a HashMap<usize, Json>,
}

type Result<T> = std::result::Result<T, String>;

impl Program<'_> {
    pub fn search(&self, data: &Json) -> Result<Json> {
        self.eval(self.ast, data)
    }

    fn eval(&self, ast: &Ast, data: &Json) -> Result<Json> {
        match ast {
            Ast::Subexpr { .. } => {
                // `a.b.c` nests to the left: walk the chain without recursion.
                let mut steps = Vec::new();
                let mut node = ast;
                while let Ast::Subexpr { lhs, rhs, .. } = node {
                    steps.push(&**rhs);
                    node = lhs;
                }
                let mut value = self.eval(node, data)?;
                for step in steps.into_iter().rev() {
                    value = self.eval(step, &value)?;
                }
                Ok(value)
            }
            Ast::Identity { .. } => Ok(data.clone()),
            Ast::Field { name, .. } => Ok(match data {
                Json::Object(map) => map.get(name).cloned().unwrap_or(Json::Null),
                _ => Json::Null,
            }),
            Ast::Index { idx, .. } => Ok(match data {
                Json::Array(items) => {
                    let len = items.len() as i64;
                    let i = i64::from(*idx);
                    let i = if i < 0 { i + len } else { i };
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned()
                        .unwrap_or(Json::Null)
                }
                _ => Json::Null,
            }),
            Ast::Slice { start, stop, step, .. } => match data {
                Json::Array(items) => slice(items, *start, *stop, *step).map(Json::Array),
                _ => Ok(Json::Null),
            },
            Ast::Literal { value, offset } => Ok(match self.literals.get(offset) {
                Some(literal) => literal.clone(),
                None => from_variable(value),
            }),
            Ast::MultiList { elements, .. } => {
                if *data == Json::Null {
                    return Ok(Json::Null);
                }
                let items = elements.iter().map(|e| self.eval(e, data)).collect::<Result<_>>()?;
                Ok(Json::Array(items))
            }
            Ast::MultiHash { elements, .. } => {
                if *data == Json::Null {
                    return Ok(Json::Null);
                }
                let mut map = IndexMap::new();
                for pair in elements {
                    let value = self.eval(&pair.value, data)?;
                    map.insert(pair.key.clone(), value);
                }
                Ok(Json::Object(map))
            }
            Ast::Not { node, .. } => {
                let value = self.eval(node, data)?;
                Ok(Json::Bool(match value {
                    // `!0` is false: 0 is not false in JMESPath.
                    Json::Int(_) | Json::Float(_) => false,
                    other => !other.py_bool(),
                }))
            }
            Ast::Projection { lhs, rhs, .. } => match self.eval(lhs, data)? {
                Json::Array(items) => {
                    let mut collected = Vec::new();
                    for item in &items {
                        let value = self.eval(rhs, item)?;
                        if value != Json::Null {
                            collected.push(value);
                        }
                    }
                    Ok(Json::Array(collected))
                }
                _ => Ok(Json::Null),
            },
            Ast::ObjectValues { node, .. } => Ok(match self.eval(node, data)? {
                Json::Object(map) => Json::Array(map.into_values().collect()),
                _ => Json::Null,
            }),
            Ast::Flatten { node, .. } => Ok(match self.eval(node, data)? {
                Json::Array(items) => {
                    let mut merged = Vec::with_capacity(items.len());
                    for item in items {
                        match item {
                            Json::Array(inner) => merged.extend(inner),
                            other => merged.push(other),
                        }
                    }
                    Json::Array(merged)
                }
                _ => Json::Null,
            }),
            Ast::Condition { predicate, then, .. } => {
                if is_true(&self.eval(predicate, data)?) {
                    self.eval(then, data)
                } else {
                    Ok(Json::Null)
                }
            }
            Ast::Comparison {
                comparator, lhs, rhs, ..
            } => {
                let left = self.eval(lhs, data)?;
                let right = self.eval(rhs, data)?;
                compare(comparator, &left, &right)
            }
            Ast::And { lhs, rhs, .. } => {
                let left = self.eval(lhs, data)?;
                if is_true(&left) {
                    self.eval(rhs, data)
                } else {
                    Ok(left)
                }
            }
            Ast::Or { lhs, rhs, .. } => {
                let left = self.eval(lhs, data)?;
                if is_true(&left) {
                    Ok(left)
                } else {
                    self.eval(rhs, data)
                }
            }
            Ast::Function { name, args, .. } => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(match arg {
                        Ast::Expref { ast, .. } => Arg::Expref(ast),
                        other => Arg::Value(self.eval(other, data)?),
                    });
                }
                self.call(name, values)
            }
            Ast::Expref { .. } => Err("an expression reference (&expr) is only a function's argument".into()),
        }
    }

    fn call(&self, name: &str, args: Vec<Arg<'_>>) -> Result<Json> {
        let Some(signature) = signature(name) else {
            return Err(format!("Unknown function: {name}()"));
        };
        check_arguments(name, &args, signature)?;
        let mut args: VecDeque<Arg<'_>> = args.into();
        let value = |arg: Arg<'_>| match arg {
            Arg::Value(v) => v,
            Arg::Expref(_) => Json::Null,
        };
        Ok(match name {
            "abs" => match value(pop(&mut args)) {
                Json::Int(n) => n.checked_abs().map_or(Json::Float((n as f64).abs()), Json::Int),
                Json::Float(f) => Json::Float(f.abs()),
                other => other,
            },
            "avg" => {
                let items = array(value(pop(&mut args)));
                if items.is_empty() {
                    Json::Null
                } else {
                    let len = items.len() as f64;
                    match python_sum(&items)? {
                        Json::Int(n) => Json::Float(n as f64 / len),
                        Json::Float(f) => Json::Float(f / len),
                        other => other,
                    }
                }
            }
            "ceil" => integral(value(pop(&mut args)), f64::ceil)?,
            "floor" => integral(value(pop(&mut args)), f64::floor)?,
            "contains" => {
                let subject = value(pop(&mut args));
                let search = value(pop(&mut args));
                match (&subject, &search) {
                    (Json::Str(s), Json::Str(needle)) => Json::Bool(s.contains(needle.as_str())),
                    (Json::Str(_), other) => {
                        return Err(format!(
                            "'in <string>' requires string as left operand, not {}",
                            python_type(other)
                        ))
                    }
                    (Json::Array(items), _) => Json::Bool(items.iter().any(|i| python_eq(i, &search))),
                    _ => Json::Bool(false),
                }
            }
            "ends_with" | "starts_with" => {
                let (subject, affix) = (value(pop(&mut args)), value(pop(&mut args)));
                match (subject, affix) {
                    (Json::Str(s), Json::Str(a)) if name == "ends_with" => Json::Bool(s.ends_with(&a)),
                    (Json::Str(s), Json::Str(a)) => Json::Bool(s.starts_with(&a)),
                    _ => Json::Bool(false),
                }
            }
            "join" => {
                let separator = match value(pop(&mut args)) {
                    Json::Str(s) => s,
                    _ => String::new(),
                };
                let parts: Vec<String> = array(value(pop(&mut args))).into_iter().map(|p| p.py_str()).collect();
                Json::Str(parts.join(&separator))
            }
            "keys" => match value(pop(&mut args)) {
                Json::Object(map) => Json::Array(map.into_keys().map(Json::Str).collect()),
                _ => Json::Null,
            },
            "values" => match value(pop(&mut args)) {
                Json::Object(map) => Json::Array(map.into_values().collect()),
                _ => Json::Null,
            },
            "length" => Json::Int(match value(pop(&mut args)) {
                Json::Str(s) => s.chars().count() as i128,
                Json::Array(items) => items.len() as i128,
                Json::Object(map) => map.len() as i128,
                _ => 0,
            }),
            "map" => {
                let Arg::Expref(expression) = pop(&mut args) else {
                    return Ok(Json::Null);
                };
                let items = array(value(pop(&mut args)));
                let mapped = items
                    .iter()
                    .map(|item| self.eval(expression, item))
                    .collect::<Result<_>>()?;
                Json::Array(mapped)
            }
            "max" | "min" => {
                let items = array(value(pop(&mut args)));
                let wanted = if name == "max" {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                let mut best: Option<Json> = None;
                for item in items {
                    best = match best {
                        None => Some(item),
                        Some(current) => {
                            if python_order(&item, &current, symbol(wanted))? == wanted {
                                Some(item)
                            } else {
                                Some(current)
                            }
                        }
                    };
                }
                best.unwrap_or(Json::Null)
            }
            "max_by" | "min_by" => {
                let items = array(value(pop(&mut args)));
                let Arg::Expref(expression) = pop(&mut args) else {
                    return Ok(Json::Null);
                };
                let wanted = if name == "max_by" {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                let mut best: Option<(Json, Json)> = None;
                for item in items {
                    let key = self.eval(expression, &item)?;
                    if !matches!(key, Json::Int(_) | Json::Float(_) | Json::Str(_)) {
                        return Err(type_error(name, &key, jmespath_type(&key), &["number", "string"]));
                    }
                    best = match best {
                        None => Some((key, item)),
                        Some((best_key, best_item)) => {
                            if python_order(&key, &best_key, symbol(wanted))? == wanted {
                                Some((key, item))
                            } else {
                                Some((best_key, best_item))
                            }
                        }
                    };
                }
                best.map_or(Json::Null, |(_, item)| item)
            }
            "merge" => {
                // dict.update: a key already there keeps its place.
                let mut merged = IndexMap::new();
                for arg in args.drain(..) {
                    match arg {
                        Arg::Value(Json::Object(map)) => merged.extend(map),
                        // Only the first argument's type is checked; dict.update fails on the others.
                        Arg::Value(other) => {
                            return Err(format!("'{}' object is not iterable", python_type(&other)));
                        }
                        Arg::Expref(_) => return Err("'_Expression' object is not iterable".into()),
                    }
                }
                Json::Object(merged)
            }
            "not_null" => args
                .into_iter()
                .find_map(|arg| match arg {
                    Arg::Value(Json::Null) => None,
                    Arg::Value(v) => Some(v),
                    Arg::Expref(_) => Some(Json::Null),
                })
                .unwrap_or(Json::Null),
            "reverse" => match value(pop(&mut args)) {
                Json::Str(s) => Json::Str(s.chars().rev().collect()),
                Json::Array(mut items) => {
                    items.reverse();
                    Json::Array(items)
                }
                other => other,
            },
            "sort" => {
                let mut items = array(value(pop(&mut args)));
                let mut failure = None;
                items.sort_by(|a, b| {
                    python_order(a, b, "<").unwrap_or_else(|e| {
                        failure.get_or_insert(e);
                        Ordering::Equal
                    })
                });
                if let Some(e) = failure {
                    return Err(e);
                }
                Json::Array(items)
            }
            "sort_by" => {
                let items = array(value(pop(&mut args)));
                let Arg::Expref(expression) = pop(&mut args) else {
                    return Ok(Json::Null);
                };
                let Some(first) = items.first() else {
                    return Ok(Json::Array(items));
                };
                let required = jmespath_type(&self.eval(expression, first)?);
                if required != "number" && required != "string" {
                    return Err(type_error(name, first, required, &["string", "number"]));
                }
                let mut keyed = Vec::with_capacity(items.len());
                for item in items {
                    let key = self.eval(expression, &item)?;
                    let actual = jmespath_type(&key);
                    if actual != required {
                        return Err(type_error(name, &key, actual, &[required]));
                    }
                    keyed.push((key, item));
                }
                let mut failure = None;
                keyed.sort_by(|a, b| {
                    python_order(&a.0, &b.0, "<").unwrap_or_else(|e| {
                        failure.get_or_insert(e);
                        Ordering::Equal
                    })
                });
                if let Some(e) = failure {
                    return Err(e);
                }
                Json::Array(keyed.into_iter().map(|(_, item)| item).collect())
            }
            "sum" => python_sum(&array(value(pop(&mut args))))?,
            "to_array" => match value(pop(&mut args)) {
                Json::Array(items) => Json::Array(items),
                other => Json::Array(vec![other]),
            },
            "to_number" => match value(pop(&mut args)) {
                n @ (Json::Int(_) | Json::Float(_)) => n,
                Json::Str(s) => to_number(&s),
                _ => Json::Null,
            },
            "to_string" => match value(pop(&mut args)) {
                Json::Str(s) => Json::Str(s),
                other => Json::Str(other.dumps_compact_ascii()),
            },
            "type" => Json::Str(jmespath_type(&value(pop(&mut args))).to_owned()),
            _ => return Err(format!("Unknown function: {name}()")),
        })
    }
}

fn pop<'a>(args: &mut VecDeque<Arg<'a>>) -> Arg<'a> {
    args.pop_front().unwrap_or(Arg::Value(Json::Null))
}

/// A function's argument: a value, or an expression reference (`&expr`).
enum Arg<'a> {
    Value(Json),
    Expref(&'a Ast),
}

/// A function's parameters, as Python's `@signature`s: the types each takes
/// (`""` any), the last one variadic when marked.
struct Param {
    types: &'static [&'static str],
    variadic: bool,
}

macro_rules! p {
    ($types:expr) => {
        Param {
            types: $types,
            variadic: false,
        }
    };
}

macro_rules! variadic {
    ($types:expr) => {
        Param {
            types: $types,
            variadic: true,
        }
    };
}

fn signature(name: &str) -> Option<&'static [Param]> {
    const ANY: &[&str] = &[];
    Some(match name {
        "abs" | "ceil" | "floor" => &[p!(&["number"])],
        "avg" | "sum" => &[p!(&["array-number"])],
        "not_null" => &[variadic!(ANY)],
        "to_array" | "to_string" | "to_number" | "type" => &[p!(ANY)],
        "contains" => &[p!(&["array", "string"]), p!(ANY)],
        "length" => &[p!(&["string", "array", "object"])],
        "ends_with" | "starts_with" => &[p!(&["string"]), p!(&["string"])],
        "reverse" => &[p!(&["array", "string"])],
        "join" => &[p!(&["string"]), p!(&["array-string"])],
        "map" => &[p!(&["expref"]), p!(&["array"])],
        "max" | "min" => &[p!(&["array-number", "array-string"])],
        "sort" => &[p!(&["array-string", "array-number"])],
        "merge" => &[variadic!(&["object"])],
        "keys" | "values" => &[p!(&["object"])],
        "sort_by" | "min_by" | "max_by" => &[p!(&["array"]), p!(&["expref"])],
        _ => return None,
    })
}

/// Python's type name of a value, as `type(value).__name__`.
fn python_type_of(arg: &Arg<'_>) -> &'static str {
    match arg {
        Arg::Expref(_) => "_Expression",
        Arg::Value(v) => python_type(v),
    }
}

/// Python's type name of a value (`type(value).__name__`).
pub fn python_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "NoneType",
        Json::Bool(_) => "bool",
        Json::Int(_) => "int",
        Json::Float(_) => "float",
        Json::Str(_) => "str",
        Json::Array(_) => "list",
        Json::Object(_) => "dict",
    }
}

/// JMESPath's name of a Python type (`TYPES_MAP`).
fn jmespath_type_name(python: &str) -> &'static str {
    match python {
        "bool" => "boolean",
        "list" => "array",
        "dict" => "object",
        "NoneType" => "null",
        "str" => "string",
        "float" | "int" => "number",
        "_Expression" => "expref",
        _ => "unknown",
    }
}

fn jmespath_type(value: &Json) -> &'static str {
    jmespath_type_name(python_type(value))
}

/// The Python types of a JMESPath type (`REVERSE_TYPES_MAP`).
fn python_types(jmespath: &str) -> &'static [&'static str] {
    match jmespath {
        "boolean" => &["bool"],
        "array" => &["list"],
        "object" => &["dict"],
        "null" => &["NoneType"],
        "string" => &["str"],
        "number" => &["float", "int"],
        "expref" => &["_Expression"],
        _ => &[],
    }
}

fn type_error(function: &str, value: &Json, actual: &str, expected: &[&str]) -> String {
    let expected: Vec<String> = expected.iter().map(|t| format!("'{t}'")).collect();
    format!(
        "In function {function}(), invalid type for value: {}, expected one of: [{}], received: \"{actual}\"",
        value.py_str(),
        expected.join(", ")
    )
}

/// `Functions._validate_arguments`: the arity, then each argument's type
/// (and an array's elements' types).
fn check_arguments(name: &str, args: &[Arg<'_>], signature: &[Param]) -> Result<()> {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    let expected = signature.len();
    if signature.last().is_some_and(|p| p.variadic) {
        if args.len() < expected {
            return Err(format!(
                "Expected at least {expected} {} for function {name}(), received {}",
                plural(expected),
                args.len()
            ));
        }
    } else if args.len() != expected {
        return Err(format!(
            "Expected {expected} {} for function {name}(), received {}",
            plural(expected),
            args.len()
        ));
    }
    for (arg, param) in args.iter().zip(signature) {
        if param.types.is_empty() {
            continue;
        }
        let shown = |arg: &Arg<'_>| match arg {
            Arg::Value(v) => v.py_str(),
            Arg::Expref(_) => "<jmespath.visitor._Expression object>".to_owned(),
        };
        let mut allowed: Vec<&str> = Vec::new();
        let mut subtypes: Vec<&[&str]> = Vec::new();
        for t in param.types {
            match t.split_once('-') {
                Some((outer, inner)) => {
                    allowed.extend(python_types(outer));
                    subtypes.push(python_types(inner));
                }
                None => allowed.extend(python_types(t)),
            }
        }
        let actual = python_type_of(arg);
        if !allowed.contains(&actual) {
            return Err(format!(
                "In function {name}(), invalid type for value: {}, expected one of: [{}], received: \"{}\"",
                shown(arg),
                param
                    .types
                    .iter()
                    .map(|t| format!("'{t}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
                jmespath_type_name(actual)
            ));
        }
        let Arg::Value(Json::Array(items)) = arg else {
            continue;
        };
        let element_error = |element: &Json, actual: &str| {
            format!(
                "In function {name}(), invalid type for value: {}, expected one of: [{}], received: \"{actual}\"",
                element.py_str(),
                param
                    .types
                    .iter()
                    .map(|t| format!("'{t}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        match subtypes.as_slice() {
            [] => {}
            [only] => {
                for element in items {
                    if !only.contains(&python_type(element)) {
                        return Err(element_error(element, python_type(element)));
                    }
                }
            }
            several => {
                let Some(first) = items.first() else { continue };
                let first_type = python_type(first);
                let Some(chosen) = several.iter().find(|s| s.contains(&first_type)) else {
                    return Err(element_error(first, first_type));
                };
                for element in items {
                    if !chosen.contains(&python_type(element)) {
                        return Err(element_error(element, python_type(element)));
                    }
                }
            }
        }
    }
    Ok(())
}

fn array(value: Json) -> Vec<Json> {
    match value {
        Json::Array(items) => items,
        _ => Vec::new(),
    }
}

/// `math.floor` / `math.ceil`: an `int` (a float past 128 bits stays a float).
fn integral(value: Json, round: fn(f64) -> f64) -> Result<Json> {
    match value {
        Json::Float(f) if f.is_nan() => Err("cannot convert float NaN to integer".into()),
        Json::Float(f) if f.is_infinite() => Err("cannot convert float infinity to integer".into()),
        Json::Float(f) => {
            let rounded = round(f);
            if rounded.abs() < 1.0e38 {
                Ok(Json::Int(rounded as i128))
            } else {
                Ok(Json::Float(rounded))
            }
        }
        other => Ok(other),
    }
}

/// Python's `sum(numbers)`: from the `int` 0, an `int` while every term is one.
fn python_sum(items: &[Json]) -> Result<Json> {
    let mut total = Json::Int(0);
    for item in items {
        total = match (total, item) {
            (Json::Int(a), Json::Int(b)) => match a.checked_add(*b) {
                Some(n) => Json::Int(n),
                None => Json::Float(a as f64 + *b as f64),
            },
            (Json::Int(a), Json::Float(b)) => Json::Float(a as f64 + b),
            (Json::Float(a), Json::Int(b)) => Json::Float(a + *b as f64),
            (Json::Float(a), Json::Float(b)) => Json::Float(a + b),
            (_, other) => {
                return Err(format!(
                    "unsupported operand type(s) for +: 'int' and '{}'",
                    python_type(other)
                ))
            }
        };
    }
    Ok(total)
}

/// `to_number` of a string: `int(s)`, else `float(s)`, else null.
fn to_number(text: &str) -> Json {
    let trimmed = text.trim();
    let digits = without_underscores(trimmed);
    if let Some(digits) = &digits {
        let body = digits.strip_prefix(['+', '-']).unwrap_or(digits);
        if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = digits.parse::<i128>() {
                return Json::Int(n);
            }
        }
        let body = body.to_ascii_lowercase();
        let named = matches!(body.as_str(), "inf" | "infinity" | "nan");
        let numeric = !body.is_empty()
            && body
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'+' || b == b'-');
        if named || numeric {
            if let Ok(f) = digits.parse::<f64>() {
                return Json::Float(f);
            }
        }
    }
    Json::Null
}

/// Python's numeric literals allow one `_` between two digits.
fn without_underscores(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '_' {
            let before = i
                .checked_sub(1)
                .and_then(|j| bytes.get(j))
                .is_some_and(u8::is_ascii_digit);
            let after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(before && after) {
                return None;
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Python's slicing of a list, `items[start:stop:step]`.
fn slice(items: &[Json], start: Option<i32>, stop: Option<i32>, step: i32) -> Result<Vec<Json>> {
    if step == 0 {
        return Err("slice step cannot be zero".into());
    }
    let len = items.len() as i64;
    let step = i64::from(step);
    let adjust = |index: Option<i32>, default_forward: i64, default_backward: i64| -> i64 {
        match index.map(i64::from) {
            None if step < 0 => default_backward,
            None => default_forward,
            Some(i) if i < 0 => {
                let i = i + len;
                if i < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    i
                }
            }
            Some(i) if i >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(i) => i,
        }
    };
    let start = adjust(start, 0, len - 1);
    let stop = adjust(stop, len, -1);
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Some(item) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
            out.push(item.clone());
        }
        i += step;
    }
    Ok(out)
}

/// JMESPath's truth (`TreeInterpreter._is_true`): false for `''`, `[]`,
/// `{}`, null and false (and, through Python's `==`, for `0`... never: a
/// number is only equal to `False` when it is a bool).
fn is_true(value: &Json) -> bool {
    !matches!(value, Json::Null | Json::Bool(false))
        && !matches!(value, Json::Str(s) if s.is_empty())
        && !matches!(value, Json::Array(a) if a.is_empty())
        && !matches!(value, Json::Object(o) if o.is_empty())
}

/// A number as Python compares it: bools are the ints 0 and 1.
enum Num {
    Int(i128),
    Float(f64),
}

fn number(value: &Json, bools: bool) -> Option<Num> {
    match value {
        Json::Int(n) => Some(Num::Int(*n)),
        Json::Float(f) => Some(Num::Float(*f)),
        Json::Bool(b) if bools => Some(Num::Int(i128::from(*b))),
        _ => None,
    }
}

/// Python's exact comparison of two numbers (`None` with a NaN).
fn compare_numbers(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Int(x), Num::Float(y)) => compare_int_float(*x, *y),
        (Num::Float(x), Num::Int(y)) => compare_int_float(*y, *x).map(Ordering::reverse),
    }
}

fn compare_int_float(int: i128, float: f64) -> Option<Ordering> {
    if float.is_nan() {
        return None;
    }
    if float >= 1.0e38 {
        return Some(Ordering::Less);
    }
    if float <= -1.0e38 {
        return Some(Ordering::Greater);
    }
    let whole = float.trunc();
    let by_whole = int.cmp(&(whole as i128));
    if by_whole != Ordering::Equal {
        return Some(by_whole);
    }
    0.0f64.partial_cmp(&(float - whole))
}

/// Python's `==` between two JSON values (1 == 1.0, and inside a list or a
/// dict True == 1).
fn python_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Null, Json::Null) => true,
        (Json::Str(x), Json::Str(y)) => x == y,
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| python_eq(p, q)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| python_eq(v, w)))
        }
        _ => match (number(a, true), number(b, true)) {
            (Some(x), Some(y)) => compare_numbers(&x, &y) == Some(Ordering::Equal),
            _ => false,
        },
    }
}

/// The comparators: `==` and `!=` any values (a number is never equal to a
/// bool at the top level), the orderings numbers or strings only (null
/// otherwise; a number against a string is Python's `TypeError`).
fn compare(comparator: &Comparator, left: &Json, right: &Json) -> Result<Json> {
    let special = |x: &Json, y: &Json| matches!(x, Json::Int(_) | Json::Float(_)) && matches!(y, Json::Bool(_));
    let equal = || !(special(left, right) || special(right, left)) && python_eq(left, right);
    let (symbol, wanted): (&str, &[Ordering]) = match comparator {
        Comparator::Equal => return Ok(Json::Bool(equal())),
        Comparator::NotEqual => return Ok(Json::Bool(!equal())),
        Comparator::LessThan => ("<", &[Ordering::Less]),
        Comparator::LessThanEqual => ("<=", &[Ordering::Less, Ordering::Equal]),
        Comparator::GreaterThan => (">", &[Ordering::Greater]),
        Comparator::GreaterThanEqual => (">=", &[Ordering::Greater, Ordering::Equal]),
    };
    let comparable = |v: &Json| matches!(v, Json::Int(_) | Json::Float(_) | Json::Str(_));
    if !comparable(left) || !comparable(right) {
        return Ok(Json::Null);
    }
    let order = match (left, right) {
        (Json::Str(a), Json::Str(b)) => Some(a.cmp(b)),
        (Json::Str(_), _) | (_, Json::Str(_)) => {
            return Err(format!(
                "'{symbol}' not supported between instances of '{}' and '{}'",
                python_type(left),
                python_type(right)
            ))
        }
        _ => match (number(left, false), number(right, false)) {
            (Some(a), Some(b)) => compare_numbers(&a, &b),
            _ => None,
        },
    };
    Ok(Json::Bool(order.is_some_and(|o| wanted.contains(&o))))
}

/// The operator Python's `max` (`>`) or `min` (`<`) compares with.
fn symbol(wanted: Ordering) -> &'static str {
    if wanted == Ordering::Greater {
        ">"
    } else {
        "<"
    }
}

/// Python's ordering of two numbers or two strings (`sorted`, `max`, `min`,
/// comparing with `symbol`); a number against a string is Python's
/// `TypeError`. NaN compares as equal, so that it keeps its place, as with
/// Python's `<`.
fn python_order(a: &Json, b: &Json, symbol: &str) -> Result<Ordering> {
    match (a, b) {
        (Json::Str(x), Json::Str(y)) => Ok(x.cmp(y)),
        _ => match (number(a, false), number(b, false)) {
            (Some(x), Some(y)) => Ok(compare_numbers(&x, &y).unwrap_or(Ordering::Equal)),
            _ => Err(format!(
                "'{symbol}' not supported between instances of '{}' and '{}'",
                python_type(a),
                python_type(b)
            )),
        },
    }
}

/// A literal as the `jmespath` crate holds it (objects sorted): used only
/// when the literal's text cannot be read again.
pub fn from_variable(value: &jmespath::Variable) -> Json {
    use jmespath::Variable;
    match value {
        Variable::Null | Variable::Expref(_) => Json::Null,
        Variable::Bool(b) => Json::Bool(*b),
        Variable::String(s) => Json::Str(s.clone()),
        Variable::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Json::Int(i128::from(i)),
            (None, Some(u)) => Json::Int(i128::from(u)),
            _ => Json::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Variable::Array(items) => Json::Array(items.iter().map(|i| from_variable(i)).collect()),
        Variable::Object(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), from_variable(v))).collect()),
    }
}
