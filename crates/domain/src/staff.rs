//! The back office's staff roles and what each may do.

use std::fmt;

/// A staff member's role. Each role may do a fixed set of things ([`Role::may`]);
/// anything else is refused before it is attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including staff accounts and the audit log.
    Admin,
    /// Products, categories, imports and exports.
    CatalogueManager,
    /// Orders: payments, fulfilment, shipments, notes.
    OrderManager,
    /// Reads catalogue and orders to answer customers; changes nothing.
    Support,
    /// Promotions: rules, codes, their usage.
    Marketing,
}

/// Something a staff member may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the catalogue, the orders and the dashboard.
    Read,
    EditCatalogue,
    ManageOrders,
    /// Create, change and disable staff accounts.
    ManageStaff,
    ReadAuditLog,
    /// Decide customers' requests to be erased.
    HandlePrivacyRequests,
    /// Create and change promotion rules and their codes.
    ManagePromotions,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a staff role (admin, catalogue, orders, support or marketing)")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::CatalogueManager,
        Role::OrderManager,
        Role::Support,
        Role::Marketing,
    ];

    /// The code stored in the database and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::CatalogueManager => "catalogue",
            Role::OrderManager => "orders",
            Role::Support => "support",
            Role::Marketing => "marketing",
        }
    }

    pub fn parse(code: &str) -> Result<Role, UnknownRole> {
        let code = code.trim();
        Role::ALL
            .into_iter()
            .find(|role| role.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| UnknownRole(code.chars().take(40).collect()))
    }

    /// The role's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::CatalogueManager => "Catalogue manager",
            Role::OrderManager => "Order manager",
            Role::Support => "Support (read only)",
            Role::Marketing => "Marketing (promotions)",
        }
    }

    pub fn may(self, permission: Permission) -> bool {
        match permission {
            Permission::Read => true,
            Permission::EditCatalogue => matches!(self, Role::Admin | Role::CatalogueManager),
            Permission::ManageOrders => matches!(self, Role::Admin | Role::OrderManager),
            Permission::ManageStaff
            | Permission::ReadAuditLog
            | Permission::HandlePrivacyRequests => self == Role::Admin,
            Permission::ManagePromotions => matches!(self, Role::Admin | Role::Marketing),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_roles_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Ok(role));
        }
        assert_eq!(Role::parse(" Admin "), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
        assert!(Role::parse("").is_err());
    }

    #[test]
    fn each_role_may_do_only_its_work() {
        use Permission::*;
        let allowed = |role: Role| {
            [
                Read,
                EditCatalogue,
                ManageOrders,
                ManageStaff,
                ReadAuditLog,
                ManagePromotions,
            ]
            .into_iter()
            .filter(|p| role.may(*p))
            .collect::<Vec<_>>()
        };
        assert_eq!(
            allowed(Role::Admin),
            [
                Read,
                EditCatalogue,
                ManageOrders,
                ManageStaff,
                ReadAuditLog,
                ManagePromotions
            ]
        );
        assert_eq!(allowed(Role::Marketing), [Read, ManagePromotions]);
        assert_eq!(allowed(Role::CatalogueManager), [Read, EditCatalogue]);
        assert_eq!(allowed(Role::OrderManager), [Read, ManageOrders]);
        assert_eq!(allowed(Role::Support), [Read]);
    }
}
