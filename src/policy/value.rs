//! Serializing model types straight into regorus values.
//!
//! Going through `serde_json::Value` (or JSON text) first doubled the work
//! and the allocations of the policy input. This serializer builds the
//! regorus value in one pass and shares short strings (keys, dates, ids
//! of roles in grants, keywords) through an [`Interner`]: most of an
//! identity's strings repeat across identities, so the input holds one copy
//! of each per interner, which also makes it cheap to free.

use std::collections::BTreeMap;
use std::sync::Arc;

use regorus::Value;
use rustc_hash::FxHashSet;
use serde::Serialize;
use serde::ser::{self, Impossible};

/// Strings longer than this are not worth looking up: they rarely repeat.
const MAX_INTERNED: usize = 64;

/// Shared copies of short strings. One per worker, so the reference counts
/// of its strings are only ever touched by one thread while building.
#[derive(Default)]
pub struct Interner {
    // regorus strings are `Arc<str>` (its `arc` feature): the set holds the
    // very allocation the values share.
    strings: FxHashSet<Arc<str>>,
}

impl Interner {
    pub fn string(&mut self, text: &str) -> Value {
        if text.len() > MAX_INTERNED {
            return Value::from(text);
        }
        if let Some(shared) = self.strings.get(text) {
            return Value::String(shared.clone());
        }
        let shared: Arc<str> = Arc::from(text);
        self.strings.insert(shared.clone());
        Value::String(shared)
    }
}

/// Why a value could not be converted (only types the model never has).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ToValueError(String);

impl ser::Error for ToValueError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        ToValueError(message.to_string())
    }
}

/// Converts a serializable value into a regorus value.
pub fn to_value<T: Serialize + ?Sized>(
    value: &T,
    interner: &mut Interner,
) -> Result<Value, ToValueError> {
    value.serialize(ValueSerializer { interner })
}

struct ValueSerializer<'i> {
    interner: &'i mut Interner,
}

/// A sequence being built.
struct Seq<'i> {
    interner: &'i mut Interner,
    items: Vec<Value>,
}

/// A map or struct being built.
struct Map<'i> {
    interner: &'i mut Interner,
    entries: BTreeMap<Value, Value>,
    key: Option<Value>,
}

impl<'i> ser::Serializer for ValueSerializer<'i> {
    type Ok = Value;
    type Error = ToValueError;
    type SerializeSeq = Seq<'i>;
    type SerializeTuple = Seq<'i>;
    type SerializeTupleStruct = Seq<'i>;
    type SerializeTupleVariant = Impossible<Value, ToValueError>;
    type SerializeMap = Map<'i>;
    type SerializeStruct = Map<'i>;
    type SerializeStructVariant = Impossible<Value, ToValueError>;

    fn serialize_bool(self, v: bool) -> Result<Value, ToValueError> {
        Ok(Value::from(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ToValueError> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ToValueError> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ToValueError> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ToValueError> {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ToValueError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ToValueError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ToValueError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ToValueError> {
        Ok(Value::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ToValueError> {
        Ok(Value::from(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ToValueError> {
        Ok(Value::from(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ToValueError> {
        Ok(self.interner.string(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ToValueError> {
        Ok(self.interner.string(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ToValueError> {
        Ok(Value::from(
            v.iter()
                .map(|b| Value::from(u64::from(*b)))
                .collect::<Vec<_>>(),
        ))
    }
    fn serialize_none(self) -> Result<Value, ToValueError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ToValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ToValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, ToValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ToValueError> {
        Ok(self.interner.string(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, ToValueError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, ToValueError> {
        let key = self.interner.string(variant);
        let inner = value.serialize(ValueSerializer {
            interner: self.interner,
        })?;
        Ok(Value::from(BTreeMap::from([(key, inner)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'i>, ToValueError> {
        Ok(Seq {
            interner: self.interner,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'i>, ToValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'i>, ToValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ToValueError> {
        Err(ToValueError(format!(
            "tuple variants are not supported ({name})"
        )))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'i>, ToValueError> {
        Ok(Map {
            interner: self.interner,
            entries: BTreeMap::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Map<'i>, ToValueError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ToValueError> {
        Err(ToValueError(format!(
            "struct variants are not supported ({name})"
        )))
    }
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        let value = value.serialize(ValueSerializer {
            interner: self.interner,
        })?;
        self.items.push(value);
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(Value::from(self.items))
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(Value::from(self.items))
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(Value::from(self.items))
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ToValueError> {
        self.key = Some(key.serialize(ValueSerializer {
            interner: self.interner,
        })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ToValueError("a map value without a key".to_owned()))?;
        let value = value.serialize(ValueSerializer {
            interner: self.interner,
        })?;
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(Value::from(self.entries))
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ToValueError> {
        let key = self.interner.string(key);
        let value = value.serialize(ValueSerializer {
            interner: self.interner,
        })?;
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(Value::from(self.entries))
    }
}
