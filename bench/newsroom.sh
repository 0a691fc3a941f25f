#!/usr/bin/env bash
# A newsroom's day: readers request a Zipf-distributed mix of 20,000 URLs (articles, lists, topic and author pages,
# searches, related articles) while an editor changes an article every 2 seconds through the management API. Runs on
# the database bench/run.sh left (run that first); reports throughput, latency, the cache hit ratio and the share of
# stale answers, once with the response cache off and once on. bench/README.md says how to read it.
#
#   bench/newsroom.sh [SECONDS]      each run's length (default 60)
#
# Settings (environment): BENCH_DATA_DIR (as bench/run.sh), BENCH_RESULTS (the Markdown file to write, default
# results/newsroom.md). The editor's changes stay in that database: deks of popular articles and a few new articles.
set -euo pipefail

seconds=${1:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/newsroom.sh [SECONDS]" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
articles=newsroom # what bench/lib names its default results file after
for step in 0-settings 1-build 2-postgres 3-api; do source "$repo/bench/lib/$step.sh"; done
results=${BENCH_RESULTS:-$repo/bench/results/newsroom.md}
driver=$repo/bench/newsroom/bin/Release/net10.0/Newsroom.dll
[[ -f $data/PG_VERSION ]] || die "no bench database in $data: run bench/run.sh first"

need_tools
build_api
dotnet build "$repo/bench/newsroom" -c Release -nologo -v quiet -clp:NoSummary >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; die "the driver's build failed"; }
trap cleanup EXIT
find_pg_bin
start_postgres

# --- the 20,000 URLs, most popular first -------------------------------------------------------------------------
# Each kind is ranked on its own (newest articles first, largest topics and authors first), then the kinds are
# interleaved by share: articles 60 %, lists and topic or author pages 20 %, searches 10 %, related 10 %.
live_filter="a.status IN ('published', 'scheduled') AND a.published_at <= now()"
{
  sql "SELECT 0.60, '/v1/articles/' || slug FROM articles a WHERE $live_filter ORDER BY published_at DESC LIMIT 15000"
  sql "SELECT 0.20, '/v1/articles' UNION ALL SELECT 0.20, '/v1/articles?page=' || n FROM generate_series(2, 50) n"
  sql "SELECT 0.20, p FROM (SELECT t.slug, count(*) n FROM topics t JOIN article_topics l ON l.topic_id = t.id GROUP BY t.slug
       ORDER BY n DESC LIMIT 400) x, LATERAL (VALUES ('/v1/articles?topic=' || x.slug), ('/v1/topics/' || x.slug)) v(p)"
  sql "SELECT 0.20, p FROM (SELECT x.slug, count(*) n FROM authors x JOIN article_authors l ON l.author_id = x.id GROUP BY x.slug
       ORDER BY n DESC LIMIT 300) x, LATERAL (VALUES ('/v1/authors/' || x.slug || '/articles'), ('/v1/authors/' || x.slug)) v(p)"
  sql "SELECT 0.20, '/v1/articles?section=' || slug FROM sections"
  sql "SELECT 0.10, '/v1/search?q=' || w FROM (SELECT DISTINCT lower(split_part(title, ' ', 2)) w FROM
       (SELECT title FROM articles a WHERE $live_filter ORDER BY md5(slug) LIMIT 6000) t) x WHERE w ~ '^[a-z]{3,}\$' LIMIT 2000"
  sql "SELECT 0.10, '/v1/articles/' || slug || '/related' FROM articles a WHERE $live_filter ORDER BY published_at DESC LIMIT 2000"
} | tr '|' ' ' | awk '{ rank[$1]++; printf "%.3f %s\n", rank[$1] / $1, $2 }' | sort -n -k1,1 -s | head -n 20000 | cut -d' ' -f2 \
  >"$work/newsroom-paths.txt"
# The editor edits the 50 most popular articles in turn and publishes new ones in the largest section.
{
  sql "SELECT 'new', (SELECT section_id FROM articles GROUP BY section_id ORDER BY count(*) DESC LIMIT 1),
              (SELECT author_id FROM article_authors GROUP BY author_id ORDER BY count(*) DESC LIMIT 1)" | tr '|' ' '
  sql "SELECT id FROM articles a WHERE $live_filter ORDER BY published_at DESC LIMIT 50"
} >"$work/newsroom-edits.txt"

key=$("${app[@]}" Logging__LogLevel__Default=Warning dotnet "$dll" keys create --name "newsroom-$(date +%s)" --scope content:write \
  | tail -n 1) || true
[[ $key == cak_* ]] || die "could not create a key (ContentApi keys create)"

run() { # $1: Delivery:ResponseCache
  start_api "$1"
  # Warm up: the JIT, and with the cache on, the popular answers.
  dotnet "$driver" "$base" "$key" "$work/newsroom-paths.txt" "$work/newsroom-edits.txt" 10 >/dev/null
  dotnet "$driver" "$base" "$key" "$work/newsroom-paths.txt" "$work/newsroom-edits.txt" "$seconds" | tee "$work/newsroom-$1.txt" >&2
  stop_api
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
say "load before: $load; cache off"
run false
say "cache on"
run true

figure() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$work/newsroom-$2.txt"; }
{
  echo "# A newsroom's day: $live articles"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ), commit \`$(git -C "$repo" rev-parse --short HEAD)\`, $(nproc) CPUs, load average before: $load."
  echo "Readers: 32 concurrent requests for ${seconds} s over 20,000 URLs, Zipf-distributed (the k-th URL in proportion"
  echo "to 1/k; 60 % articles, 20 % lists and topic or author pages, 10 % searches, 10 % related). Editor: one change"
  echo "every 2 s through the management API (the dek of one of the 50 newest articles; every fourth change a new"
  echo "article, created and published). Driver: \`bench/newsroom\` (.NET HttpClient, on the same machine)."
  echo
  echo "| response cache | req/s | p50 ms | p99 ms | errors | cache hit ratio | answers showing an edited article | stale | changes (failed) | change p50 / p99 ms |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for cache in false true; do
    echo "| $([[ $cache == true ]] && echo on || echo off) | $(figure rps $cache) | $(figure p50_ms $cache) | $(figure p99_ms $cache) |" \
         "$(figure errors $cache) ($(figure error_kinds $cache)) | $(figure hit_ratio $cache) | $(figure checked $cache) | $(figure stale $cache) ($(figure stale_share $cache)) |" \
         "$(figure changes $cache) ($(figure failed_changes $cache)) | $(figure change_p50_ms $cache) / $(figure change_p99_ms $cache) |"
  done
  echo
  echo "Stale: an answer showing an article with an \`updatedAt\` older than a change the editor had been acknowledged"
  echo "before the request was sent. Cache hits: answers carrying \`Age\`, which the output cache adds to what it serves."
} >"$results"
say "wrote $results"
