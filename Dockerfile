# forumbot in a container: a static binary (pure-Go SQLite, no cgo) on
# distroless, run as the image's non-root user. The config is mounted at
# /etc/forumbot/forumbot.yaml and the database lives in the /data volume:
#
#   docker build -t forumbot .
#   docker run -d --name forumbot -p 8080:8080 \
#     -v forumbot-data:/data -v "$PWD/forumbot.yaml:/etc/forumbot/forumbot.yaml:ro" \
#     -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN forumbot
#
# In the config, set store.path: /data/forumbot.db and http.listen:
# 0.0.0.0:8080 (the container's own interface; publish the port only to
# your TLS proxy or your monitoring).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/forumbot ./cmd/forumbot \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/forumbot /usr/local/bin/forumbot
# The volume's mount point belongs to the non-root user (65532), so that a
# new named volume does too.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/forumbot"]
CMD ["serve", "--config", "/etc/forumbot/forumbot.yaml"]
