//! JMESPath as Python's `jmespath` (botocore's `search`) evaluates it, on
//! top of the jmespath crate:
//!
//! - `abs`, `ceil`, `floor` and `sum` type their numbers as Python does. The
//!   crate computes them in `f64`, so `sum` of the sizes `[1, 2]` is `3.0`
//!   and a sum past 2^53 is rounded; Python gives the integer `3` (and
//!   `ceil`/`floor` always give integers).
//! - `<`, `<=`, `>` and `>=` order strings as well as numbers
//!   (`Contents[?LastModified >= '2024-01-01']`, a common AWS CLI query):
//!   the crate gives `null` for anything but two numbers. A number against
//!   a string is an error, as Python raises `TypeError`; other values give
//!   `null`. Each comparison is rewritten into a call of a function of this
//!   runtime that compares as Python does.

use std::cmp::Ordering;
use std::sync::OnceLock;

use jmespath::ast::{Ast, Comparator, KeyValuePair};
use jmespath::functions::{AbsFn, CeilFn, FloorFn, Function, SumFn};
use jmespath::{Context, ErrorReason, Expression, JmespathError, Rcvar, Runtime, RuntimeError, SearchResult, Variable};
use serde_json::Number;

/// `expression` compiled for Python's semantics.
pub(crate) fn compile(expression: &str) -> Result<Expression<'static>, JmespathError> {
    let ast = jmespath::parse(expression)?;
    Ok(Expression::new(expression, python_comparisons(ast), runtime()))
}

/// The functions the ordering comparisons are rewritten into.
const ORDERINGS: [(&str, Comparator); 4] = [
    ("__paginate_lt", Comparator::LessThan),
    ("__paginate_le", Comparator::LessThanEqual),
    ("__paginate_gt", Comparator::GreaterThan),
    ("__paginate_ge", Comparator::GreaterThanEqual),
];

/// `ast` with every ordering comparison a call of its `ORDERINGS` function.
fn python_comparisons(ast: Ast) -> Ast {
    let boxed = |ast: Box<Ast>| Box::new(python_comparisons(*ast));
    match ast {
        Ast::Comparison {
            offset,
            comparator,
            lhs,
            rhs,
        } => match ORDERINGS.iter().find(|(_, c)| *c == comparator) {
            Some((name, _)) => Ast::Function {
                offset,
                name: (*name).to_owned(),
                args: vec![python_comparisons(*lhs), python_comparisons(*rhs)],
            },
            None => Ast::Comparison {
                offset,
                comparator,
                lhs: boxed(lhs),
                rhs: boxed(rhs),
            },
        },
        Ast::Condition {
            offset,
            predicate,
            then,
        } => Ast::Condition {
            offset,
            predicate: boxed(predicate),
            then: boxed(then),
        },
        Ast::Expref { offset, ast } => Ast::Expref {
            offset,
            ast: boxed(ast),
        },
        Ast::Flatten { offset, node } => Ast::Flatten {
            offset,
            node: boxed(node),
        },
        Ast::Function { offset, name, args } => Ast::Function {
            offset,
            name,
            args: args.into_iter().map(python_comparisons).collect(),
        },
        Ast::MultiList { offset, elements } => Ast::MultiList {
            offset,
            elements: elements.into_iter().map(python_comparisons).collect(),
        },
        Ast::MultiHash { offset, elements } => Ast::MultiHash {
            offset,
            elements: elements
                .into_iter()
                .map(|pair| KeyValuePair {
                    key: pair.key,
                    value: python_comparisons(pair.value),
                })
                .collect(),
        },
        Ast::Not { offset, node } => Ast::Not {
            offset,
            node: boxed(node),
        },
        Ast::Projection { offset, lhs, rhs } => Ast::Projection {
            offset,
            lhs: boxed(lhs),
            rhs: boxed(rhs),
        },
        Ast::ObjectValues { offset, node } => Ast::ObjectValues {
            offset,
            node: boxed(node),
        },
        Ast::And { offset, lhs, rhs } => Ast::And {
            offset,
            lhs: boxed(lhs),
            rhs: boxed(rhs),
        },
        Ast::Or { offset, lhs, rhs } => Ast::Or {
            offset,
            lhs: boxed(lhs),
            rhs: boxed(rhs),
        },
        Ast::Subexpr { offset, lhs, rhs } => Ast::Subexpr {
            offset,
            lhs: boxed(lhs),
            rhs: boxed(rhs),
        },
        leaf @ (Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. }) => leaf,
    }
}

