//! Serde helpers for generated types whose (de)serialization is not derived:
//! enums (of strings or integers) that keep unknown values and unions told
//! apart by a tag property.
//! Generated code calls these; applications have no need to.

/// String enums: reads a string, borrowed when the input allows, and hands it
/// to the enum's `From<&str>`, which maps unknown values to the fallback.
pub mod string_enum {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{Deserializer, Error, Visitor};

    /// Deserializes a string into `T` through `From<&str>`.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: for<'a> From<&'a str>,
    {
        struct StrVisitor<T>(PhantomData<T>);

        impl<T> Visitor<'_> for StrVisitor<T>
        where
            T: for<'a> From<&'a str>,
        {
            type Value = T;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
                Ok(T::from(value))
            }
        }

        deserializer.deserialize_str(StrVisitor(PhantomData))
    }
}

/// Integer enums: reads a JSON number (an integer, or a float without a
/// fractional part such as `2.0`) and hands it to the enum's `From<i64>`,
/// which maps unknown values to the fallback.
pub mod integer_enum {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{Deserializer, Error, Unexpected, Visitor};

    /// Deserializes an integer into `T` through `From<i64>`.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: From<i64>,
    {
        struct IntegerVisitor<T>(PhantomData<T>);

        impl<T: From<i64>> Visitor<'_> for IntegerVisitor<T> {
            type Value = T;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer")
            }

            fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
                Ok(T::from(value))
            }

            fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
                i64::try_from(value)
                    .map(T::from)
                    .map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
            }

            fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
                // `i64::MAX as f64` rounds up to 2^63, which is out of range.
                if value.fract() == 0.0 && value >= i64::MIN as f64 && value < i64::MAX as f64 {
                    Ok(T::from(value as i64))
                } else {
                    Err(E::invalid_value(Unexpected::Float(value), &self))
                }
            }
        }

        deserializer.deserialize_i64(IntegerVisitor(PhantomData))
    }

    #[cfg(test)]
    mod tests {
        #[derive(Debug, PartialEq)]
        struct Level(i64);

        impl From<i64> for Level {
            fn from(value: i64) -> Self {
                Level(value)
            }
        }

        fn read(json: &str) -> Result<Level, serde_json::Error> {
            super::deserialize(&mut serde_json::Deserializer::from_str(json))
        }

        #[test]
        fn integers_and_whole_floats_are_read_others_refused() {
            assert_eq!(read("-1").unwrap(), Level(-1));
            assert_eq!(read("404").unwrap(), Level(404));
            assert_eq!(read("2.0").unwrap(), Level(2));
            assert!(read("2.5").is_err());
            assert!(read("18446744073709551615").is_err());
            assert!(read("\"1\"").is_err());
        }
    }
}

