//! Code generation. Generated code names only `<crate>::__private::*` (the
//! `paginate` crate, or the path given with `#[paginated(crate = "...")]`)
//! and absolute `::core` paths (primitives too: `::core::primitive::usize`),
//! so user items called `Result`, `Option`, `Ok`, `Some`, `Vec` or `str`
//! cannot change its meaning.

mod full_result;
mod nested;
mod request;
mod response;
mod results;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::Input;
use crate::attr::Errors;
use crate::{fallback, valid};

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    match try_derive(input) {
        Ok(tokens) => tokens,
        Err(error) => {
            let error = error.into_compile_error();
            let stub = fallback::expand(input);
            quote!(#error #stub)
        }
    }
}

fn try_derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let input = Input::from_syn(input, &mut errors)?;
    // Cross-field rules over attributes that did not parse would only echo the mistake.
    if errors.is_empty() {
        valid::check(&input, &mut errors);
    }
    errors.finish()?;
    Ok(if input.attrs.nested.is_set() {
        nested::nested(&input)
    } else if input.is_request() {
        request::request(&input)
    } else {
        response::response(&input)
    })
}