/// Python's `jmespath` ordering: two numbers (not booleans) or two strings
/// compare; a number and a string raise; anything else is `null`.
fn python_order(comparator: &Comparator, args: &[Rcvar], ctx: &Context<'_>) -> SearchResult {
    let (Some(left), Some(right)) = (args.first(), args.get(1)) else {
        return Ok(Rcvar::new(Variable::Null));
    };
    let ordering = match (&**left, &**right) {
        // Integers exactly, as Python compares them; floats as floats.
        (Variable::Number(a), Variable::Number(b)) => match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
            (Some(a), Some(b), _, _) => Some(a.cmp(&b)),
            (_, _, Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b)),
        },
        (Variable::String(a), Variable::String(b)) => Some(a.cmp(b)),
        (Variable::Number(_), Variable::String(_)) | (Variable::String(_), Variable::Number(_)) => {
            let reason = ErrorReason::Runtime(RuntimeError::InvalidType {
                expected: left.get_type().to_string(),
                actual: right.get_type().to_string(),
                position: 1,
            });
            return Err(JmespathError::from_ctx(ctx, reason));
        }
        _ => None,
    };
    let holds = |ordering: Ordering| match comparator {
        Comparator::LessThan => ordering.is_lt(),
        Comparator::LessThanEqual => ordering.is_le(),
        Comparator::GreaterThan => ordering.is_gt(),
        _ => ordering.is_ge(),
    };
    Ok(Rcvar::new(
        ordering.map_or(Variable::Null, |o| Variable::Bool(holds(o))),
    ))
}

/// The runtime, built once.
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let mut runtime = Runtime::new();
        runtime.register_builtin_functions();
        let abs = AbsFn::new();
        runtime.register_function(
            "abs",
            Box::new(move |args: &[Rcvar], ctx: &mut Context<'_>| -> SearchResult {
                let found = abs.evaluate(args, ctx)?;
                Ok(match args.first().map(|arg| &**arg) {
                    Some(Variable::Number(n)) => integer_abs(n).map_or(found, number),
                    _ => found,
                })
            }),
        );
        let ceil = CeilFn::new();
        runtime.register_function(
            "ceil",
            Box::new(move |args: &[Rcvar], ctx: &mut Context<'_>| -> SearchResult {
                ceil.evaluate(args, ctx).map(integral)
            }),
        );
        let floor = FloorFn::new();
        runtime.register_function(
            "floor",
            Box::new(move |args: &[Rcvar], ctx: &mut Context<'_>| -> SearchResult {
                floor.evaluate(args, ctx).map(integral)
            }),
        );
        let sum = SumFn::new();
        runtime.register_function(
            "sum",
            Box::new(move |args: &[Rcvar], ctx: &mut Context<'_>| -> SearchResult {
                let found = sum.evaluate(args, ctx)?;
                Ok(match args.first().and_then(|arg| arg.as_array()) {
                    Some(items) => integer_sum(items).map_or(found, number),
                    None => found,
                })
            }),
        );
        for (name, comparator) in ORDERINGS {
            runtime.register_function(
                name,
                Box::new(move |args: &[Rcvar], ctx: &mut Context<'_>| -> SearchResult {
                    python_order(&comparator, args, ctx)
                }),
            );
        }
        runtime
    })
}

fn number(n: Number) -> Rcvar {
    Rcvar::new(Variable::Number(n))
}

/// `abs` of an integer, as an integer (Python's `abs(int)`).
fn integer_abs(n: &Number) -> Option<Number> {
    match (n.as_i64(), n.as_u64()) {
        (_, Some(u)) => Some(u.into()),
        (Some(i), None) => Some(i.unsigned_abs().into()),
        _ => None,
    }
}

/// The sum of a list of integers, as an integer (Python's `sum`), when it
/// fits `i64` or `u64`; `None` when an item is not an integer.
fn integer_sum(items: &[Rcvar]) -> Option<Number> {
    let mut total: i128 = 0;
    for item in items {
        let Variable::Number(n) = &**item else {
            return None;
        };
        let value = match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i128::from(i),
            (None, Some(u)) => i128::from(u),
            _ => return None,
        };
        total = total.checked_add(value)?;
    }
    match (i64::try_from(total), u64::try_from(total)) {
        (Ok(i), _) => Some(i.into()),
        (_, Ok(u)) => Some(u.into()),
        _ => None,
    }
}

/// A whole float as an integer (Python's `math.ceil` and `math.floor` give
/// `int`), where `i64` holds it.
fn integral(found: Rcvar) -> Rcvar {
    let whole = match &*found {
        Variable::Number(n) if n.is_f64() => n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18),
        _ => None,
    };
    match whole {
        // In range and whole: the cast is exact.
        Some(f) => number((f as i64).into()),
        None => found,
    }
}
