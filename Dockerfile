# syntax=docker/dockerfile:1
# One image per service, all from this one file:
#   docker build --build-arg SERVICE=gateway -t <registry>/<repository>/gateway:<tag> .
# (CI builds the seven images in a matrix over the app-ids and pushes them; there is no Docker engine on
# the development machines.)
#
# One Dockerfile with ARG SERVICE, not one per service: every service is built the same way (the same
# toolchain, `npm run build` bundles it into services/<app-id>/dist/main.js with esbuild, see
# tools/build/build.mjs) and runs the same way (`node main.js`), so seven files would be seven copies to
# keep in step. Each image still carries only its own service's bundle.
#
# Base image pinned by tag, the project's Node (26.12.1 LTS, scripts/lib/common.sh NODE_VERSION). A tag
# can be moved by its publisher; CI should also pin the digest (node:26.12.1-bookworm-slim@sha256:…) and
# let a bot bump both.

FROM node:26.12.1-bookworm-slim AS build
WORKDIR /src
# The context is an allowlist (.dockerignore): manifests, lockfile, packages/, services/, tools/build/.
COPY . .
# Every dependency, dev ones included: the bundler runs here. The npm cache mount keeps downloads
# between CI builds; the layer itself is shared by the seven service builds (SERVICE comes after it).
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
ARG SERVICE
RUN npm run build -- "${SERVICE}"

FROM node:26.12.1-bookworm-slim AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="todo-platform ${SERVICE}" \
      org.opencontainers.image.description="Dapr app-id ${SERVICE}; runs beside its daprd sidecar"
ENV NODE_ENV=production
# The bundle needs no package manager at run time; fewer binaries, fewer CVEs to patch.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
# Only the bundle: every production dependency is inside it, so there is no node_modules at run time.
# Owned by root and read-only for the app, which writes nothing: runs with a read-only root file
# system and needs no writable /tmp.
COPY --from=build /src/services/${SERVICE}/dist/main.js /app/main.js
# `node`, uid/gid 1000 in the official image (numeric, so the kubelet can check runAsNonRoot).
USER 1000:1000
# The services close their HTTP server on SIGTERM and exit once in-flight requests end
# (packages/service-kit/src/lifecycle.ts). node runs as PID 1 without a shell in between, so it gets the
# signal itself.
STOPSIGNAL SIGTERM
# No HEALTHCHECK: Kubernetes ignores it. The kubelet probes /healthz (liveness) and /readyz (the
# sidecar answers too) as the chart declares; a Docker-only run can `curl` the same paths.
# No secrets in the image: tokens and keys reach the container as environment from Kubernetes Secrets.
ENTRYPOINT ["node", "/app/main.js"]
