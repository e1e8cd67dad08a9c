//! Customer accounts, as other parts bring them to the store.

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub email: String,
    pub name: String,
    pub password_hash: String,
}
