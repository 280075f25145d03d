//! `src/webhook.rs`, when the configuration asks for it ([`Webhook`]): a
//! verifier of signed webhook deliveries (the Svix scheme, checked by
//! `oagen_runtime::webhook`) that decodes a verified payload into the
//! API's event type, and the example the module and crate docs show.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, inner_doc_attrs, rust_type};
use crate::config::Config;
use crate::ir::{names::snake_ident, Api, TypeKind, TypeRef, Webhook};

/// The made-up secret of the examples: `whsec_` and the base64 of "an
/// example secret, never a real one".
const EXAMPLE_SECRET: &str = "whsec_YW4gZXhhbXBsZSBzZWNyZXQsIG5ldmVyIGEgcmVhbCBvbmU=";

/// The delivery time of the examples (2026-01-01T00:00:00Z), fixed so that
/// the doctest does not depend on the clock.
const EXAMPLE_TIMESTAMP: i64 = 1_767_225_600;

/// The tokens of `src/webhook.rs`.
pub(crate) fn webhook_rs(api: &Api, config: &Config, webhook: &Webhook) -> TokenStream {
    let verifier = format_ident!("{}", webhook.verifier);
    let event = rust_type(api, &webhook.event, &quote!(crate::types::));
    let title = api_title(api);
    let event_link = event_link(api, &webhook.event);
    let module_docs = inner_doc_attrs(&module_docs(api, config, webhook));
    let struct_docs = format!(
        "Checks that webhook deliveries come from {title}, and decodes them into {event_link}.\n\
         \n\
         Make one from the endpoint's secret when the application starts and share it: \
         checking a delivery only reads it. `Debug` never shows the secret."
    );
    let struct_docs = doc_attrs(Some(&struct_docs));
    let verify_docs = format!(
        "Checks a delivery and decodes its payload into {event_link}.\n\
         \n\
         `payload` is the request body exactly as received (before any JSON parsing: \
         the signature covers its bytes), `headers` the request's headers.\n\
         \n\
         # Errors\n\
         \n\
         [`WebhookError::MissingHeader`] when a header of the scheme is absent, \
         [`WebhookError::InvalidTimestamp`], [`WebhookError::TimestampTooOld`] or \
         [`WebhookError::TimestampTooNew`] when the timestamp is not within the tolerance \
         of now, [`WebhookError::NoMatchingSignature`] when no signature matches the \
         payload under this secret, and [`WebhookError::InvalidPayload`] when a \
         verified payload is not JSON of the event type."
    );
    let verify_docs = doc_attrs(Some(&verify_docs));
    quote! {
        #module_docs

        pub use ::oagen_runtime::webhook::{HeaderMap, WebhookError};

        #struct_docs
        #[derive(Debug, Clone)]
        pub struct #verifier {
            verifier: ::oagen_runtime::webhook::WebhookVerifier,
        }

        impl #verifier {
            /// A verifier for the endpoint secret `secret`: `whsec_` followed by the key
            /// in base64, as the API shows it (the base64 alone is accepted too).
            ///
            /// # Errors
            ///
            /// [`WebhookError::InvalidSecret`] when `secret` is not such a key.
            pub fn new(secret: &str) -> ::std::result::Result<Self, WebhookError> {
                ::std::result::Result::Ok(Self {
                    verifier: ::oagen_runtime::webhook::WebhookVerifier::new(secret)?,
                })
            }

            /// Sets how far a delivery's timestamp may be from now, either way (five
            /// minutes by default): an older delivery may be a replay.
            pub fn tolerance(self, tolerance: ::std::time::Duration) -> Self {
                Self {
                    verifier: self.verifier.tolerance(tolerance),
                }
            }

            #verify_docs
            pub fn verify(
                &self,
                payload: &str,
                headers: &HeaderMap,
            ) -> ::std::result::Result<#event, WebhookError> {
                self.verifier.verify_json(payload, headers)
            }

            /// [`verify`](Self::verify) as if the time were `now`: for tests, and for
            /// deliveries checked later than they arrived.
            ///
            /// # Errors
            ///
            /// Those of [`verify`](Self::verify).
            pub fn verify_at(
                &self,
                payload: &str,
                headers: &HeaderMap,
                now: ::std::time::SystemTime,
            ) -> ::std::result::Result<#event, WebhookError> {
                self.verifier.verify_json_at(payload, headers, now)
            }

            /// The `svix-signature` value of a delivery of `payload` with message id
            /// `id`, sent at `timestamp` (Unix seconds), signed with this secret.
            pub fn sign(&self, id: &str, timestamp: i64, payload: &str) -> ::std::string::String {
                self.verifier.sign(id, timestamp, payload)
            }

            /// The `svix-id`, `svix-timestamp` and `svix-signature` headers of a
            /// delivery of `payload`, as the API would send them: for tests of a
            /// webhook handler.
            ///
            /// # Errors
            ///
            /// [`WebhookError::InvalidHeader`] when `id` holds control characters.
            pub fn signed_headers(
                &self,
                id: &str,
                timestamp: i64,
                payload: &str,
            ) -> ::std::result::Result<HeaderMap, WebhookError> {
                self.verifier.signed_headers(id, timestamp, payload)
            }
        }
    }
}

