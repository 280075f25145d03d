//! Pagination: iterate every page, or every item, of a list operation as a
//! `Stream`, fetching the next page only when the stream is polled for it.
//!
//! Pagination is a layer above the client: it sends each page's request with
//! [`Client::send`] and reads the page's envelope with the helpers of
//! `decode.rs`, and the client knows nothing of it. The description of how a
//! list pages ([`PaginationSpec`]) is here because nothing else reads it.

use futures_core::Stream;
use futures_util::{stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::Client;
use crate::decode::{decode, decode_body, remove_field};
use crate::error::Error;
use crate::request::Request;
use crate::spec::OperationSpec;

/// How a list operation pages, generated from the spec.
#[derive(Debug)]
pub struct PaginationSpec {
    /// The request field that asks for a page (`page_cursor`).
    pub cursor_field: &'static str,
    /// The response field describing the page (`pagination`).
    pub pagination_field: &'static str,
    /// Its field saying whether another page follows (`has_next_page`).
    pub has_next_field: &'static str,
    /// Its field with the cursor of the next page (`next_page_cursor`).
    pub next_cursor_field: &'static str,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page, if there is one. Store it and pass it to
    /// the request's `page_cursor` setter to resume later.
    pub next_page_cursor: Option<String>,
}

/// Every page, from the one the request asks for (its `page_cursor`, if set)
/// to the last. A request that fails client-side checks yields its error.
pub fn pages<B, T>(
    start: Result<(Client, B), Error>,
    op: &'static OperationSpec,
    spec: &'static PaginationSpec,
) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static
where
    B: Serialize,
    T: DeserializeOwned + Send + 'static,
{
    let start = start.and_then(|(client, body)| {
        let body = serde_json::to_value(body).map_err(|e| {
            Error::config(format!("{}: cannot serialize the request body: {e}", op.id))
        })?;
        Ok((client, body))
    });
    stream::try_unfold(Some(start), move |state| async move {
        let (client, body) = match state {
            None => return Ok(None),
            Some(start) => start?,
        };
        let page = page::<T>(&client, op, spec, &body).await?;
        let next = match &page.next_page_cursor {
            Some(cursor) => {
                let mut body = body;
                if let Some(fields) = body.as_object_mut() {
                    fields.insert(spec.cursor_field.to_owned(), cursor.clone().into());
                }
                Some(Ok((client, body)))
            }
            None => None,
        };
        Ok(Some((page, next)))
    })
}

/// One page: the request `body` sent to `op`, the items read from the
/// operation's response key (`data` when it has none) and the next cursor
/// from the pagination field, kept only when another page follows.
async fn page<T: DeserializeOwned>(
    client: &Client,
    op: &'static OperationSpec,
    spec: &'static PaginationSpec,
    body: &serde_json::Value,
) -> Result<Page<T>, Error> {
    let raw = client.send(Request::with_json(op, Some(body))?).await?;
    let key = op.response_key.unwrap_or("data");
    let mut envelope = decode_body(op, &raw)?;
    let items = decode(op, &raw, remove_field(op, &raw, &mut envelope, key)?, key)?;
    let pagination = remove_field(op, &raw, &mut envelope, spec.pagination_field)?;
    let has_next = pagination
        .get(spec.has_next_field)
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let next_page_cursor = pagination
        .get(spec.next_cursor_field)
        .and_then(serde_json::Value::as_str)
        .filter(|_| has_next)
        .map(str::to_owned);
    Ok(Page {
        items,
        next_page_cursor,
    })
}

/// Every item of every page, in order.
pub fn items<B, T>(
    start: Result<(Client, B), Error>,
    op: &'static OperationSpec,
    spec: &'static PaginationSpec,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    B: Serialize,
    T: DeserializeOwned + Send + 'static,
{
    pages::<B, T>(start, op, spec)
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}
