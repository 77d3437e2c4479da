/**
 * Type-checks the admin: `npx tsx client/check.ts` (part of `npm run check`).
 *
 * The admin imports the worker's router type, so the worker's files join this
 * program, where they meet the browser's DOM types instead of the Workers
 * runtime's (crypto.subtle, BodyInit... differ). Those files are checked
 * against the Workers types by the root tsconfig; here only the admin's own
 * files must be clean.
 */
import path from "node:path";
import ts from "typescript";

const configPath = path.join(import.meta.dirname, "tsconfig.json");
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) });
if (!config) process.exit(1);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const mine = (file: ts.SourceFile | undefined) => !file || path.resolve(file.fileName).startsWith(import.meta.dirname + path.sep);
const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => mine(d.file));
const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => "\n" };
if (diagnostics.length) {
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  console.error(`client: ${diagnostics.length} type error(s)`);
  process.exit(1);
}
console.log("client: types OK");
