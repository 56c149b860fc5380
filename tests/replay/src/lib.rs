//! Replays botocore's recorded paginator runs through a model written with
//! `#[derive(Paginated)]`: the project's conformance harness
//! (`tests/conformance.rs`) and the botocore sweep (`tests/botocore`) share it.
//!
//! A vector passes only if the blocking and the async paths reproduce the
//! requests, pages, resume token, items, `search` results, full result and
//! error exactly. Listings run under `RepeatPolicy::RejectImmediateRepeat`,
//! botocore's own rule for repeated tokens: the vectors record botocore.

use std::cell::RefCell;
use std::fmt::Debug;
use std::rc::Rc;

use futures::executor::block_on;
use futures::StreamExt;
use paginate::{Error, ListingError, PaginatedRequest, PaginatedResponse, PaginationConfig, RepeatPolicy};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
pub struct Vector {
    pub name: String,
    /// The service, where the vector set names one (the botocore sweep).
    #[serde(default)]
    pub service: String,
    pub operation: String,
    paginator: Map<String, Value>,
    input: Value,
    config: Map<String, Value>,
    exchange: Vec<Exchange>,
    pages: Vec<Value>,
    resume_token: Option<String>,
    full_result: Option<Value>,
    error: Option<String>,
    /// botocore's `search(expression)` results, where recorded.
    #[serde(default)]
    search: Vec<SearchCase>,
}

#[derive(Debug, Deserialize)]
struct SearchCase {
    expression: String,
    results: Vec<Value>,
    error: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Exchange {
    request: Value,
    /// Kept as text: a map-valued token keeps the key order the service sent.
    response: Box<RawValue>,
}

/// What the scripted service saw go wrong.
#[derive(Debug, Clone, PartialEq)]
enum ScriptError {
    Extra(usize),
    Mismatch {
        call: usize,
        sent: Box<Value>,
        expected: Box<Value>,
    },
    Decode(String),
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScriptError::Extra(i) => write!(f, "call {i} is beyond the recorded exchange"),
            ScriptError::Mismatch { call, sent, expected } => {
                write!(f, "call {call} sent {sent} but botocore sent {expected}")
            }
            ScriptError::Decode(e) => write!(f, "recorded response does not decode: {e}"),
        }
    }
}

/// Serves `exchange` in order, checking each request.
#[derive(Clone)]
struct Script {
    exchange: Rc<Vec<Exchange>>,
    calls: Rc<RefCell<usize>>,
}

impl Script {
    fn new(exchange: &[Exchange]) -> Self {
        Script {
            exchange: Rc::new(exchange.to_vec()),
            calls: Rc::new(RefCell::new(0)),
        }
    }

    fn call<Req: Serialize, Resp: DeserializeOwned>(&self, request: &Req) -> Result<Resp, ScriptError> {
        let call = {
            let mut calls = self.calls.borrow_mut();
            *calls += 1;
            *calls - 1
        };
        let recorded = self.exchange.get(call).ok_or(ScriptError::Extra(call))?;
        let sent = normalize(serde_json::to_value(request).map_err(|e| ScriptError::Decode(e.to_string()))?);
        let expected = normalize(recorded.request.clone());
        if sent != expected {
            return Err(ScriptError::Mismatch {
                call,
                sent: Box::new(sent),
                expected: Box::new(expected),
            });
        }
        serde_json::from_str(recorded.response.get()).map_err(|e| ScriptError::Decode(e.to_string()))
    }

    /// A blocking client answering from this script.
    fn blocking<Req: PaginatedRequest + Serialize>(&self) -> impl FnMut(Req) -> Result<Req::Response, ScriptError>
    where
        Req::Response: DeserializeOwned,
    {
        let script = self.clone();
        move |req: Req| script.call::<Req, Req::Response>(&req)
    }

    /// An async client answering from this script.
    fn asynchronous<Req: PaginatedRequest + Serialize>(
        &self,
    ) -> impl FnMut(Req) -> std::future::Ready<Result<Req::Response, ScriptError>>
    where
        Req::Response: DeserializeOwned,
    {
        let script = self.clone();
        move |req: Req| std::future::ready(script.call::<Req, Req::Response>(&req))
    }

    fn calls(&self) -> usize {
        *self.calls.borrow()
    }
}

/// Null-valued keys count as absent; numbers compare by value.
fn normalize(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            Some(f) => Value::from(f),
            None => Value::Number(n),
        },
        other => other,
    }
}

