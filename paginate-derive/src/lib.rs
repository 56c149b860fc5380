//! `#[derive(Paginated)]` for the [`paginate`](https://docs.rs/paginate) framework.
//!
//! Use it through the `paginate` crate, which re-exports it; its
//! documentation lists the attributes.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod attr;
mod expand;
mod fallback;
mod path;
mod role;
mod symbol;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Implemented by the `paginate-derive` crate: use it through
/// [`paginate`](https://docs.rs/paginate), which re-exports it and documents
/// every attribute of `#[derive(Paginated)]` with an example.
#[proc_macro_derive(Paginated, attributes(paginated))]
pub fn derive_paginated(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
