# PatentDesk container image: a static binary on an empty (scratch) base,
# running as the non-root user 65532 with its data in the /data volume.
# See docs/container.md for building, running, backups and reverse proxies.

# ---- build stage -----------------------------------------------------------
FROM golang:1.26 AS build

WORKDIR /src

# Modules first, so they are cached while only the sources change.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/patentdesk ./cmd/patentdesk

# The final image has no shell or useradd: prepare the user, the group and
# an empty data directory owned by that user here, and copy them over.
RUN echo 'patentdesk:x:65532:65532:PatentDesk:/data:/sbin/nologin' > /out/passwd \
 && echo 'patentdesk:x:65532:' > /out/group \
 && mkdir -p /out/data \
 && chown 65532:65532 /out/data \
 && chmod 0700 /out/data

# ---- final stage -----------------------------------------------------------
FROM scratch

LABEL org.opencontainers.image.title="PatentDesk" \
      org.opencontainers.image.description="PatentDesk: self-hosted web app for patent cross-licensing records"

COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
COPY --from=build /out/patentdesk /patentdesk
COPY --from=build --chown=65532:65532 /out/data /data

USER 65532:65532

ENV PATENTDESK_ADDR=0.0.0.0:8080 \
    PATENTDESK_DATA=/data

# Declared after /data is created above, so a new named volume starts as an
# empty directory owned by 65532.
VOLUME /data
EXPOSE 8080

# "patentdesk healthcheck" GETs /healthz on PATENTDESK_ADDR (or --url) with a
# short timeout and exits 0 on 200; there is no shell or curl in this image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD ["/patentdesk", "healthcheck"]

ENTRYPOINT ["/patentdesk"]
CMD ["serve"]