fn config_of(vector: &Vector) -> Result<PaginationConfig, String> {
    let number = |key: &str| -> Result<Option<u64>, String> {
        match vector.config.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("config {key} = {v} is not a count")),
        }
    };
    let mut config = PaginationConfig::default();
    config.max_items = number("MaxItems")?;
    config.page_size = number("PageSize")?;
    config.starting_token = vector
        .config
        .get("StartingToken")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(config)
}

/// The model's paginator shape, as the vectors write it.
fn shape_of<Req: PaginatedRequest>() -> Value {
    let described = Req::describe();
    let one_or_list = |names: &[String]| match names {
        [one] => Value::from(one.as_str()),
        many => Value::from(many.to_vec()),
    };
    let mut shape = Map::new();
    shape.insert("input_token".into(), one_or_list(&described.input_tokens));
    shape.insert("output_token".into(), one_or_list(&described.output_tokens));
    if let Some(limit) = described.limit_key {
        shape.insert("limit_key".into(), Value::from(limit.name));
    }
    shape.insert("result_key".into(), one_or_list(&described.result_keys));
    if let Some(more) = described.more_results {
        shape.insert("more_results".into(), Value::from(more));
    }
    if !described.non_aggregate_keys.is_empty() {
        shape.insert("non_aggregate_keys".into(), Value::from(described.non_aggregate_keys));
    }
    Value::Object(shape)
}

fn sorted_shape(shape: &Map<String, Value>) -> Value {
    let mut shape = shape.clone();
    // botocore reads `"X"` and `["X"]` alike (devops-guru writes `"result_key": ["Costs"]`).
    for key in ["input_token", "output_token", "result_key"] {
        if let Some(Value::Array(one)) = shape.get(key) {
            if let [only] = one.as_slice() {
                let only = only.clone();
                shape.insert(key.into(), only);
            }
        }
    }
    if let Some(Value::Array(keys)) = shape.get_mut("non_aggregate_keys") {
        keys.sort_by_key(|k| k.to_string());
    }
    normalize(Value::Object(
        shape
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect(),
    ))
}

/// What one path produced.
#[derive(Debug, PartialEq)]
struct Outcome {
    pages: Vec<Value>,
    resume_token: Option<String>,
    error: Option<String>,
    calls: usize,
}

fn check_outcome(path: &str, vector: &Vector, got: &Outcome) -> Result<(), String> {
    let pages: Vec<Value> = vector.pages.iter().cloned().map(normalize).collect();
    if got.pages != pages {
        let first = got
            .pages
            .iter()
            .zip(&pages)
            .position(|(a, b)| a != b)
            .unwrap_or(got.pages.len().min(pages.len()));
        return Err(format!(
            "{path}: pages differ ({} yielded, {} expected; first difference at page {first}: got {} expected {})",
            got.pages.len(),
            pages.len(),
            got.pages.get(first).map_or("nothing".into(), Value::to_string),
            pages.get(first).map_or("nothing".into(), Value::to_string),
        ));
    }
    match (&vector.error, &got.error) {
        (None, Some(e)) => return Err(format!("{path}: failed with {e}")),
        (Some(expected), None) => return Err(format!("{path}: did not fail; botocore raised {expected}")),
        (Some(expected), Some(e)) if !same_error(expected, e) => {
            return Err(format!("{path}: failed with {e:?}; botocore raised {expected:?}"))
        }
        _ => {}
    }
    // After its TypeError botocore has no resume token; ours is the start of
    // the page it refused to cut (checked by tests/it/result_shapes.rs).
    if got.resume_token != vector.resume_token && !raised_type_error(vector) {
        return Err(format!(
            "{path}: resume token {:?}, botocore {:?}",
            got.resume_token, vector.resume_token
        ));
    }
    if got.calls != vector.exchange.len() {
        return Err(format!(
            "{path}: made {} calls, botocore made {}",
            got.calls,
            vector.exchange.len()
        ));
    }
    Ok(())
}

/// A listing as botocore runs it.
fn listing<C, Req: PaginatedRequest>(client: C, request: Req, config: PaginationConfig) -> paginate::Listing<C, Req> {
    paginate::Listing::new(
        client,
        request,
        config.with_repeat_policy(RepeatPolicy::RejectImmediateRepeat),
    )
}

fn page_json<T: Serialize>(page: &T) -> Value {
    normalize(serde_json::to_value(page).unwrap_or_else(|e| Value::String(format!("unserializable page: {e}"))))
}

