# One image for the whole shop: `comptoir` (storefront, migrations, seeding, imports),
# `backoffice` and `search`. Templates and migrations are compiled into the
# binaries; the static assets are copied beside them.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p comptoir --bins \
    && strip --strip-debug target/release/comptoir target/release/backoffice target/release/search

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/comptoir comptoir \
    && mkdir -p /srv/media /srv/search-index \
    && chown comptoir /srv/media /srv/search-index
COPY --from=build /src/target/release/comptoir /src/target/release/backoffice /src/target/release/search /usr/local/bin/
COPY static /srv/comptoir/static
WORKDIR /srv/comptoir
USER comptoir
ENV COMPTOIR_STATIC_DIR=/srv/comptoir/static \
    MEDIA_DIR=/srv/media \
    RUST_LOG=info
CMD ["comptoir", "serve"]
