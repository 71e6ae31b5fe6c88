#!/usr/bin/env bash
# Development certificates for TLS (mutual) between the Temporal server and its clients in docker-compose.yml.
#
#   deploy/tls/make-dev-certs.sh [--force] [out-dir]       (out-dir defaults to this script's folder)
#
# Writes, with openssl:
#   ca.pem                     a fresh CA (its key is deleted after signing: to renew or add a certificate, run the
#                              script again with --force, which makes a new CA and new certificates)
#   server.pem, server.key     the Temporal server's certificate: the frontend and the internode traffic; its names
#                              are TEMPORAL_TLS_SERVER_NAME (default temporal, the compose service), localhost and
#                              127.0.0.1; usable as a server and as a client (the server's own services dial each
#                              other with it)
#   client.pem, client.key     the certificate of the api, the worker, the Temporal UI and the temporal CLI (client
#                              authentication only)
# Real certificates: put files with the same names here (or in the folder TEMPORAL_TLS_DIR names) instead; README.md,
# "Secrets and transport", says what each must carry.
set -euo pipefail

force=false
if [[ ${1:-} == --force ]]; then
  force=true
  shift
fi
out=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
server_name=${TEMPORAL_TLS_SERVER_NAME:-temporal}
days=${TLS_DAYS:-397}

if [[ ! $server_name =~ ^[A-Za-z0-9.-]{1,253}$ ]]; then
  echo "TEMPORAL_TLS_SERVER_NAME must be a host name" >&2
  exit 2
fi
mkdir -p "$out"
for file in ca.pem server.pem server.key client.pem client.key; do
  if [[ -e $out/$file && $force != true ]]; then
    echo "$out/$file exists: nothing written (run with --force to replace every certificate and the CA)" >&2
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key" 2>/dev/null
openssl req -x509 -new -key "$work/ca.key" -sha256 -days $((days + 30)) -subj '/CN=Exit Pathways Temporal dev CA' \
  -addext 'basicConstraints=critical,CA:TRUE,pathlen:0' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
  -out "$work/ca.pem"

# issue <name> <subject CN> <extendedKeyUsage> [subjectAltName]
issue() {
  local name=$1 cn=$2 eku=$3 san=${4:-}
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key" 2>/dev/null
  openssl req -new -key "$work/$name.key" -subj "/CN=$cn" -out "$work/$name.csr"
  {
    echo 'basicConstraints=critical,CA:FALSE'
    echo 'keyUsage=critical,digitalSignature'
    echo "extendedKeyUsage=$eku"
    [[ -n $san ]] && echo "subjectAltName=$san"
  } >"$work/$name.ext"
  openssl x509 -req -in "$work/$name.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -sha256 \
    -days "$days" -extfile "$work/$name.ext" -out "$work/$name.pem" 2>/dev/null
  openssl verify -CAfile "$work/ca.pem" "$work/$name.pem" >/dev/null
}
issue server "$server_name" serverAuth,clientAuth "DNS:$server_name,DNS:localhost,IP:127.0.0.1"
issue client exit-pathways-client clientAuth

for file in ca.pem server.pem server.key client.pem client.key; do
  cp "$work/$file" "$out/$file"
done
# The containers read the files as their own users (the Temporal images' and the application image's), so the keys
# are readable by all on the host: keep this folder on a host only its operators can log in to.
chmod 0644 "$out"/{ca.pem,server.pem,client.pem,server.key,client.key}
echo "Wrote $out/{ca.pem,server.pem,server.key,client.pem,client.key} (server name $server_name, valid $days days)."
