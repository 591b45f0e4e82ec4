// A model card is untrusted Markdown shown inside the page. Removing scripts is not enough:
// with styles, classes or layout elements a card could cover the page (a fixed full-screen
// box with a fake "reconnect your wallet" link), restyle it, submit forms, change the
// document's base URL or ping a tracker on every view. So the card keeps only the elements
// Markdown itself produces and the attributes that carry content, never presentation.
import createDOMPurify, { type Config } from "dompurify";
import { Marked } from "marked";

/** Elements Markdown (GFM) renders, plus the few inline ones card authors use. */
export const CARD_TAGS = [
  "p",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "a",
  "img",
  "em",
  "strong",
  "del",
  "s",
  "sub",
  "sup",
  "kbd",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "details",
  "summary",
  "span",
  "div",
] as const;

/** Content attributes only: no `style`, `class`, `id`, `name`, `target`, `data-*`, `width`, `height`. */
export const CARD_ATTRIBUTES = ["href", "src", "alt", "title", "align", "colspan", "rowspan", "start"] as const;

/** Links leave for these schemes only, always in a new tab without an opener. */
const LINK_PROTOCOLS = new Set(["https:", "http:", "mailto:"]);
/** Images embedded in the card itself: no request leaves the page for them. */
const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
/** `ipfs://<cid>[/path]`: read through the verified reader, so only the CID's bytes show. */
const IPFS_IMAGE = /^ipfs:\/\/([a-z0-9]+)((?:\/[^?#]*)?)$/i;

/** The attributes the sanitizer itself sets on images, for the card view to resolve. */
export const IPFS_IMAGE_ATTRIBUTE = "data-hexs-ipfs-src";
export const EXTERNAL_IMAGE_ATTRIBUTE = "data-hexs-external-src";

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS: [...CARD_TAGS],
  ALLOWED_ATTR: [...CARD_ATTRIBUTES],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|ipfs:|data:image\/)/i,
  KEEP_CONTENT: true,
};

const markdown = new Marked({
  async: false,
  gfm: true,
  // The page owns the only h1: the card's headings start one level lower.
  walkTokens(token) {
    if (token.type === "heading") token.depth = Math.min(6, token.depth + 1);
  },
  // Task lists as text: a card gets no form controls.
  renderer: {
    checkbox: ({ checked }) => (checked ? "☑ " : "☐ "),
  },
});

/** A sanitizer bound to one window (the page's, or a DOM implementation's in tests). */
export function cardSanitizer(window: Window): (source: string) => string {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook("afterSanitizeAttributes", (node) => {
    if (node.nodeName === "A") secureLink(node as Element);
    if (node.nodeName === "IMG") deferImage(node as Element);
  });
  return (source) => purify.sanitize(markdown.parse(source, { async: false }), PURIFY_CONFIG) as string;
}

function secureLink(link: Element): void {
  const href = link.getAttribute("href");
  if (href === null) return;
  let protocol: string;
  try {
    protocol = new URL(href).protocol;
  } catch {
    protocol = "relative";
  }
  // A relative link would open another page of this origin (another site on the same IPFS
  // gateway, or a route of the dApp) looking as if HEXS sent the user there.
  if (!LINK_PROTOCOLS.has(protocol)) {
    link.removeAttribute("href");
    return;
  }
  link.setAttribute("target", "_blank");
  link.setAttribute("rel", "noopener noreferrer nofollow ugc");
}

function deferImage(image: Element): void {
  const src = (image.getAttribute("src") ?? "").trim();
  image.removeAttribute("src");
  if (INLINE_IMAGE.test(src)) {
    image.setAttribute("src", src);
    return;
  }
  if (IPFS_IMAGE.test(src)) {
    image.setAttribute(IPFS_IMAGE_ATTRIBUTE, src);
    return;
  }
  if (/^https?:\/\//i.test(src)) {
    image.setAttribute(EXTERNAL_IMAGE_ATTRIBUTE, src);
    return;
  }
  image.remove();
}

/** Splits `ipfs://<cid>/<path>` into the CID and the path inside it. */
export function parseIpfsImage(src: string): { cid: string; path?: string } | undefined {
  const [, cid, rest = ""] = IPFS_IMAGE.exec(src) ?? [];
  if (!cid) return undefined;
  const path = decodeURIComponent(rest.replace(/^\/+/, ""));
  return path ? { cid, path } : { cid };
}

/** The MIME type of image bytes, from their signature; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return "image/webp";
  return undefined;
}
