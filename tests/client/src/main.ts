// A small real client of ContentApi, typed from openapi/v1.json. It fails (exit 1) when the API and its document
// disagree in any way the program notices. Usage: node dist/main.js http://127.0.0.1:5000
import createClient from "openapi-fetch";
import type { paths, components } from "./api.js";

type ArticleCard = components["schemas"]["ArticleCard"];

const baseUrl = process.argv[2];
if (!baseUrl) {
  throw new Error("usage: node dist/main.js <base url>");
}
const api = createClient<paths>({ baseUrl });

function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

// 1. The first page of articles, then the next one through its cursor.
const first = await api.GET("/v1/articles", { params: { query: { limit: 3 } } });
check(first.response.status === 200 && first.data !== undefined, `list: status ${first.response.status}`);
const cards: ArticleCard[] = [...first.data.items];
const next = first.data.page.next;
check(next !== null && next !== undefined, "list: the seeds have more than 3 articles, so page.next is a cursor");
const second = await api.GET("/v1/articles", { params: { query: { limit: 3, cursor: next } } });
check(second.data !== undefined, `next page: status ${second.response.status}`);
cards.push(...second.data.items);
check(new Set(cards.map((c) => c.slug)).size === cards.length, "pages overlap");
console.log(`listed ${cards.length} articles over 2 pages of ${first.data.page.total}`);

// 2. The seed article, with its related works.
const article = await api.GET("/v1/articles/{slug}", { params: { path: { slug: "venezuela-defies-the-us" } } });
check(article.data !== undefined, `article: status ${article.response.status}`);
const { title, dek, authors, relatedWorks, body, originalPublication } = article.data;
check(title === "Venezuela Defies the U.S.", `article title: ${title}`);
check(authors[0]?.name === "Cassie B.", "article byline");
check(relatedWorks.length === 6 && relatedWorks.every((w) => w.kind === "book"), "six related books");
check(body.blocks.some((b) => b.type === "figure"), "figures among the body blocks");
console.log(`article: ${title} - ${dek}; first published by ${originalPublication?.outlet}; related: ${relatedWorks.map((w) => w.shortLabel ?? w.title).join(" | ")}`);

// 3. A typed 404 problem.
const missing = await api.GET("/v1/articles/{slug}", { params: { path: { slug: "no-such-article" } } });
check(missing.response.status === 404 && missing.error !== undefined, "404 for an unknown slug");
check(missing.response.headers.get("content-type")?.startsWith("application/problem+json") === true, "problem media type");
const problem = missing.error as components["schemas"]["Problem"];
check(problem.status === 404 && typeof problem.traceId === "string", "problem fields");
console.log(`404 problem: ${problem.detail}`);
