//! Ids and the references between objects, parsed into typed values.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

/// The id pattern of FORMAT.md, shared by the parser and the JSON Schemas.
pub const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._@-]*$";

/// An object id: `^[A-Za-z0-9][A-Za-z0-9._@-]*$`, case-sensitive.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, bitcode::Encode, bitcode::Decode,
)]
#[serde(transparent)]
pub struct Id(Box<str>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RefError {
    #[error(
        "`{0}` is not a valid id: ids start with a letter or digit and contain only letters, digits, `.`, `_`, `@` and `-`"
    )]
    BadId(String),
    #[error(
        "`{0}` is not a permission reference: write `application:permission` or `application:*`"
    )]
    BadPermission(String),
    #[error("`{0}` is not a principal: write an identity id or `team:<id>`")]
    BadPrincipal(String),
    #[error(
        "`{0}` is not a separation-of-duties item: write `application:permission` or `role:<id>`"
    )]
    BadSodItem(String),
}

fn is_id(text: &str) -> bool {
    let mut bytes = text.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'@' | b'-'))
}

impl Id {
    pub fn parse(text: &str) -> Result<Id, RefError> {
        if is_id(text) {
            Ok(Id(text.into()))
        } else {
            Err(RefError::BadId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": ID_PATTERN })
    }
}

/// `app:perm` or the wildcard `app:*`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, bitcode::Encode, bitcode::Decode)]
pub struct PermissionRef {
    pub application: Id,
    /// `None` for the wildcard `app:*`.
    pub permission: Option<Id>,
}

impl PermissionRef {
    /// Splits at the first `:`; both halves must be ids (or `*` after the colon).
    pub fn parse(text: &str) -> Result<PermissionRef, RefError> {
        let bad = || RefError::BadPermission(text.to_owned());
        let (application, permission) = text.split_once(':').ok_or_else(bad)?;
        let application = Id::parse(application).map_err(|_| bad())?;
        let permission = if permission == "*" {
            None
        } else {
            Some(Id::parse(permission).map_err(|_| bad())?)
        };
        Ok(PermissionRef {
            application,
            permission,
        })
    }

    pub fn is_wildcard(&self) -> bool {
        self.permission.is_none()
    }
}

impl fmt::Display for PermissionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.permission {
            Some(permission) => write!(f, "{}:{}", self.application, permission),
            None => write!(f, "{}:*", self.application),
        }
    }
}

/// Who is accountable or approves: an identity, or a team written `team:<id>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, bitcode::Encode, bitcode::Decode)]
pub enum Principal {
    Identity(Id),
    Team(Id),
}

impl Principal {
    pub fn parse(text: &str) -> Result<Principal, RefError> {
        let bad = || RefError::BadPrincipal(text.to_owned());
        match text.strip_prefix("team:") {
            Some(team) => Id::parse(team).map(Principal::Team).map_err(|_| bad()),
            None => Id::parse(text).map(Principal::Identity).map_err(|_| bad()),
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::Identity(id) => write!(f, "{id}"),
            Principal::Team(id) => write!(f, "team:{id}"),
        }
    }
}

/// Approvers of a playbook `approve` step: a principal, or a keyword resolved
/// when the playbook runs. Keywords take precedence over identity ids.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, bitcode::Encode, bitcode::Decode)]
pub enum Approver {
    Manager,
    RoleOwner,
    AppOwner,
    Requester,
    Principal(Principal),
}

impl Approver {
    pub const KEYWORDS: [&'static str; 4] = ["manager", "role-owner", "app-owner", "requester"];

    pub fn parse(text: &str) -> Result<Approver, RefError> {
        Ok(match text {
            "manager" => Approver::Manager,
            "role-owner" => Approver::RoleOwner,
            "app-owner" => Approver::AppOwner,
            "requester" => Approver::Requester,
            _ => Approver::Principal(Principal::parse(text)?),
        })
    }
}

impl fmt::Display for Approver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Approver::Manager => f.write_str("manager"),
            Approver::RoleOwner => f.write_str("role-owner"),
            Approver::AppOwner => f.write_str("app-owner"),
            Approver::Requester => f.write_str("requester"),
            Approver::Principal(principal) => principal.fmt(f),
        }
    }
}

/// One item of a SodRule side: a permission reference or `role:<id>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, bitcode::Encode, bitcode::Decode)]
pub enum SodItem {
    Permission(PermissionRef),
    Role(Id),
}

impl SodItem {
    pub fn parse(text: &str) -> Result<SodItem, RefError> {
        let bad = || RefError::BadSodItem(text.to_owned());
        match text.strip_prefix("role:") {
            Some(role) => Id::parse(role).map(SodItem::Role).map_err(|_| bad()),
            None => PermissionRef::parse(text)
                .map(SodItem::Permission)
                .map_err(|_| bad()),
        }
    }
}

impl fmt::Display for SodItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SodItem::Permission(permission) => permission.fmt(f),
            SodItem::Role(role) => write!(f, "role:{role}"),
        }
    }
}

/// References serialize as they are written in YAML, and describe themselves
/// in JSON Schema as strings with the pattern the parser enforces.
macro_rules! string_reference {
    ($type:ty, $name:literal, $pattern:expr, $description:literal) => {
        impl Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
        impl JsonSchema for $type {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $description,
                })
            }
        }
    };
}

const ID_BODY: &str = "[A-Za-z0-9][A-Za-z0-9._@-]*";

string_reference!(
    PermissionRef,
    "PermissionRef",
    format!("^{ID_BODY}:({ID_BODY}|\\*)$"),
    "A permission of an application, `app:perm`, or every permission of it, `app:*`."
);
string_reference!(
    Principal,
    "Principal",
    format!("^(team:)?{ID_BODY}$"),
    "An identity id, or a team id written `team:<id>`."
);
string_reference!(
    Approver,
    "Approver",
    format!("^(manager|role-owner|app-owner|requester|(team:)?{ID_BODY})$"),
    "A principal, or one of the keywords manager, role-owner, app-owner, requester."
);
string_reference!(
    SodItem,
    "SodItem",
    format!("^(role:{ID_BODY}|{ID_BODY}:({ID_BODY}|\\*))$"),
    "A permission reference `app:perm` (or `app:*`), or a role written `role:<id>`."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(Id::parse("svc-billing.export@prod_1").is_ok());
        for bad in ["", "-x", ".x", "a b", "a/b", "é", "a:b"] {
            assert!(Id::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn permission_references_split_at_the_first_colon() {
        let parsed = PermissionRef::parse("stripe:refunds.write").unwrap();
        assert_eq!(parsed.application.as_str(), "stripe");
        assert_eq!(parsed.permission.unwrap().as_str(), "refunds.write");
        assert!(PermissionRef::parse("stripe:*").unwrap().is_wildcard());
        // The second colon belongs to the permission, which then is not an id.
        assert!(PermissionRef::parse("a:b:c").is_err());
        assert!(PermissionRef::parse("stripe").is_err());
        assert!(PermissionRef::parse(":x").is_err());
    }

    #[test]
    fn principals_and_approvers() {
        assert_eq!(
            Principal::parse("team:payments").unwrap(),
            Principal::Team(Id::parse("payments").unwrap())
        );
        assert_eq!(Approver::parse("manager").unwrap(), Approver::Manager);
        assert_eq!(
            Approver::parse("team:risk").unwrap().to_string(),
            "team:risk"
        );
        assert!(Principal::parse("team:").is_err());
        assert_eq!(SodItem::parse("role:x").unwrap().to_string(), "role:x");
        assert!(SodItem::parse("role:").is_err());
    }
}
