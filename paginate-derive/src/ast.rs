//! A typed view of the struct the derive is applied to.

use syn::{Data, DeriveInput, Fields, Generics, Ident, Type};

use crate::attr::{self, Errors, FieldAttrs, StructAttrs};
use crate::case;

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
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> syn::Result<Self> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(_) | Fields::Unit => {
                    return Err(syn::Error::new_spanned(
                        &input.ident,
                        "#[derive(Paginated)] needs a struct with named fields (the fields carry the tokens)",
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
        let rename_all = attr::serde_value(&input.attrs, "rename_all");
        let attrs = attr::struct_attrs(&input.attrs, errors);
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let attrs = attr::field_attrs(&field.attrs, errors);
                let name = ident.to_string();
                let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
                let wire = attrs
                    .rename
                    .get()
                    .cloned()
                    .or_else(|| attr::serde_value(&field.attrs, "rename"))
                    .or_else(|| rename_all.as_deref().and_then(|rule| case::apply(rule, &name)))
                    .unwrap_or(name);
                Some(Field {
                    ident,
                    ty: &field.ty,
                    attrs,
                    wire,
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
}
