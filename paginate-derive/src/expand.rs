//! Code generation. Generated code names only `<crate>::__private::*` (the
//! `paginate` crate, or the path given with `#[paginated(crate = "...")]`)
//! and absolute `::core` paths (primitives too: `::core::primitive::usize`),
//! so user items called `Result`, `Option`, `Ok`, `Some`, `Vec` or `str`
//! cannot change its meaning.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Field, Input};
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
    Ok(if input.is_request() {
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
        let (wire, field) = (&f.wire, f.ident.to_string());
        let unpaired = format!(
            "the input token `{field}` of `{ident}` is fed by no output token: mark the field of `{response_name}` \
             that carries it `#[paginated(output_token = {field})]`"
        );
        quote!(#private::TokenField { wire: #wire, field: #field, unpaired: #unpaired })
    });
    let set_arms = tokens.iter().enumerate().map(|(index, f)| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        let value = quote_spanned!(ty.span()=> #private::from_str::<#ty>(__paginate_json)?);
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
                __paginate_json: &::core::primitive::str,
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

fn response(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let results: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.result_key.is_set()).collect();
    let primary = results
        .iter()
        .find(|f| f.attrs.primary.is_set())
        .or(results.first())
        .copied();
    let Some(primary) = primary else {
        return quote!();
    };
    let secondary = results.iter().filter(|f| f.ident != primary.ident);
    let outputs: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.output_token.is_set()).collect();
    let output_tokens = outputs.iter().map(|f| {
        let wire = &f.wire;
        let target = f.attrs.output_token.get().and_then(Option::as_ref).unwrap_or(f.ident);
        let unpaired = format!(
            "`{ident}::{field}` is `#[paginated(output_token = {target})]`, but the request has no \
             `#[paginated(input_token)]` field named `{target}`",
            field = f.ident
        );
        let target = target.to_string();
        quote!(#private::TokenField { wire: #wire, field: #target, unpaired: #unpaired })
    });
    let output_arms = outputs.iter().enumerate().map(|(index, f)| {
        let field = f.ident;
        let private = input.private_at(f.ty.span());
        quote_spanned!(f.ty.span()=> #index => #private::to_string(&self.#field),)
    });
    let result_wire = std::iter::once(primary)
        .chain(results.iter().copied().filter(|f| f.ident != primary.ident))
        .map(|f| &f.wire);
    let non_aggregate_wire = input
        .fields
        .iter()
        .filter(|f| f.attrs.non_aggregate.is_set())
        .map(|f| &f.wire);
    let more_results_field = input.fields.iter().find(|f| f.attrs.more_results.is_set());
    let more_results_wire = match more_results_field {
        Some(f) => {
            let wire = &f.wire;
            quote!(::core::option::Option::Some(#wire))
        }
        None => quote!(::core::option::Option::None),
    };
    let more_results = match more_results_field {
        Some(f) => {
            let (field, ty) = (f.ident, f.ty);
            let private = input.private_at(ty.span());
            let more = quote_spanned!(ty.span()=> <#ty as #private::MoreResults>::more(&self.#field));
            quote!(::core::option::Option::Some(#more))
        }
        None => quote!(::core::option::Option::None),
    };
    let (pfield, pty) = (primary.ident, primary.ty);
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
    let clear = secondary.map(|f| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        quote_spanned!(ty.span()=> <#ty as #private::ResultKey>::clear(&mut self.#field);)
    });
    let merge = results.iter().map(|f| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        quote_spanned!(ty.span()=>
            <#ty as #private::ResultKey>::aggregate(&mut self.#field, __paginate_page.#field);
        )
    });
    let default = |f: &Field| {
        let field = f.ident;
        let private = input.private_at(f.ty.span());
        quote_spanned!(f.ty.span()=> #field: #private::Default::default())
    };
    let base = input.fields.iter().map(|f| {
        let field = f.ident;
        if f.attrs.result_key.is_set() || f.attrs.non_aggregate.is_set() {
            quote!(#field: self.#field)
        } else {
            default(f)
        }
    });
    let empty = input.fields.iter().map(default);
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::PaginatedResponse for #ident #ty_generics #where_clause {
            #item
            const OUTPUT_TOKENS: &'static [#private::TokenField] = &[#(#output_tokens),*];
            const KEYS: #private::ResponseKeys = #private::ResponseKeys {
                result_keys: &[#(#result_wire),*],
                more_results: #more_results_wire,
                non_aggregate_keys: &[#(#non_aggregate_wire),*],
            };

            fn output_token(
                &self,
                __paginate_index: ::core::primitive::usize,
            ) -> ::core::result::Result<#private::String, #private::JsonError> {
                match __paginate_index {
                    #(#output_arms)*
                    _ => ::core::result::Result::Ok(#private::String::from("null")),
                }
            }

            fn more_results(&self) -> ::core::option::Option<::core::primitive::bool> {
                #more_results
            }

            fn result_len(&self) -> ::core::primitive::usize {
                #list::len(&self.#pfield)
            }

            fn skip_results(&mut self, __paginate_n: ::core::primitive::usize) {
                #list::skip(&mut self.#pfield, __paginate_n)
            }

            fn truncate_results(&mut self, __paginate_keep: ::core::primitive::usize) {
                #list::keep(&mut self.#pfield, __paginate_keep)
            }

            fn clear_secondary_results(&mut self) {
                #(#clear)*
            }

            #take_items

            fn merge_page(&mut self, __paginate_page: Self) {
                #(#merge)*
            }

            fn empty_full_result() -> Self {
                Self { #(#empty),* }
            }

            fn into_full_result_base(self) -> Self {
                Self { #(#base),* }
            }
        }
    }
}
