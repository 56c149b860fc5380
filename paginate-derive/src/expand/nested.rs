//! The impls of a `#[paginated(nested)]` struct, which paths go through.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;

/// `#[paginated(nested)]`: what paths into this struct need: stepping into
/// it, and each field's type and wire names by its name.
pub(super) fn nested(input: &Input) -> TokenStream {
    let ident = input.ident;
    let private = input.private();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let fields = input.fields.iter().map(|f| {
        let (ty, wire, sent) = (f.ty, &f.wire, &f.sent);
        let name = crate::path::name_key(f.ident, &private);
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::FieldNamed<#name> for #ident #ty_generics #where_clause {
                type Type = #ty;
                const WIRE: &'static ::core::primitive::str = #wire;
                const WIRE_SENT: &'static ::core::primitive::str = #sent;
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