/// What botocore's message for the error is: its text, but for the one
/// error botocore does not raise itself. Where MaxItems falls inside a map
/// result key, botocore slices the map and Python raises `TypeError`; we stop
/// with `ListingError::Uncuttable` at the same point.
fn error_text<E: std::fmt::Display>(error: Error<E>) -> String {
    match error {
        Error::Listing(ListingError::Uncuttable { .. }) => UNCUTTABLE.into(),
        error => error.to_string(),
    }
}

const UNCUTTABLE: &str = "TypeError";

fn same_error(botocore: &str, ours: &str) -> bool {
    botocore == ours || (ours == UNCUTTABLE && botocore.starts_with("TypeError: "))
}

fn raised_type_error(vector: &Vector) -> bool {
    vector.error.as_deref().is_some_and(|e| e.starts_with("TypeError: "))
}

fn run_blocking<Req>(vector: &Vector, request: Req, config: PaginationConfig) -> Outcome
where
    Req: PaginatedRequest + Serialize,
    Req::Response: Serialize + DeserializeOwned,
{
    let script = Script::new(&vector.exchange);
    let client = script.blocking::<Req>();
    let mut pages = listing(client, request, config).pages();
    let mut outcome = Outcome {
        pages: Vec::new(),
        resume_token: None,
        error: None,
        calls: 0,
    };
    for page in pages.by_ref() {
        match page {
            Ok(page) => outcome.pages.push(page_json(&page)),
            Err(e) => {
                outcome.error = Some(error_text(e));
                break;
            }
        }
    }
    outcome.resume_token = pages.resume_token();
    outcome.calls = script.calls();
    outcome
}

fn run_async<Req>(vector: &Vector, request: Req, config: PaginationConfig) -> Outcome
where
    Req: PaginatedRequest + Serialize,
    Req::Response: Serialize + DeserializeOwned,
{
    let script = Script::new(&vector.exchange);
    let client = script.asynchronous::<Req>();
    block_on(async {
        let pages = listing(client, request, config).page_stream();
        let mut pages = std::pin::pin!(pages);
        let mut outcome = Outcome {
            pages: Vec::new(),
            resume_token: None,
            error: None,
            calls: 0,
        };
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => outcome.pages.push(page_json(&page)),
                Err(e) => {
                    outcome.error = Some(error_text(e));
                    break;
                }
            }
        }
        outcome.resume_token = pages.resume_token();
        outcome.calls = script.calls();
        outcome
    })
}

/// Items of the primary result key, through both item paths, must be the
/// pages' items in order, and end at the same resume token.
fn check_items<Req>(vector: &Vector, request: &Req, config: &PaginationConfig) -> Result<(), String>
where
    Req: PaginatedRequest + Serialize,
    Req::Response: Serialize + DeserializeOwned,
    <Req::Response as PaginatedResponse>::Item: Serialize,
{
    let described = Req::describe();
    // The primary result key, a path such as `DistributionList.Items` for nested ones.
    let key = &described.result_keys[0];
    let at_path = |page: &Value| key.split('.').try_fold(page, |v, step| v.get(step)).cloned();
    // A list's elements, a string's characters, a map's [key, value] entries.
    let items_of = |value: Option<Value>| match value {
        Some(Value::Array(items)) => items,
        Some(Value::String(text)) => text.chars().map(|c| Value::String(c.into())).collect(),
        Some(Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| Value::Array(vec![Value::String(k), v]))
            .collect(),
        _ => Vec::new(),
    };
    let expected: Vec<Value> = vector
        .pages
        .iter()
        .flat_map(|p| items_of(at_path(p)))
        .map(normalize)
        .collect();
    let script = Script::new(&vector.exchange);
    let client = script.blocking::<Req>();
    let mut items = listing(client, request.clone(), config.clone()).items();
    let got: Vec<Value> = items.by_ref().map_while(Result::ok).map(|i| page_json(&i)).collect();
    if got != expected {
        return Err(format!(
            "blocking items: {} items, expected {}",
            got.len(),
            expected.len()
        ));
    }
    if vector.error.is_none() && items.resume_token() != vector.resume_token {
        return Err(format!(
            "blocking items: resume token {:?}, botocore {:?}",
            items.resume_token(),
            vector.resume_token
        ));
    }
    let script = Script::new(&vector.exchange);
    let client = script.asynchronous::<Req>();
    let (got, token) = block_on(async {
        let items = listing(client, request.clone(), config.clone()).page_stream().items();
        let mut items = std::pin::pin!(items);
        let mut got = Vec::new();
        while let Some(Ok(item)) = items.next().await {
            got.push(page_json(&item));
        }
        (got, items.resume_token())
    });
    if got != expected {
        return Err(format!("async items: {} items, expected {}", got.len(), expected.len()));
    }
    if vector.error.is_none() && token != vector.resume_token {
        return Err(format!(
            "async items: resume token {token:?}, botocore {:?}",
            vector.resume_token
        ));
    }
    Ok(())
}

