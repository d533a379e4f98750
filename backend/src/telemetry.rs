//! Structured logs with `tracing`.
//!
//! ERROR means the server is wrong. actix-http logs every connection it gives up on as ERROR
//! ("stream error: …"), also when the client is at fault: a request it cannot parse, a head
//! that is too large, a client that hung up or was too slow. Those lines are logged again at
//! INFO (target `buurtkracht::http`), the others stay ERROR; the original lines are left out.

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::LogFormat;

/// Where actix-http logs the connections it gives up on.
const DISPATCHER: &str = "actix_http::h1::dispatcher";

/// The dispatcher's errors that the client caused (the texts of actix-http's `DispatchError`).
const CLIENT_SIDE: &[&str] = &[
    "stream error: request parse error",
    "stream error: I/O error",
    "stream error: request did not complete within the specified timeout",
    "stream error: connection shutdown timeout",
];

fn is_dispatcher_error(metadata: &Metadata<'_>) -> bool {
    *metadata.level() == Level::ERROR && metadata.target() == DISPATCHER
}

/// Whether a dispatcher error message is the client's doing.
fn caused_by_client(message: &str) -> bool {
    CLIENT_SIDE.iter().any(|prefix| message.starts_with(prefix))
}

#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.0);
        }
    }
}

/// Logs actix-http's dispatcher errors again at the level they deserve.
struct DispatcherErrors;

impl<S: Subscriber> Layer<S> for DispatcherErrors {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if !is_dispatcher_error(event.metadata()) {
            return;
        }
        let mut message = Message::default();
        event.record(&mut message);
        if caused_by_client(&message.0) {
            tracing::info!(target: "buurtkracht::http", error = %message.0, "a client's request could not be read");
        } else {
            tracing::error!(target: "buurtkracht::http", error = %message.0, "an HTTP connection failed");
        }
    }
}

/// Install the global subscriber (once; later calls are ignored, which tests rely on).
pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let without_dispatcher_errors =
        tracing_subscriber::filter::filter_fn(|metadata| !is_dispatcher_error(metadata));
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(true)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let registry = tracing_subscriber::registry().with(filter);
    let _already_installed = match format {
        LogFormat::Text => registry
            .with(lines.with_filter(without_dispatcher_errors))
            .with(DispatcherErrors)
            .try_init(),
        LogFormat::Json => registry
            .with(
                lines
                    .json()
                    .flatten_event(true)
                    .with_filter(without_dispatcher_errors),
            )
            .with(DispatcherErrors)
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_and_hang_ups_are_the_clients_doing() {
        assert!(caused_by_client(
            "stream error: request parse error: invalid Header provided"
        ));
        assert!(caused_by_client(
            "stream error: request parse error: message head is too large"
        ));
        assert!(caused_by_client(
            "stream error: I/O error: Connection reset by peer (os error 104)"
        ));
        assert!(!caused_by_client("stream error: internal error"));
        assert!(!caused_by_client("stream error: service error"));
        assert!(!caused_by_client("write zero; closing"));
    }
}
