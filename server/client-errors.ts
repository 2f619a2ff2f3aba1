import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { HttpError } from "./http-error.js";

/**
 * clientErrorAnswer is fastify's `clientErrorHandler`: what Node's HTTP parser refuses
 * before there is a request (headers too large, a malformed request line or header, a
 * request that took too long) is answered in the API's error shape too, with the
 * status Node would use (431, 400, 408) and the code `bad_request`. Such an answer has
 * no X-Request-Id (there is no request), and a connection already reset or no longer
 * writable gets no answer at all.
 */
export function clientErrorAnswer(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "the request headers are too large"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "the request took too long to arrive"]
        : [400, "the request is not valid HTTP"];
  const body = JSON.stringify(new HttpError(status, "bad_request", message).body());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
