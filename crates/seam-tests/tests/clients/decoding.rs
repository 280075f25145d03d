//! Decoding recorded JSON: values this version of the crate does not know
//! (a new enum value, event type or action type) decode into the fallback
//! and serialize back unchanged; known ones decode into their variants. The
//! accessors of an event read the fields its variants share from either.

use seam::types::{ActionAttempt, ActionAttemptStatus, ActionType, Event};
use serde_json::json;

fn round_trip<T>(value: serde_json::Value) -> (T, serde_json::Value)
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let decoded: T = serde_json::from_value(value).unwrap();
    let encoded = serde_json::to_value(&decoded).unwrap();
    (decoded, encoded)
}

#[test]
fn an_unknown_action_type_and_status_are_kept() {
    let recorded = json!({
        "action_attempt_id": "aa_1",
        "action_type": "LAUNCH_ROCKET",
        "status": "paused",
        "result": null,
        "error": null
    });
    let (attempt, again) = round_trip::<ActionAttempt>(recorded.clone());
    assert_eq!(
        attempt.action_type,
        ActionType::Unknown("LAUNCH_ROCKET".into())
    );
    assert_eq!(attempt.action_type.as_str(), "LAUNCH_ROCKET");
    assert_eq!(
        attempt.status,
        ActionAttemptStatus::Unknown("paused".into())
    );
    assert_eq!(again, recorded);
}