fn check_full_result<Req>(vector: &Vector, request: &Req, config: &PaginationConfig) -> Result<(), String>
where
    Req: PaginatedRequest + Serialize,
    Req::Response: Serialize + DeserializeOwned,
{
    let expected = vector.full_result.clone().map(normalize);
    let script = Script::new(&vector.exchange);
    let client = script.blocking::<Req>();
    let blocking = listing(client, request.clone(), config.clone()).full_result();
    let script = Script::new(&vector.exchange);
    let client = script.asynchronous::<Req>();
    let asynchronous = block_on(listing(client, request.clone(), config.clone()).full_result_async());
    for (path, result) in [("blocking full result", blocking), ("async full result", asynchronous)] {
        let got = result.as_ref().ok().map(page_json);
        if got != expected {
            return Err(format!(
                "{path}: got {}, botocore {}",
                match &result {
                    Ok(_) => got.map_or("nothing".into(), |g| g.to_string()),
                    Err(e) => format!("error: {e}"),
                },
                expected.as_ref().map_or("an error".into(), Value::to_string)
            ));
        }
    }
    Ok(())
}

/// Replays one vector through `Req`'s model: the paginator config, both
/// paths' requests, pages, resume token, items, `search` results and full result.
pub fn replay<Req>(vector: &Vector) -> Result<(), String>
where
    Req: PaginatedRequest + Serialize + DeserializeOwned + Debug,
    Req::Response: Serialize + DeserializeOwned,
    <Req::Response as PaginatedResponse>::Item: Serialize,
{
    let model = shape_of::<Req>();
    if sorted_shape(model.as_object().ok_or("model shape")?) != sorted_shape(&vector.paginator) {
        return Err(format!(
            "paginator config {:?} differs from the model's {model}",
            vector.paginator
        ));
    }
    let request: Req = serde_json::from_value(vector.input.clone()).map_err(|e| format!("input: {e}"))?;
    let config = config_of(vector)?;
    let blocking = run_blocking(vector, request.clone(), config.clone());
    check_outcome("blocking", vector, &blocking)?;
    let asynchronous = run_async(vector, request.clone(), config.clone());
    check_outcome("async", vector, &asynchronous)?;
    check_items(vector, &request, &config)?;
    check_search(vector, &request, &config)?;
    check_full_result(vector, &request, &config)
}

/// `search(expression)`, blocking and async, yields botocore's results.
fn check_search<Req>(vector: &Vector, request: &Req, config: &PaginationConfig) -> Result<(), String>
where
    Req: PaginatedRequest + Serialize,
    Req::Response: Serialize + DeserializeOwned,
{
    for case in &vector.search {
        let expected: Vec<Value> = case.results.iter().cloned().map(normalize).collect();
        let script = Script::new(&vector.exchange);
        let blocking = listing(script.blocking::<Req>(), request.clone(), config.clone())
            .search(&case.expression)
            .map_err(|e| e.to_string())?;
        let (mut got, mut error) = (Vec::new(), None);
        for found in blocking {
            match found {
                Ok(v) => got.push(normalize(v)),
                Err(e) => {
                    error = Some(error_text(e));
                    break;
                }
            }
        }
        let script = Script::new(&vector.exchange);
        let stream = listing(script.asynchronous::<Req>(), request.clone(), config.clone())
            .search_stream(&case.expression)
            .map_err(|e| e.to_string())?;
        let (got_async, error_async) = futures::executor::block_on(async {
            use futures::StreamExt;
            let mut stream = stream;
            let (mut got, mut error) = (Vec::new(), None);
            while let Some(found) = stream.next().await {
                match found {
                    Ok(v) => got.push(normalize(v)),
                    Err(e) => {
                        error = Some(error_text(e));
                        break;
                    }
                }
            }
            (got, error)
        });
        for (path, got, error) in [("blocking", &got, &error), ("async", &got_async, &error_async)] {
            if *got != expected || *error != case.error {
                return Err(format!(
                    "{path} search {:?}: {got:?} {error:?}, botocore {expected:?} {:?}",
                    case.expression, case.error
                ));
            }
        }
    }
    Ok(())
}
