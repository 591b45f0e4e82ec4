/**
 * `npm run models:train [-- [--out <dir>] [--corpus <dir>] [name…]]`: regenerates the corpora and retrains the demo models into
 * models/out/<name>/. Deterministic: the same code on the same Node version writes the same
 * model.onnx and tokenizer.json bytes; metrics.json differs only in timing and machine.
 */
import { parseArgs } from "node:util";
import { runRecipe } from "../pipeline.ts";
import { RECIPES } from "../recipes.ts";

const { values, positionals: wanted } = parseArgs({
  options: { out: { type: "string" }, corpus: { type: "string" } },
  allowPositionals: true,
});
const unknown = wanted.filter((n) => !RECIPES.some((r) => r.name === n));
if (unknown.length > 0) {
  console.error(`unknown model(s): ${unknown.join(", ")}; known: ${RECIPES.map((r) => r.name).join(", ")}`);
  process.exit(1);
}
for (const recipe of RECIPES) {
  if (wanted.length === 0 || wanted.includes(recipe.name))
    runRecipe(recipe, {
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.corpus ? { corpusDir: values.corpus } : {}),
    });
}
