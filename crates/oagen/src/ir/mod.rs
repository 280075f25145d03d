//! Stage 2, the IR: the API as plain data, with every name resolved.
//!
//! Two spaces are kept apart, as in typify and progenitor: the type space
//! ([`TypeDef`]s, referenced by [`TypeId`]) and the operations, which refer to
//! types by id. Nothing here knows about `openapiv3` or about tokens; `lower`
//! builds it from the spec and `emit` reads it.

mod dedupe;
mod docs;
mod lower;
mod media;
pub mod names;
mod parameters;
mod requests;
mod responses;
mod schemas;

pub use docs::sanitize_docs;
pub(crate) use docs::{code_span, normalize, sanitize_inline, scrub};
pub use lower::lower;
pub use requests::builder_field;
pub use responses::status_text;

use crate::diagnostics::Pointer;

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server URL, the default endpoint.
    pub default_endpoint: String,
    /// The client builder's authentication modes.
    pub auth_modes: Vec<AuthMode>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
    /// The `webhook` module, when the configuration asks for one.
    pub webhook: Option<Webhook>,
}

impl Api {
    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The definition of the shape the type with this id has: the type
    /// itself, or the one it is an alias of. Its `kind` is never an alias;
    /// names come from [`Api::ty`].
    pub fn shape(&self, id: TypeId) -> &TypeDef {
        match self.types[id.0].kind {
            TypeKind::Alias { target } => &self.types[target.0],
            _ => &self.types[id.0],
        }
    }
}

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named type of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique).
    pub name: String,
    /// Where the schema is.
    pub origin: Pointer,
    /// Documentation, already sanitized for rustdoc.
    pub docs: Option<String>,
    /// The namespace it belongs with: the group of the operation that defines
    /// it, or the first segment of its component's `x-route-path`.
    pub group: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A JSON object with known properties.
    Struct {
        /// The properties, in spec order.
        fields: Vec<Field>,
        /// Whether the type is sent in requests (it then gets client-side validation).
        request: bool,
        /// `additionalProperties` beside the known properties: the Rust field
        /// that collects them, and the type of their values.
        extra: Option<(String, TypeRef)>,
    },
    /// A string enum. Values the spec does not list decode into the fallback
    /// variant, which keeps the text and writes it back unchanged.
    Enum {
        /// The known values.
        variants: Vec<EnumVariant>,
        /// The identifier of the fallback variant (`Unknown`).
        fallback: String,
    },
    /// A union of objects told apart by the value of one property. Unknown
    /// tag values decode into the fallback variant, which keeps the JSON.
    Tagged {
        /// The wire name of the tag property.
        tag: String,
        /// One variant per tag value.
        variants: Vec<TaggedVariant>,
        /// The identifier of the fallback variant (`Unknown`).
        fallback: String,
        /// The properties several variants share, each read through an
        /// accessor on the union, most widely shared first.
        shared: Vec<SharedField>,
    },
    /// An integer enum, written as a JSON number. Values the spec does not
    /// list decode into the fallback variant, which keeps the number.
    IntegerEnum {
        /// The known values.
        variants: Vec<IntegerVariant>,
        /// The identifier of the fallback variant (`Unknown`).
        fallback: String,
    },
    /// A union decoded by trying each variant in turn: scalars, arrays, and
    /// at most one struct (the object variants merged).
    Untagged {
        /// The variants, in spec order.
        variants: Vec<UntaggedVariant>,
    },
    /// A type of the same shape as an earlier one (see `dedupe`): written
    /// as a type alias of it, under its own name and docs. The target is
    /// never an alias itself; [`Api::shape`] reads through.
    Alias {
        /// The type whose shape this one has.
        target: TypeId,
    },
}

/// A value of an [`TypeKind::Enum`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub value: String,
    /// The variant identifier.
    pub ident: String,
}

/// A value of an [`TypeKind::IntegerEnum`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerVariant {
    /// The value on the wire.
    pub value: i64,
    /// The variant identifier (from `x-enum-varnames` or `x-enumNames`, else
    /// from the value: `V1`, `Minus1`).
    pub ident: String,
}

/// A variant of a [`TypeKind::Tagged`] union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedVariant {
    /// The tag value.
    pub value: String,
    /// The variant identifier.
    pub ident: String,
    /// The struct holding the variant's other properties.
    pub ty: TypeId,
}

/// A property that several variants of a [`TypeKind::Tagged`] union have,
/// with the same type in each: the union gets an accessor for it, so that
/// reading it needs no `match`.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedField {
    /// The name on the wire.
    pub wire_name: String,
    /// The accessor's identifier, unique among the union's methods
    /// (keywords are emitted as raw identifiers).
    pub ident: String,
    /// The type of a present value, the same in every variant that has it.
    pub ty: TypeRef,
    /// The documentation most of the variants give the property, sanitized.
    pub docs: Option<String>,
    /// The variants that have it, as indices into the union's variants, in order.
    pub variants: Vec<usize>,
    /// Set when every variant that has it deprecates it.
    pub deprecated: Option<Deprecation>,
}

