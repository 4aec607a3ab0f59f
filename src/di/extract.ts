import { nullObject } from "../null-object.ts";
import { issuesToDetails } from "../errors/issue-to-detail.ts";
import type { ErrorDetail } from "../errors/validation-error.ts";
import type { FormData } from "../http/form-data.ts";
import type { Request } from "../http/request.ts";
import { UploadFile } from "../http/upload-file.ts";
import { COERCION_ERRORS, COERCION_FAILED, coerceString } from "../schema/coerce.ts";
import { issuePath } from "../schema/compile.ts";
import type { StandardResult } from "../schema/standard-schema.ts";
import type { ParamNode } from "./plan.ts";

/** The request body as the plan needs it, read before any parameter is extracted. */
export interface BodySource {
  /** The parsed JSON body (`undefined` when empty). */
  json?: unknown;
  form?: FormData;
  /** The body could not be read as JSON (already reported): body parameters are skipped, not reported missing. */
  failed?: boolean;
}

/** Collects problems and pending async validations while a request's arguments are read. */
export interface Extraction {
  errors: ErrorDetail[] | undefined;
  /** Validations that returned a promise (async refinements); awaited before the handler runs. */
  pending: Array<Promise<void>> | undefined;
}

/**
 * Reads one parameter from the request, coerces strings by the schema's JSON type, validates, and writes the
 * value to `out[key]`. Problems go to `state.errors`; nothing throws for bad input.
 */
export function extractParam(node: ParamNode, request: Request, body: BodySource, out: Record<string, unknown>, key: string, state: Extraction): void {
  let raw = readRaw(node, request, body, state);
  if (raw === COERCION_FAILED) return;
  let reported: ReadonlySet<string> | undefined;
  if (raw instanceof PartlyCoerced) {
    reported = raw.failed;
    raw = raw.value;
  }
  if (node.schema === undefined || (node.fast !== undefined && node.fast(raw))) {
    out[key] = raw;
    return;
  }
  const input = raw;
  const result = node.schema.validate(input);
  if (result instanceof Promise) {
    (state.pending ??= []).push(result.then((r) => settle(node, r, input, out, key, state, reported)));
  } else settle(node, result, input, out, key, state, reported);
}

/**
 * A model of query/header/cookie/form fields where some fields could not be coerced (already reported). The model
 * is still validated with those fields left as strings, so the 422 also lists its other problems (a missing
 * field, an extra one), as FastAPI's does; issues at the fields already reported are dropped.
 */
class PartlyCoerced {
  constructor(
    readonly value: Record<string, unknown>,
    readonly failed: ReadonlySet<string>,
  ) {}
}

function settle(
  node: ParamNode,
  result: StandardResult<unknown>,
  raw: unknown,
  out: Record<string, unknown>,
  key: string,
  state: Extraction,
  reported: ReadonlySet<string> | undefined,
): void {
  if (result.issues === undefined) {
    if (reported === undefined) out[key] = result.value;
    return;
  }
  const issues = reported === undefined ? result.issues : result.issues.filter((i) => !reported.has(String(issuePath(i)[0])));
  (state.errors ??= []).push(...issuesToDetails(issues, node.loc, raw, node.source === "body" ? null : raw));
}

function readRaw(node: ParamNode, request: Request, body: BodySource, state: Extraction): unknown {
  switch (node.source) {
    case "path":
      return coerce(node, request.pathParams[node.wireName], node.loc, state);
    case "query":
      return fromValues(node, request.query, state);
    case "cookie":
      return fromValues(node, request.cookies, state);
    case "header":
      if (node.mode === "model") return fromValues(node, headerModelValues(node, request.headers), state);
      if (node.mode !== "list") return fromValues(node, request.headers, state);
      const lines = headerList(request, node.wireName);
      return lines === undefined ? undefined : coerceList(node, lines, state);
    case "body":
      if (body.failed) return COERCION_FAILED;
      return node.embedded ? ownValue(body.json, node.wireName) : body.json;
    case "form":
      return fromForm(node, body.form!, state);
    case "file":
      return fileValue(node, body.form!, state);
  }
}

