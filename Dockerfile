# The baocao binary for server deployments (docker-compose.yml). Built with
# -tags nochdb: without embedded chDB it needs no 559 MB libchdb and runs
# against ClickHouse servers only, which is what a deployment uses.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -tags nochdb -o /baocao ./cmd/baocao

FROM debian:bookworm-slim
# ca-certificates: TLS to NATS and ClickHouse; curl: the compose healthchecks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --uid 10001 --home-dir /var/lib/baocao --create-home baocao \
 && mkdir -p /reports /auth /nats-auth /users /creds/admin /creds/projector /creds/scheduler /creds/ingest \
 && chown baocao:baocao /reports /auth /nats-auth /users /creds/admin /creds/projector /creds/scheduler /creds/ingest \
 && chmod 700 /auth /creds/admin /creds/projector /creds/scheduler /creds/ingest
COPY --from=build /baocao /usr/local/bin/baocao
# A new named volume takes the owner and mode of the folder it is mounted
# on, so the non-root services can write their reports, the authority and
# the credentials there, and nobody else reads the secret ones.
USER baocao
WORKDIR /var/lib/baocao
ENTRYPOINT ["/usr/local/bin/baocao"]
CMD ["--help"]