#[test]
fn known_values_decode_into_their_variants() {
    let recorded = json!({
        "action_attempt_id": "aa_2",
        "action_type": "UNLOCK_DOOR",
        "status": "error",
        "result": null,
        "error": {"type": "device_offline", "message": "Offline."}
    });
    let (attempt, again) = round_trip::<ActionAttempt>(recorded.clone());
    assert_eq!(attempt.action_type, ActionType::UnlockDoor);
    assert_eq!(attempt.status, ActionAttemptStatus::Error);
    assert_eq!(attempt.error.as_ref().unwrap().r#type, "device_offline");
    assert_eq!(again, recorded);
    assert_eq!(ActionType::from("UNLOCK_DOOR"), ActionType::UnlockDoor);
    assert_eq!(ActionType::UnlockDoor.to_string(), "UNLOCK_DOOR");
}

/// Enums compare, hash and sort by their wire value: a fallback holding a
/// known value is that value, and the order is the values' (alphabetical),
/// whatever the order of the spec's list, so a new value is no break.
#[test]
fn enums_compare_and_sort_by_their_wire_value() {
    use std::collections::BTreeSet;
    assert_eq!(
        ActionAttemptStatus::Unknown("error".to_owned()),
        ActionAttemptStatus::Error
    );
    let set: BTreeSet<ActionAttemptStatus> = [
        ActionAttemptStatus::Success,
        ActionAttemptStatus::Unknown("cancelled".to_owned()),
        ActionAttemptStatus::Pending,
        ActionAttemptStatus::Error,
        ActionAttemptStatus::Unknown("pending".to_owned()),
    ]
    .into_iter()
    .collect();
    let order: Vec<&str> = set.iter().map(ActionAttemptStatus::as_str).collect();
    assert_eq!(order, ["cancelled", "error", "pending", "success"]);
}

#[test]
fn an_unknown_event_type_is_kept_as_json() {
    let recorded = json!({
        "event_id": "ev_1",
        "event_type": "device.teleported",
        "workspace_id": "ws_1",
        "created_at": "2026-01-01T00:00:00.000Z",
        "occurred_at": "2026-01-01T00:00:00.000Z",
        "destination": {"planet": "Mars"}
    });
    let (event, again) = round_trip::<Event>(recorded.clone());
    assert!(matches!(&event, Event::Unknown(value) if *value == recorded));
    assert_eq!(event.event_type(), "device.teleported");
    assert_eq!(again, recorded);
}

#[test]
fn an_event_of_an_unknown_type_answers_its_shared_fields_from_its_json() {
    let recorded = json!({
        "event_id": "ev_1",
        "event_type": "device.teleported",
        "workspace_id": "ws_1",
        "device_id": "dev_1",
        "created_at": "2026-01-01T00:00:00.000Z",
        "occurred_at": "not a date",
        "access_code_id": 7,
        "access_grant_ids": ["ag_1"]
    });
    let event: Event = serde_json::from_value(recorded).unwrap();
    assert!(matches!(event, Event::Unknown(_)), "{event:?}");
    assert_eq!(event.event_id(), Some("ev_1"));
    assert_eq!(event.workspace_id(), Some("ws_1"));
    assert_eq!(event.device_id(), Some("dev_1"));
    assert_eq!(
        event.created_at(),
        Some("2026-01-01T00:00:00Z".parse().unwrap())
    );
    // Absent, or not of the field's type: `None`, never an error.
    assert_eq!(event.occurred_at(), None);
    assert_eq!(event.access_code_id(), None);
    assert_eq!(event.connected_account_id(), None);
    // A list would have to be decoded to be lent out: read the JSON instead.
    assert_eq!(event.access_grant_ids(), None);

    // A known type whose fields do not match is kept as JSON and answers alike.
    let odd: Event =
        serde_json::from_value(json!({"event_id": "ev_3", "event_type": "device.connected"}))
            .unwrap();
    assert!(matches!(odd, Event::Unknown(_)), "{odd:?}");
    assert_eq!(odd.event_id(), Some("ev_3"));
    assert_eq!(odd.device_id(), None);
}

#[test]
fn a_known_event_type_decodes_into_its_variant_and_back() {
    let recorded = json!({
        "event_id": "ev_2",
        "event_type": "device.connected",
        "workspace_id": "ws_1",
        "device_id": "dev_1",
        "connected_account_id": "ca_1",
        "created_at": "2026-01-01T00:00:00Z",
        "occurred_at": "2026-01-01T00:00:00Z"
    });
    let (event, again) = round_trip::<Event>(recorded.clone());
    let Event::DeviceConnected(connected) = &event else {
        panic!("expected device.connected, got {event:?}");
    };
    assert_eq!(connected.device_id, "dev_1");
    assert_eq!(event.event_type(), "device.connected");
    assert_eq!(event.device_id(), Some("dev_1"));
    assert_eq!(event.connected_account_id(), Some("ca_1"));
    assert_eq!(event.access_code_id(), None, "device.connected has none");
    assert_eq!(again, recorded);
}

#[test]
fn a_known_event_type_with_fields_missing_is_kept_as_json() {
    // The fake omits fields the spec requires; such an event must not fail a list.
    let recorded = json!({"event_id": "ev_3", "event_type": "device.connected"});
    let (event, again) = round_trip::<Event>(recorded.clone());
    assert!(matches!(event, Event::Unknown(_)), "{event:?}");
    assert_eq!(event.event_type(), "device.connected");
    assert_eq!(again, recorded);
}

#[test]
fn a_required_list_or_enum_that_is_omitted_reads_as_empty() {
    let recorded = json!({"action_attempt_id": "aa_3"});
    let attempt: ActionAttempt = serde_json::from_value(recorded).unwrap();
    assert_eq!(attempt.status, ActionAttemptStatus::Unknown(String::new()));
    assert_eq!(attempt.action_type, ActionType::default());
    // A required string stays strict.
    let err = serde_json::from_value::<ActionAttempt>(json!({"status": "success"})).unwrap_err();
    assert!(err.to_string().contains("action_attempt_id"), "{err}");
}

#[test]
fn a_scalar_union_keeps_a_value_of_another_type() {
    use seam::types::BoolOrString;
    let values = json!(["on", true, 3.5, {"nested": 1}]);
    let decoded: Vec<BoolOrString> = serde_json::from_value(values.clone()).unwrap();
    assert_eq!(decoded[0], BoolOrString::String("on".into()));
    assert_eq!(decoded[1], BoolOrString::Bool(true));
    assert_eq!(decoded[2], BoolOrString::Unknown(json!(3.5)));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), values);
}
