//! The `PaginatedRequest` impl: the input tokens, the limit key, and the
//! check that every input token is fed by an output token of the response.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{Field, Input};

pub(super) fn request(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = input.attrs.response.get();
    let tokens: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.is_input_token()).collect();
    let response_name = response
        .map(|r| quote!(#r).to_string().replace(' ', ""))
        .unwrap_or_default();
    let input_tokens = tokens.iter().map(|f| {
        let (wire, field) = (&f.wire, f.ident.unraw().to_string());
        let unpaired = format!(
            "the input token `{field}` of `{ident}` is fed by no output token: mark the field of `{response_name}` \
             that carries it `#[paginated(output_token = {field})]`"
        );
        let kind = token_kind(f, &private);
        quote!(#private::TokenField { wire: #wire, field: #field, unpaired: #unpaired, kind: #kind })
    });
    let set_arms = tokens.iter().enumerate().map(|(index, f)| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        let value = quote_spanned!(ty.span()=> #private::token_from_value::<#ty>(__paginate_value)?);
        quote!(#index => { self.#field = #value; })
    });
    let read_arms = tokens.iter().enumerate().map(|(index, f)| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        quote_spanned!(ty.span()=> #index => #private::token_to_value::<#ty>(&self.#field),)
    });
    let (limit_key, set_page_size, page_size) = limit_key(input);
    // A free const item cannot name a generic request; the runtime's
    // `TokensPaired` checks those when a listing of them is built.
    let check = (input.generics.params.is_empty()).then(|| {
        let span = response.map_or_else(proc_macro2::Span::call_site, |r| r.span());
        let private = input.private_at(span);
        quote_spanned!(span=> const _: () = #private::check_tokens::<#ident>();)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::RequestTokens for #ident #ty_generics #where_clause {
            const INPUT_TOKENS: &'static [#private::TokenField] = &[#(#input_tokens),*];

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

            fn input_token(
                &self,
                __paginate_index: ::core::primitive::usize,
            ) -> ::core::result::Result<#private::TokenValue, #private::JsonError> {
                match __paginate_index {
                    #(#read_arms)*
                    _ => ::core::result::Result::Ok(#private::TokenValue::Null),
                }
            }
        }

        #[automatically_derived]
        impl #impl_generics #private::PaginatedRequest for #ident #ty_generics #where_clause {
            type Response = #response;
            const LIMIT_KEY: ::core::option::Option<#private::LimitKey> = #limit_key;

            fn set_page_size(&mut self, __paginate_page_size: ::core::primitive::u64) -> ::core::option::Option<()> {
                #set_page_size
            }

            fn page_size(&self) -> ::core::option::Option<::core::primitive::u64> {
                #page_size
            }
        }
        #check
    }
}

/// How an input token's next value is found: `TokenKind::Cursor`, `Offset` or `Page`.
fn token_kind(f: &Field, private: &TokenStream) -> TokenStream {
    let a = &f.attrs;
    let short_page_ends = a.short_page_ends.is_set();
    if a.offset.is_set() {
        quote!(#private::TokenKind::Offset { short_page_ends: #short_page_ends })
    } else if a.page.is_set() {
        let first = a.first.get().copied().unwrap_or(1);
        quote!(#private::TokenKind::Page { first: #first, short_page_ends: #short_page_ends })
    } else {
        quote!(#private::TokenKind::Cursor)
    }
}

/// The `LIMIT_KEY` constant and the bodies of `set_page_size` and `page_size`.
fn limit_key(input: &Input) -> (TokenStream, TokenStream, TokenStream) {
    let private = input.private();
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
    let page_size = match limit {
        Some(f) => {
            let (field, ty) = (f.ident, f.ty);
            let private = input.private_at(ty.span());
            quote_spanned!(ty.span()=> <#ty as #private::LimitValue>::page_size(&self.#field))
        }
        None => quote!(::core::option::Option::None),
    };
    (limit_key, set_page_size, page_size)
}
