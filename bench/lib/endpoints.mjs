// The four benchmarked endpoints, with the exact bytes every server must answer (checked by check.mjs)
// and a few extra cases that prove each server really does the validation / response-model work.

export const ITEM_BODY = '{"name":"Widget","price":9.99,"tags":["a","b"]}';

/**
 * id: used by --only. path + method (+ lua script for POST) is what wrk sends.
 * expect: the byte-exact 200 body for the benchmarked request.
 * cases: additional requests checked before benchmarking (not measured): { method, path, send?, status, expect? }.
 *   status "4xx" means any 400–499; bodies of error responses are framework-specific and not compared.
 */
export const ENDPOINTS = [
  {
    id: "e1",
    name: "hello",
    method: "GET",
    path: "/hello",
    expect: '{"message":"hello"}',
    cases: [],
  },
  {
    id: "e2",
    name: "path+query",
    method: "GET",
    path: "/items/42?q=abc",
    expect: '{"item_id":42,"q":"abc"}',
    cases: [
      { method: "GET", path: "/items/42", status: 200, expect: '{"item_id":42}' },
      { method: "GET", path: "/items/7?q=hello%20world", status: 200, expect: '{"item_id":7,"q":"hello world"}' },
      { method: "GET", path: "/items/abc?q=abc", status: "4xx" },
      { method: "GET", path: "/items/4.5", status: "4xx" },
    ],
  },
  {
    id: "e3",
    name: "body+model",
    method: "POST",
    path: "/items",
    send: ITEM_BODY,
    lua: "post-items.lua",
    expect: ITEM_BODY,
    cases: [
      // the response model drops fields it does not declare
      { method: "POST", path: "/items", send: '{"name":"Widget","price":9.99,"tags":["a","b"],"secret":"x"}', status: 200, expect: ITEM_BODY },
      // tags defaults to []
      { method: "POST", path: "/items", send: '{"name":"Widget","price":9.99}', status: 200, expect: '{"name":"Widget","price":9.99,"tags":[]}' },
      { method: "POST", path: "/items", send: '{"name":"","price":9.99}', status: "4xx" },
      { method: "POST", path: "/items", send: '{"name":"Widget","price":-1}', status: "4xx" },
      { method: "POST", path: "/items", send: '{"name":"Widget","price":0}', status: "4xx" },
      { method: "POST", path: "/items", send: '{"price":9.99}', status: "4xx" },
      { method: "POST", path: "/items", send: '{"name":"Widget",', status: "4xx" },
    ],
  },
  {
    id: "e4",
    name: "deps+model",
    method: "GET",
    path: "/deps/42?q=abc",
    // q (optional) comes last: fast-json-stringify always writes required properties first, so this order
    // lets Fastify use its response schema unchanged; the other servers follow their response model's order.
    expect: '{"item_id":42,"user":"alice","conn":1,"q":"abc"}',
    cases: [
      { method: "GET", path: "/deps/42", status: 200, expect: '{"item_id":42,"user":"alice","conn":1}' },
      // sequential requests must keep getting connection 1: proves the teardown returned it to the pool
      { method: "GET", path: "/deps/43?q=x", status: 200, expect: '{"item_id":43,"user":"alice","conn":1,"q":"x"}' },
      { method: "GET", path: "/deps/44?q=y", status: 200, expect: '{"item_id":44,"user":"alice","conn":1,"q":"y"}' },
      { method: "GET", path: "/deps/abc", status: "4xx" },
    ],
  },
];

/** Resolve `--only e1,e3` (ids or names, case-insensitive) to endpoint objects, in canonical order. */
export function selectEndpoints(only) {
  if (!only) return ENDPOINTS;
  const wanted = only.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const w of wanted) {
    if (!ENDPOINTS.some((e) => e.id === w || e.name === w)) {
      throw new Error(`unknown endpoint "${w}" (known: ${ENDPOINTS.map((e) => e.id).join(", ")})`);
    }
  }
  return ENDPOINTS.filter((e) => wanted.includes(e.id) || wanted.includes(e.name));
}