/// The section of the crate docs on webhooks.
pub(crate) fn crate_docs(api: &Api, config: &Config, webhook: &Webhook) -> String {
    format!(
        "## Webhooks\n\n\
         [`webhook::{verifier}`] checks that a webhook delivery comes from {title} (its \
         Svix signature, and a timestamp within five minutes) and decodes it into {event}:\n\n\
         ```\n{handler}```",
        verifier = webhook.verifier,
        title = api_title(api),
        event = event_link(api, &webhook.event),
        handler = handler(api, config, webhook),
    )
}

/// The module docs: what is checked, a handler, and (with an example
/// payload) a delivery signed and verified.
fn module_docs(api: &Api, config: &Config, webhook: &Webhook) -> String {
    let crate_name = config.crate_name.replace('-', "_");
    let verifier = &webhook.verifier;
    let mut docs = format!(
        "Webhook deliveries from {title}: their signature checked, their payload decoded \
         into {event}.\n\n\
         {title} signs each delivery in the Svix scheme: the `svix-id`, `svix-timestamp` and \
         `svix-signature` headers, the last an HMAC-SHA256 of the id, the timestamp and the \
         body under the endpoint's secret (`whsec_...`). [`{verifier}::verify`] accepts a \
         delivery when one listed signature matches (several are listed while a secret is \
         rotated) and its timestamp is within five minutes of now, which limits replays.\n\n\
         A handler, given the body as received and the request's headers:\n\n\
         ```\n{handler}```",
        title = api_title(api),
        event = event_link(api, &webhook.event),
        handler = handler(api, config, webhook),
    );
    let Some(example) = &webhook.example else {
        return docs;
    };
    // A raw string needs more `#`s than any `"#...` inside it.
    let hashes = (1..)
        .map(|n| "#".repeat(n))
        .find(|hashes| !example.contains(&format!("\"{hashes}")))
        .unwrap_or_default();
    let checks = example_checks(api, webhook, example);
    let check = if checks.is_empty() {
        "println!(\"{event:?}\");\n".to_owned()
    } else {
        checks.concat()
    };
    docs.push_str(&format!(
        "\n\nTesting a handler: sign a delivery with a secret of the test's own, then verify it \
         at a fixed time.\n\n\
         ```\n\
         use std::time::{{Duration, UNIX_EPOCH}};\n\
         use {crate_name}::webhook::{verifier};\n\n\
         # fn main() -> Result<(), {crate_name}::webhook::WebhookError> {{\n\
         let webhook = {verifier}::new({EXAMPLE_SECRET:?})?;\n\
         let payload = r{hashes}\"{example}\"{hashes};\n\
         let headers = webhook.signed_headers(\"msg_1\", {EXAMPLE_TIMESTAMP}, payload)?;\n\
         // Ten seconds after it was sent: `verify` would check against the clock.\n\
         let now = UNIX_EPOCH + Duration::from_secs({EXAMPLE_TIMESTAMP} + 10);\n\
         let event = webhook.verify_at(payload, &headers, now)?;\n\
         {check}\
         # Ok(())\n\
         # }}\n\
         ```"
    ));
    docs
}

