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

# Published as the Dockerfile publishes it: Release, compiled ahead of time (ReadyToRun) for this machine's CPU, which
# spares the start most of its JIT work.
build_api() {
  say "publishing the API (Release, ReadyToRun)"
  local arch
  case $(uname -m) in aarch64 | arm64) arch=arm64 ;; *) arch=x64 ;; esac
  dotnet publish "$repo/src/ContentApi" -c Release -r "linux-$arch" --self-contained false -p:PublishReadyToRun=true \
    -o "$work/api" -nologo -v quiet -clp:NoSummary >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "the build failed"; }
}
