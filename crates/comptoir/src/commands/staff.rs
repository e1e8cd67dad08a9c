//! `comptoir staff add`: a staff account created from the command line.

use anyhow::Context;
use comptoir_store::{Actor, NewStaff, Store};

/// Creates a staff account, its creation audited as done from the command line.
pub(crate) async fn add_staff(
    store: &dyn Store,
    email: &str,
    name: &str,
    role: &str,
) -> anyhow::Result<()> {
    let email = comptoir_domain::email::Email::parse(email)?;
    let role = comptoir_domain::staff::Role::parse(role)?;
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("--name must not be empty");
    }
    let password = comptoir_accounts::Password::parse(&read_new_password()?)?;
    let password_hash = tokio::task::spawn_blocking(move || password.hash()).await??;
    let member = NewStaff {
        email: email.as_str().to_owned(),
        name: name.to_owned(),
        role,
        password_hash,
    };
    match store.create_staff(&member, &Actor::command_line()).await? {
        Some(id) => {
            println!("staff account {id} created: {email} ({})", role.label());
            Ok(())
        }
        None => anyhow::bail!("{email} already has a staff account"),
    }
}

/// A new password: typed twice on a terminal, without echo; otherwise the first line
/// of standard input (for scripts).
fn read_new_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
