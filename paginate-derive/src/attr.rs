//! Parsing of `#[paginated(...)]` and of the `#[serde(rename...)]` the wire names come from.

use proc_macro2::{Span, TokenTree};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitInt, LitStr, Path, Type};

use crate::path::PathExpr;
use crate::symbol::*;

/// The keys a field accepts.
fn field_keys() -> String {
    KEYS.iter()
        .filter(|k| k.place != Place::Struct)
        .map(|k| format!("`{}`", k.symbol))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects every error so one build reports every mistake.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn spanned<T: quote::ToTokens>(&mut self, tokens: T, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// A value seen once, with the span of the attribute key that set it.
pub(crate) struct Once<T> {
    pub(crate) value: Option<(Span, T)>,
}

impl<T> Default for Once<T> {
    fn default() -> Self {
        Once { value: None }
    }
}

impl<T> Once<T> {
    fn set(&mut self, errors: &mut Errors, key: &Ident, value: T) {
        if self.value.is_some() {
            errors.spanned(key, format_args!("duplicate paginated attribute `{key}`"));
        } else {
            self.value = Some((key.span(), value));
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(s, _)| *s)
    }

    pub(crate) fn is_set(&self) -> bool {
        self.value.is_some()
    }
}

/// `#[paginated(...)]` on the struct.
#[derive(Default)]
pub(crate) struct StructAttrs {
    pub(crate) response: Once<Type>,
    pub(crate) krate: Once<Path>,
    pub(crate) nested: Once<()>,
    /// Roles reaching into nested structs: `result_key(path = "...")` and the like.
    pub(crate) paths: Vec<PathRole>,
}

/// A struct-level role with a path.
pub(crate) struct PathRole {
    pub(crate) key: Ident,
    pub(crate) kind: PathKind,
    pub(crate) path: PathExpr,
}

pub(crate) enum PathKind {
    ResultKey { primary: bool },
    OutputToken { feeds: Ident },
    MoreResults,
    NonAggregate,
}

/// Parses `role(path = "...", ...)` on the struct.
fn path_role(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<PathRole> {
    let (mut path, mut feeds, mut primary) = (None, None, false);
    meta.parse_nested_meta(|inner| {
        let name = key_of(&inner)?;
        if name == PATH {
            path = Some(PathExpr::parse(&inner.value()?.parse::<LitStr>()?)?);
        } else if name == FEEDS && key == OUTPUT_TOKEN {
            feeds = Some(field_name(inner.value()?)?);
        } else if name == PRIMARY && key == RESULT_KEY {
            primary = true;
        } else {
            let allowed = if key == OUTPUT_TOKEN {
                "`path` and `feeds`"
            } else if key == RESULT_KEY {
                "`path` and `primary`"
            } else {
                "`path`"
            };
            return Err(syn::Error::new_spanned(
                &name,
                format!("unknown key `{name}` in `{key}(...)`; expected {allowed}"),
            ));
        }
        Ok(())
    })?;
    let path = path.ok_or_else(|| meta.error(format!("`{key}(...)` on the struct needs `path = \"...\"`")))?;
    let kind = if key == RESULT_KEY {
        PathKind::ResultKey { primary }
    } else if key == OUTPUT_TOKEN {
        PathKind::OutputToken {
            feeds: feeds.ok_or_else(|| {
                meta.error("`output_token(...)` on the struct needs `feeds = <input token field of the request>`")
            })?,
        }
    } else if key == MORE_RESULTS {
        PathKind::MoreResults
    } else {
        PathKind::NonAggregate
    };
    if !matches!(kind, PathKind::OutputToken { .. }) && !path.is_plain() {
        return Err(syn::Error::new(
            path.span,
            format!("`{key}` takes a plain path of field names; indexes and `||` are for output tokens"),
        ));
    }
    Ok(PathRole {
        key: key.clone(),
        kind,
        path,
    })
}

/// `#[paginated(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) input_token: Once<()>,
    pub(crate) limit_key: Once<()>,
    pub(crate) min: Once<u64>,
    pub(crate) max: Once<u64>,
    pub(crate) rename: Once<String>,
    pub(crate) output_token: Once<Option<Ident>>,
    pub(crate) result_key: Once<()>,
    pub(crate) primary: Once<()>,
    pub(crate) more_results: Once<()>,
    pub(crate) non_aggregate: Once<()>,
    /// `link = "next"`: the output token is the target of this relation in a `Link` header.
    pub(crate) link: Once<LitStr>,
}

pub(crate) fn struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| *a.path() == PAGINATED) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            if key == RESPONSE {
                out.response.set(errors, &key, meta.value()?.parse()?);
            } else if key == CRATE {
                out.krate.set(errors, &key, meta.value()?.parse::<LitStr>()?.parse()?);
            } else if key == NESTED {
                out.nested.set(errors, &key, ());
            } else if PATH_ROLES.iter().any(|role| key == *role) && meta.input.peek(syn::token::Paren) {
                out.paths.push(path_role(&meta, &key)?);
            } else if (key == INPUT_TOKEN || key == LIMIT_KEY) && meta.input.peek(syn::token::Paren) {
                errors.push(request_path(&meta, &key)?);
            } else if PATH_ROLES.iter().any(|role| key == *role) {
                errors.spanned(
                    &key,
                    format_args!(
                        "`{key}` goes on a field; on the struct, a role takes a path: `{key}(path = \"field.nested_field\")`"
                    ),
                );
                skip_value(&meta)?;
            } else if KEYS.iter().any(|k| key == k.symbol) {
                errors.spanned(&key, format_args!("`{key}` goes on a field"));
                skip_value(&meta)?;
            } else {
                errors.spanned(
                    &key,
                    format_args!(
                        "unknown paginated attribute `{key}`; on a struct the keys are `response`, `crate`, `nested` \
                         and roles with a path (`result_key(path = ...)`, `output_token(path = ..., feeds = ...)`, \
                         `more_results(path = ...)`, `non_aggregate(path = ...)`)"
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
}

pub(crate) fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| *a.path() == PAGINATED) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            if (key == INPUT_TOKEN || key == LIMIT_KEY) && meta.input.peek(syn::token::Paren) {
                errors.push(request_path(&meta, &key)?);
            } else if key == INPUT_TOKEN {
                out.input_token.set(errors, &key, ());
            } else if key == LIMIT_KEY {
                out.limit_key.set(errors, &key, ());
            } else if key == RESULT_KEY {
                out.result_key.set(errors, &key, ());
            } else if key == PRIMARY {
                out.primary.set(errors, &key, ());
            } else if key == MORE_RESULTS {
                out.more_results.set(errors, &key, ());
            } else if key == NON_AGGREGATE {
                out.non_aggregate.set(errors, &key, ());
            } else if key == MIN {
                out.min
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?);
            } else if key == MAX {
                out.max
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?);
            } else if key == RENAME {
                out.rename.set(errors, &key, meta.value()?.parse::<LitStr>()?.value());
            } else if key == LINK {
                out.link.set(errors, &key, meta.value()?.parse::<LitStr>()?);
            } else if key == OUTPUT_TOKEN {
                let target = if meta.input.peek(syn::Token![=]) {
                    Some(field_name(meta.value()?)?)
                } else {
                    None
                };
                out.output_token.set(errors, &key, target);
            } else if key == RESPONSE {
                errors.spanned(&key, "`response` goes on the request struct, not on a field");
                skip_value(&meta)?;
            } else if key == CRATE {
                errors.spanned(&key, "`crate` goes on the struct, not on a field");
                skip_value(&meta)?;
            } else {
                errors.spanned(
                    &key,
                    format_args!("unknown paginated attribute `{key}`; expected one of {}", field_keys()),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
}

/// `input_token(...)` or `limit_key(...)`, on the struct or a field: a
/// request key inside a nested struct, which cannot be declared. The error
/// covers the key and its parentheses.
fn request_path(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<syn::Error> {
    let args: TokenTree = meta.input.parse()?;
    let example = if key == INPUT_TOKEN {
        "variables.after"
    } else {
        "variables.first"
    };
    Ok(syn::Error::new_spanned(
        quote::quote!(#key #args),
        format!(
            "`{key}` takes no path: request fields inside a nested struct (GraphQL's `{example}`) are not \
             supported yet, only paths into the response are. Mark a field of the request itself \
             `#[paginated({key})]` (with `#[serde(skip)]` if it is not sent as it is) and have the client \
             copy it into the nested struct when it sends the request"
        ),
    ))
}

/// A field name, keywords too (`feeds = continue` names `r#continue`).
fn field_name(input: syn::parse::ParseStream) -> syn::Result<Ident> {
    if input.peek(Ident::peek_any) {
        input.call(Ident::parse_any)
    } else {
        Err(input.error("expected identifier"))
    }
}

fn key_of(meta: &ParseNestedMeta) -> syn::Result<Ident> {
    meta.path
        .get_ident()
        .cloned()
        .ok_or_else(|| meta.error("expected a paginated attribute key such as `input_token`"))
}

fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let value = meta.value()?;
        while !value.is_empty() && !value.peek(syn::Token![,]) {
            value.parse::<TokenTree>()?;
        }
    } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        meta.input.parse::<TokenTree>()?;
    }
    Ok(())
}
