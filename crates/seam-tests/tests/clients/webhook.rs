//! `seam::webhook`: deliveries signed the way Seam signs them (Svix) verify
//! and decode into `Event`, including during a key rotation and for event
//! types this version does not know; tampered, stale, future, unsigned and
//! wrongly keyed deliveries are refused with the error that says why; the
//! secret never shows in `Debug` or in an error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use seam::types::Event;
use seam::webhook::{HeaderMap, SeamWebhook, WebhookError};

/// Made-up endpoint secrets, as Seam shows them (`whsec_` and base64).
const SECRET: &str = "whsec_c2VhbS10ZXN0cyB3ZWJob29rIHNlY3JldCwgbWFkZSB1cA==";
const ROTATED_IN: &str = "whsec_dGhlIHJvdGF0ZWQtaW4gd2ViaG9vayBzZWNyZXQsIG1hZGUgdXA=";
const OTHER_ENDPOINT: &str = "whsec_YW5vdGhlciBlbmRwb2ludCwgbWFkZSB1cA==";
/// The key part of `SECRET`, and the first bytes it decodes to: neither may
/// appear anywhere.
const SECRET_KEY: &str = "c2VhbS10ZXN0cyB3ZWJob29r";
const SECRET_BYTES: &str = "seam-tests webhook secret";

/// A `lock.unlocked` event shaped as the spec says (required: `event_id`,
/// `workspace_id`, `created_at`, `occurred_at`, `connected_account_id`,
/// `event_type`, `method`).
const UNLOCKED: &str = r#"{
  "event_id": "2c9f7a10-5d4e-4b8a-9c61-7f3e2a1b0c9d",
  "event_type": "lock.unlocked",
  "workspace_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
  "connected_account_id": "0f1e2d3c-4b5a-4c6d-9e8f-7a6b5c4d3e2f",
  "device_id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
  "method": "keycode",
  "access_code_id": "3b4c5d6e-7f80-4a91-b2c3-d4e5f6a7b8c9",
  "code": "4821",
  "created_at": "2026-03-02T09:15:02.118Z",
  "occurred_at": "2026-03-02T09:15:01.000Z",
  "event_description": "The Front Door lock was unlocked with an access code."
}"#;

fn webhook() -> SeamWebhook {
    SeamWebhook::new(SECRET).unwrap()
}

fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The headers of a delivery, written out as Seam sends them.
fn headers(id: &str, timestamp: i64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", id.parse().unwrap());
    headers.insert("svix-timestamp", timestamp.to_string().parse().unwrap());
    headers.insert("svix-signature", signature.parse().unwrap());
    headers
}

