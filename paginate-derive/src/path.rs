//! Paths into nested response structs, as the struct-level roles write them
//! (`"distribution_list.items"`, `"stream_description.shards[-1].shard_id"`,
//! `"next_marker || contents[-1].key"`): Rust field names, `[i]` indexes
//! (negative from the end) and `||` fallbacks, botocore's JMESPath subset.
//!
//! A path becomes navigation code over the real types, so a segment that names
//! no field is rustc's own error, spanned on the path string.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Ident, LitStr};

/// `a.b[-1].c || d`: alternatives tried in order (only output tokens may have several).
pub(crate) struct PathExpr {
    pub(crate) alternatives: Vec<Path>,
    pub(crate) span: Span,
}

/// One path: a field of the struct, then field and index steps.
pub(crate) struct Path {
    pub(crate) first: Ident,
    pub(crate) steps: Vec<Step>,
}

pub(crate) enum Step {
    Field(Ident),
    Index(i64),
}

impl PathExpr {
    pub(crate) fn parse(lit: &LitStr) -> syn::Result<Self> {
        let span = lit.span();
        let text = lit.value();
        let error = |message: &str| syn::Error::new(span, format!("{message} in the path {text:?}"));
        let alternatives = text
            .split("||")
            .map(|alternative| Path::parse(alternative.trim(), span).map_err(|m| error(&m)))
            .collect::<syn::Result<Vec<_>>>()?;
        Ok(PathExpr { alternatives, span })
    }

    pub(crate) fn is_plain(&self) -> bool {
        self.alternatives.len() == 1 && self.alternatives[0].steps.iter().all(|s| matches!(s, Step::Field(_)))
    }

    pub(crate) fn single(&self) -> &Path {
        &self.alternatives[0]
    }
}