/// A handler of deliveries, as a doctest: it compiles, and runs nothing.
fn handler(api: &Api, config: &Config, webhook: &Webhook) -> String {
    let crate_name = config.crate_name.replace('-', "_");
    let verifier = &webhook.verifier;
    let show = match tag_accessor(api, &webhook.event) {
        Some((accessor, _)) => format!("println!(\"{{}}\", event.{accessor}());"),
        None => "println!(\"{event:?}\");".to_owned(),
    };
    format!(
        "use {crate_name}::webhook::{{HeaderMap, {verifier}, WebhookError}};\n\n\
         fn on_delivery(\n    webhook: &{verifier},\n    body: &str,\n    headers: &HeaderMap,\n) \
         -> Result<(), WebhookError> {{\n    \
         let event = webhook.verify(body, headers)?;\n    \
         {show}\n    \
         Ok(())\n\
         }}\n"
    )
}

/// The tag accessor of a tagged event type and its tag property.
fn tag_accessor(api: &Api, event: &TypeRef) -> Option<(String, String)> {
    let TypeRef::Named(id) = event else {
        return None;
    };
    match &api.shape(*id).kind {
        TypeKind::Tagged { tag, .. } => Some((ident(&snake_ident(tag)).to_string(), tag.clone())),
        _ => None,
    }
}

/// What the example asserts of the event it verified, when the event type
/// is a tagged union: its tag, and the first text field the variants share
/// that the example gives (Seam's `event_id()`).
fn example_checks(api: &Api, webhook: &Webhook, example: &str) -> Vec<String> {
    let (Some((accessor, tag)), Ok(value)) = (
        tag_accessor(api, &webhook.event),
        serde_json::from_str::<serde_json::Value>(example),
    ) else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    if let Some(tag_value) = value.get(&tag).and_then(serde_json::Value::as_str) {
        checks.push(format!("assert_eq!(event.{accessor}(), {tag_value:?});\n"));
    }
    let TypeRef::Named(id) = &webhook.event else {
        return checks;
    };
    let TypeKind::Tagged {
        shared, variants, ..
    } = &api.shape(*id).kind
    else {
        return checks;
    };
    // A field every variant that has it requires (an id) reads best.
    let required = |field: &crate::ir::SharedField| {
        field
            .variants
            .iter()
            .all(|&i| match &api.shape(variants[i].ty).kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .any(|f| f.wire_name == field.wire_name && !f.is_optional()),
                _ => false,
            })
    };
    let given = |field: &crate::ir::SharedField| {
        let text = value.get(&field.wire_name)?.as_str()?;
        Some((ident(&field.ident), text))
    };
    let texts: Vec<&crate::ir::SharedField> =
        shared.iter().filter(|f| f.ty == TypeRef::String).collect();
    let text = texts
        .iter()
        .filter(|f| required(f))
        .find_map(|f| given(f))
        .or_else(|| texts.iter().find_map(|f| given(f)));
    if let Some((name, given)) = text {
        checks.push(format!("assert_eq!(event.{name}(), Some({given:?}));\n"));
    }
    checks
}

/// The event type in docs: a link to a named type, else its name.
fn event_link(api: &Api, event: &TypeRef) -> String {
    match event {
        TypeRef::Named(id) => {
            let name = &api.ty(*id).name;
            format!("[`{name}`](crate::types::{name})")
        }
        other => format!(
            "`{}`",
            rust_type(api, other, &TokenStream::new())
                .to_string()
                .replace(' ', "")
        ),
    }
}

fn api_title(api: &Api) -> String {
    crate::ir::sanitize_inline(&api.title).unwrap_or_else(|| "the API".to_owned())
}
