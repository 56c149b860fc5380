//! The `PaginatedResponse` impl: which keys the response has (fields and
//! paths), its output tokens, its `more_results` and `last_page` flags, and
//! its description.
//! The result keys' operations are `results.rs`; the full result's, `full_result.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::Ident;

use super::{full_result, results};
use crate::ast::{Field, Input};
use crate::attr::{PathKind, PathRole};
use crate::path::{same_name, Path};
use crate::role::SingleRole;

/// A struct-level role with a path, its first field resolved.
#[derive(Clone, Copy)]
pub(super) struct PathKey<'a> {
    pub(super) role: &'a PathRole,
    pub(super) first: &'a Field<'a>,
}

impl PathKey<'_> {
    pub(super) fn path(&self) -> &Path {
        self.role.path.single()
    }

    /// The wire path, as botocore writes it.
    pub(super) fn wire(&self, private: &TokenStream) -> TokenStream {
        self.path().wire(&self.first.wire, self.first.ty, private)
    }
}

/// The primary result key: the one `MaxItems` counts and items come from.
#[derive(Clone, Copy)]
pub(super) enum Primary<'a> {
    Field(&'a Field<'a>),
    Path(PathKey<'a>),
}

/// The keys of a response struct, fields and paths, sorted by role.
pub(super) struct Response<'a> {
    pub(super) input: &'a Input<'a>,
    /// `<crate>::__private`, spanned at the derive.
    pub(super) private: TokenStream,
    pub(super) paths: Vec<PathKey<'a>>,
    /// The result keys that are fields.
    pub(super) results: Vec<&'a Field<'a>>,
    pub(super) primary: Primary<'a>,
}

impl<'a> Response<'a> {
    /// `None` for a response without result keys (an error reported already).
    fn new(input: &'a Input<'a>) -> Option<Self> {
        let paths = path_keys(input);
        let results: Vec<&Field> = input.fields.iter().filter(|f| f.attrs.result_key.is_set()).collect();
        let primary = primary(&paths, &results)?;
        Some(Response {
            input,
            private: input.private(),
            paths,
            results,
            primary,
        })
    }

    pub(super) fn path_results(&self) -> Vec<&PathKey<'a>> {
        self.paths_of(|kind| matches!(kind, PathKind::ResultKey { .. }))
    }

    pub(super) fn path_non_aggregates(&self) -> Vec<&PathKey<'a>> {
        self.paths_of(|kind| matches!(kind, PathKind::NonAggregate))
    }

    fn paths_of(&self, role: fn(&PathKind) -> bool) -> Vec<&PathKey<'a>> {
        self.paths.iter().filter(|k| role(&k.role.kind)).collect()
    }

    pub(super) fn is_primary_field(&self, f: &Field) -> bool {
        matches!(self.primary, Primary::Field(p) if p.ident == f.ident)
    }

    pub(super) fn is_primary_path(&self, k: &PathKey) -> bool {
        matches!(self.primary, Primary::Path(p) if std::ptr::eq(p.role, k.role))
    }
}

/// The primary result key: marked `primary`, else the first field, else the first path.
fn primary<'a>(paths: &[PathKey<'a>], results: &[&'a Field<'a>]) -> Option<Primary<'a>> {
    let mut path_results = paths
        .iter()
        .filter(|k| matches!(k.role.kind, PathKind::ResultKey { .. }));
    let marked_path = path_results
        .clone()
        .find(|k| matches!(k.role.kind, PathKind::ResultKey { primary: true }));
    Some(match (marked_path, results.iter().find(|f| f.attrs.primary.is_set())) {
        (Some(key), _) => Primary::Path(*key),
        (None, Some(field)) => Primary::Field(field),
        (None, None) => match (results.first(), path_results.next()) {
            (Some(field), _) => Primary::Field(field),
            (None, Some(key)) => Primary::Path(*key),
            (None, None) => return None,
        },
    })
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
fn first_field<'a>(input: &'a Input, path: &Path) -> Option<&'a Field<'a>> {
    input.fields.iter().find(|f| same_name(f.ident, &path.first))
}

