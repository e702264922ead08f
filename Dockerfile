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
 && mkdir -p /reports && chown baocao:baocao /reports
COPY --from=build /baocao /usr/local/bin/baocao
# A new named volume on /reports takes this folder's owner, so the
# non-root scheduler can write its reports there.
USER baocao
WORKDIR /var/lib/baocao
ENTRYPOINT ["/usr/local/bin/baocao"]
CMD ["--help"]
