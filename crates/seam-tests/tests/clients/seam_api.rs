//! The whole Seam API end to end against the official fake: 21 operations in
//! 9 namespaces, pagination, action attempts (completed, failed, timed out),
//! `*_not_found` errors, events read through their accessors, retries of a
//! read-only call through an outage, and the types the configuration's
//! overrides give (`u32` page sizes, `DateTime` timestamps).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use seam::types::{AccessCodeType, ActionAttemptStatus, ActionType, Event};
use seam::{ActionAttemptPolling, Error, RetryPolicy, Seam};
use seam_tests::FakeSeam;

const API_KEY: &str = "seam_apikey1_token";
const WORKSPACE: &str = "seed_workspace_1";
const LOCK: &str = "august_device_1";

fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn seam(fake: &FakeSeam) -> Seam {
    Seam::builder()
        .endpoint(&fake.endpoint)
        .api_key(API_KEY)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn devices_list_pages_and_get() {
    let fake = FakeSeam::shared();
    let seam = seam(fake);
    let all = seam.devices().list().send().await.unwrap();
    assert!(
        all.len() >= 4,
        "the seed has several devices: {}",
        all.len()
    );

    // Two at a time: every device once, over several pages.
    let pages: Vec<_> = seam
        .devices()
        .list()
        .limit(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    assert!(pages.iter().all(|p| p.items.len() <= 2));
    assert!(pages[..pages.len() - 1]
        .iter()
        .all(|p| p.next_page_cursor.is_some()));
    assert!(pages.last().unwrap().next_page_cursor.is_none());
    let paged: Vec<String> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(|d| d.device_id.clone()))
        .collect();
    let listed: Vec<String> = all.iter().map(|d| d.device_id.clone()).collect();
    assert_eq!(paged, listed);

    // Items across pages, and resuming from a stored cursor.
    let items: Vec<_> = seam
        .devices()
        .list()
        .limit(2)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), all.len());
    let cursor = pages[0].next_page_cursor.clone().unwrap();
    let rest: Vec<_> = seam
        .devices()
        .list()
        .limit(2)
        .page_cursor(cursor)
        .paginate()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), all.len() - pages[0].items.len());

    let device = seam.devices().get().device_id(LOCK).send().await.unwrap();
    assert_eq!(device.device_id, LOCK);
    assert_eq!(device.workspace_id, WORKSPACE);
}

#[tokio::test]
async fn a_missing_device_is_a_not_found_error() {
    let seam = seam(FakeSeam::shared());
    let err = seam
        .devices()
        .get()
        .device_id("no_such_device")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("device_not_found"));
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn locks_list_get_lock_and_unlock() {
    let seam = seam(FakeSeam::shared());
    let locks = seam.locks().list().send().await.unwrap();
    assert!(locks.iter().any(|l| l.device_id == LOCK));
    #[allow(deprecated)] // The spec deprecates it for `devices.get`; it works still.
    let lock = seam.locks().get().device_id(LOCK).send().await.unwrap();
    assert_eq!(lock.device_id, LOCK);

    // The fake answers `pending`; the client polls until the attempt is done.
    let attempt = seam
        .locks()
        .lock_door()
        .device_id(LOCK)
        .send()
        .await
        .unwrap();
    assert_eq!(attempt.status, ActionAttemptStatus::Success);
    assert_eq!(attempt.action_type, ActionType::LockDoor);
    let attempt = seam
        .locks()
        .unlock_door()
        .device_id(LOCK)
        .send()
        .await
        .unwrap();
    assert_eq!(attempt.status, ActionAttemptStatus::Success);
    assert_eq!(attempt.action_type, ActionType::UnlockDoor);

    // Without waiting, the attempt comes back as first sent.
    let pending = seam
        .locks()
        .lock_door()
        .device_id(LOCK)
        .action_attempt_polling(ActionAttemptPolling::disabled())
        .send()
        .await
        .unwrap();
    assert_eq!(pending.status, ActionAttemptStatus::Pending);
    let done = seam
        .action_attempts()
        .get()
        .action_attempt_id(&pending.action_attempt_id)
        .send()
        .await
        .unwrap();
    assert_eq!(done.action_attempt_id, pending.action_attempt_id);
    assert_eq!(done.status, ActionAttemptStatus::Success);
}

