//! The media type a content map is best read or written in: JSON (any
//! `+json`), then form-urlencoded and multipart (requests only), text, and
//! finally raw bytes. Request bodies and responses both choose with it.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// How a media type is written or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// The media type of a content map the client handles best, with its kind.
/// `*/*` and `application/*` count as JSON when their schema is not binary.
pub(super) fn pick_content(
    content: &IndexMap<String, MediaType>,
    request: bool,
) -> Option<(&String, MediaKind, &MediaType)> {
    content
        .iter()
        .map(|(media, m)| (media, media_kind(media, m, request), m))
        .min_by_key(|(_, kind, _)| *kind)
}

/// How one media type is read or written, from its essence (without
/// parameters, lowercased) and whether its schema is binary.
fn media_kind(media: &str, content: &MediaType, request: bool) -> MediaKind {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let binary_schema = matches!(
        &content.schema,
        Some(ReferenceOr::Item(s)) if is_binary(s)
    );
    match essence.as_str() {
        "application/json" => MediaKind::Json,
        e if e.ends_with("+json") || e.ends_with("/json") => MediaKind::Json,
        "*/*" | "application/*" if !binary_schema && content.schema.is_some() => MediaKind::Json,
        "application/x-www-form-urlencoded" if request => MediaKind::Form,
        "multipart/form-data" | "multipart/mixed" if request => MediaKind::Multipart,
        e if e.starts_with("text/") || e.ends_with("/xml") || e.ends_with("+xml") => {
            if binary_schema {
                MediaKind::Bytes
            } else {
                MediaKind::Text
            }
        }
        _ => MediaKind::Bytes,
    }
}

/// Whether a schema is binary data: `type: string, format: binary`.
pub(super) fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s))
            if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
    )
}
