//! The calls generated operations make for JSON requests: send the body as
//! JSON, then decode the whole response, only its response-key field, or
//! nothing.
//!
//! Operations whose requests are not plain JSON build a
//! [`Request`](crate::Request) themselves and call
//! [`Client::send`]; those that start an action attempt call
//! [`Client::execute_action`] (`actions.rs`).

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Client;
use crate::decode::{decode_body, decode_field};
use crate::error::Error;
use crate::request::Request;
use crate::response::ApiResponse;
use crate::spec::OperationSpec;

impl Client {
    /// Sends `body` as JSON to `op` and decodes the whole response body as `T`.
    pub async fn execute<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<ApiResponse<T>, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.send(Request::with_json(op, body)?).await?;
        let body = decode_body(op, &raw)?;
        Ok(raw.into_response(body))
    }

    /// Sends `body` as JSON to `op` and decodes only the field named by the
    /// operation's response key (the whole body when it has none). Other
    /// envelope fields are not decoded, so their absence cannot fail the call.
    pub async fn execute_unwrapped<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.send(Request::with_json(op, body)?).await?;
        let Some(key) = op.response_key else {
            return decode_body(op, &raw);
        };
        decode_field(op, &raw, key)
    }

    /// Sends `body` as JSON to `op` and ignores the response body.
    pub async fn execute_discard<B>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<(), Error>
    where
        B: Serialize + ?Sized,
    {
        self.send(Request::with_json(op, body)?).await.map(drop)
    }
}
