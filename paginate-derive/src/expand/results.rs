//! What the `PaginatedResponse` impl does with result keys: the primary key's
//! items (counted, skipped, cut, taken), the secondary keys emptied on a
//! resumed first page, and a later page merged into a full result.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::response::{Primary, Response};

/// The item type and the primary key's operations, and its wire name.
pub(super) struct PrimaryOps {
    pub(super) item: TokenStream,
    pub(super) ops: TokenStream,
    pub(super) wire: TokenStream,
}

pub(super) fn primary_ops(keys: &Response) -> PrimaryOps {
    let (input, private) = (keys.input, &keys.private);
    let this = quote!(self);
    match keys.primary {
        Primary::Field(f) => {
            let (pfield, pty) = (f.ident, f.ty);
            let pprivate = input.private_at(pty.span());
            let list = quote_spanned!(pty.span()=> <#pty as #pprivate::ResultList>);
            // Spanned on the primary key's type, so a key that is not a list is
            // reported there rather than on `#[derive(Paginated)]`.
            let item = quote_spanned!(pty.span()=> type Item = #list::Item;);
            let take_items = quote_spanned!(pty.span()=>
                fn take_items(&mut self) -> #pprivate::Vec<Self::Item> {
                    #list::take_items(&mut self.#pfield)
                }
                fn retain_results(
                    &mut self,
                    __paginate_keep: &mut dyn ::core::ops::FnMut(&Self::Item) -> ::core::primitive::bool,
                ) -> ::core::primitive::bool {
                    #list::retain_items(&mut self.#pfield, __paginate_keep)
                }
            );
            let ops = quote! {
                const RESULTS_WHOLE: ::core::primitive::bool = <#pty as #pprivate::ResultKey>::WHOLE;
                fn result_len(&self) -> ::core::primitive::usize {
                    #list::item_count(&self.#pfield)
                }
                fn skip_results(&mut self, __paginate_n: ::core::primitive::usize) {
                    #list::skip_items(&mut self.#pfield, __paginate_n)
                }
                fn truncate_results(&mut self, __paginate_keep: ::core::primitive::usize) {
                    #list::keep_items(&mut self.#pfield, __paginate_keep)
                }
                #take_items
            };
            let wire = &f.wire;
            PrimaryOps {
                item,
                ops,
                wire: quote!(#private::String::from(#wire)),
            }
        }
        Primary::Path(key) => {
            let path = key.path();
            let leaf = path.leaf_type(key.first.ty, private);
            let list = quote_spanned!(key.role.path.span=> <#leaf as #private::ResultList>);
            let read = path.read(&this, private);
            let write = path.read_mut(&this, private);
            let item = quote_spanned!(key.role.path.span=> type Item = #list::Item;);
            let ops = quote! {
                const RESULTS_WHOLE: ::core::primitive::bool = <#leaf as #private::ResultKey>::WHOLE;
                fn result_len(&self) -> ::core::primitive::usize {
                    #read.map_or(0, |__paginate_v| #list::item_count(__paginate_v))
                }
                fn skip_results(&mut self, __paginate_n: ::core::primitive::usize) {
                    if let ::core::option::Option::Some(__paginate_v) = #write {
                        #list::skip_items(__paginate_v, __paginate_n)
                    }
                }
                fn truncate_results(&mut self, __paginate_keep: ::core::primitive::usize) {
                    if let ::core::option::Option::Some(__paginate_v) = #write {
                        #list::keep_items(__paginate_v, __paginate_keep)
                    }
                }
                fn take_items(&mut self) -> #private::Vec<Self::Item> {
                    match #write {
                        ::core::option::Option::Some(__paginate_v) => #list::take_items(__paginate_v),
                        ::core::option::Option::None => #private::Vec::new(),
                    }
                }
                fn retain_results(
                    &mut self,
                    __paginate_keep: &mut dyn ::core::ops::FnMut(&Self::Item) -> ::core::primitive::bool,
                ) -> ::core::primitive::bool {
                    match #write {
                        ::core::option::Option::Some(__paginate_v) => #list::retain_items(__paginate_v, __paginate_keep),
                        ::core::option::Option::None => true,
                    }
                }
            };
            PrimaryOps {
                item,
                ops,
                wire: key.wire(private),
            }
        }
    }
}

/// The statements of `clear_secondary_results`: every result key but the
/// primary, emptied on a resumed first page.
pub(super) fn clear_secondary(keys: &Response) -> Vec<TokenStream> {
    let (input, private) = (keys.input, &keys.private);
    let mut clear: Vec<TokenStream> = keys
        .results
        .iter()
        .filter(|f| !keys.is_primary_field(f))
        .map(|f| {
            let (field, ty) = (f.ident, f.ty);
            let private = input.private_at(ty.span());
            quote_spanned!(ty.span()=> <#ty as #private::ResultKey>::clear_result(&mut self.#field);)
        })
        .collect();
    clear.extend(
        keys.path_results()
            .into_iter()
            .filter(|k| !keys.is_primary_path(k))
            .map(|k| {
                let write = k.path().read_mut(&quote!(self), private);
                quote!(if let ::core::option::Option::Some(__paginate_v) = #write {
                    #private::ResultKey::clear_result(__paginate_v);
                })
            }),
    );
    clear
}

/// `merge_page`: a later page's result keys aggregated into this one, paths
/// first (they borrow the page), then fields (they move out of it).
pub(super) fn merge_page(keys: &Response) -> TokenStream {
    let (input, private) = (keys.input, &keys.private);
    let path_results = keys.path_results();
    let (this, page) = (quote!(self), quote!(__paginate_page));
    let mut merge: Vec<TokenStream> = path_results
        .iter()
        .map(|k| {
            let from = k.path().read_mut(&page, private);
            let into = k.path().insert(&this, private);
            quote!(if let ::core::option::Option::Some(__paginate_v) = #from {
                if !#private::ResultKey::is_absent(__paginate_v) {
                    let __paginate_v = #private::take(__paginate_v);
                    #private::ResultKey::aggregate(#into, __paginate_v);
                }
            })
        })
        .collect();
    merge.extend(keys.results.iter().map(|f| {
        let (field, ty) = (f.ident, f.ty);
        let private = input.private_at(ty.span());
        quote_spanned!(ty.span()=>
            <#ty as #private::ResultKey>::aggregate(&mut self.#field, __paginate_page.#field);
        )
    }));
    let page_mut = if path_results.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        fn merge_page(&mut self, #page_mut __paginate_page: Self) {
            #(#merge)*
        }
    }
}