impl Path {
    fn parse(text: &str, span: Span) -> Result<Self, String> {
        let mut segments = Vec::new();
        for segment in text.split('.') {
            let (name, mut rest) = match segment.find('[') {
                Some(at) => (&segment[..at], &segment[at..]),
                None => (segment, ""),
            };
            let name = name.trim();
            let ident = field_name(name, span).ok_or_else(|| format!("`{name}` is not a field name"))?;
            segments.push(Step::Field(ident));
            while !rest.is_empty() {
                let close = rest.find(']').ok_or("an unclosed `[`")?;
                let index: i64 = rest[1..close]
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{}` is not an index", &rest[..=close]))?;
                segments.push(Step::Index(index));
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("unexpected `{rest}`"));
                }
            }
        }
        let mut steps = segments.into_iter();
        let Some(Step::Field(first)) = steps.next() else {
            return Err("a path starts with a field name".into());
        };
        Ok(Path {
            first,
            steps: steps.collect(),
        })
    }

    /// The path as Rust names it, without `r#` (`variables.after`): how
    /// `feeds = "..."` names an input token inside nested request structs.
    pub(crate) fn key(&self) -> String {
        let mut key = self.first.unraw().to_string();
        for step in &self.steps {
            match step {
                Step::Field(field) => {
                    key.push('.');
                    key.push_str(&field.unraw().to_string());
                }
                Step::Index(index) => key.push_str(&format!("[{index}]")),
            }
        }
        key
    }

    /// The wire path as a request sends it, a `&'static str` built at compile
    /// time from each nested struct's serde name (a constant: the token
    /// tables hold it). A block of items, so the request cannot be generic.
    pub(crate) fn sent_wire(&self, first_wire: &str, first_ty: &syn::Type, private: &TokenStream) -> TokenStream {
        let mut parts = vec![quote!(#first_wire)];
        let mut ty = quote!(#first_ty);
        for (step, next) in self.steps.iter().zip(self.types(first_ty, private)) {
            if let Step::Field(field) = step {
                let name = name_key(field, private);
                parts.push(quote_spanned!(field.span()=>
                    <<#ty as #private::Nav>::Target as #private::FieldNamed<#name>>::WIRE_SENT
                ));
            }
            ty = next;
        }
        quote!({
            const __PAGINATE_PARTS: &[&::core::primitive::str] = &[#(#parts),*];
            const __PAGINATE_BYTES: [::core::primitive::u8; #private::wire_len(__PAGINATE_PARTS)] =
                #private::wire_join(__PAGINATE_PARTS);
            #private::wire_str(&__PAGINATE_BYTES)
        })
    }

    /// `Option<&Leaf>`: the value at the path, if every step finds one.
    pub(crate) fn read(&self, root: &TokenStream, private: &TokenStream) -> TokenStream {
        let first = &self.first;
        let mut expr = quote!(::core::option::Option::Some(&#root.#first));
        for step in &self.steps {
            expr = match step {
                Step::Field(field) => quote_spanned!(field.span()=>
                    #expr.and_then(#private::Nav::nav).map(|__paginate_v| &__paginate_v.#field)
                ),
                Step::Index(index) => quote!(
                    #expr.and_then(#private::Nav::nav).and_then(|__paginate_v| #private::at(__paginate_v, #index))
                ),
            };
        }
        expr
    }

    /// `Option<&mut Leaf>`, for paths without indexes.
    pub(crate) fn read_mut(&self, root: &TokenStream, private: &TokenStream) -> TokenStream {
        let first = &self.first;
        let mut expr = quote!(::core::option::Option::Some(&mut #root.#first));
        for step in &self.steps {
            if let Step::Field(field) = step {
                expr = quote_spanned!(field.span()=>
                    #expr.and_then(#private::Nav::nav_mut).map(|__paginate_v| &mut __paginate_v.#field)
                );
            }
        }
        expr
    }

    /// `&mut Leaf`, creating absent structs on the way (they are `Default`).
    pub(crate) fn insert(&self, root: &TokenStream, private: &TokenStream) -> TokenStream {
        let first = &self.first;
        let mut expr = quote!(&mut #root.#first);
        for step in &self.steps {
            if let Step::Field(field) = step {
                expr = quote_spanned!(field.span()=> &mut #private::NavInsert::nav_insert(#expr).#field);
            }
        }
        expr
    }

    /// The type of each step's value, from the first field's type through
    /// `FieldNamed` and `Indexed` projections; the last is the leaf's.
    pub(crate) fn types(&self, first_ty: &syn::Type, private: &TokenStream) -> Vec<TokenStream> {
        let mut ty = quote!(#first_ty);
        let mut types = Vec::new();
        for step in &self.steps {
            ty = match step {
                Step::Field(field) => {
                    let name = name_key(field, private);
                    quote_spanned!(field.span()=>
                        <<#ty as #private::Nav>::Target as #private::FieldNamed<#name>>::Type
                    )
                }
                Step::Index(_) => quote!(<<#ty as #private::Nav>::Target as #private::Indexed>::Elem),
            };
            types.push(ty.clone());
        }
        types
    }

    /// The leaf's type.
    pub(crate) fn leaf_type(&self, first_ty: &syn::Type, private: &TokenStream) -> TokenStream {
        self.types(first_ty, private).pop().unwrap_or_else(|| quote!(#first_ty))
    }

    /// The wire path as botocore writes it (`DistributionList.Items`,
    /// `Shards[-1].ShardId`), from each struct's serde names.
    pub(crate) fn wire(&self, first_wire: &str, first_ty: &syn::Type, private: &TokenStream) -> TokenStream {
        let mut pushes = vec![quote!(__paginate_w.push_str(#first_wire);)];
        let mut ty = quote!(#first_ty);
        for (step, next) in self.steps.iter().zip(self.types(first_ty, private)) {
            match step {
                Step::Field(field) => {
                    let name = name_key(field, private);
                    pushes.push(quote!(
                        __paginate_w.push('.');
                        __paginate_w.push_str(<<#ty as #private::Nav>::Target as #private::FieldNamed<#name>>::WIRE);
                    ));
                }
                Step::Index(index) => {
                    let text = format!("[{index}]");
                    pushes.push(quote!(__paginate_w.push_str(#text);));
                }
            }
            ty = next;
        }
        quote!({
            let mut __paginate_w = #private::String::new();
            #(#pushes)*
            __paginate_w
        })
    }
}

/// A path segment as the field it names, at `span`: `r#continue` and
/// `continue` both name the field Rust spells `r#continue` (Kubernetes'
/// `metadata.continue`).
fn field_name(segment: &str, span: Span) -> Option<Ident> {
    let name = segment.strip_prefix("r#").unwrap_or(segment);
    // Lowercase letters that are no identifier make a keyword; these three
    // cannot be raw identifiers, so they are no field's name.
    let keyword =
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()) && !["self", "super", "crate"].contains(&name);
    if syn::parse_str::<Ident>(name).is_ok() {
        Some(Ident::new(name, span))
    } else if keyword {
        Some(Ident::new_raw(name, span))
    } else {
        None
    }
}

/// Whether two identifiers name the same field: `r#type` is `type`.
pub(crate) fn same_name(a: &Ident, b: &Ident) -> bool {
    a.unraw() == b.unraw()
}

/// The `FieldNamed` key of a field: its name (without `r#`) as a tuple of
/// `Ch` types, one a character. The nested struct's derive and the paths into
/// it spell the same type, and two names never give one.
pub(crate) fn name_key(field: &Ident, private: &TokenStream) -> TokenStream {
    let name = field.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let chars = name.chars().map(|c| quote!(#private::Ch<#c>));
    quote!((#(#chars,)*))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PathExpr, String> {
        PathExpr::parse(&LitStr::new(text, Span::call_site())).map_err(|e| e.to_string())
    }

    #[test]
    fn parses_botocore_shapes() {
        let p = parse("stream_description.shards[-1].shard_id").expect("valid");
        assert_eq!(p.alternatives.len(), 1);
        assert_eq!(p.single().first, "stream_description");
        assert_eq!(p.single().steps.len(), 3);
        assert!(matches!(p.single().steps[1], Step::Index(-1)));
        let p = parse("next_marker || contents[-1].key").expect("valid");
        assert_eq!(p.alternatives.len(), 2);
        assert!(parse("distribution_list.items").expect("valid").is_plain());
        assert_eq!(
            parse("variables . r#after").expect("valid").single().key(),
            "variables.after"
        );
    }

    #[test]
    fn keywords_are_raw_field_names() {
        for text in ["metadata.r#continue", "metadata.continue"] {
            let p = parse(text).expect("valid");
            let Step::Field(field) = &p.single().steps[0] else {
                panic!("{text:?} ends at a field");
            };
            assert_eq!(field.to_string(), "r#continue", "{text:?}");
        }
        let p = parse("r#metadata.items").expect("valid");
        assert_eq!(p.single().first.to_string(), "metadata");
    }

    #[test]
    fn refuses_what_is_not_a_path() {
        for bad in [
            "", "a..b", "a[x]", "a[1", "1a", "a[0]b", "a.b ||", "a.self", "r#crate", "a.r#", "r#1", "_",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
