# Source this file (`.ci/run` does) to make sure the machine has what the test suite needs:
#  - Chromium from Debian's packages at /usr/bin/chromium (the report's browser tests; never a
#    browser download), installed with apt-get when missing;
#  - PostgreSQL 15 running on 127.0.0.1:5432 (the store's PostgreSQL suite), started with
#    pg_ctlcluster when the cluster exists but is down, installed with apt-get when there is none.
_seatwise_apt_updated=""
_seatwise_apt() {
  if [ "$(id -u)" != "0" ]; then echo "seatwise: need root to apt-get install $*" >&2; return 1; fi
  if [ -z "$_seatwise_apt_updated" ]; then apt-get update -qq >&2; _seatwise_apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}
if [ ! -x /usr/bin/chromium ]; then
  echo "seatwise: installing chromium (Debian package) for the report's browser tests" >&2
  _seatwise_apt chromium fonts-dejavu-core
fi
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "seatwise: installing postgresql for the store's PostgreSQL suite" >&2
  _seatwise_apt postgresql
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  for _v in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$_v" main start >&2 || true
  done
fi
unset -f _seatwise_apt
unset _seatwise_apt_updated _v
