#!/usr/bin/env bash
# `npm run image [-- TAG]`: builds the job image (Dockerfile) with Docker.
#   TAG     image name, default seatwise:<package.json version> (or $SEATWISE_IMAGE)
#   --if-docker  CI mode: when no Docker daemon answers, say so and exit 0 instead of failing.
# Without Docker it fails with one line saying why.
set -euo pipefail
cd "$(dirname "$0")/.."
if_docker=""
if [ "${1:-}" = "--if-docker" ]; then if_docker=1; shift; fi
version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)"
tag="${1:-${SEATWISE_IMAGE:-seatwise:${version}}}"
why=""
if ! command -v docker >/dev/null 2>&1; then
  why="docker is not installed"
elif ! docker info >/dev/null 2>&1; then
  why="no Docker daemon answers (docker info failed)"
fi
if [ -n "$why" ]; then
  if [ -n "$if_docker" ]; then echo "seatwise image: skipped the image build: $why"; exit 0; fi
  echo "seatwise image: cannot build $tag: $why" >&2
  exit 1
fi
exec docker build --tag "$tag" .
