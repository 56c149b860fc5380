//! The full result's base (botocore's `build_full_result` starts from it):
//! the result and non-aggregate keys of the first page, every other field at
//! its default; and the empty full result of a listing without pages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::response::{PathKey, Response};
use crate::ast::Field;
use crate::attr::PathKind;

/// `empty_full_result` and `into_full_result_base`.
pub(super) fn full_result(keys: &Response) -> TokenStream {
    let (input, private) = (keys.input, &keys.private);
    let default = |f: &Field| {
        let field = f.ident;
        let private = input.private_at(f.ty.span());
        quote_spanned!(f.ty.span()=> #field: #private::Default::default())
    };
    let path_results = keys.path_results();
    let kept_paths: Vec<&PathKey> = path_results
        .iter()
        .chain(keys.path_non_aggregates().iter())
        .copied()
        .collect();
    let (src, base_) = (quote!(__paginate_src), quote!(__paginate_base));
    // A result key only when the page has a value there: botocore skips an
    // absent one and builds no struct for it. A non-aggregate key always:
    // botocore's `set_value_from_jmespath` sets it, absent or not, and builds
    // the structs above it.
    let take_paths = kept_paths.iter().enumerate().map(|(i, k)| {
        let var = format_ident!("__paginate_kept_{}", i);
        let from = k.path().read_mut(&src, private);
        match k.role.kind {
            PathKind::ResultKey { .. } => quote!(let #var = #from
                .filter(|__paginate_v| !#private::ResultKey::is_absent(&**__paginate_v))
                .map(|__paginate_v| #private::take(__paginate_v));),
            _ => quote!(let #var = ::core::option::Option::Some(
                #from.map(|__paginate_v| #private::take(__paginate_v)).unwrap_or_default()
            );),
        }
    });
    // Non-aggregate values first, result keys after: a result key inside a
    // non-aggregate value (`ResourceCollection.Tags` under `ResourceCollection`)
    // keeps the page's list, which later pages extend, as botocore's
    // `merge_dicts` over its aliased lists ends up with.
    let put_order = (path_results.len()..kept_paths.len()).chain(0..path_results.len());
    let put_paths = put_order.map(|i| (i, kept_paths[i])).map(|(i, k)| {
        let var = format_ident!("__paginate_kept_{}", i);
        let into = k.path().insert(&base_, private);
        quote!(if let ::core::option::Option::Some(__paginate_v) = #var {
            *#into = __paginate_v;
        })
    });
    let base = input.fields.iter().map(|f| {
        let field = f.ident;
        if f.attrs.result_key.is_set() || f.attrs.non_aggregate.is_set() {
            quote!(#field: __paginate_src.#field)
        } else {
            default(f)
        }
    });
    let empty = input.fields.iter().map(default);
    let src_mut = if kept_paths.is_empty() { quote!() } else { quote!(mut) };
    let base_mut = if kept_paths.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        fn empty_full_result() -> Self {
            Self { #(#empty),* }
        }

        fn into_full_result_base(self) -> Self {
            let #src_mut __paginate_src = self;
            #(#take_paths)*
            let #base_mut __paginate_base = Self { #(#base),* };
            #(#put_paths)*
            __paginate_base
        }
    }
}
