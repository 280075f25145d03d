//! What an operation's request carries beside its body: its parameters
//! (path, query, header, cookie), the path item's merged with the
//! operation's, `$ref`s resolved, undeclared template variables added as
//! strings, and builder names kept clear of body fields and the builder's
//! own names.

use openapiv3::{MediaType, ParameterData, ParameterSchemaOrContent, Schema};

use super::lower::Lowerer;
use super::names::{snake_ident, Scope};
use super::requests::BUILDER_RESERVED;
use super::schemas::{Hint, Site};
use super::{sanitize_docs, Deprecation, ParamLocation, ParamStyle, Parameter, TypeRef};
use crate::diagnostics::Pointer;

/// Headers OpenAPI says a parameter cannot set: the client owns them.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// A parameter as the spec declares it (its `$ref` resolved), before it is
/// lowered: where it goes, how it is written, and where it is in the spec.
struct Declared {
    data: ParameterData,
    location: ParamLocation,
    style: ParamStyle,
    allow_reserved: bool,
    ptr: Pointer,
}

impl<'a> Lowerer<'a> {
    /// The parameters of an operation: the path item's, then the operation's,
    /// which override a path item parameter of the same name and location.
    /// Names of template variables the spec does not declare become string
    /// parameters, so that a request never goes to a literal `{id}`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parameters(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        item_ptr: &Pointer,
        op: &openapiv3::Operation,
        op_ptr: &Pointer,
        type_prefix: &str,
        taken: &[String],
    ) -> Vec<Parameter> {
        let declared = self.declared_parameters(item, item_ptr, op, op_ptr);
        let variables = template_variables(path);
        let mut names = Scope::with_reserved(
            &BUILDER_RESERVED
                .iter()
                .copied()
                .chain(taken.iter().map(String::as_str))
                .collect::<Vec<_>>(),
        );
        let mut out = Vec::new();
        for declared in declared {
            if declared.location == ParamLocation::Path && !variables.contains(&declared.data.name)
            {
                self.diags.warning(
                    &declared.ptr,
                    format!(
                        "path parameter `{}` is not in the path template; it is left out",
                        declared.data.name
                    ),
                );
                continue;
            }
            out.push(self.parameter(declared, type_prefix, &mut names));
        }
        let undeclared = self.undeclared_path_parameters(variables, &out, &mut names, op_ptr);
        out.extend(undeclared);
        out
    }

    /// The parameters the path item and then the operation declare, without
    /// the headers the client owns; an operation's parameter replaces the
    /// path item's of the same name and location.
    fn declared_parameters(
        &mut self,
        item: &openapiv3::PathItem,
        item_ptr: &Pointer,
        op: &openapiv3::Operation,
        op_ptr: &Pointer,
    ) -> Vec<Declared> {
        let mut declared: Vec<Declared> = Vec::new();
        let sources = [
            (&item.parameters, item_ptr.push("parameters")),
            (&op.parameters, op_ptr.push("parameters")),
        ];
        for (params, list_ptr) in sources {
            for (index, param) in params.iter().enumerate() {
                let ptr = list_ptr.push(index.to_string());
                let Some((param, ptr)) =
                    self.resolve_component(param, &ptr, "parameters", "parameter", |c| {
                        &c.parameters
                    })
                else {
                    continue;
                };
                let (data, location, style, allow_reserved) = parameter_parts(param);
                if location == ParamLocation::Header
                    && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                declared.retain(|d| !(d.data.name == data.name && d.location == location));
                declared.push(Declared {
                    data: data.clone(),
                    location,
                    style,
                    allow_reserved,
                    ptr,
                });
            }
        }
        declared
    }

    /// One declared parameter lowered: its type, its builder name (claimed
    /// in `names`), its docs and how it is written.
    fn parameter(&mut self, declared: Declared, type_prefix: &str, names: &mut Scope) -> Parameter {
        let Declared {
            data,
            location,
            mut style,
            allow_reserved,
            ptr,
        } = declared;
        // Enums are named after the parameter alone when they can be, so
        // that one set of values shared by many operations is one type.
        let hint = Hint {
            short: Some(data.name.clone()),
            ..Hint::new(format!("{type_prefix}_{}", data.name))
        };
        let site = Site {
            ptr: &ptr,
            name: Some(&data.name),
            request: true,
            schema: self.parameter_schema(&data.format),
        };
        let (ty, json) = match self.type_override(&site) {
            // Overridden, the value is still written as the spec says.
            Some(ty) => (ty, json_content(&data.format).is_some()),
            None => self.parameter_type(&data.format, &ptr, &hint),
        };
        if json {
            style = ParamStyle::Json;
        }
        let ident = self.param_ident(names, &data.name, location);
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        Parameter {
            wire_name: data.name.clone(),
            ident,
            location,
            ty,
            // Path parameters are always required, whatever the spec says.
            required: data.required || location == ParamLocation::Path,
            docs: data.description.as_deref().and_then(sanitize_docs),
            deprecated: data
                .deprecated
                .unwrap_or(false)
                .then_some(Deprecation { note: None }),
            style,
            explode,
            allow_reserved,
        }
    }

    /// The type of a parameter, and whether it is sent as its JSON text (a
    /// parameter described by a JSON `content`, sent as one value). Any
    /// other `content` is sent as text.
    fn parameter_type(
        &mut self,
        format: &ParameterSchemaOrContent,
        ptr: &Pointer,
        hint: &Hint,
    ) -> (TypeRef, bool) {
        let content = match format {
            ParameterSchemaOrContent::Schema(schema) => {
                return (
                    self.schema_or_ref(schema, &ptr.push("schema"), hint, true),
                    false,
                );
            }
            ParameterSchemaOrContent::Content(content) => content,
        };
        if let Some((media, media_type)) = json_content(format) {
            let ty = match &media_type.schema {
                Some(schema) => self.schema_or_ref(
                    schema,
                    &ptr.push("content").push(media).push("schema"),
                    hint,
                    true,
                ),
                None => TypeRef::Json,
            };
            return (ty, true);
        }
        if !content.keys().all(|media| media.starts_with("text/")) {
            self.diags.warning(
                &ptr.push("content"),
                "a parameter described by `content` other than JSON or text is sent as text: set it to the encoded value",
            );
        }
        (TypeRef::String, false)
    }

    /// The schema of a parameter (a `$ref` looked through): its `schema`, or
    /// the schema of its JSON `content`.
    fn parameter_schema<'s>(&self, format: &'s ParameterSchemaOrContent) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.resolve_unboxed(schema),
            ParameterSchemaOrContent::Content(_) => {
                self.resolve_unboxed(json_content(format)?.1.schema.as_ref()?)
            }
        }
    }

    /// String parameters for the template variables of the path that no
    /// parameter in `declared` is, each with a warning.
    fn undeclared_path_parameters(
        &mut self,
        variables: Vec<String>,
        declared: &[Parameter],
        names: &mut Scope,
        op_ptr: &Pointer,
    ) -> Vec<Parameter> {
        let mut out = Vec::new();
        for variable in variables {
            let is_declared = declared
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == variable);
            if is_declared {
                continue;
            }
            self.diags.warning(
                op_ptr,
                format!("the path names `{{{variable}}}` but declares no such parameter; it is a string parameter"),
            );
            let ident = self.param_ident(names, &variable, ParamLocation::Path);
            out.push(Parameter {
                wire_name: variable,
                ident,
                location: ParamLocation::Path,
                ty: TypeRef::String,
                required: true,
                docs: None,
                deprecated: None,
                style: ParamStyle::Simple,
                explode: false,
                allow_reserved: false,
            });
        }
        out
    }

    /// A parameter's builder name: its own, or with its location when a
    /// body field or another parameter has it (`id` and `id_query`).
    fn param_ident(&self, names: &mut Scope, wire: &str, location: ParamLocation) -> String {
        let base = snake_ident(wire);
        if names.is_free(&base) {
            return names.claim(&base, "_");
        }
        let suffix = match location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        names.claim(&format!("{base}_{suffix}"), "_")
    }
}