#[tokio::test]
async fn a_failed_action_attempt_is_an_error_with_its_type() {
    let fake = FakeSeam::shared();
    let seam = seam(fake);
    let pending = seam
        .locks()
        .unlock_door()
        .device_id(LOCK)
        .action_attempt_polling(ActionAttemptPolling::disabled())
        .send()
        .await
        .unwrap();
    fake.post_json(
        "/_fake/update_action_attempt",
        serde_json::json!({
            "action_attempt_id": pending.action_attempt_id,
            "status": "error",
            "error": {"type": "device_offline", "message": "The lock is offline."}
        }),
    );
    let err = seam
        .action_attempts()
        .get()
        .action_attempt_id(&pending.action_attempt_id)
        .send()
        .await
        .unwrap_err();
    let Error::ActionAttemptFailed(failure) = &err else {
        panic!("expected a failed attempt, got {err:?}");
    };
    assert_eq!(failure.error_type.as_deref(), Some("device_offline"));
    assert_eq!(err.code(), Some("device_offline"));
    assert!(err.to_string().contains("The lock is offline."), "{err}");
    // The attempt comes typed, as the crate's own `ActionAttempt`…
    let attempt = failure
        .attempt::<seam::types::ActionAttempt>()
        .expect("the failed attempt, typed");
    assert_eq!(attempt.action_attempt_id, pending.action_attempt_id);
    assert_eq!(attempt.status, ActionAttemptStatus::Error);
    let error = attempt.error.as_ref().expect("the attempt's error");
    assert_eq!(error.r#type, "device_offline");
    assert_eq!(error.message, "The lock is offline.");
    assert_eq!(
        err.action_attempt_as::<seam::types::ActionAttempt>(),
        Some(attempt)
    );
    // …not as another type, and as JSON too.
    assert!(failure.attempt::<seam::types::Device>().is_none());
    assert_eq!(
        err.action_attempt().unwrap()["action_attempt_id"],
        pending.action_attempt_id.as_str()
    );
}

#[tokio::test]
async fn a_server_side_invalid_input_is_typed_per_parameter() {
    // The builder takes any string for `device_type`; the fake's own schema
    // checks it, and answers with zod's tree of validation errors.
    let seam = seam(FakeSeam::shared());
    let err = seam
        .devices()
        .list()
        .device_type("not_a_device_type")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("invalid_input"));
    let errors = err.validation_errors().expect("validation errors");
    let messages = errors.field("device_type");
    assert!(!messages.is_empty(), "{errors:?}");
    assert!(
        messages.iter().all(|m| m.contains("not_a_device_type")),
        "{messages:?}"
    );
    assert_eq!(
        errors.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        ["device_type"]
    );
    assert!(errors.form_errors().is_empty());
    assert!(errors.field("device_id").is_empty());
}

#[tokio::test]
async fn an_attempt_that_stays_pending_times_out() {
    let fake = FakeSeam::shared();
    let seam = seam(fake);
    let pending = seam
        .locks()
        .lock_door()
        .device_id(LOCK)
        .action_attempt_polling(ActionAttemptPolling::disabled())
        .send()
        .await
        .unwrap();
    fake.post_json(
        "/_fake/update_action_attempt",
        serde_json::json!({"action_attempt_id": pending.action_attempt_id, "status": "pending"}),
    );
    let polling = ActionAttemptPolling::default()
        .timeout(Duration::from_millis(400))
        .interval(Duration::from_millis(100));
    let err = seam
        .action_attempts()
        .get()
        .action_attempt_id(&pending.action_attempt_id)
        .action_attempt_polling(polling)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::ActionAttemptTimeout(t) if t.after == Duration::from_millis(400)),
        "{err:?}"
    );
    let attempt = err
        .action_attempt_as::<seam::types::ActionAttempt>()
        .expect("the attempt, typed");
    assert_eq!(attempt.action_attempt_id, pending.action_attempt_id);
    assert_eq!(attempt.status, ActionAttemptStatus::Pending);
}

