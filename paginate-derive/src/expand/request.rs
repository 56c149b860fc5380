//! The `PaginatedRequest` impl: the input tokens (fields, or paths into
//! nested request structs), the limit key, the tokens computed by a function
//! of the request and the page, and the check that every input token is fed.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{Field, Input};
use crate::attr::RequestPath;
use crate::path::{same_name, Path};

/// An input token or the limit key: a field of the request, or a path from
/// one into nested request structs.
enum Key<'a> {
    Field(&'a Field<'a>),
    Path {
        path: &'a Path,
        first: &'a Field<'a>,
        /// The path string's: what errors in the code through it are spanned on.
        span: proc_macro2::Span,
    },
}

impl Key<'_> {
    /// The wire name (the dotted serde path for a path), a `&'static str` expression.
    fn wire(&self, private: &TokenStream) -> TokenStream {
        match self {
            Key::Field(f) => {
                let wire = &f.wire;
                quote!(#wire)
            }
            Key::Path { path, first, .. } => path.sent_wire(&first.wire, first.ty, private),
        }
    }

    /// How `feeds` names it: the field, or the path, without `r#`.
    fn name(&self) -> String {
        match self {
            Key::Field(f) => f.ident.unraw().to_string(),
            Key::Path { path, .. } => path.key(),
        }
    }

    /// Its type, and the span errors about the type go to.
    fn ty(&self, private: &TokenStream) -> (TokenStream, proc_macro2::Span) {
        match self {
            Key::Field(f) => (f.ty.to_token_stream(), f.ty.span()),
            Key::Path { path, first, span } => (path.leaf_type(first.ty, private), *span),
        }
    }
}

fn path_key<'a>(input: &'a Input, role: &'a RequestPath) -> Option<Key<'a>> {
    let path = role.path.single();
    let first = input.fields.iter().find(|f| same_name(f.ident, &path.first))?;
    Some(Key::Path {
        path,
        first,
        span: role.path.span,
    })
}