#[test]
fn a_signed_delivery_verifies_and_decodes_into_its_event() {
    let webhook = webhook();
    let sent = now_seconds();
    let delivery = webhook.signed_headers("msg_2hT1", sent, UNLOCKED).unwrap();
    // Against the clock: sent just now.
    let event = webhook.verify(UNLOCKED, &delivery).unwrap();
    let Event::LockUnlocked(unlocked) = &event else {
        panic!("expected lock.unlocked, got {event:?}");
    };
    assert_eq!(unlocked.code.as_deref(), Some("4821"));
    assert_eq!(event.event_type(), "lock.unlocked");
    assert_eq!(
        event.event_id(),
        Some("2c9f7a10-5d4e-4b8a-9c61-7f3e2a1b0c9d")
    );
    assert_eq!(
        event.device_id(),
        Some("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
    );
    assert_eq!(
        event.created_at().unwrap().to_rfc3339(),
        "2026-03-02T09:15:02.118+00:00"
    );

    // The same delivery written out by hand, checked at a fixed time, verifies alike.
    let by_hand = headers("msg_2hT1", sent, &webhook.sign("msg_2hT1", sent, UNLOCKED));
    let at = UNIX_EPOCH + Duration::from_secs(sent as u64 + 60);
    assert_eq!(webhook.verify_at(UNLOCKED, &by_hand, at).unwrap(), event);
}

#[test]
fn any_listed_signature_matches_while_a_secret_is_rotated() {
    let old = webhook();
    let new = SeamWebhook::new(ROTATED_IN).unwrap();
    let sent = now_seconds();
    // During a rotation Seam signs with both secrets; unknown versions are skipped.
    let signatures = format!(
        "v2,ignored-by-v1-receivers {} {}",
        old.sign("msg_rot", sent, UNLOCKED),
        new.sign("msg_rot", sent, UNLOCKED)
    );
    let delivery = headers("msg_rot", sent, &signatures);
    assert_eq!(
        old.verify(UNLOCKED, &delivery).unwrap().event_type(),
        "lock.unlocked"
    );
    assert_eq!(
        new.verify(UNLOCKED, &delivery).unwrap().event_type(),
        "lock.unlocked"
    );
    // A third endpoint's secret matches neither.
    let other = SeamWebhook::new(OTHER_ENDPOINT).unwrap();
    assert!(matches!(
        other.verify(UNLOCKED, &delivery),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn an_event_type_this_version_does_not_know_verifies_and_keeps_its_type() {
    let payload = r#"{
      "event_id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
      "event_type": "lock.teleported",
      "workspace_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
      "device_id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
      "destination": {"planet": "Mars"},
      "created_at": "2026-03-02T09:20:00.000Z",
      "occurred_at": "2026-03-02T09:19:58.000Z"
    }"#;
    let webhook = webhook();
    let delivery = webhook
        .signed_headers("msg_new", now_seconds(), payload)
        .unwrap();
    let event = webhook.verify(payload, &delivery).unwrap();
    let Event::Unknown(json) = &event else {
        panic!("expected the fallback, got {event:?}");
    };
    assert_eq!(json["destination"]["planet"], "Mars");
    assert_eq!(event.event_type(), "lock.teleported");
    assert_eq!(
        event.event_id(),
        Some("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
    );
    assert_eq!(
        event.device_id(),
        Some("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
    );
}

#[test]
fn a_tampered_delivery_is_refused() {
    let webhook = webhook();
    let sent = now_seconds();
    let signature = webhook.sign("msg_t", sent, UNLOCKED);
    let delivery = headers("msg_t", sent, &signature);
    let tampered = UNLOCKED.replace("\"4821\"", "\"0000\"");
    assert!(matches!(
        webhook.verify(&tampered, &delivery),
        Err(WebhookError::NoMatchingSignature)
    ));
    // The id and the timestamp are signed too.
    let other_id = headers("msg_other", sent, &signature);
    assert!(matches!(
        webhook.verify(UNLOCKED, &other_id),
        Err(WebhookError::NoMatchingSignature)
    ));
    let other_time = headers("msg_t", sent - 1, &signature);
    assert!(matches!(
        webhook.verify(UNLOCKED, &other_time),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn a_stale_or_future_delivery_is_refused() {
    let webhook = webhook();
    let now = now_seconds();
    for (sent, what) in [(now - 6 * 60, "stale"), (now + 6 * 60, "future")] {
        // Correctly signed, but more than five minutes away from now.
        let delivery = webhook.signed_headers("msg_time", sent, UNLOCKED).unwrap();
        let err = webhook.verify(UNLOCKED, &delivery).unwrap_err();
        let expected = Duration::from_secs(5 * 60);
        match (what, &err) {
            ("stale", WebhookError::TimestampTooOld { tolerance }) => {
                assert_eq!(*tolerance, expected)
            }
            ("future", WebhookError::TimestampTooNew { tolerance }) => {
                assert_eq!(*tolerance, expected)
            }
            _ => panic!("a {what} delivery gave {err:?}"),
        }
    }
    // At a fixed "now": 301 s either way is out, 299 s is in.
    let sent = 1_772_442_902;
    let delivery = webhook.signed_headers("msg_time", sent, UNLOCKED).unwrap();
    let at = |seconds: i64| UNIX_EPOCH + Duration::from_secs(seconds as u64);
    assert!(webhook
        .verify_at(UNLOCKED, &delivery, at(sent + 299))
        .is_ok());
    assert!(webhook
        .verify_at(UNLOCKED, &delivery, at(sent - 299))
        .is_ok());
    assert!(matches!(
        webhook.verify_at(UNLOCKED, &delivery, at(sent + 301)),
        Err(WebhookError::TimestampTooOld { .. })
    ));
    assert!(matches!(
        webhook.verify_at(UNLOCKED, &delivery, at(sent - 301)),
        Err(WebhookError::TimestampTooNew { .. })
    ));
    // A tighter tolerance refuses a delivery a minute old.
    let strict = webhook.clone().tolerance(Duration::from_secs(30));
    assert!(matches!(
        strict.verify_at(UNLOCKED, &delivery, at(sent + 60)),
        Err(WebhookError::TimestampTooOld { tolerance }) if tolerance == Duration::from_secs(30)
    ));
    let not_a_time = {
        let mut h = delivery.clone();
        h.insert("svix-timestamp", "yesterday".parse().unwrap());
        h
    };
    assert!(matches!(
        webhook.verify_at(UNLOCKED, &not_a_time, at(sent)),
        Err(WebhookError::InvalidTimestamp)
    ));
}

#[test]
fn an_unsigned_delivery_is_refused() {
    let webhook = webhook();
    let mut delivery = webhook
        .signed_headers("msg_u", now_seconds(), UNLOCKED)
        .unwrap();
    delivery.remove("svix-signature");
    assert!(matches!(
        webhook.verify(UNLOCKED, &delivery),
        Err(WebhookError::MissingHeader("svix-signature"))
    ));
    assert!(matches!(
        webhook.verify(UNLOCKED, &HeaderMap::new()),
        Err(WebhookError::MissingHeader("svix-id"))
    ));
    // A signature list with no `v1` entry matches nothing.
    let delivery = headers("msg_u", now_seconds(), "v2,c2lnbmF0dXJl");
    assert!(matches!(
        webhook.verify(UNLOCKED, &delivery),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn a_delivery_signed_with_another_key_is_refused() {
    let theirs = SeamWebhook::new(OTHER_ENDPOINT).unwrap();
    let delivery = theirs
        .signed_headers("msg_k", now_seconds(), UNLOCKED)
        .unwrap();
    assert!(matches!(
        webhook().verify(UNLOCKED, &delivery),
        Err(WebhookError::NoMatchingSignature)
    ));
    // The same key without its `whsec_` prefix is the same key.
    let bare = SeamWebhook::new(SECRET.trim_start_matches("whsec_")).unwrap();
    let delivery = bare
        .signed_headers("msg_k", now_seconds(), UNLOCKED)
        .unwrap();
    assert!(webhook().verify(UNLOCKED, &delivery).is_ok());
}

#[test]
fn a_signed_payload_that_is_not_json_is_invalid() {
    let webhook = webhook();
    let body = "event_type=lock.unlocked";
    let delivery = webhook
        .signed_headers("msg_j", now_seconds(), body)
        .unwrap();
    assert!(matches!(
        webhook.verify(body, &delivery),
        Err(WebhookError::InvalidPayload(_))
    ));
}

#[test]
fn neither_debug_nor_errors_show_the_secret() {
    let webhook = webhook();
    let debug = format!("{webhook:?}");
    assert!(debug.contains("SeamWebhook"), "{debug}");
    for shown in [
        debug,
        format!("{:?}", webhook.clone().tolerance(Duration::from_secs(1))),
    ] {
        assert!(
            !shown.contains(SECRET_KEY) && !shown.contains(SECRET_BYTES),
            "{shown}"
        );
    }
    let now = now_seconds();
    let mut errors = vec![
        SeamWebhook::new("whsec_c2VhbS10ZXN0cyB3ZWJob29r!!").unwrap_err(),
        webhook.verify(UNLOCKED, &HeaderMap::new()).unwrap_err(),
        webhook
            .verify(UNLOCKED, &headers("m", now, "v1,AAAA"))
            .unwrap_err(),
        webhook
            .verify(
                UNLOCKED,
                &webhook.signed_headers("m", now - 3600, UNLOCKED).unwrap(),
            )
            .unwrap_err(),
    ];
    let delivery = webhook.signed_headers("m", now, "{").unwrap();
    errors.push(webhook.verify("{", &delivery).unwrap_err());
    for err in &errors {
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(
                !shown.contains(SECRET_KEY) && !shown.contains(SECRET_BYTES),
                "{shown}"
            );
        }
    }
    assert!(matches!(errors[0], WebhookError::InvalidSecret));
}
