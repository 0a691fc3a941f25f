# What to ask for: slugs, the largest topic and author, search words, one path list per scenario, and the scenarios.

paths() { local name=$1; shift; printf '%s\n' "$@" >"$work/paths-$name.txt"; }

pick_paths() {
  local live_filter="a.status IN ('published', 'scheduled') AND a.published_at <= now()"
  sql "SELECT slug FROM articles a WHERE $live_filter ORDER BY md5(slug) LIMIT 200" >"$work/slugs.txt"
  topic=$(sql "SELECT t.slug FROM topics t JOIN article_topics l ON l.topic_id = t.id JOIN articles a ON a.id = l.article_id
               WHERE $live_filter GROUP BY t.slug ORDER BY count(*) DESC, t.slug LIMIT 1")
  author=$(sql "SELECT x.slug FROM authors x JOIN article_authors l ON l.author_id = x.id JOIN articles a ON a.id = l.article_id
                WHERE $live_filter GROUP BY x.slug ORDER BY count(*) DESC, x.slug LIMIT 1")
  topic_count=$(sql "SELECT count(*) FROM articles a JOIN article_topics l ON l.article_id = a.id JOIN topics t ON t.id = l.topic_id
                     WHERE $live_filter AND t.slug = '$topic'")
  author_count=$(sql "SELECT count(*) FROM articles a JOIN article_authors l ON l.article_id = a.id JOIN authors x ON x.id = l.author_id
                      WHERE $live_filter AND x.slug = '$author'")
  deep_page=$(( live / 20 < 5000 ? live / 20 : 5000 ))
  (( deep_page >= 2 )) || die "too few articles for a deep page: ask for at least 40"
  # Worst cases on purpose: a word in nearly every article, a word in a handful (read off the index's statistics), a
  # two-word phrase, a word in no article, and the operators.
  # ts_stat reads every article's search vector, minutes on a large archive: BENCH_RARE_WORD skips it, e.g. to
  # ask a larger archive the same word as a smaller one.
  rare_word=${BENCH_RARE_WORD:-$(sql "SELECT word FROM ts_stat('SELECT search_vector FROM articles') WHERE ndoc BETWEEN 3 AND 10 AND word ~ '^[a-z]{5,}\$' ORDER BY word LIMIT 1")}
  searches=(government "$rare_word" '%22oil%20pipeline%22' 'zzqxjv' 'cathedral%20-war' 'museum%20or%20library')

  paths ceiling $(sed 's|^|/bench/ceiling/articles/|' "$work/slugs.txt")
  paths raw $(sed 's|^|/bench/raw/articles/|' "$work/slugs.txt")
  paths item $(sed 's|^|/v1/articles/|' "$work/slugs.txt")
  paths list /v1/articles
  paths topic "/v1/articles?topic=$topic"
  paths search "${searches[@]/#//v1/search?q=}"
  # Search-box fragments: one in many titles, the start of the largest topic's name, one from a rare word, none.
  fragments=(gov "${topic:0:4}" "${rare_word:0:5}" zzq)
  paths suggest "${fragments[@]/#//v1/search/suggest?q=}"
  paths suggest-alone "${fragments[@]/#//v1/search/suggest?q=}"
  # Facet counts for a search page's sidebar, on the most common word: the heaviest count there is.
  paths facets "/v1/search?q=government&type=article&facets=section,topic,author,year"
  paths related $(head -n 10 "$work/slugs.txt" | sed 's|^|/v1/articles/|; s|$|/related|')
  paths author "/v1/authors/$author"
  paths author-articles "/v1/authors/$author/articles"
  paths topic-profile "/v1/topics/$topic"
  paths feeds /v1/feeds/articles.rss "/v1/topics/$topic/feed.json"
  paths changes "/v1/changes?limit=100"
  # (the deep page's path needs the API for its cursor: see follow_cursor_to_deep_page)

  # name | what it asks for, as the table shows it
  scenarios=(
    "ceiling|reference: article bytes from memory, \`/bench/ceiling/articles/{slug}\`, 200 slugs"
    "raw|reference: article from one Npgsql query, \`/bench/raw/articles/{slug}\`, 200 slugs"
    "item|article by slug, \`/v1/articles/{slug}\`, 200 slugs"
    "list|article list page 1, \`/v1/articles\`"
    "deep|article list $(( (deep_page - 1) * 20 / 100 * 100 )) cards deep by cursor, \`/v1/articles?cursor=...\`"
    "topic|list filtered by topic, \`/v1/articles?topic=$topic\` ($topic_count articles)"
    "search|search, \`/v1/search?q=...\`, ${#searches[@]} queries: $(printf '%s, ' "${searches[@]}" | sed 's/%20/ /g; s/%22/"/g; s/, $//')"
    "suggest|search-box suggestions, \`/v1/search/suggest?q=...\`, ${#fragments[@]} fragments: $(printf '%s, ' "${fragments[@]}" | sed 's/, $//')"
    "suggest-alone|the same suggestions one request at a time (1 connection): what a typist waits"
    "facets|search with facet counts, \`/v1/search?q=government&type=article&facets=section,topic,author,year\`"
    "related|related articles, \`/v1/articles/{slug}/related\`, 10 slugs"
    "author|author page: profile, \`/v1/authors/$author\` ($author_count articles)"
    "author-articles|author page: articles, \`/v1/authors/$author/articles\`"
    "topic-profile|topic page: profile, \`/v1/topics/$topic\`"
    "feeds|feeds: \`/v1/feeds/articles.rss\` and the largest topic's \`feed.json\`"
    "changes|change feed, first page of 100, \`/v1/changes?limit=100\`"
  )
}

# Numbered pages stop at page x limit = 10,000: the deep page is reached by following cursors, 100 cards a step.
follow_cursor_to_deep_page() {
  local cursor="" hop
  for (( hop = 0; hop < (deep_page - 1) * 20 / 100; hop++ )); do
    cursor=$(curl -s "$base/v1/articles?limit=100${cursor:+&cursor=$cursor}" | sed -n 's/.*"page":{"limit":100,"next":"\([^"]*\)".*/\1/p')
    [[ -n $cursor ]] || die "no cursor after $hop pages of 100"
  done
  paths deep "/v1/articles?cursor=$cursor"
}