/// The JSON media type of a parameter described by `content`, if it has one.
fn json_content(format: &ParameterSchemaOrContent) -> Option<(&String, &MediaType)> {
    let ParameterSchemaOrContent::Content(content) = format else {
        return None;
    };
    content
        .iter()
        .find(|(media, _)| media.ends_with("/json") || media.ends_with("+json"))
}

/// What a parameter's kind says: its data, where it goes, how it is written,
/// and whether reserved characters are sent unencoded (query only).
fn parameter_parts(
    param: &openapiv3::Parameter,
) -> (&ParameterData, ParamLocation, ParamStyle, bool) {
    match param {
        openapiv3::Parameter::Path {
            parameter_data,
            style,
        } => (
            parameter_data,
            ParamLocation::Path,
            match style {
                openapiv3::PathStyle::Simple => ParamStyle::Simple,
                openapiv3::PathStyle::Label => ParamStyle::Label,
                openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        openapiv3::Parameter::Query {
            parameter_data,
            style,
            allow_reserved,
            ..
        } => (
            parameter_data,
            ParamLocation::Query,
            query_style(style),
            *allow_reserved,
        ),
        openapiv3::Parameter::Header { parameter_data, .. } => (
            parameter_data,
            ParamLocation::Header,
            ParamStyle::Simple,
            false,
        ),
        openapiv3::Parameter::Cookie { parameter_data, .. } => (
            parameter_data,
            ParamLocation::Cookie,
            ParamStyle::Form,
            false,
        ),
    }
}

/// The style of a query parameter (or of a form body's property).
pub(super) fn query_style(style: &openapiv3::QueryStyle) -> ParamStyle {
    match style {
        openapiv3::QueryStyle::Form => ParamStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// The names between braces in a path template, in order, without repeats.
fn template_variables(path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_variables_in_order() {
        assert_eq!(
            template_variables("/a/{x}/b/{y}.{fmt}/{x}"),
            vec!["x", "y", "fmt"]
        );
        assert!(template_variables("/plain").is_empty());
        assert!(template_variables("/broken/{x").is_empty());
    }
}
