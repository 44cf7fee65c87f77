// The SHA-256 that content ids are made with: @noble/hashes's (FIPS 180-4; audited, no
// dependencies, browser-safe). Ids need a synchronous hash (WebCrypto's digest is async only)
// without a Node built-in in the core. Checked against the FIPS test vectors and node:crypto
// in tests/ids.test.ts.

export { sha256 } from "@noble/hashes/sha2.js";
