//! The JMESPath runtime `search` compiles with: the jmespath crate's
//! functions, except that `abs`, `ceil`, `floor` and `sum` type their numbers
//! as Python's `jmespath` (botocore's) does. The crate computes them in `f64`,
//! so `sum` of the sizes `[1, 2]` is `3.0` and a sum past 2^53 is rounded;
//! Python gives the integer `3` (and `ceil`/`floor` always give integers).

use std::sync::OnceLock;

use jmespath::functions::{AbsFn, CeilFn, FloorFn, Function, SumFn};
use jmespath::{Context, Rcvar, Runtime, SearchResult, Variable};
use serde_json::Number;

/// The runtime, built once.
pub(crate) fn runtime() -> &'static Runtime {
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
