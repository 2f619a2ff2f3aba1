// @ts-check
// node:url in the browser, for the identity grammar (schema/identity.ts) served as part of
// the dashboard's domain core: the page's import map points "node:url" here.

/**
 * domainToASCII is Node's url.domainToASCII: the URL standard's host parser (Node runs it by
 * setting a special URL's hostname, as here), giving the ASCII (punycode) form, or "" when
 * the host is invalid. A failed set leaves the placeholder host `[::1]`, which identity
 * refuses as a domain anyway.
 * @param {string} domain
 * @returns {string}
 */
export function domainToASCII(domain) {
  const url = new URL("ws://[::1]/");
  url.hostname = domain;
  return url.hostname === "[::1]" ? "" : url.hostname;
}
