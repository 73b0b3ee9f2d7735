# One image with imagepipe's three binaries: worker, starter, emulator.
# docker-compose.yml runs each with its own command.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ ./worker ./starter ./emulator

FROM alpine:3.22
RUN apk add --no-cache ca-certificates && adduser -D -u 10001 imagepipe \
    && mkdir /state && chown imagepipe /state
COPY --from=build /out/ /usr/local/bin/
COPY examples/ /examples/
USER imagepipe
ENTRYPOINT ["/usr/local/bin/worker"]
