import { STATUS_CODES } from "node:http";

/** Reason phrases by status code (`404` → `"Not Found"`), as Node knows them. */
export const STATUS_TEXT: Readonly<Record<number, string | undefined>> = STATUS_CODES;

/** Statuses whose responses never carry a body (RFC 9110 §6.4.1). */
export function statusHasNoBody(status: number): boolean {
  return status < 200 || status === 204 || status === 205 || status === 304;
}
