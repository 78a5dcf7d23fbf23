/* Compiles the calculator's Python to bytecode with the Pyodide that the site ships, so the
   bytecode fits the browser's Python exactly. Started by precompile.py:

     node precompile.mjs <pyodide dir> <wheel> <output dir>

   Writes <output dir>/python_stdlib.zip (the modules in use, as bytecode),
   <output dir>/python_stdlib_rest.zip (every other module) and <output dir>/<wheel name>, and
   prints one JSON line (what was compiled). The work itself is in in_pyodide.py. */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [pyodideDir, wheel, outputDir] = process.argv.slice(2).map((path) => resolve(path));
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({
  indexURL: `${pyodideDir}/`,
  stdout: () => {},
  stderr: console.error,
  // Bytecode without column positions: smaller, and what CPython offers for that purpose.
  env: { PYTHONNODEBUGRANGES: "1" },
});

for (const [folder, mountPoint] of [[pyodideDir, "/pyodide"], [dirname(wheel), "/wheel"], [outputDir, "/output"], [here, "/scripts"]]) {
  pyodide.FS.mkdirTree(mountPoint);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, mountPoint);
}
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");

const script = readFileSync(resolve(here, "in_pyodide.py"), "utf8");
const globals = pyodide.toPy({
  STDLIB_IN: "/pyodide/python_stdlib.zip",
  WHEEL_IN: `/wheel/${basename(wheel)}`,
  FALLBACK_IN: "/scripts/stdlib_fallback.py",
  STDLIB_OUT: "/output/python_stdlib.zip",
  REST_OUT: "/output/python_stdlib_rest.zip",
  WHEEL_OUT: `/output/${basename(wheel)}`,
});
console.log(pyodide.runPython(script, { globals, filename: "in_pyodide.py" }));