/// The generated `webhook` module: a verifier of signed deliveries that
/// decodes their payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// The verifier type, for example `SeamWebhook`.
    pub verifier: String,
    /// The type a payload decodes into.
    pub event: TypeRef,
    /// A payload for the module's example, as JSON text.
    pub example: Option<String>,
}

/// A variant of a [`TypeKind::Untagged`] union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntaggedVariant {
    /// The variant identifier.
    pub ident: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the value is boxed: a struct or a union, which can be much
    /// larger than the other variants (and can contain the union itself).
    pub boxed: bool,
}

/// A property of a struct, or a parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust identifier (snake_case, unique in its struct; keywords are
    /// emitted as raw identifiers).
    pub ident: String,
    /// The type of a present, non-null value.
    pub ty: TypeRef,
    /// In `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Documentation, already sanitized for rustdoc: the spec's description,
    /// then notes on what the type does not say (the allowed values of a
    /// number or boolean enum, the `default`, read-only or write-only).
    pub docs: Option<String>,
    /// Set when the property is deprecated.
    pub deprecated: Option<Deprecation>,
    /// Constraints checked before a request is sent.
    pub constraints: Constraints,
    /// Whether the value is boxed, because the type contains itself.
    pub boxed: bool,
    /// An optional, nullable field of a request: it can be omitted, sent as
    /// `null`, or sent with a value (`Option<Option<T>>`).
    pub tri_state: bool,
    /// `readOnly: true`: set by the server, never sent (even when required).
    pub read_only: bool,
    /// `writeOnly: true`: sent, never returned.
    pub write_only: bool,
    /// `default`: the value the server assumes when the property is omitted.
    /// Shown in the docs only.
    pub default: Option<serde_json::Value>,
}

impl Field {
    /// Whether the Rust field is an `Option`: the property may be absent or
    /// null, or it is read-only (requests never carry it) or write-only
    /// (responses never carry it).
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable || self.read_only || self.write_only
    }

    /// Whether a request must carry a value: required, not nullable, and not
    /// read-only. What a request builder checks before sending.
    pub fn must_set(&self) -> bool {
        self.required && !self.nullable && !self.read_only
    }
}

/// A deprecation, with the spec's note when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    /// The note, for example "Use `user_identity_id` instead."
    pub note: Option<String>,
}

/// Validation keywords kept for client-side checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A string.
    String,
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// A 32-bit integer (`format: int32`).
    I32,
    /// Any other integer.
    I64,
    /// A 32-bit unsigned integer: only a type override gives it.
    U32,
    /// A 64-bit unsigned integer: only a type override gives it.
    U64,
    /// A number.
    F64,
    /// A boolean.
    Bool,
    /// Raw bytes: a binary request or response body.
    Bytes,
    /// An array.
    Array(Box<TypeRef>),
    /// An object with arbitrary keys (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
    /// Any JSON value: the schema says nothing, or is a construct not yet
    /// supported (a warning says which).
    Json,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Dotted name, unique: `client_sessions.create`.
    pub id: String,
    /// Namespace path, for example `["acs", "credentials"]`.
    pub group: Vec<String>,
    /// The method name on the namespace, for example `create`.
    pub method_name: String,
    /// The HTTP method.
    pub method: Method,
    /// The path.
    pub path: String,
    /// Where the operation is.
    pub origin: Pointer,
    /// A one-line title (`x-title` or `summary`).
    pub title: Option<String>,
    /// Documentation, already sanitized for rustdoc.
    pub docs: Option<String>,
    /// Set when deprecated.
    pub deprecated: Option<Deprecation>,
    /// The parameters (path, query, header, cookie), path-level ones merged in.
    pub parameters: Vec<Parameter>,
    /// The request body, when it is an object: a struct type whose fields
    /// the builder sets one by one.
    pub body: Option<TypeId>,
    /// The request body, when it is anything else: set as a whole.
    pub whole_body: Option<TypeRef>,
    /// How the body is encoded.
    pub body_media: BodyMedia,
    /// Whether the spec requires a body.
    pub body_required: bool,
    /// The success response.
    pub response: Response,
    /// Ids of the [`AuthMode`]s accepted; empty when no authentication is needed.
    pub auth_modes: Vec<String>,
    /// The spec says the operation takes no authentication (`security: []`):
    /// the client's credentials are not sent to it.
    pub anonymous: bool,
    /// Other methods of the same path that are the same operation.
    pub aliases: Vec<Method>,
    /// The cargo features of the generated crate the operation needs, all
    /// of them: its top-level namespace's, with
    /// [`Config::namespace_features`](crate::config::Config::namespace_features),
    /// and `Undocumented::Feature`'s for an undocumented operation.
    pub features: Vec<String>,
}

