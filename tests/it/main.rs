//! The library's behaviour tests, one binary for all of them (the
//! conformance replay, with its own harness, is `tests/conformance.rs`).

mod support;

mod attribute_combinations;
mod backward;
mod catalogue;
#[cfg(feature = "checkpoint")]
mod checkpoint;
mod computed_token;
mod errors;
mod exactly_once;
mod expiry;
mod fanout;
mod full_result;
mod fuzz;
mod hygiene;
mod keyword_fields;
mod last_page;
#[cfg(feature = "link")]
mod link_header;
mod offset;
mod parallel;
mod request_cursor;
mod request_paths;
mod result_shapes;
mod resume;
mod resume_resized;
#[cfg(feature = "search")]
mod search;
mod token_types;
mod tracing;
mod ui;
mod wire_names;
