-- wrk script for E3 (POST /items). The body must stay byte-identical to ITEM_BODY in lib/endpoints.mjs;
-- check.mjs verifies that before any benchmark runs.
wrk.method = "POST"
wrk.body = '{"name":"Widget","price":9.99,"tags":["a","b"]}'
wrk.headers["Content-Type"] = "application/json"
