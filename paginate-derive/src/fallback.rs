//! What a failed derive emits besides its errors: an impl whose items all
//! diverge, so the only errors a user sees are the ones about their
//! attributes, not a cascade at the other struct's `response = X` or at every
//! use of the paginator (thiserror's `fallback.rs` does the same).

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Field, GenericArgument, Path, PathArguments, Type};

use crate::attr::{self, Errors, FieldAttrs, PathKind, PathRole, StructAttrs};
use crate::path::same_name;

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
            impl #impl_generics #private::RequestTokens for #ident #ty_generics #where_clause {
                const INPUT_TOKENS: &'static [#private::TokenField] = &[];
                fn set_input_token(
                    &mut self,
                    _: ::core::primitive::usize,
                    _: &#private::TokenValue,
                ) -> ::core::result::Result<(), #private::JsonError> {
                    #unreachable
                }
                fn input_token(
                    &self,
                    _: ::core::primitive::usize,
                ) -> ::core::result::Result<#private::TokenValue, #private::JsonError> {
                    #unreachable
                }
            }
            #[automatically_derived]
            impl #impl_generics #private::PaginatedRequest for #ident #ty_generics #where_clause {
                type Response = #response;
                const LIMIT_KEY: ::core::option::Option<#private::LimitKey> = ::core::option::Option::None;
                const DERIVE_FAILED: ::core::primitive::bool = true;
                fn set_page_size(&mut self, _: ::core::primitive::u64) -> ::core::option::Option<()> {
                    #unreachable
                }
            }
        };
    }
    let item = item_type(input, &attrs, &private);
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::ResponseTokens for #ident #ty_generics #where_clause {
            const OUTPUT_TOKENS: &'static [#private::TokenField] = &[];
            fn output_token(
                &self,
                _: ::core::primitive::usize,
            ) -> ::core::result::Result<#private::TokenValue, #private::JsonError> {
                #unreachable
            }
        }
        #[automatically_derived]
        impl #impl_generics #private::PaginatedResponse for #ident #ty_generics #where_clause {
            type Item = #item;
            const DERIVE_FAILED: ::core::primitive::bool = true;
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
            fn take_items(&mut self) -> #private::Vec<Self::Item> {
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

/// The item type the derive would have given, as far as it can be read: the
/// primary result key's, else that of a list the struct holds (its result key,
/// whose attribute is the mistake), else `()`.
fn item_type(input: &DeriveInput, attrs: &StructAttrs, private: &TokenStream) -> TokenStream {
    let Data::Struct(data) = &input.data else {
        return quote!(());
    };
    let fields: Vec<(&Field, FieldAttrs)> = data
        .fields
        .iter()
        .map(|f| (f, attr::field_attrs(&f.attrs, &mut Errors::default())))
        .collect();
    let results = || fields.iter().filter(|(_, a)| a.result_key.is_set());
    let marked = results().find(|(_, a)| a.primary.is_set());
    let is_primary_path = |r: &&PathRole| matches!(r.kind, PathKind::ResultKey { primary: true });
    let path_results = || {
        attrs
            .paths
            .iter()
            .filter(|r| matches!(r.kind, PathKind::ResultKey { .. }))
    };
    let field = match (path_results().find(is_primary_path), marked) {
        (Some(_), _) => None,
        (None, Some((f, _))) => Some(*f),
        (None, None) => results().next().map(|(f, _)| *f),
    };
    if let Some(field) = field {
        let ty = &field.ty;
        return quote_spanned!(ty.span()=> <#ty as #private::ResultList>::Item);
    }
    let path = path_results().find(is_primary_path).or_else(|| path_results().next());
    if let Some(path) = path {
        let path = path.path.single();
        let first = fields
            .iter()
            .find(|(f, _)| f.ident.as_ref().is_some_and(|i| same_name(i, &path.first)));
        if let Some((first, _)) = first {
            let leaf = path.leaf_type(&first.ty, private);
            return quote!(<#leaf as #private::ResultList>::Item);
        }
    }
    fields
        .iter()
        .find_map(|(f, _)| list_element(&f.ty))
        .map_or_else(|| quote!(()), |item| quote!(#item))
}

/// `T` of a `Vec<T>` or `Option<Vec<T>>` written out.
fn list_element(ty: &Type) -> Option<&Type> {
    generic_argument(ty, "Vec").or_else(|| generic_argument(generic_argument(ty, "Option")?, "Vec"))
}

/// `T` of a `Name<T>` written out.
fn generic_argument<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last().filter(|s| s.ident == name)?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
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