#[tokio::test]
async fn access_codes_create_get_list_delete() {
    let seam = seam(FakeSeam::shared());
    let name = unique("front door");
    let created = seam
        .access_codes()
        .create()
        .device_id(LOCK)
        .name(&name)
        .code("4821")
        .send()
        .await
        .unwrap();
    assert_eq!(created.device_id, LOCK);
    assert_eq!(created.name.as_deref(), Some(name.as_str()));

    let got = seam
        .access_codes()
        .get()
        .access_code_id(&created.access_code_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.access_code_id, created.access_code_id);
    assert_eq!(got.code.as_deref(), Some("4821"));

    let listed = seam
        .access_codes()
        .list()
        .device_id(LOCK)
        .send()
        .await
        .unwrap();
    assert!(listed
        .iter()
        .any(|c| c.access_code_id == created.access_code_id));

    seam.access_codes()
        .delete()
        .access_code_id(&created.access_code_id)
        .send()
        .await
        .unwrap();
    let err = seam
        .access_codes()
        .get()
        .access_code_id(&created.access_code_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(
        err.code().is_some_and(|c| c.ends_with("not_found")),
        "{err:?}"
    );
}

#[tokio::test]
async fn connect_webviews_and_connected_accounts() {
    let seam = seam(FakeSeam::shared());
    let webview = seam
        .connect_webviews()
        .create()
        .custom_redirect_url("https://example.com/done")
        .send()
        .await
        .unwrap();
    assert!(!webview.url.is_empty());
    let got = seam
        .connect_webviews()
        .get()
        .connect_webview_id(&webview.connect_webview_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.connect_webview_id, webview.connect_webview_id);

    let accounts = seam.connected_accounts().list().send().await.unwrap();
    let ids: BTreeSet<&str> = accounts
        .iter()
        .map(|a| a.connected_account_id.as_str())
        .collect();
    assert!(ids.contains("john_connected_account_id"), "{ids:?}");
    let account = seam
        .connected_accounts()
        .get()
        .connected_account_id("john_connected_account_id")
        .send()
        .await
        .unwrap();
    assert_eq!(account.connected_account_id, "john_connected_account_id");
}

#[tokio::test]
async fn client_sessions_get_and_get_or_create_with_a_client_session_token() {
    // As Seam's JS SDK does for a browser: a publishable key gets (or creates)
    // the user's session, whose token then authenticates the user.
    let fake = FakeSeam::shared();
    let by_key = Seam::builder()
        .endpoint(&fake.endpoint)
        .publishable_key("seam_pk1_token")
        .build()
        .unwrap();
    let user = unique("cst-user");
    let created = by_key
        .client_sessions()
        .get_or_create()
        .user_identifier_key(&user)
        .send()
        .await
        .unwrap();
    let again = by_key
        .client_sessions()
        .get_or_create()
        .user_identifier_key(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(again.client_session_id, created.client_session_id);

    let as_user = Seam::builder()
        .endpoint(&fake.endpoint)
        .client_session_token(&created.token)
        .build()
        .unwrap();
    let me = as_user
        .client_sessions()
        .get()
        .client_session_id(&created.client_session_id)
        .send()
        .await
        .unwrap();
    assert_eq!(me.client_session_id, created.client_session_id);
    assert_eq!(me.user_identifier_key.as_deref(), Some(user.as_str()));

    // With an API key, any session of the workspace.
    let got = seam(fake)
        .client_sessions()
        .get()
        .client_session_id(&created.client_session_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.token, created.token);
}

#[tokio::test]
async fn events_list_and_workspaces_get() {
    let seam = seam(FakeSeam::shared());
    let events = seam
        .events()
        .list()
        .since(date_time("2000-01-01T00:00:00Z"))
        .send()
        .await
        .unwrap();
    // Every event decodes: known types into their variant, others kept as JSON.
    for event in &events {
        assert!(!event.event_type().is_empty());
    }
    let workspace = seam.workspaces().get().send().await.unwrap();
    assert_eq!(workspace.workspace_id, WORKSPACE);
}

fn date_time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// The configuration's type overrides, end to end: a page size is a `u32`
/// (the spec says `number` for `devices.list`), and the timestamps the spec
/// gives as plain strings are `DateTime`s the fake reads as such.
#[tokio::test]
async fn page_sizes_are_u32_and_timestamps_are_date_times() {
    let seam = seam(FakeSeam::shared());
    let one = seam.devices().list().limit(1u32).send().await.unwrap();
    assert_eq!(one.len(), 1, "a page of one device");

    let starts_at = date_time("2031-05-01T10:00:00Z");
    let ends_at = date_time("2031-05-03T10:30:00Z");
    let created = seam
        .access_codes()
        .create()
        .device_id(LOCK)
        .name(unique("guest"))
        .code("7305")
        .starts_at(starts_at)
        .ends_at(ends_at)
        .send()
        .await
        .unwrap();
    assert_eq!(created.r#type, AccessCodeType::TimeBound);
    assert_eq!(created.starts_at, Some(starts_at));
    assert_eq!(created.ends_at, Some(ends_at));

    // The event of its creation, and `since` around the time it was made:
    // the fake lists events made strictly after `since`.
    let created_event = |events: &[Event]| {
        events.iter().find_map(|e| match e {
            Event::AccessCodeCreated(e) if e.access_code_id == created.access_code_id => {
                Some(e.created_at)
            }
            _ => None,
        })
    };
    let all = seam
        .events()
        .list()
        .since(date_time("2000-01-01T00:00:00Z"))
        .send()
        .await
        .unwrap();
    let at = created_event(&all).expect("an `access_code.created` event");
    let just_before = seam
        .events()
        .list()
        .since(at - chrono::Duration::milliseconds(1))
        .send()
        .await
        .unwrap();
    assert_eq!(created_event(&just_before), Some(at));
    let after = seam.events().list().since(at).send().await.unwrap();
    assert_eq!(created_event(&after), None, "{} events", after.len());

    seam.access_codes()
        .delete()
        .access_code_id(&created.access_code_id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn events_answer_their_shared_fields_without_a_match() {
    let seam = seam(FakeSeam::shared());
    let epoch = chrono::DateTime::UNIX_EPOCH;
    let list = || seam.events().list().since(epoch).send();
    let before: BTreeSet<String> = list()
        .await
        .unwrap()
        .iter()
        .filter_map(|e| e.event_id().map(str::to_owned))
        .collect();
    let started = chrono::Utc::now() - chrono::Duration::seconds(5);
    // The fake records a `lock.unlocked` event for every unlock.
    seam.locks()
        .unlock_door()
        .device_id(LOCK)
        .send()
        .await
        .unwrap();
    let events = list().await.unwrap();
    let new: Vec<_> = events
        .iter()
        .filter(|e| e.event_id().is_some_and(|id| !before.contains(id)))
        .collect();
    let unlocked = new
        .iter()
        .find(|e| e.event_type() == "lock.unlocked" && e.device_id() == Some(LOCK))
        .unwrap_or_else(|| panic!("no new lock.unlocked event of {LOCK}: {new:?}"));
    assert!(
        matches!(unlocked, seam::types::Event::LockUnlocked(_)),
        "{unlocked:?}"
    );
    assert!(!unlocked.event_id().unwrap().is_empty());
    assert_eq!(unlocked.workspace_id(), Some(WORKSPACE));
    assert_eq!(
        unlocked.connected_account_id(),
        Some("john_connected_account_id")
    );
    let created = unlocked.created_at().unwrap();
    assert!(
        created >= started,
        "created {created}, unlocked after {started}"
    );
    assert_eq!(unlocked.access_code_id(), None);
    // Every listed event answers the fields every variant has.
    for event in &events {
        assert!(event.event_id().is_some(), "{event:?}");
        assert_eq!(event.workspace_id(), Some(WORKSPACE), "{event:?}");
        assert!(event.created_at().is_some(), "{event:?}");
    }
}

#[tokio::test]
async fn a_read_only_call_is_retried_through_an_outage_then_the_503_surfaces() {
    // An own fake: the outage is workspace-wide.
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam = Seam::builder()
        .endpoint(&fake.endpoint)
        .api_key(API_KEY)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(100),
        })
        .build()
        .unwrap();
    let before = seam.devices().list().send_with_response().await.unwrap();
    let first_id: u64 = request_number(before.request_id.as_deref().unwrap());

    fake.post_json(
        "/_fake/simulate_workspace_outage",
        serde_json::json!({"workspace_id": WORKSPACE, "routes": ["/devices/list"]}),
    );
    let err = seam.devices().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    // Three attempts: the first and two retries.
    let last_id = request_number(err.request_id().unwrap());
    assert_eq!(last_id, first_id + 4, "first {first_id}, last {last_id}");

    fake.post_json(
        "/_fake/simulate_workspace_outage",
        serde_json::json!({"workspace_id": WORKSPACE, "routes": []}),
    );
    assert!(!seam.devices().list().send().await.unwrap().is_empty());
}

/// The fake numbers its requests: `request12`.
fn request_number(id: &str) -> u64 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or_else(|_| panic!("request id {id}"))
}

#[tokio::test]
async fn the_streams_stop_at_the_first_error() {
    let seam = Seam::builder()
        .endpoint(&FakeSeam::shared().endpoint)
        .api_key("seam_not_a_key")
        .build()
        .unwrap();
    let mut stream = Box::pin(seam.devices().list().limit(1).paginate());
    let first = stream.next().await.unwrap();
    assert!(first.is_err());
}
