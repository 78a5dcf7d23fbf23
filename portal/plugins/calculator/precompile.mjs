/* Compiles the calculator's Python to bytecode with the Pyodide that the site ships, so the
   bytecode fits the browser's Python exactly. Started by precompile.py:

     node precompile.mjs <pyodide dir> <wheel> <output dir>

   Writes <output dir>/python_stdlib.zip and <output dir>/<wheel name>, prints one JSON line
   (what was compiled). The work itself is in in_pyodide.py. */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [pyodideDir, wheel, outputDir] = process.argv.slice(2).map((path) => resolve(path));
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/`, stdout: () => {}, stderr: console.error });

for (const [folder, mountPoint] of [[pyodideDir, "/pyodide"], [dirname(wheel), "/wheel"], [outputDir, "/output"]]) {
  pyodide.FS.mkdirTree(mountPoint);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, mountPoint);
}
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");

const script = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "in_pyodide.py"), "utf8");
const globals = pyodide.toPy({
  STDLIB_IN: "/pyodide/python_stdlib.zip",
  WHEEL_IN: `/wheel/${basename(wheel)}`,
  STDLIB_OUT: "/output/python_stdlib.zip",
  WHEEL_OUT: `/output/${basename(wheel)}`,
});
console.log(pyodide.runPython(script, { globals, filename: "in_pyodide.py" }));