pub(super) fn response(input: &Input) -> TokenStream {
    let Some(keys) = Response::new(input) else {
        return quote!();
    };
    let ident = input.ident;
    let private = &keys.private;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let OutputTokens {
        fields: output_tokens,
        arms: output_arms,
        wires: output_wires,
    } = output_tokens(&keys);
    let none = quote!(::core::option::Option::None);
    let (more, more_results_wire) = single(&keys, SingleRole::MORE_RESULTS, ("MoreResults", "more"), quote!(false));
    let more_results = more.map_or(none.clone(), |more| quote!(::core::option::Option::Some(#more)));
    let (last, last_page_wire) = single(&keys, SingleRole::LAST_PAGE, ("LastPage", "last"), quote!(false));
    let last_page = last.unwrap_or(quote!(false));
    let count = |role| {
        single(&keys, role, ("Total", "total"), none.clone())
            .0
            .unwrap_or(none.clone())
    };
    let (total, total_pages) = (count(SingleRole::TOTAL), count(SingleRole::TOTAL_PAGES));
    let results::PrimaryOps {
        item,
        ops: primary_ops,
        wire: primary_wire,
    } = results::primary_ops(&keys);
    let clear = results::clear_secondary(&keys);
    let merge_page = results::merge_page(&keys);
    let full_result = full_result::full_result(&keys);
    let (result_wires, non_aggregate_wires) = describe_wires(&keys, primary_wire);
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::ResponseTokens for #ident #ty_generics #where_clause {
            const OUTPUT_TOKENS: &'static [#private::TokenField] = &[#(#output_tokens),*];

            fn describe_keys() -> #private::ResponseKeys {
                #private::ResponseKeys {
                    output_tokens: #private::Vec::from([#(#output_wires),*]),
                    result_keys: #private::Vec::from([#(#result_wires),*]),
                    more_results: #more_results_wire,
                    non_aggregate_keys: #private::Vec::from([#(#non_aggregate_wires),*]),
                    last_page: #last_page_wire,
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
        }

        #[automatically_derived]
        impl #impl_generics #private::PaginatedResponse for #ident #ty_generics #where_clause {
            #item

            fn more_results(&self) -> ::core::option::Option<::core::primitive::bool> {
                #more_results
            }

            fn last_page(&self) -> ::core::primitive::bool {
                #last_page
            }

            fn total(&self) -> ::core::option::Option<::core::primitive::u64> {
                #total
            }

            fn total_pages(&self) -> ::core::option::Option<::core::primitive::u64> {
                #total_pages
            }

            #primary_ops

            fn clear_secondary_results(&mut self) {
                #(#clear)*
            }

            #merge_page

            #full_result
        }
    }
}

/// The output tokens, fields then paths (with `||` fallbacks): the
/// `OUTPUT_TOKENS` entries, the arms of `output_token`, and the wire names.
struct OutputTokens {
    fields: Vec<TokenStream>,
    arms: Vec<TokenStream>,
    wires: Vec<TokenStream>,
}

