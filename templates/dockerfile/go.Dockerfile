# syntax=docker/dockerfile:1
# Go: a static binary on distroless/static, which has CA certificates, tzdata and a
# nonroot user (65532) but no shell and no package manager.
# (templates/runtime-bases.json: golang:X with CGO_ENABLED=0 -> distroless/static)

ARG GO_VERSION=1.22

# ---- builder ----
FROM golang:${GO_VERSION} AS builder
WORKDIR /src
# Module downloads first, cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: no libc dependency, so the binary runs on distroless/static or scratch.
# -trimpath and -s -w: reproducible paths, no debug symbols.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app

# ---- runtime ----
# With cgo (CGO_ENABLED=1), use gcr.io/distroless/base-debian12:nonroot, which has glibc.
# scratch also works for a static binary but has no CA certificates, tzdata or /tmp.
FROM gcr.io/distroless/static-debian12:nonroot
# Only the binary: embed templates and assets with go:embed, or COPY them here.
COPY --from=builder /out/app /app
EXPOSE 8080
# No shell here: commands must be in exec form.
USER 65532:65532
ENTRYPOINT ["/app"]
