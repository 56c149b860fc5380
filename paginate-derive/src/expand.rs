//! Code generation. Generated code names only `<crate>::__private::*` (the
//! `paginate` crate, or the path given with `#[paginated(crate = "...")]`)
//! and absolute `::core` paths (primitives too: `::core::primitive::usize`),
//! so user items called `Result`, `Option`, `Ok`, `Some`, `Vec` or `str`
//! cannot change its meaning.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Field, Input};
use crate::attr::{Errors, PathKind, PathRole};
use crate::path::same_name;
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
        nested(&input)
    } else if input.is_request() {
        request(&input)
    } else {
        response(&input)
    })
}

fn request(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = input.attrs.response.get();
    let tokens: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.input_token.is_set()).collect();
    let response_name = response
        .map(|r| quote!(#r).to_string().replace(' ', ""))
        .unwrap_or_default();
    let input_tokens = tokens.iter().map(|f| {
        let (wire, field) = (&f.wire, f.ident.unraw().to_string());
        let unpaired = format!(
            "the input token `{field}` of `{ident}` is fed by no output token: mark the field of `{response_name}` \
             that carries it `#[paginated(output_token = {field})]`"
        );
        quote!(#private::TokenField { wire: #wire, field: #field, unpaired: #unpaired })
    });
    let set_arms = tokens.iter().enumerate().map(|(index, f)| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        let value = quote_spanned!(ty.span()=> #private::token_from_value::<#ty>(__paginate_value)?);
        quote!(#index => { self.#field = #value; })
    });
    let limit = input.fields.iter().find(|f| f.attrs.limit_key.is_set());
    let limit_key = match limit {
        Some(f) => {
            let name = &f.wire;
            let bound = |b: Option<&u64>| match b {
                Some(b) => quote!(::core::option::Option::Some(#b)),
                None => quote!(::core::option::Option::None),
            };
            let (min, max) = (bound(f.attrs.min.get()), bound(f.attrs.max.get()));
            quote!(::core::option::Option::Some(#private::LimitKey { name: #name, min: #min, max: #max }))
        }
        None => quote!(::core::option::Option::None),
    };
    let set_page_size = match limit {
        Some(f) => {
            let (field, ty) = (f.ident, f.ty);
            let private = input.private_at(ty.span());
            let convert = quote_spanned!(ty.span()=>
                <#ty as #private::LimitValue>::from_page_size(__paginate_page_size)
            );
            quote!(self.#field = #convert?; ::core::option::Option::Some(()))
        }
        None => quote!(let _ = __paginate_page_size; ::core::option::Option::None),
    };
    // A free const item cannot name a generic request; the runtime's
    // `TokensPaired` checks those when a listing of them is built.
    let check = (input.generics.params.is_empty()).then(|| {
        let span = response.map_or_else(proc_macro2::Span::call_site, |r| r.span());
        let private = input.private_at(span);
        quote_spanned!(span=> const _: () = #private::check_tokens::<#ident>();)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::PaginatedRequest for #ident #ty_generics #where_clause {
            type Response = #response;
            const INPUT_TOKENS: &'static [#private::TokenField] = &[#(#input_tokens),*];
            const LIMIT_KEY: ::core::option::Option<#private::LimitKey> = #limit_key;

            fn set_input_token(
                &mut self,
                __paginate_index: ::core::primitive::usize,
                __paginate_value: &#private::TokenValue,
            ) -> ::core::result::Result<(), #private::JsonError> {
                match __paginate_index {
                    #(#set_arms)*
                    _ => {}
                }
                ::core::result::Result::Ok(())
            }

            fn set_page_size(&mut self, __paginate_page_size: ::core::primitive::u64) -> ::core::option::Option<()> {
                #set_page_size
            }
        }
        #check
    }
}

/// A struct-level role with a path, its first field resolved.
struct PathKey<'a> {
    role: &'a PathRole,
    first: &'a Field<'a>,
}

impl PathKey<'_> {
    fn path(&self) -> &crate::path::Path {
        self.role.path.single()
    }
}

fn path_keys<'a>(input: &'a Input) -> Vec<PathKey<'a>> {
    input
        .attrs
        .paths
        .iter()
        .filter_map(|role| {
            let first = &role.path.alternatives.first()?.first;
            let field = input.fields.iter().find(|f| same_name(f.ident, first))?;
            Some(PathKey { role, first: field })
        })
        .collect()
}

/// The field a path alternative starts at.
fn first_field<'a>(input: &'a Input, path: &crate::path::Path) -> Option<&'a Field<'a>> {
    input.fields.iter().find(|f| same_name(f.ident, &path.first))
}

fn response(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let this = quote!(self);
    let page = quote!(__paginate_page);
    let paths = path_keys(input);
    let path_results: Vec<&PathKey> = paths
        .iter()
        .filter(|k| matches!(k.role.kind, PathKind::ResultKey { .. }))
        .collect();
    let path_non_aggregates: Vec<&PathKey> = paths
        .iter()
        .filter(|k| matches!(k.role.kind, PathKind::NonAggregate))
        .collect();
    let results: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.result_key.is_set()).collect();

    // The primary result key: marked `primary`, else the first field, else the first path.
    enum Primary<'a> {
        Field(&'a Field<'a>),
        Path(&'a PathKey<'a>),
    }
    let marked_path = path_results
        .iter()
        .find(|k| matches!(k.role.kind, PathKind::ResultKey { primary: true }));
    let primary = match (marked_path, results.iter().find(|f| f.attrs.primary.is_set())) {
        (Some(key), _) => Primary::Path(key),
        (None, Some(field)) => Primary::Field(field),
        (None, None) => match (results.first(), path_results.first()) {
            (Some(field), _) => Primary::Field(field),
            (None, Some(key)) => Primary::Path(key),
            (None, None) => return quote!(),
        },
    };

    // Output tokens: fields, then paths (with `||` fallbacks).
    let outputs: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.output_token.is_set()).collect();
    let unpaired = |field: &dyn std::fmt::Display, target: &dyn std::fmt::Display| {
        format!(
            "`{ident}::{field}` is `#[paginated(output_token = {target})]`, but the request has no \
             `#[paginated(input_token)]` field named `{target}`"
        )
    };
    let mut output_tokens: Vec<TokenStream> = Vec::new();
    let mut output_arms: Vec<TokenStream> = Vec::new();
    let mut output_wires: Vec<TokenStream> = Vec::new();
    for f in &outputs {
        let wire = &f.wire;
        let target = f.attrs.output_token.get().and_then(Option::as_ref).unwrap_or(f.ident);
        let message = unpaired(&f.ident, &target);
        let target = target.unraw().to_string();
        output_tokens.push(quote!(#private::TokenField { wire: "", field: #target, unpaired: #message }));
        let (field, index) = (f.ident, output_arms.len());
        let private = input.private_at(f.ty.span());
        output_arms.push(quote_spanned!(f.ty.span()=> #index => #private::token_to_value(&self.#field),));
        output_wires.push(quote!((#private::String::from(#wire), #target)));
    }
    for key in paths
        .iter()
        .filter(|k| matches!(k.role.kind, PathKind::OutputToken { .. }))
    {
        let PathKind::OutputToken { feeds } = &key.role.kind else {
            continue;
        };
        let message = unpaired(&format_args!("{} (path)", key.role.key), feeds);
        let target = feeds.unraw().to_string();
        output_tokens.push(quote!(#private::TokenField { wire: "", field: #target, unpaired: #message }));
        let mut candidates = Vec::new();
        let mut wires = Vec::new();
        for alternative in &key.role.path.alternatives {
            let Some(first) = first_field(input, alternative) else {
                continue;
            };
            let read = alternative.read(&this, &private);
            candidates.push(quote!(match #read {
                ::core::option::Option::Some(__paginate_v) => #private::token_to_value(__paginate_v),
                ::core::option::Option::None => ::core::result::Result::Ok(#private::TokenValue::Null),
            }));
            wires.push(alternative.wire(&first.wire, first.ty, &private));
        }
        let index = output_arms.len();
        output_arms.push(quote!(#index => #private::first_truthy([#(#candidates),*]),));
        output_wires.push(quote!(({
            let __paginate_parts: #private::Vec<#private::String> = #private::Vec::from([#(#wires),*]);
            __paginate_parts.join(" || ")
        }, #target)));
    }

    // more_results: a field or a path.
    let more_field = input.fields.iter().find(|f| f.attrs.more_results.is_set());
    let more_path = paths.iter().find(|k| matches!(k.role.kind, PathKind::MoreResults));
    let (more_results, more_results_wire) = match (more_field, more_path) {
        (Some(f), _) => {
            let (field, ty, wire) = (f.ident, f.ty, &f.wire);
            let private_at = input.private_at(ty.span());
            let more = quote_spanned!(ty.span()=> <#ty as #private_at::MoreResults>::more(&self.#field));
            (
                quote!(::core::option::Option::Some(#more)),
                quote!(::core::option::Option::Some(#private::String::from(#wire))),
            )
        }
        (None, Some(key)) => {
            let read = key.path().read(&this, &private);
            let wire = key.path().wire(&key.first.wire, key.first.ty, &private);
            (
                quote!(::core::option::Option::Some(#read.is_some_and(|__paginate_v| #private::MoreResults::more(__paginate_v)))),
                quote!(::core::option::Option::Some(#wire)),
            )
        }
        (None, None) => (
            quote!(::core::option::Option::None),
            quote!(::core::option::Option::None),
        ),
    };

    // The primary key's operations, and the item type.
    let (item, primary_ops, primary_wire) = match &primary {
        Primary::Field(f) => {
            let (pfield, pty) = (f.ident, f.ty);
            let pprivate = input.private_at(pty.span());
            let list = quote_spanned!(pty.span()=> <#pty as #pprivate::ResultList>);
            // Spanned on the primary key's type, so a key that is not a list is
            // reported there rather than on `#[derive(Paginated)]`.
            let item = quote_spanned!(pty.span()=> type Item = #list::Item;);
            let take_items = quote_spanned!(pty.span()=>
                fn take_items(&mut self) -> #pprivate::Vec<Self::Item> {
                    #list::take(&mut self.#pfield)
                }
            );
            let ops = quote! {
                const RESULTS_WHOLE: ::core::primitive::bool = <#pty as #pprivate::ResultKey>::WHOLE;
                fn result_len(&self) -> ::core::primitive::usize {
                    #list::len(&self.#pfield)
                }
                fn skip_results(&mut self, __paginate_n: ::core::primitive::usize) {
                    #list::skip(&mut self.#pfield, __paginate_n)
                }
                fn truncate_results(&mut self, __paginate_keep: ::core::primitive::usize) {
                    #list::keep(&mut self.#pfield, __paginate_keep)
                }
                #take_items
            };
            let wire = &f.wire;
            (item, ops, quote!(#private::String::from(#wire)))
        }
        Primary::Path(key) => {
            let path = key.path();
            let leaf = path.leaf_type(key.first.ty, &private);
            let list = quote_spanned!(key.role.path.span=> <#leaf as #private::ResultList>);
            let read = path.read(&this, &private);
            let write = path.read_mut(&this, &private);
            let item = quote_spanned!(key.role.path.span=> type Item = #list::Item;);
            let ops = quote! {
                const RESULTS_WHOLE: ::core::primitive::bool = <#leaf as #private::ResultKey>::WHOLE;
                fn result_len(&self) -> ::core::primitive::usize {
                    #read.map_or(0, |__paginate_v| #list::len(__paginate_v))
                }
                fn skip_results(&mut self, __paginate_n: ::core::primitive::usize) {
                    if let ::core::option::Option::Some(__paginate_v) = #write {
                        #list::skip(__paginate_v, __paginate_n)
                    }
                }
                fn truncate_results(&mut self, __paginate_keep: ::core::primitive::usize) {
                    if let ::core::option::Option::Some(__paginate_v) = #write {
                        #list::keep(__paginate_v, __paginate_keep)
                    }
                }
                fn take_items(&mut self) -> #private::Vec<Self::Item> {
                    match #write {
                        ::core::option::Option::Some(__paginate_v) => #list::take(__paginate_v),
                        ::core::option::Option::None => #private::Vec::new(),
                    }
                }
            };
            (item, ops, path.wire(&key.first.wire, key.first.ty, &private))
        }
    };
    let is_primary_field = |f: &Field| matches!(primary, Primary::Field(p) if p.ident == f.ident);
    let is_primary_path = |k: &PathKey| matches!(primary, Primary::Path(p) if std::ptr::eq(p.role, k.role));

    // Secondary result keys are emptied on a resumed first page.
    let mut clear: Vec<TokenStream> = results
        .iter()
        .filter(|f| !is_primary_field(f))
        .map(|f| {
            let (field, ty) = (f.ident, f.ty);
            let private = input.private_at(ty.span());
            quote_spanned!(ty.span()=> <#ty as #private::ResultKey>::clear(&mut self.#field);)
        })
        .collect();
    clear.extend(path_results.iter().filter(|k| !is_primary_path(k)).map(|k| {
        let write = k.path().read_mut(&this, &private);
        quote!(if let ::core::option::Option::Some(__paginate_v) = #write {
            #private::ResultKey::clear(__paginate_v);
        })
    }));

    // Merging a later page: paths first (they borrow the page), then fields (they move out of it).
    let mut merge: Vec<TokenStream> = path_results
        .iter()
        .map(|k| {
            let from = k.path().read_mut(&page, &private);
            let into = k.path().insert(&this, &private);
            quote!(if let ::core::option::Option::Some(__paginate_v) = #from {
                if !#private::ResultKey::is_absent(__paginate_v) {
                    let __paginate_v = #private::take(__paginate_v);
                    #private::ResultKey::aggregate(#into, __paginate_v);
                }
            })
        })
        .collect();
    merge.extend(results.iter().map(|f| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        quote_spanned!(ty.span()=>
            <#ty as #private::ResultKey>::aggregate(&mut self.#field, __paginate_page.#field);
        )
    }));

    // The full result's base: the result and non-aggregate keys, every other field at its default.
    let default = |f: &Field| {
        let field = f.ident;
        let private = input.private_at(f.ty.span());
        quote_spanned!(f.ty.span()=> #field: #private::Default::default())
    };
    let kept_paths: Vec<&PathKey> = path_results.iter().chain(path_non_aggregates.iter()).copied().collect();
    let src = quote!(__paginate_src);
    let base_ = quote!(__paginate_base);
    // Only values that are there: botocore builds no struct for an absent key.
    let take_paths = kept_paths.iter().enumerate().map(|(i, k)| {
        let var = quote::format_ident!("__paginate_kept_{}", i);
        let from = k.path().read_mut(&src, &private);
        let absent = match k.role.kind {
            PathKind::ResultKey { .. } => quote!(#private::ResultKey::is_absent),
            _ => quote!(#private::Presence::is_absent),
        };
        quote!(let #var = #from
            .filter(|__paginate_v| !#absent(&**__paginate_v))
            .map(|__paginate_v| #private::take(__paginate_v));)
    });
    // Non-aggregate values first, result keys after: a result key inside a
    // non-aggregate value (`ResourceCollection.Tags` under `ResourceCollection`)
    // keeps the page's list, which later pages extend, as botocore's
    // `merge_dicts` over its aliased lists ends up with.
    let put_order = (path_results.len()..kept_paths.len()).chain(0..path_results.len());
    let put_paths = put_order.map(|i| (i, kept_paths[i])).map(|(i, k)| {
        let var = quote::format_ident!("__paginate_kept_{}", i);
        let into = k.path().insert(&base_, &private);
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

    // describe(): wire names, botocore's expressions for paths.
    let mut result_wires = vec![primary_wire];
    result_wires.extend(results.iter().filter(|f| !is_primary_field(f)).map(|f| {
        let wire = &f.wire;
        quote!(#private::String::from(#wire))
    }));
    result_wires.extend(
        path_results
            .iter()
            .filter(|k| !is_primary_path(k))
            .map(|k| k.path().wire(&k.first.wire, k.first.ty, &private)),
    );
    let mut non_aggregate_wires: Vec<TokenStream> = input
        .fields
        .iter()
        .filter(|f| f.attrs.non_aggregate.is_set())
        .map(|f| {
            let wire = &f.wire;
            quote!(#private::String::from(#wire))
        })
        .collect();
    non_aggregate_wires.extend(
        path_non_aggregates
            .iter()
            .map(|k| k.path().wire(&k.first.wire, k.first.ty, &private)),
    );
    let page_mut = if path_results.is_empty() { quote!() } else { quote!(mut) };
    let src_mut = if kept_paths.is_empty() { quote!() } else { quote!(mut) };
    let base_mut = if kept_paths.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::PaginatedResponse for #ident #ty_generics #where_clause {
            #item
            const OUTPUT_TOKENS: &'static [#private::TokenField] = &[#(#output_tokens),*];

            fn describe_keys() -> #private::ResponseKeys {
                #private::ResponseKeys {
                    output_tokens: #private::Vec::from([#(#output_wires),*]),
                    result_keys: #private::Vec::from([#(#result_wires),*]),
                    more_results: #more_results_wire,
                    non_aggregate_keys: #private::Vec::from([#(#non_aggregate_wires),*]),
                }
            }

            fn output_token(
                &self,
                __paginate_index: ::core::primitive::usize,
            ) -> ::core::result::Result<#private::TokenValue, #private::JsonError> {
                match __paginate_index {
                    #(#output_arms)*
                    _ => ::core::result::Result::Ok(#private::TokenValue::Null),
                }
            }

            fn more_results(&self) -> ::core::option::Option<::core::primitive::bool> {
                #more_results
            }

            #primary_ops

            fn clear_secondary_results(&mut self) {
                #(#clear)*
            }

            fn merge_page(&mut self, #page_mut __paginate_page: Self) {
                #(#merge)*
            }

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
}

/// `#[paginated(nested)]`: what paths into this struct need: stepping into
/// it, and each field's type and wire name by its name.
fn nested(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let fields = input.fields.iter().map(|f| {
        let (ty, wire) = (f.ty, &f.wire);
        let name = crate::path::name_key(f.ident, &private);
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::FieldNamed<#name> for #ident #ty_generics #where_clause {
                type Type = #ty;
                const WIRE: &'static ::core::primitive::str = #wire;
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Nav for #ident #ty_generics #where_clause {
            type Target = Self;
            fn nav(&self) -> ::core::option::Option<&Self> {
                ::core::option::Option::Some(self)
            }
            fn nav_mut(&mut self) -> ::core::option::Option<&mut Self> {
                ::core::option::Option::Some(self)
            }
        }
        #[automatically_derived]
        impl #impl_generics #private::NavInsert for #ident #ty_generics #where_clause {
            fn nav_insert(&mut self) -> &mut Self {
                self
            }
        }
        #(#fields)*
    }
}
