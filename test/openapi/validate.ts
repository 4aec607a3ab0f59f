/** Test helper: every generated document must pass a real OpenAPI 3.1 validator. */
import { compileErrors, validate } from "@readme/openapi-parser";
import type { OpenAPIDocument } from "../../src/index.ts";

/** Throws with the validator's readable errors when `doc` is not a valid OpenAPI 3.1 document. */
export async function expectValidOpenAPI(doc: OpenAPIDocument): Promise<void> {
  if (doc.openapi !== "3.1.0") throw new Error(`expected an OpenAPI 3.1.0 document, got ${doc.openapi}`);
  // The parser dereferences in place: give it a copy.
  const result = await validate(structuredClone(doc) as never);
  if (!result.valid) throw new Error(`Invalid OpenAPI document:\n${compileErrors(result)}`);
}

/** The app's document, checked by the validator. */
export async function validDocument(app: { openapi(): OpenAPIDocument }): Promise<OpenAPIDocument> {
  const doc = app.openapi();
  await expectValidOpenAPI(doc);
  return doc;
}
