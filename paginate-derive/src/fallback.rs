//! What a failed derive emits besides its errors: an impl whose items all
//! diverge, so the only errors a user sees are the ones about their
//! attributes, not a cascade at the other struct's `response = X` or at every
//! use of the paginator (thiserror's `fallback.rs` does the same).

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::{DeriveInput, Path};

use crate::attr::{self, Errors};

/// `<crate>::__private`, for `#[paginated(crate = "...")]` or the default
/// `::paginate`, every token at `span`: the span an error in the code around
/// it is reported at.
pub(crate) fn private(krate: Option<&Path>, span: Span) -> TokenStream {
    let path = match krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::paginate::__private),
    };
    path.into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    // The errors were reported already; read what can still be read.
    let attrs = attr::struct_attrs(&input.attrs, &mut Errors::default());
    let private = private(attrs.krate.get(), Span::call_site());
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let unreachable = quote!(::core::unreachable!("#[derive(Paginated)] failed on this type"));
    if names_a_response(input) {
        let Some(response) = attrs.response.get() else {
            return TokenStream::new();
        };
        return quote! {
            #[automatically_derived]
            impl #impl_generics #private::PaginatedRequest for #ident #ty_generics #where_clause {
                type Response = #response;
                const INPUT_TOKENS: &'static [#private::TokenField] = &[];
                const LIMIT_KEY: ::core::option::Option<#private::LimitKey> = ::core::option::Option::None;
                const DERIVE_FAILED: ::core::primitive::bool = true;
                fn set_input_token(
                    &mut self,
                    _: ::core::primitive::usize,
                    _: &#private::TokenValue,
                ) -> ::core::result::Result<(), #private::JsonError> {
                    #unreachable
                }
                fn set_page_size(&mut self, _: ::core::primitive::u64) -> ::core::option::Option<()> {
                    #unreachable
                }
            }
        };
    }
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::PaginatedResponse for #ident #ty_generics #where_clause {
            type Item = ();
            const OUTPUT_TOKENS: &'static [#private::TokenField] = &[];
            const DERIVE_FAILED: ::core::primitive::bool = true;
            fn output_token(
                &self,
                _: ::core::primitive::usize,
            ) -> ::core::result::Result<#private::TokenValue, #private::JsonError> {
                #unreachable
            }
            fn more_results(&self) -> ::core::option::Option<::core::primitive::bool> {
                #unreachable
            }
            fn result_len(&self) -> ::core::primitive::usize {
                #unreachable
            }
            fn skip_results(&mut self, _: ::core::primitive::usize) {
                #unreachable
            }
            fn truncate_results(&mut self, _: ::core::primitive::usize) {
                #unreachable
            }
            fn clear_secondary_results(&mut self) {
                #unreachable
            }
            fn take_items(&mut self) -> #private::Vec<()> {
                #unreachable
            }
            fn merge_page(&mut self, _: Self) {
                #unreachable
            }
            fn empty_full_result() -> Self {
                #unreachable
            }
            fn into_full_result_base(self) -> Self {
                #unreachable
            }
        }
    }
}

/// True when a `#[paginated(...)]` on the struct mentions `response`, even
/// one that did not parse: the struct was meant as a request.
fn names_a_response(input: &DeriveInput) -> bool {
    input
        .attrs
        .iter()
        .filter(|a| *a.path() == crate::symbol::PAGINATED)
        .filter_map(|a| a.meta.require_list().ok())
        .any(|list| {
            list.tokens
                .clone()
                .into_iter()
                .any(|t| matches!(t, TokenTree::Ident(ident) if ident == crate::symbol::RESPONSE))
        })
}