function fromValues(node: ParamNode, values: Record<string, string | string[] | undefined>, state: Extraction): unknown {
  if (node.mode === "model") {
    const obj: Record<string, unknown> = nullObject<unknown>();
    let failed: Set<string> | undefined;
    for (const name in values) {
      const prop = node.properties[name];
      const v = values[name];
      if (v === undefined) continue;
      const loc = node.loc.concat(name);
      const value = prop === undefined ? v : prop.list ? coerceList({ kinds: prop.kinds, loc }, v, state) : coerceOne(prop.kinds, last(v), loc, state);
      if (value === COERCION_FAILED) (failed ??= new Set()).add(name);
      obj[name] = value === COERCION_FAILED ? v : value;
    }
    return failed === undefined ? obj : new PartlyCoerced(obj, failed);
  }
  const v = values[node.wireName];
  if (node.mode === "list") return v === undefined ? undefined : coerceList(node, v, state);
  return v === undefined ? undefined : coerce(node, last(v), node.loc, state);
}

function fromForm(node: ParamNode, form: FormData, state: Extraction): unknown {
  if (node.mode === "model") {
    return fromValues(node, onlyText(form.toObject() as Record<string, unknown>), state);
  }
  const all = form.getAll(node.wireName).filter((v): v is string => typeof v === "string");
  if (node.mode === "list") return all.length === 0 ? undefined : coerceList(node, all, state);
  return all.length === 0 ? undefined : coerce(node, all[all.length - 1]!, node.loc, state);
}

function fileValue(node: ParamNode, form: FormData, state: Extraction): unknown {
  const files = form.getAll(node.wireName).filter((v): v is UploadFile => v instanceof UploadFile);
  const max = node.param.options.maxSize;
  for (const f of files) {
    if (max !== undefined && f.size > max) {
      (state.errors ??= []).push({
        type: "file_too_large",
        loc: node.loc,
        msg: `File '${f.filename}' is larger than the ${max}-byte limit for this field`,
        input: f.filename,
        ctx: { max_size: max },
      });
      return COERCION_FAILED;
    }
  }
  const spec = node.param.file!;
  if (files.length === 0) {
    if (spec.optional) return spec.multiple ? [] : undefined;
    (state.errors ??= []).push({ type: "missing", loc: node.loc, msg: "Field required", input: null });
    return COERCION_FAILED;
  }
  return spec.multiple ? files : files[files.length - 1];
}

function coerce(node: ParamNode, raw: string | undefined, loc: (string | number)[], state: Extraction): unknown {
  return raw === undefined ? undefined : coerceOne(node.kinds, raw, loc, state);
}

function coerceOne(kinds: ParamNode["kinds"], raw: string, loc: (string | number)[], state: Extraction): unknown {
  const value = coerceString(raw, kinds);
  if (value === COERCION_FAILED) {
    const e = COERCION_ERRORS[kinds[0]!];
    (state.errors ??= []).push({ type: e.type, loc, msg: e.msg, input: raw });
  }
  return value;
}

function coerceList(node: Pick<ParamNode, "kinds" | "loc">, v: string | string[], state: Extraction): unknown {
  const items = Array.isArray(v) ? v : [v];
  const out: unknown[] = new Array(items.length);
  let failed = false;
  for (let i = 0; i < items.length; i++) {
    out[i] = coerceOne(node.kinds, items[i]!, node.loc.concat(i), state);
    if (out[i] === COERCION_FAILED) failed = true;
  }
  return failed ? COERCION_FAILED : out;
}

// FastAPI reads a header model's `x_token` field from the `x-token` header (unless `convertUnderscores: false`);
// every other header is passed as it is, so a strict model still refuses headers it does not declare.
function headerModelValues(node: ParamNode, headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  if (node.param.options.convertUnderscores === false) return headers;
  const out: Record<string, string | string[] | undefined> = nullObject<string | string[] | undefined>();
  const taken = new Set<string>();
  for (const name in node.properties) {
    const wire = name.replace(/_/g, "-").toLowerCase();
    if (wire !== name && headers[wire] !== undefined) {
      out[name] = headers[wire];
      taken.add(wire);
    }
  }
  for (const name in headers) if (!taken.has(name) && !(name in out)) out[name] = headers[name];
  return out;
}

// Repeated header lines, each kept separate (FastAPI's `headers.getlist`).
function headerList(request: Request, name: string): string[] | undefined {
  const raw = request.raw.rawHeaders;
  let out: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name) (out ??= []).push(raw[i + 1]!);
  }
  return out;
}

function last(v: string | string[]): string {
  return typeof v === "string" ? v : v[v.length - 1]!;
}

function ownValue(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null && Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

function onlyText(obj: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = nullObject<string | string[]>();
  for (const k in obj) {
    const v = obj[k];
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
  }
  return out;
}