impl Operation {
    /// Whether the operation only reads: it is a GET, or the spec also offers
    /// it as one. Such operations may be retried.
    pub fn is_read_only(&self) -> bool {
        self.method == Method::Get || self.aliases.contains(&Method::Get)
    }
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub wire_name: String,
    /// The builder's field and setter name, unique among the builder's fields.
    pub ident: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// The type of its value.
    pub ty: TypeRef,
    /// Whether the request must set it.
    pub required: bool,
    /// Documentation, already sanitized for rustdoc.
    pub docs: Option<String>,
    /// Set when the parameter is deprecated.
    pub deprecated: Option<Deprecation>,
    /// How the value is written (`style`).
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved`.
    pub allow_reserved: bool,
}

/// Where a [`Parameter`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// OpenAPI's parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ParamStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// Not a style: the parameter is described by `content:
    /// application/json` and sent as its JSON text.
    Json,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum BodyMedia {
    /// JSON, with this media type (`application/json` or a `+json` type).
    Json(String),
    /// No body (the default): JSON-only APIs get `{}` on writes.
    #[default]
    None,
    /// `application/x-www-form-urlencoded`; the encodings of properties that
    /// are not written as style form, exploded.
    Form(Vec<(String, ParamStyle, bool)>),
    /// `multipart/form-data`: the body's fields are text parts; the files are
    /// extra builder fields.
    Multipart(Vec<FilePart>),
    /// Text, with this media type (`text/plain`).
    Text(String),
    /// Bytes, with this media type (`application/octet-stream`, `image/png`).
    Bytes(String),
}

/// A file of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct FilePart {
    /// The part name.
    pub wire_name: String,
    /// The builder's field and setter name.
    pub ident: String,
    /// Whether the request must include it.
    pub required: bool,
    /// Whether it is a list of files sent under one name.
    pub many: bool,
    /// Documentation, already sanitized for rustdoc.
    pub docs: Option<String>,
}

/// One response the spec describes for a status.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusResponse {
    /// The status it answers.
    pub status: Status,
    /// The variant name, in an operation's response enum (`Ok`, `Created`).
    pub ident: String,
    /// The body, if the spec gives one.
    pub body: Option<ResponseBody>,
    /// The response's description, sanitized.
    pub docs: Option<String>,
}

/// The status a [`StatusResponse`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `2XX`: the range starting at this code (`200`).
    Range(u16),
    /// `default`: any status without its own response.
    Default,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// JSON, decoded as this type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Bytes.
    Bytes,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The type of the whole body; `None` when the success response has no JSON body.
    pub body: Option<TypeRef>,
    /// How the body is read when every success response is read alike; JSON
    /// is `body`, decoded.
    pub media: Option<ResponseBody>,
    /// Set when the success responses differ by status: one variant each, in
    /// an enum the operation returns.
    pub by_status: Vec<StatusResponse>,
    /// Error responses with a body, per status (and `default`).
    pub errors: Vec<StatusResponse>,
    /// `x-response-key`: the field of the body holding the resource, and its type.
    pub key: Option<(String, TypeRef)>,
    /// `x-response-key: null`: the response holds nothing for the caller.
    pub key_null: bool,
    /// Set when the operation pages through a list.
    pub pagination: Option<Pagination>,
}

/// How a list operation pages: a cursor field in the request, and a
/// pagination object beside the items in the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The request field for the cursor (`page_cursor`).
    pub cursor_field: String,
    /// The response field describing the page (`pagination`).
    pub pagination_field: String,
    /// Its field saying whether another page follows (`has_next_page`).
    pub has_next_field: String,
    /// Its field with the next cursor (`next_page_cursor`).
    pub next_cursor_field: String,
    /// The type of one item.
    pub item: TypeRef,
}

/// One authentication mode of the client builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthMode {
    /// Stable id (the builder method name).
    pub id: String,
    /// The builder method.
    pub method: String,
    /// A human name.
    pub label: String,
    /// Documentation for the builder method.
    pub docs: Option<String>,
    /// The security schemes this mode satisfies.
    pub satisfies: Vec<String>,
    /// The credentials, in parameter order.
    pub credentials: Vec<Credential>,
    /// The cargo feature the builder method needs, if any.
    pub feature: Option<String>,
}

/// One credential of an [`AuthMode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Parameter name.
    pub name: String,
    /// Where it goes: the value is sent in each of these places.
    pub placements: Vec<Placement>,
    /// Environment variable.
    pub env: Option<String>,
    /// Required prefix.
    pub prefix: Option<String>,
    /// What a value with that prefix is ("a JWT"), for hints.
    pub prefix_means: Option<String>,
}

/// Where a credential goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer`.
    Bearer,
    /// A header.
    Header(String),
    /// A query parameter.
    Query(String),
    /// A cookie.
    Cookie(String),
    /// The user name of HTTP basic authentication.
    BasicUsername,
    /// The password of HTTP basic authentication.
    BasicPassword,
}