pub(super) fn request(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = input.attrs.response.get();
    let mut tokens: Vec<Key> = input
        .fields
        .iter()
        .filter(|f| f.attrs.is_input_token())
        .map(Key::Field)
        .collect();
    tokens.extend(input.attrs.token_paths().filter_map(|r| path_key(input, r)));
    let response_name = response
        .map(|r| quote!(#r).to_string().replace(' ', ""))
        .unwrap_or_default();
    let input_tokens = tokens.iter().map(|key| {
        let (wire, name) = (key.wire(&input.private_at(key.ty(&private).1)), key.name());
        let unpaired = match key {
            Key::Field(_) => format!(
                "the input token `{name}` of `{ident}` is fed by no output token: mark the field of \
                 `{response_name}` that carries it `#[paginated(output_token = {name})]`, or compute it with \
                 `output_token(with = ..., feeds = {name})` on `{ident}`"
            ),
            Key::Path { .. } => format!(
                "the input token `{name}` of `{ident}` is fed by no output token: mark the field of \
                 `{response_name}` that carries it `#[paginated(output_token = \"{name}\")]`, or compute it with \
                 `output_token(with = ..., feeds = \"{name}\")` on `{ident}`"
            ),
        };
        let kind = match key {
            Key::Field(f) => token_kind(f, &private),
            Key::Path { .. } => quote!(#private::TokenKind::Cursor),
        };
        quote!(#private::TokenField { wire: #wire, field: #name, unpaired: #unpaired, kind: #kind })
    });
    let this = quote!(self);
    let set_arms = tokens.iter().enumerate().map(|(index, key)| {
        let (ty, span) = key.ty(&private);
        let private = input.private_at(span);
        let value = quote_spanned!(span=> #private::token_from_value::<#ty>(__paginate_value)?);
        match key {
            Key::Field(f) => {
                let field = f.ident;
                quote!(#index => { self.#field = #value; })
            }
            // `null` (no token) creates no nested struct to hold it.
            Key::Path { path, .. } => {
                let (read_mut, insert) = (path.read_mut(&this, &private), path.insert(&this, &private));
                quote!(#index => {
                    let __paginate_token = #value;
                    match __paginate_value {
                        #private::TokenValue::Null => {
                            if let ::core::option::Option::Some(__paginate_slot) = #read_mut {
                                *__paginate_slot = __paginate_token;
                            }
                        }
                        _ => *#insert = __paginate_token,
                    }
                })
            }
        }
    });
    let read_arms = tokens.iter().enumerate().map(|(index, key)| {
        let (ty, span) = key.ty(&private);
        let private = input.private_at(span);
        match key {
            Key::Field(f) => {
                let field = f.ident;
                quote_spanned!(span=> #index => #private::token_to_value::<#ty>(&self.#field),)
            }
            Key::Path { path, .. } => {
                let read = path.read(&this, &private);
                quote_spanned!(span=> #index => match #read {
                    ::core::option::Option::Some(__paginate_v) => #private::token_to_value::<#ty>(__paginate_v),
                    ::core::option::Option::None => ::core::result::Result::Ok(#private::TokenValue::Null),
                },)
            }
        }
    });
    let (limit_key, set_page_size, page_size) = limit_key(input);
    let computed = computed(input);
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

            #computed
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
    let field = input.fields.iter().find(|f| f.attrs.limit_key.is_set());
    let role = input.attrs.limit_paths().next();
    let (key, min, max) = match (field, role) {
        (Some(f), _) => (Key::Field(f), f.attrs.min.get().copied(), f.attrs.max.get().copied()),
        (None, Some(role)) => match path_key(input, role) {
            Some(key) => (key, role.min, role.max),
            None => {
                return (
                    quote!(::core::option::Option::None),
                    quote!(::core::option::Option::None),
                    quote!(::core::option::Option::None),
                )
            }
        },
        (None, None) => {
            return (
                quote!(::core::option::Option::None),
                quote!(let _ = __paginate_page_size; ::core::option::Option::None),
                quote!(::core::option::Option::None),
            )
        }
    };
    let name = key.wire(&input.private_at(key.ty(&private).1));
    let bound = |b: Option<u64>| match b {
        Some(b) => quote!(::core::option::Option::Some(#b)),
        None => quote!(::core::option::Option::None),
    };
    let (min, max) = (bound(min), bound(max));
    let limit_key = quote!(::core::option::Option::Some(#private::LimitKey { name: #name, min: #min, max: #max }));
    let (ty, span) = key.ty(&private);
    let private_at = input.private_at(span);
    let convert = quote_spanned!(span=> <#ty as #private_at::LimitValue>::from_page_size(__paginate_page_size));
    let slot = match &key {
        Key::Field(f) => {
            let field = f.ident;
            quote!(self.#field)
        }
        Key::Path { path, .. } => {
            let insert = path.insert(&quote!(self), &private_at);
            quote!(*#insert)
        }
    };
    let page_size = match &key {
        Key::Field(f) => {
            let field = f.ident;
            quote_spanned!(span=> <#ty as #private_at::LimitValue>::page_size(&self.#field))
        }
        Key::Path { path, .. } => {
            let read = path.read(&quote!(self), &private_at);
            quote_spanned!(span=> #read.and_then(<#ty as #private_at::LimitValue>::page_size))
        }
    };
    (
        limit_key,
        quote!(#slot = #convert?; ::core::option::Option::Some(())),
        page_size,
    )
}

/// `COMPUTED_TOKENS` and `computed_token`, for `output_token(with = f, feeds = ...)`:
/// `f(&request, &page)`, any `Serialize` value.
fn computed(input: &Input) -> TokenStream {
    let computed = &input.attrs.computed;
    if computed.is_empty() {
        return TokenStream::new();
    }
    let private = input.private();
    let (ident, response) = (input.ident, input.attrs.response.get());
    let response = quote!(#response).to_string().replace(' ', "");
    let entries = computed.iter().map(|c| {
        let with = &c.with;
        let function = quote!(#with).to_string().replace(' ', "");
        let wire = format!("{function}(request, page)");
        let feeds = &c.feeds.key;
        let twice = format!(
            "the input token `{feeds}` of `{ident}` is fed both by `output_token(with = {function})` and by an \
             output token of `{response}`: keep one"
        );
        quote!(#private::TokenField { wire: #wire, field: #feeds, unpaired: #twice, kind: #private::TokenKind::Cursor })
    });
    let arms = computed.iter().enumerate().map(|(index, c)| {
        let with = &c.with;
        let private = input.private_at(with.span());
        quote_spanned!(with.span()=> #index => #private::token_to_value(&#with(self, __paginate_page)),)
    });
    quote! {
        const COMPUTED_TOKENS: &'static [#private::TokenField] = &[#(#entries),*];

        fn computed_token(
            &self,
            __paginate_index: ::core::primitive::usize,
            __paginate_page: &<Self as #private::PaginatedRequest>::Response,
        ) -> ::core::result::Result<#private::TokenValue, #private::JsonError>
        where
            Self: #private::PaginatedRequest,
        {
            match __paginate_index {
                #(#arms)*
                _ => ::core::result::Result::Ok(#private::TokenValue::Null),
            }
        }
    }
}
