#!/bin/bash
# Container health check without curl: GET http://127.0.0.1:<port><path> over bash's /dev/tcp,
# healthy when the status line says 200. Usage: healthcheck.sh [port=8080] [path=/health]
port="${1:-8080}"
path="${2:-/health}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${path}" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&-
case "${status}" in
  "HTTP/1.1 200"* | "HTTP/1.0 200"*) exit 0 ;;
  *) echo "GET ${path}: ${status}"; exit 1 ;;
esac
