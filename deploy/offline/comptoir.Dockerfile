# The shop's binaries, built on the host with cargo (no Rust toolchain can be
# fetched inside an image here), on the local Debian base. The build context is a
# folder deploy/build-images.sh fills with the binaries and static/.
FROM comptoir/debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && useradd --system --create-home --home-dir /srv/comptoir comptoir \
    && mkdir -p /srv/media /srv/search-index \
    && chown comptoir /srv/media /srv/search-index
COPY comptoir backoffice search /usr/local/bin/
COPY static /srv/comptoir/static
WORKDIR /srv/comptoir
USER comptoir
ENV COMPTOIR_STATIC_DIR=/srv/comptoir/static \
    MEDIA_DIR=/srv/media \
    RUST_LOG=info
CMD ["comptoir", "serve"]
