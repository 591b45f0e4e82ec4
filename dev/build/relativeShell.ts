/**
 * In hash-router mode SvelteKit writes root-absolute asset URLs (`/_app/...`, `/favicon.svg`)
 * into `build/index.html` even with `paths.relative`, which blanks the page when it is served
 * from `/ipfs/<cid>/`. The chunks already import each other relatively, so rewriting the
 * shell is enough.
 */
export function makeShellAssetsRelative(html: string): string {
  return html.replace(/((?:href|src)=["']|import\(["'])\/(?!\/)/g, "$1./");
}
