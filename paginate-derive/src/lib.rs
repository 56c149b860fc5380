//! `#[derive(Paginated)]` for the [`paginate`](https://docs.rs/paginate) framework.
//!
//! Use it through the `paginate` crate, which re-exports it; its
//! documentation lists the attributes.

#![warn(missing_docs)]

mod ast;
mod attr;
mod expand;
mod fallback;
mod path;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `PaginatedRequest` (on a struct with `#[paginated(response = T)]`)
/// or `PaginatedResponse` (on its response struct).
#[proc_macro_derive(Paginated, attributes(paginated))]
pub fn derive_paginated(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
