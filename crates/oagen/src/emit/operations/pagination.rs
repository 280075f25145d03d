//! What the runtime's JSON fast path adds to a request builder beyond
//! `send`: `paginate` and `pages` for an operation whose responses are pages,
//! and, for an operation that starts an action attempt, the per-call polling
//! policy that `send` waits with.

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::Config;
use crate::emit::rust_type;
use crate::ir::{Api, Operation};

/// A builder's own fields for action-attempt polling, when it has them.
#[derive(Default)]
pub(super) struct Polling {
    pub(super) field: TokenStream,
    pub(super) init: TokenStream,
    pub(super) setter: TokenStream,
}

impl Polling {
    /// The polling fields of a builder: when its `send` waits for an action
    /// attempt (`action`), the `polling` field and its setter; else none.
    pub(super) fn new(action: bool) -> Self {
        if !action {
            return Self::default();
        }
        Polling {
            field: quote!(polling: ::std::option::Option<::oagen_runtime::ActionAttemptPolling>,),
            init: quote!(polling: ::std::option::Option::None,),
            setter: quote! {
                /// How this call waits for its action attempt; the client's
                /// policy by default. [`crate::ActionAttemptPolling::disabled`]
                /// returns the attempt as first sent.
                pub fn action_attempt_polling(mut self, polling: ::oagen_runtime::ActionAttemptPolling) -> Self {
                    self.polling = ::std::option::Option::Some(polling);
                    self
                }
            },
        }
    }
}

/// Whether `op` starts an action attempt: its response key is the one the
/// configuration names for action attempts.
pub(super) fn starts_action_attempt(config: &Config, op: &Operation) -> bool {
    config.action_attempts.as_ref().is_some_and(|a| {
        op.response
            .key
            .as_ref()
            .is_some_and(|(key, _)| *key == a.response_key)
    })
}

/// `paginate` and `pages`, for an operation with an object body whose
/// responses are pages; empty for any other.
pub(super) fn paging(api: &Api, op: &Operation, spec_static: &proc_macro2::Ident) -> TokenStream {
    let types_path = quote!(crate::types::);
    let paging = op.response.pagination.as_ref().filter(|_| op.body.is_some()).map(|p| {
        let item = rust_type(api, &p.item, &types_path);
        let (cursor, pagination, has_next, next_cursor) = (
            &p.cursor_field,
            &p.pagination_field,
            &p.has_next_field,
            &p.next_cursor_field,
        );
        let spec = quote! {
            &::oagen_runtime::PaginationSpec {
                cursor_field: #cursor,
                pagination_field: #pagination,
                has_next_field: #has_next,
                next_cursor_field: #next_cursor,
            }
        };
        quote! {
            /// Every item of every page, from the page `page_cursor` names
            /// (the first when unset) to the last. Pages are fetched as the
            /// stream is read.
            pub fn paginate(self) -> impl ::oagen_runtime::Stream<Item = ::std::result::Result<#item, crate::Error>> + ::std::marker::Send + 'static {
                let start = self.into_parts().map(|(client, body)| (client.runtime().clone(), body));
                ::oagen_runtime::items(start, &#spec_static, #spec)
            }

            /// Every page, from the page `page_cursor` names (the first when
            /// unset) to the last. Each page carries the cursor of the next:
            /// store it, and pass it to `page_cursor` to resume later.
            pub fn pages(self) -> impl ::oagen_runtime::Stream<Item = ::std::result::Result<crate::Page<#item>, crate::Error>> + ::std::marker::Send + 'static {
                let start = self.into_parts().map(|(client, body)| (client.runtime().clone(), body));
                ::oagen_runtime::pages(start, &#spec_static, #spec)
            }
        }
    });
    paging.unwrap_or_default()
}
