# The tools a run needs (wrk installed with apt-get as root when missing), and the API's Release build.

need_tools() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed (dotnet on PATH)"
  command -v curl >/dev/null || die "curl is needed"
  if ! command -v wrk >/dev/null; then
    [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || die "wrk is needed: apt-get install wrk (as root)"
    say "installing wrk with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  fi
  mkdir -p "$work" "$(dirname "$results")"
}

build_api() {
  say "building the API (Release)"
  dotnet build "$repo/src/ContentApi" -c Release -nologo -v quiet -clp:NoSummary >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "the build failed"; }
}
