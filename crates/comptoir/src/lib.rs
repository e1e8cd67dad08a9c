//! What the `comptoir` and `search` binaries share: their configuration, the
//! progress bar of long jobs, and the one-line error report.

pub mod config;

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

/// The settings of a binary, from its flags and the environment. An environment
/// variable set to nothing counts as unset (its default applies), for every
/// setting alike.
pub fn parse_settings<T: clap::Parser>() -> T {
    parse_settings_from(std::env::args_os())
}

/// [`parse_settings`] from the given arguments instead of the command line's.
pub fn parse_settings_from<T: clap::Parser>(
    arguments: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>,
) -> T {
    let matches = without_empty_variables(T::command()).get_matches_from(arguments);
    T::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// The settings the given arguments make, every environment variable ignored: for
/// tests, which must not depend on the variables of the machine they run on.
pub fn parse_arguments_only<T: clap::Parser>(
    arguments: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>,
) -> T {
    let matches = without_variables(T::command()).get_matches_from(arguments);
    T::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

fn without_variables(command: clap::Command) -> clap::Command {
    command
        .mut_args(|arg| arg.env(None))
        .mut_subcommands(without_variables)
}

fn without_empty_variables(command: clap::Command) -> clap::Command {
    command
        .mut_args(named_by_variable)
        .mut_subcommands(without_empty_variables)
}

/// An argument read from a variable shows that variable's name as its value, so
/// that a refused value names the variable an operator sets; set to nothing, the
/// variable is ignored.
fn named_by_variable(arg: clap::Arg) -> clap::Arg {
    let Some(variable) = arg.get_env().map(ToOwned::to_owned) else {
        return arg;
    };
    let arg = match (arg.get_action().takes_values(), variable.to_str()) {
        (true, Some(name)) => arg.value_name(name.to_owned()),
        _ => arg,
    };
    if std::env::var_os(&variable).is_some_and(|value| value.is_empty()) {
        arg.env(None)
    } else {
        arg
    }
}

/// A progress bar over `total` products.
pub fn progress_bar(total: u64, message: String) -> ProgressBar {
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} products ({elapsed})")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info,sqlx=warn`), as text
/// (coloured only on a terminal) or as one JSON object a line.
pub fn init_logging(log: &config::LogArgs) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tantivy=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match log.log_format {
        config::LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        config::LogFormat::Json => logs.json().with_current_span(true).init(),
    }
}

/// Runs `main` on a multi-threaded runtime; a failure is one line on stderr.
/// A failure that ends the command with its own exit status rather than 1 (an
/// import that could read its file but import no row ends with 2).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExitStatus {
    pub status: u8,
    pub message: String,
}

pub fn run_main(main: impl std::future::Future<Output = anyhow::Result<()>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(main) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole chain of causes, no backtrace.
            eprintln!("error: {error:#}");
            error
                .downcast_ref::<ExitStatus>()
                .map_or(ExitCode::FAILURE, |exit| ExitCode::from(exit.status))
        }
    }
}
