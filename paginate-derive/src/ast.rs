//! A typed view of the struct the derive is applied to.

use serde_derive_internals::{ast as serde_ast, Ctxt, Derive};
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type};

use crate::attr::{self, Errors, FieldAttrs, StructAttrs};

pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: StructAttrs,
    pub(crate) fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs,
    /// The name serde gives the field on the wire.
    pub(crate) wire: String,
    /// The name serde writes it under: `wire` but for a `nested` struct's
    /// field with `#[serde(rename(serialize = ...))]` (a request path's).
    pub(crate) sent: String,
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> syn::Result<Self> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(_) | Fields::Unit => {
                    return Err(syn::Error::new_spanned(
                        &input.ident,
                        "#[derive(Paginated)] needs a struct with named fields (the fields carry the tokens); \
                         for a body that is a bare JSON array, name the field and mark the struct \
                         `#[serde(transparent)]`",
                    ))
                }
            },
            Data::Enum(data) => {
                return Err(syn::Error::new_spanned(
                    data.enum_token,
                    "#[derive(Paginated)] works on structs, not enums",
                ))
            }
            Data::Union(data) => {
                return Err(syn::Error::new_spanned(
                    data.union_token,
                    "#[derive(Paginated)] works on structs, not unions",
                ))
            }
        };
        let attrs = attr::struct_attrs(&input.attrs, errors);
        let names = serde_names(input, attrs.response.is_set());
        let sent_names = if attrs.nested.is_set() {
            serde_names(input, true)
        } else {
            names.clone()
        };
        let fields = named
            .named
            .iter()
            .zip(names.into_iter().zip(sent_names))
            .filter_map(|(field, (serde_name, sent))| {
                let ident = field.ident.as_ref()?;
                let attrs = attr::field_attrs(&field.attrs, errors);
                let wire = attrs.rename.get().cloned().unwrap_or(serde_name);
                Some(Field {
                    ident,
                    ty: &field.ty,
                    attrs,
                    wire,
                    sent,
                })
            })
            .collect();
        Ok(Input {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            fields,
        })
    }

    pub(crate) fn is_request(&self) -> bool {
        self.attrs.response.is_set()
    }

    /// The path generated code reaches the runtime through.
    pub(crate) fn private(&self) -> proc_macro2::TokenStream {
        self.private_at(proc_macro2::Span::call_site())
    }

    /// The same path, spanned for code whose errors belong at `span`.
    pub(crate) fn private_at(&self, span: proc_macro2::Span) -> proc_macro2::TokenStream {
        crate::fallback::private(self.attrs.krate.get(), span)
    }
}

/// The name serde gives each field on the wire, from serde's own attribute
/// parser: the serialized name for a request (it is sent), the deserialized
/// name for a response (it is received). Mistakes in `#[serde(...)]` are
/// serde's to report; a field serde cannot name keeps its Rust name.
fn serde_names(input: &DeriveInput, request: bool) -> Vec<String> {
    let cx = Ctxt::new();
    let derive = if request {
        Derive::Serialize
    } else {
        Derive::Deserialize
    };
    let names = serde_ast::Container::from_ast(&cx, input, derive).and_then(|container| match container.data {
        serde_ast::Data::Struct(_, fields) => Some(
            fields
                .iter()
                .map(|f| {
                    let name = f.attrs.name();
                    if request {
                        name.serialize_name()
                    } else {
                        name.deserialize_name()
                    }
                    .to_owned()
                })
                .collect::<Vec<_>>(),
        ),
        serde_ast::Data::Enum(_) => None,
    });
    let _ = cx.check();
    names.unwrap_or_else(|| {
        let fields = match &input.data {
            Data::Struct(data) => data.fields.iter().collect(),
            _ => Vec::new(),
        };
        fields
            .iter()
            .map(|f| f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default())
            .collect()
    })
}