fn output_tokens(keys: &Response) -> OutputTokens {
    let (input, private) = (keys.input, &keys.private);
    let ident = input.ident;
    let this = quote!(self);
    let unpaired = |field: &dyn std::fmt::Display, target: &str| {
        if target.contains('.') {
            format!(
                "`{ident}::{field}` feeds `\"{target}\"`, but the request has no \
                 `#[paginated(input_token(path = \"{target}\"))]`"
            )
        } else {
            format!(
                "`{ident}::{field}` is `#[paginated(output_token = {target})]`, but the request has no \
                 `#[paginated(input_token)]` field named `{target}` (a token inside nested request structs \
                 is named by its path, in quotes, as its `input_token(path = \"...\")` has it)"
            )
        }
    };
    let mut out = OutputTokens {
        fields: Vec::new(),
        arms: Vec::new(),
        wires: Vec::new(),
    };
    for f in input.fields.iter().filter(|f| f.attrs.output_token.is_set()) {
        let wire = &f.wire;
        let target = match f.attrs.output_token.get().and_then(Option::as_ref) {
            Some(feeds) => feeds.key.clone(),
            None => f.ident.unraw().to_string(),
        };
        let message = unpaired(&f.ident, &target);
        out.fields
            .push(quote!(#private::TokenField { wire: "", field: #target, unpaired: #message, kind: #private::TokenKind::Cursor }));
        let (field, index) = (f.ident, out.arms.len());
        let private_ty = input.private_at(f.ty.span());
        if let (Some(rel), Some(span)) = (f.attrs.link.get(), f.attrs.link.span()) {
            let ty = f.ty;
            let header = quote_spanned!(ty.span()=> <#ty as #private_ty::LinkHeader>::link_header(&self.#field));
            let private_link = input.private_at(span);
            let enabled = quote_spanned!(span=> #private_link::LinkFeature::<Self>::ENABLED);
            out.arms.push(quote!(#index => {
                let () = #enabled;
                #private::link_target(#header, #rel)
            },));
            let wire = format!("Link rel=\"{}\"", rel.value());
            out.wires.push(quote!((#private::String::from(#wire), #target)));
            continue;
        }
        out.arms
            .push(quote_spanned!(f.ty.span()=> #index => #private_ty::token_to_value(&self.#field),));
        out.wires.push(quote!((#private::String::from(#wire), #target)));
    }
    for key in &keys.paths {
        let PathKind::OutputToken { feeds } = &key.role.kind else {
            continue;
        };
        let message = unpaired(&format_args!("{} (path)", key.role.key), &feeds.key);
        let target = &feeds.key;
        out.fields
            .push(quote!(#private::TokenField { wire: "", field: #target, unpaired: #message, kind: #private::TokenKind::Cursor }));
        let mut candidates = Vec::new();
        let mut wires = Vec::new();
        for alternative in &key.role.path.alternatives {
            let Some(first) = first_field(input, alternative) else {
                continue;
            };
            let read = alternative.read(&this, private);
            candidates.push(quote!(match #read {
                ::core::option::Option::Some(__paginate_v) => #private::token_to_value(__paginate_v),
                ::core::option::Option::None => ::core::result::Result::Ok(#private::TokenValue::Null),
            }));
            wires.push(alternative.wire(&first.wire, first.ty, private));
        }
        let index = out.arms.len();
        out.arms
            .push(quote!(#index => #private::first_truthy([#(#candidates),*]),));
        out.wires.push(quote!(({
            let __paginate_parts: #private::Vec<#private::String> = #private::Vec::from([#(#wires),*]);
            __paginate_parts.join(" || ")
        }, #target)));
    }
    out
}

/// A role the response gives at most one field or path (`more_results`,
/// `last_page`, `total`, `total_pages`) read through `Trait::method` of
/// `fields.rs`: the value, `None` when the response has no such role, and
/// its wire name as an `Option<String>` expression. A path that reaches no
/// value reads as `absent`.
fn single(
    keys: &Response,
    role: SingleRole,
    (trait_, method): (&str, &str),
    absent: TokenStream,
) -> (Option<TokenStream>, TokenStream) {
    let (input, private) = (keys.input, &keys.private);
    if let Some(f) = input.fields.iter().find(|f| role.on_field(&f.attrs).is_some()) {
        let (field, ty, wire, span) = (f.ident, f.ty, &f.wire, f.ty.span());
        let (trait_, method) = (Ident::new(trait_, span), Ident::new(method, span));
        let private_at = input.private_at(span);
        return (
            Some(quote_spanned!(span=> <#ty as #private_at::#trait_>::#method(&self.#field))),
            quote!(::core::option::Option::Some(#private::String::from(#wire))),
        );
    }
    match keys.paths.iter().find(|k| role.on_path(&k.role.kind)) {
        Some(key) => {
            let (trait_, method) = (format_ident!("{trait_}"), format_ident!("{method}"));
            let read = key.path().read(&quote!(self), private);
            let wire = key.wire(private);
            (
                Some(quote!(match #read {
                    ::core::option::Option::Some(__paginate_v) => #private::#trait_::#method(__paginate_v),
                    ::core::option::Option::None => #absent,
                })),
                quote!(::core::option::Option::Some(#wire)),
            )
        }
        None => (None, quote!(::core::option::Option::None)),
    }
}

/// `describe()`'s result keys (the primary first) and non-aggregate keys:
/// wire names, botocore's expressions for paths.
fn describe_wires(keys: &Response, primary_wire: TokenStream) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let private = &keys.private;
    let mut result_wires = vec![primary_wire];
    result_wires.extend(keys.results.iter().filter(|f| !keys.is_primary_field(f)).map(|f| {
        let wire = &f.wire;
        quote!(#private::String::from(#wire))
    }));
    result_wires.extend(
        keys.path_results()
            .into_iter()
            .filter(|k| !keys.is_primary_path(k))
            .map(|k| k.wire(private)),
    );
    let mut non_aggregate_wires: Vec<TokenStream> = keys
        .input
        .fields
        .iter()
        .filter(|f| f.attrs.non_aggregate.is_set())
        .map(|f| {
            let wire = &f.wire;
            quote!(#private::String::from(#wire))
        })
        .collect();
    non_aggregate_wires.extend(keys.path_non_aggregates().into_iter().map(|k| k.wire(private)));
    (result_wires, non_aggregate_wires)
}
