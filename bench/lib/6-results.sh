# The results file: the machine, the two tables, the other figures and the targets, as bench/README.md describes.

num() { awk -v x="$1" 'BEGIN { printf "%.0f", x }'; }
label() { [[ $1 == true ]] && echo on || echo off; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb * 1024 / 1e6 }'; }

table() { # $1 cache
  local c=$1 scenario name
  echo "| scenario | req/s | p50 ms | p99 ms | of ceiling | of raw | errors | others' CPU |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for scenario in "${scenarios[@]}"; do
    name=${scenario%%|*}
    echo "| ${scenario#*|} | $(num "${rps[$c,$name]}") | ${p50[$c,$name]} | ${p99[$c,$name]} | $(ratio "${rps[$c,$name]}" "${rps[$c,ceiling]}") | $(ratio "${rps[$c,$name]}" "${rps[$c,raw]}") | ${errors[$c,$name]} | ${others[$c,$name]} |"
  done
}

holds() { awk "BEGIN { exit !($1) }" && echo "holds" || echo "**does not hold**"; }
p99_row() { # $1 cache
  local c=$1 name worst="" worst_v=0
  for name in item list deep topic; do
    if awk -v a="${p99[$c,$name]}" -v b="$worst_v" 'BEGIN { exit !(a > b) }'; then worst=$name; worst_v=${p99[$c,$name]}; fi
  done
  echo "| p99 < 25 ms for item, list, deep list, topic (cache $(label "$c")) | ${p99[$c,item]} / ${p99[$c,list]} / ${p99[$c,deep]} / ${p99[$c,topic]} ms (worst: $worst) | $(holds "$worst_v < 25") |"
}

write_results() {
  local commit cpu mem_gib os kernel pg_version aspnet wrk_version rss_all c
  commit=$(git -C "$repo" rev-parse --short HEAD)
  [[ -z $(git -C "$repo" status --porcelain -- . ':!bench/results') ]] || commit="$commit (with uncommitted changes)"
  cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
  mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  kernel=$(uname -r)
  pg_version=$("$pg_bin/postgres" --version | sed 's/^postgres (PostgreSQL) //')
  aspnet=$(dotnet --list-runtimes | sed -n 's/^Microsoft.AspNetCore.App \([^ ]*\).*/\1/p' | tail -n 1)
  wrk_version=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2 || true)
  rss_all=$(( rss_peak[false] > rss_peak[true] ? rss_peak[false] : rss_peak[true] ))

  {
    echo "# Benchmark: $(num "$articles") synthetic articles"
    echo
    echo "Written by \`bench/run.sh $articles\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$commit\`."
    echo "[\`bench/README.md\`](../README.md) says how the run goes and how to read this."
    echo
    echo "| machine | |"
    echo "| --- | --- |"
    echo "| CPU | $(nproc) cores, $cpu |"
    echo "| memory | $mem_gib GiB |"
    echo "| system | $os, Linux $kernel |"
    echo "| software | ASP.NET Core $aspnet, PostgreSQL $pg_version (the app's own provisioning: default settings but shared_buffers=$(shared_buffers_mb) MB, a quarter of the memory), wrk $wrk_version |"
    echo "| load average before the run | $load_before (other work shared the machine) |"
    echo
    echo "Data: $(num "$live") live articles ($(num "$articles") synthetic, the rest from \`seeds/\`). Load: \`wrk\` on loopback,"
    echo "$threads threads, $connections connections, $duration per scenario after a $warmup warm-up, against the Release build with"
    echo "logging at Warning and rate limits off. Scenarios run one after another in one API process per table; \"of"
    echo "ceiling\" and \"of raw\" compare requests per second with the two reference rows of the same table. \"Others' CPU\" is"
    echo "how many of the $(nproc) cores other processes kept busy during the scenario: above a few tenths, its figures are low."
    echo
    echo "## Delivery:ResponseCache=false"
    echo
    table false
    echo
    echo "## Delivery:ResponseCache=true (the default)"
    echo
    table true
    echo
    echo "## Other figures"
    echo
    echo "| what | figure |"
    echo "| --- | --- |"
    local import_figure="not measured (BENCH_REUSE_DATA=1 kept the database of an earlier run)"
    [[ -z $import_s ]] || import_figure="$import_s s (the whole \`seed --synthetic\` command, with initdb, migrations and seeds: $import_wall_s s)"
    echo "| synthetic import of $(num "$articles") articles | $import_figure |"
    echo "| start to \`/health/ready\` 200, PostgreSQL running | median $ready_median ms of ${#starts[@]} starts (${starts[*]} ms) |"
    echo "| start to \`/health/ready\` 200, the API starting PostgreSQL | $cold_ready_ms ms |"
    echo "| API resident memory, highest sample / peak (VmHWM) | cache off $(mb "${rss_max[false]}") / $(mb "${rss_peak[false]}"), cache on $(mb "${rss_max[true]}") / $(mb "${rss_peak[true]}") |"
    echo "| \`/bench/raw\` and \`/bench/ceiling\` answer the same JSON and ETag as \`/v1/articles/{slug}\` | yes, 5 slugs compared byte for byte in each run |"
    echo
    echo "## Targets"
    echo
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    echo "| article by slug, cache off, >= 70% of raw | $(ratio "${rps[false,item]}" "${rps[false,raw]}") | $(holds "${rps[false,item]} >= 0.7 * ${rps[false,raw]}") |"
    echo "| article by slug, cache on, >= 60% of ceiling | $(ratio "${rps[true,item]}" "${rps[true,ceiling]}") | $(holds "${rps[true,item]} >= 0.6 * ${rps[true,ceiling]}") |"
    p99_row false
    p99_row true
    for c in false true; do
      echo "| list page $deep_page by cursor within 1.5x page 1's latency (cache $(label "$c")) | p50 ${p50[$c,deep]} vs ${p50[$c,list]} ms, p99 ${p99[$c,deep]} vs ${p99[$c,list]} ms | $(holds "${p50[$c,deep]} <= 1.5 * ${p50[$c,list]} && ${p99[$c,deep]} <= 1.5 * ${p99[$c,list]}") |"
    done
    for c in false true; do
      echo "| search p50 < 30 ms, p99 < 100 ms (cache $(label "$c")) | p50 ${p50[$c,search]} ms, p99 ${p99[$c,search]} ms | $(holds "${p50[$c,search]} < 30 && ${p99[$c,search]} < 100") |"
      echo "| suggestions p99 < 10 ms, one request at a time (cache $(label "$c")) | p99 ${p99[$c,suggest-alone]} ms | $(holds "${p99[$c,suggest-alone]} < 10") |"
    done
    echo "| search with facets on a common word, cache off, >= 20% of raw | $(ratio "${rps[false,facets]}" "${rps[false,raw]}") | $(holds "${rps[false,facets]} >= 0.2 * ${rps[false,raw]}") |"
    echo "| API resident memory < 400 MB during the run | peak $(mb "$rss_all") | $(holds "$rss_all * 1024 < 400e6") |"
    if [[ -n $import_wall_s ]]; then
      echo "| synthetic import of $(num "$articles") < 60 s | $import_s s | $(holds "$import_s < 60") |"
    fi
    echo "| start to ready < 3 s with an existing database | median $ready_median ms; $cold_ready_ms ms starting PostgreSQL too | $(holds "$ready_median < 3000") |"
    echo
    echo "## Why"
    echo
    echo "_Not written yet: after a run worth keeping, say here why each target that fails does (see bench/README.md)._"
  } >"$results"
}