/// Tagged unions: the tag property is read from, and written into, the JSON
/// object of the variant.
pub mod tagged {
    use serde::de::DeserializeOwned;
    use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};

    /// The string value of property `tag`, or `""`.
    pub fn tag_of<'v>(value: &'v serde_json::Value, tag: &str) -> &'v str {
        value
            .get(tag)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    }

    /// The string value of property `name` of a fallback variant's JSON, if
    /// it has one: what the union's accessors of text fields answer for it.
    pub fn str_field<'v>(value: &'v serde_json::Value, name: &str) -> Option<&'v str> {
        value.get(name).and_then(serde_json::Value::as_str)
    }

    /// Property `name` of a fallback variant's JSON decoded as `T` (a number,
    /// a boolean, a date), or `None` when it is absent or does not decode:
    /// what the union's accessors of scalar fields answer for it.
    pub fn field<T: DeserializeOwned>(value: &serde_json::Value, name: &str) -> Option<T> {
        value.get(name).and_then(|field| T::deserialize(field).ok())
    }

    /// Property `name` of a fallback variant's JSON, unless it is absent or
    /// `null` (which the variants' `Option` fields read as `None` too).
    pub fn json_field<'v>(
        value: &'v serde_json::Value,
        name: &str,
    ) -> Option<&'v serde_json::Value> {
        value.get(name).filter(|field| !field.is_null())
    }

    /// Decodes a variant's struct from the whole object; when the object does
    /// not match it (a server that omits a required field, say), the value
    /// goes to `unknown` unchanged, so that one odd item cannot fail a list.
    pub fn variant_or<T: DeserializeOwned, U>(
        value: serde_json::Value,
        known: impl FnOnce(T) -> U,
        unknown: impl FnOnce(serde_json::Value) -> U,
    ) -> U {
        match T::deserialize(&value) {
            Ok(variant) => known(variant),
            Err(_) => unknown(value),
        }
    }

    /// Writes the variant's fields with `tag: value` first.
    pub fn serialize<S, T>(
        serializer: S,
        tag: &str,
        value: &str,
        variant: &T,
    ) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        let fields = match serde_json::to_value(variant).map_err(S::Error::custom)? {
            serde_json::Value::Object(fields) => fields,
            other => {
                return Err(S::Error::custom(format!(
                    "a tagged variant must be an object, got {other}"
                )))
            }
        };
        let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
        map.serialize_entry(tag, value)?;
        for (key, field) in fields.iter().filter(|(key, _)| key.as_str() != tag) {
            map.serialize_entry(key, field)?;
        }
        map.end()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Connected {
            device_id: String,
        }

        #[test]
        fn the_tag_goes_first_and_comes_back() {
            let v = Connected {
                device_id: "d1".into(),
            };
            let mut out = Vec::new();
            serialize(
                &mut serde_json::Serializer::new(&mut out),
                "event_type",
                "device.connected",
                &v,
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                r#"{"event_type":"device.connected","device_id":"d1"}"#
            );
            let value: serde_json::Value =
                serde_json::from_str(r#"{"event_type":"device.connected","device_id":"d1"}"#)
                    .unwrap();
            assert_eq!(tag_of(&value, "event_type"), "device.connected");
            let back = variant_or(value, Some, |_| None);
            assert_eq!(back, Some(v));
            let odd: serde_json::Value = serde_json::json!({"event_type": "device.connected"});
            let kept: Result<Connected, serde_json::Value> = variant_or(odd.clone(), Ok, Err);
            assert_eq!(kept, Err(odd));
        }

        #[test]
        fn fields_of_a_fallback_are_read_when_they_have_the_type() {
            let value = serde_json::json!({
                "event_id": "ev_1",
                "battery_level": 0.25,
                "count": 3,
                "created_at": "2026-01-01T00:00:00Z",
                "gone": null,
                "meta": {"a": 1}
            });
            assert_eq!(str_field(&value, "event_id"), Some("ev_1"));
            assert_eq!(str_field(&value, "count"), None);
            assert_eq!(str_field(&value, "missing"), None);
            assert_eq!(field::<f64>(&value, "battery_level"), Some(0.25));
            assert_eq!(field::<i32>(&value, "count"), Some(3));
            assert_eq!(field::<i64>(&value, "battery_level"), None);
            assert_eq!(field::<bool>(&value, "gone"), None);
            assert_eq!(
                field::<String>(&value, "created_at").as_deref(),
                Some("2026-01-01T00:00:00Z")
            );
            assert_eq!(
                json_field(&value, "meta"),
                Some(&serde_json::json!({"a": 1}))
            );
            assert_eq!(json_field(&value, "gone"), None);
            // Not an object: nothing to read.
            assert_eq!(str_field(&serde_json::json!([1]), "event_id"), None);
        }
    }
}

/// `Option<Option<T>>` fields of requests: `None` is omitted (with
/// `skip_serializing_if`), `Some(None)` is `null`, `Some(Some(v))` is `v`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `null` or the value.
    pub fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        match value {
            Some(Some(value)) => value.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }

    /// Reads `null` as `Some(None)`; a missing field is `None` (with `default`).
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
