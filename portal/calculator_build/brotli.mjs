/* Brotli-compresses files for hosts that serve precompressed siblings (compress.py):

     node brotli.mjs <file> <output.br> [<file> <output.br> ...]

   Node's zlib has Brotli and Node is already needed at build time, so the site needs no
   Python package for it. Quality 11 with a 16 MB window: the smallest output; it takes about
   30 s for Pyodide's 9.6 MB WebAssembly, once per Pyodide version (the result is cached). */
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const pairs = process.argv.slice(2);
for (let index = 0; index < pairs.length; index += 2) {
  const data = readFileSync(pairs[index]);
  writeFileSync(pairs[index + 1], brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  }));
}
