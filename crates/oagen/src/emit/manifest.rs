//! `Cargo.toml` and `src/lib.rs`: the crate around the generated modules.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::inner_doc_attrs;
use crate::config::Config;
use crate::ir::Api;

pub(crate) fn cargo_toml(api: &Api, config: &Config) -> String {
    let title = crate::ir::normalize(&api.title);
    let title: Vec<&str> = title.split_whitespace().collect();
    let mut package = vec![
        format!("name = {}", toml_string(&config.crate_name)),
        format!("version = {}", toml_string(&config.crate_version)),
        format!(
            "description = {}",
            toml_string(&format!("Rust client for the {} API", title.join(" ")))
        ),
        "edition = \"2021\"".to_owned(),
        "rust-version = \"1.85\"".to_owned(),
    ];
    if let Some(license) = &config.license {
        package.push(format!("license = {}", toml_string(license)));
    }
    package.push("readme = \"README.md\"".to_owned());
    for (key, values) in [
        ("keywords", &config.keywords),
        ("categories", &config.categories),
    ] {
        if !values.is_empty() {
            let values: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
            package.push(format!("{key} = [{}]", values.join(", ")));
        }
    }
    package.extend(config.package_extra.iter().cloned());
    let mut features = features_table(api, config);
    // docs.rs documents every operation, each marked with the feature it
    // needs (`native-tls` is an alternative to `rustls`, not an addition).
    features.push_str(
        "\n[package.metadata.docs.rs]\nfeatures = [\"undocumented\"]\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n",
    );
    format!(
        "{{header}}\n\
         [package]\n{}\n\n\
         [dependencies]\n\
         {}\n\
         chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
         reqwest = {{ version = \"0.13\", default-features = false }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n{}",
        package.join("\n"),
        without_default_features(&config.runtime_dependency),
        features,
    )
}

/// The `[features]` table, or nothing: one feature per top-level namespace
/// (on by default) and those of operations and authentication modes that
/// need one (`undocumented`).
fn features_table(api: &Api, config: &Config) -> String {
    let (namespaces, others) = super::gates::crate_features(api, config);
    let mut lines = Vec::new();
    let default: Vec<String> = (namespaces.iter().map(String::as_str))
        .chain(DEFAULT_TRANSPORT)
        .map(toml_string)
        .collect();
    lines.push(format!("default = [{}]", default.join(", ")));
    if !namespaces.is_empty() {
        lines.push(
            "# One per top-level namespace: its operations and the types they use.".to_owned(),
        );
        lines.extend(namespaces.iter().map(|f| format!("{f} = []")));
    }
    lines.push(
        "# TLS with rustls (the system's roots, through the platform's verifier;\n\
         # with `webpki-roots`, Mozilla's built in instead) or the platform's TLS\n\
         # library; responses compressed with gzip or brotli."
            .to_owned(),
    );
    lines.extend(
        crate::config::TRANSPORT_FEATURES
            .iter()
            .map(|f| format!("{f} = [\"oagen-runtime/{f}\"]")),
    );
    if !others.is_empty() {
        lines.push(
            "# Operations the API does not document (unstable), and the types and\n\
             # authentication modes only they use."
                .to_owned(),
        );
        lines.extend(others.iter().map(|f| format!("{f} = []")));
    }
    format!("\n[features]\n{}\n", lines.join("\n"))
}

/// The transport features on by default.
const DEFAULT_TRANSPORT: [&str; 3] = ["rustls", "gzip", "brotli"];

/// The runtime's dependency line with `default-features = false`, so that
/// the crate's own transport features choose the runtime's.
fn without_default_features(line: &str) -> String {
    let Some((name, spec)) = line.split_once('=') else {
        return line.to_owned();
    };
    let spec = spec.trim();
    if spec.contains("default-features") {
        line.to_owned()
    } else if let Some(table) = spec.strip_suffix('}') {
        format!(
            "{}= {}, default-features = false }}",
            name,
            table.trim_end()
        )
    } else {
        format!("{}= {{ version = {spec}, default-features = false }}", name)
    }
}

/// `text` as a TOML basic string: `"` and `\` escaped, control characters
/// as `\uXXXX` (TOML has no `\u{…}` of Rust's `Debug`), everything else as
/// it is.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let client = format_ident!("{}", config.client_name);
    let builder = format_ident!("{}Builder", config.client_name);
    let crate_name = &config.crate_name;
    let mut docs = format!(
        "# {title}\n\n\
         A Rust client for the {title} API (spec version {version}), generated from \
         its OpenAPI document by `oagen`.",
        title = crate::ir::sanitize_inline(&api.title).unwrap_or_default(),
        version = crate::ir::sanitize_inline(&api.version).unwrap_or_default(),
    );
    if let Some(description) = &api.description {
        docs.push_str("\n\n");
        docs.push_str(description);
    }
    docs.push_str(&format!(
        "\n\nStart with [`{}::builder`]: choose an authentication mode, build, then call \
         operations through the namespaces of the client. Each call returns a request \
         builder: set fields, then `.send().await` for the resource or \
         `.send_with_response().await` for the whole response. Every failure is an [`Error`].",
        config.client_name
    ));
    if let Some(example) = &config.quick_start {
        let body: String = example
            .lines()
            .map(|l| {
                if l.is_empty() {
                    "\n".to_owned()
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        docs.push_str(&format!(
            "\n\n```no_run\n# async fn quick_start() -> Result<(), {crate_name}::Error> {{\n{body}# Ok(())\n# }}\n```"
        ));
    }
    if let Some(hook) = &api.webhook {
        docs.push_str("\n\n");
        docs.push_str(&super::webhook::crate_docs(api, config, hook));
    }
    if let Some(guide) = &config.guide {
        docs.push_str("\n\n");
        docs.push_str(guide.trim());
    }
    let inner_docs = inner_doc_attrs(&docs);
    let webhook_mod = api.webhook.is_some().then(|| quote! { pub mod webhook; });
    quote! {
        #inner_docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod api;
        mod client;
        pub mod types;
        #webhook_mod

        pub use client::{#client, #builder};
        pub use ::oagen_runtime::{
            ActionAttemptFailure, ActionAttemptPolling, ActionAttemptTimeout, ApiError, ApiResponse,
            DecodeError, Error, GenericRequest, HttpMethod, Page, RequestPreview, RetryPolicy, Upload,
            ValidationErrors, Violation,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::toml_string;

    #[test]
    fn toml_strings_read_back_as_written() {
        for text in [
            "plain",
            "quote \" and backslash \\",
            "control \u{1b}[31m \u{7f} \u{85} and\nnewline\ttab\r",
            "combining e\u{301}, bidi \u{202E}, emoji 🦀, 中文",
        ] {
            let line = format!("s = {}", toml_string(text));
            let table: toml::Table = line.parse().unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(table["s"].as_str(), Some(text), "{line}");
        }
    }
}
